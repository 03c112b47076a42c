import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import { entryPointsBuilding } from './esbuildEntryPoints';
import { parseSamTemplateText } from './samTemplate';

/** A handler found in a workspace, with what the views show and what a run needs to resolve it. */
export interface DiscoveredHandler {
  /** Stable identity across refreshes: origin, file and handler. */
  readonly id: string;
  readonly name: string;
  readonly origin: 'sam' | 'serverless' | 'scan';
  /** What the item is grouped under: the template file, or the folder of a scanned handler. */
  readonly group: string;
  /** The `spec` (and `resource`) to pass to resolveTarget to run it. */
  readonly spec: string;
  readonly resource?: string;
  /** Runtime as declared (template) or guessed from the file (python3.x / nodejs). */
  readonly runtime?: string;
  readonly codeDir: string;
  readonly handler: string;
  /** The source file defining the handler, when it exists. */
  readonly file?: string;
  /** 0-based line of the handler definition in `file`. */
  readonly line?: number;
  readonly templateFile?: string;
  readonly templateLine?: number;
  readonly events?: Readonly<Record<string, string>>;
}

export interface DiscoveryOptions {
  /** Python function names to look for (default lambda_handler, handler). */
  readonly pythonHandlerNames?: readonly string[];
}

/** Folders never searched: dependencies, build output, caches, virtual environments. */
export const DEFAULT_EXCLUDES = ['node_modules', '.git', '.aws-sam', '.serverless', 'dist', 'out', 'build', 'cdk.out', '.venv', 'venv',
  '__pycache__', '.vscode-test', '.tox', '.mypy_cache', '.pytest_cache', 'coverage', '.next', 'target'];

/** The files discovery reads, as one glob for `workspace.findFiles` and the file watcher. */
export const DISCOVERY_GLOB = '**/{*.py,*.js,*.mjs,*.cjs,*.ts,*.mts,*.cts,template.yaml,template.yml,template.json,serverless.yml,serverless.yaml}';
/** A larger source file is a bundle or generated code, not a handler someone edits. */
export const MAX_FILE_BYTES = 512 * 1024;
const SOURCE = /\.(py|js|mjs|cjs|ts|mts|cts)$/;
const TEMPLATE = /(^|[/\\])template\.(ya?ml|json)$/;
const SERVERLESS = /(^|[/\\])serverless\.ya?ml$/;
/** A Serverless Framework service definition (serverless.yml / .yaml), by its name. */
export const isServerlessFile = (path: string): boolean => SERVERLESS.test(path);

/** The exclude globs of discovery: the default folders, the user's additions (folder names or globs) and the
 *  `files.exclude` globs that are switched on. */
export function discoveryExcludes(extra: readonly string[] = [], filesExclude: Readonly<Record<string, unknown>> = {}): string[] {
  const asGlob = (entry: string): string => (/[*?{[/]/.test(entry) ? entry : `**/${entry}`);
  return [...DEFAULT_EXCLUDES.map(asGlob), ...extra.filter(Boolean).map(asGlob), ...Object.entries(filesExclude).filter(([, on]) => on === true).map(([glob]) => glob)];
}

/** What kind of discovery input a path is, or undefined when discovery ignores it (tests, declarations, other files). */
export function discoveryKind(path: string): 'source' | 'template' | 'serverless' | undefined {
  if (TEMPLATE.test(path)) return 'template';
  if (isServerlessFile(path)) return 'serverless';
  if (SOURCE.test(path) && !/\.d\.[cm]?ts$/.test(path) && !/\.(test|spec)\.[cm]?[jt]s$/.test(path)) return 'source';
  return undefined;
}

/** Handler definitions in one source text: `def lambda_handler(event, context)` in Python, exported handlers in JS/TS. */
export function findHandlerDefinitions(text: string, fileName: string, pythonNames: readonly string[] = ['lambda_handler', 'handler']): { name: string; line: number }[] {
  const found: { name: string; line: number }[] = [];
  const python = fileName.endsWith('.py');
  // Most files of a large workspace define no handler: one search instead of splitting them into lines.
  if (python ? !text.includes('context') && !pythonNames.some((n) => text.includes(n)) : !/handler/i.test(text)) return found;
  const lines = text.split('\n');
  const pyNames = new Set(pythonNames);
  lines.forEach((line, index) => {
    if (python) {
      const m = /^(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(\s*(\w+)\s*(?::[^,]+)?,\s*(\w+)/.exec(line);
      if (m && (pyNames.has(m[1]) || (m[2] === 'event' && m[3] === 'context'))) found.push({ name: m[1], line: index });
      return;
    }
    const m = /^\s*export\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s*)?(?:\(|function|[A-Za-z_$][\w$]*\s*=>)/.exec(line)
      ?? /^\s*export\s+(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*\(/.exec(line)
      ?? /^\s*(?:module\.)?exports\.([A-Za-z_$][\w$]*)\s*=/.exec(line);
    if (m && /handler/i.test(m[1])) found.push({ name: m[1], line: index });
  });
  return found;
}


/** A function a SAM/CloudFormation template or serverless.yml declares. */
export interface DeclaredFunction {
  readonly origin: 'sam' | 'serverless';
  readonly name: string;
  readonly resource?: string;
  readonly spec: string;
  readonly runtime?: string;
  readonly codeDir: string;
  readonly handler: string;
  readonly templateLine?: number;
  readonly events?: Readonly<Record<string, string>>;
  /** Files that may define the handler, in the order the runtime tries them. */
  readonly candidates: readonly string[];
}

/** What one file contributes to the index: its handler definitions, or the functions it declares. */
export type DiscoveryEntry =
  | { readonly kind: 'source'; readonly file: string; readonly definitions: readonly { name: string; line: number }[];
    /** Read only because a template names it (it lies in an excluded folder): not scanned for more handlers. */
    readonly declaredOnly?: boolean }
  | { readonly kind: 'template'; readonly file: string; readonly functions: readonly DeclaredFunction[]; readonly problem?: string };

/** The handler's export name (after the last dot). */
export const exportName = (handler: string): string => handler.slice(handler.lastIndexOf('.') + 1);

function candidatesFor(codeDir: string, handler: string, entryPoints: readonly string[] = []): string[] {
  const modulePath = handler.slice(0, handler.lastIndexOf('.'));
  // A SAM esbuild function's source is the entry point that builds into the Handler's module.
  const built = entryPointsBuilding(modulePath, entryPoints).map((e) => resolve(codeDir, e));
  return [...['.py', '.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'].map((e) => resolve(codeDir, modulePath + e)), ...built];
}

/** Parses one discovery file's text (pure: no file-system access). A template that does not parse gives an entry
 *  with a problem and no functions. */
export function parseDiscoveryFile(file: string, text: string, options: DiscoveryOptions = {}): DiscoveryEntry | undefined {
  const kind = discoveryKind(file);
  if (kind === 'source') return { kind, file, definitions: findHandlerDefinitions(text, file, options.pythonHandlerNames) };
  if (kind === undefined) return undefined;
  try {
    return { kind: 'template', file, functions: kind === 'template' ? samFunctions(file, text) : serverlessFunctions(file, text) };
  } catch (error) {
    return { kind: 'template', file, functions: [], problem: error instanceof Error ? error.message : String(error) };
  }
}

function samFunctions(file: string, text: string): DeclaredFunction[] {
  return parseSamTemplateText(text, file).functions.filter((fn) => fn.handler).map((fn) => ({
    origin: 'sam', name: fn.name, resource: fn.logicalId, spec: file, runtime: fn.runtime, codeDir: fn.codeDir, handler: fn.handler!,
    templateLine: fn.line === undefined ? undefined : fn.line - 1, events: fn.events, candidates: candidatesFor(fn.codeDir, fn.handler!, fn.entryPoints),
  }));
}

function serverlessFunctions(file: string, text: string): DeclaredFunction[] {
  const doc = parse(text, { logLevel: 'silent' }) as { provider?: { runtime?: string }; functions?: Record<string, { handler?: string; runtime?: string } | null> } | null;
  const base = dirname(file);
  return Object.entries(doc?.functions ?? {}).filter(([, fn]) => fn?.handler).map(([name, fn]) => ({
    origin: 'serverless', name, spec: join(base, fn!.handler!), runtime: fn!.runtime ?? doc?.provider?.runtime, codeDir: base, handler: fn!.handler!,
    candidates: candidatesFor(base, fn!.handler!),
  }));
}

/** Runtime ids of the local interpreters (`nodejs20.x`, `python3.11`): what a scanned handler runs as. */
export interface LocalRuntimes { readonly nodejs?: string; readonly python?: string }

const GENERIC_FILES = new Set(['index', 'app', 'handler', 'handlers', 'main', 'lambda_function', 'lambda', 'function']);
const GENERIC_FOLDERS = new Set(['src', 'lib', 'dist', 'build', 'handlers', 'functions', 'lambda', 'app']);
const CONVENTIONAL_EXPORTS = new Set(['handler', 'lambda_handler']);

/**
 * What a scanned handler is called, by one rule everywhere (tree, status bar, documents, debug picker): the name the
 * user gave its folder when the file is a conventional entry point (`orders-api/index.mjs` → `orders-api`), else the
 * file's name (`jobs/cleanup.py` → `cleanup`), with the export when it is not the conventional one.
 */
export function scannedHandlerName(root: string, file: string, exportName: string): string {
  const base = basename(file, extname(file));
  let named = base;
  if (GENERIC_FILES.has(base)) {
    let dir = dirname(file);
    while (GENERIC_FOLDERS.has(basename(dir)) && dir !== root && dirname(dir) !== dir) dir = dirname(dir);
    named = dir === root || dirname(dir) === dir ? base : basename(dir);
  }
  return CONVENTIONAL_EXPORTS.has(exportName) ? named : `${named}.${exportName}`;
}

/** The handlers of one workspace folder from its entries: declared functions first (linked to their source file),
 *  then handler definitions no template declares. */
export function mergeHandlers(root: string, entries: Iterable<DiscoveryEntry>, runtimes: LocalRuntimes = {}): DiscoveredHandler[] {
  const rel = (p: string): string => relative(root, p).split(sep).join('/') || '.';
  const sources = new Map<string, Extract<DiscoveryEntry, { kind: 'source' }>>();
  const templates: Extract<DiscoveryEntry, { kind: 'template' }>[] = [];
  for (const e of entries) {
    if (e.kind === 'source') sources.set(e.file, e);
    else templates.push(e);
  }
  const handlers: DiscoveredHandler[] = [];
  const declared = new Set<string>();
  for (const t of templates.sort((a, b) => a.file.localeCompare(b.file))) {
    for (const fn of t.functions) {
      const source = fn.candidates.find((c) => sources.has(c));
      const fnName = exportName(fn.handler);
      if (source) declared.add(`${source}#${fnName}`);
      handlers.push({
        id: `${fn.origin}:${rel(t.file)}:${fn.name}`, name: fn.name, origin: fn.origin, group: rel(t.file), spec: fn.spec, resource: fn.resource,
        runtime: fn.runtime, codeDir: fn.codeDir, handler: fn.handler, file: source, line: source ? sources.get(source)!.definitions.find((d) => d.name === fnName)?.line : undefined,
        ...(fn.origin === 'sam' ? { templateFile: t.file, templateLine: fn.templateLine, events: fn.events } : {}),
      });
    }
  }
  for (const s of [...sources.values()].sort((a, b) => a.file.localeCompare(b.file))) {
    if (s.declaredOnly) continue;
    for (const def of s.definitions) {
      if (declared.has(`${s.file}#${def.name}`)) continue;
      const modulePath = s.file.slice(0, -extname(s.file).length);
      handlers.push({
        id: `scan:${rel(s.file)}:${def.name}`, name: scannedHandlerName(root, s.file, def.name), origin: 'scan', group: rel(dirname(s.file)),
        spec: `${modulePath}.${def.name}`, runtime: s.file.endsWith('.py') ? runtimes.python ?? 'python3' : runtimes.nodejs ?? 'nodejs', codeDir: dirname(s.file),
        handler: `${basename(modulePath)}.${def.name}`, file: s.file, line: def.line,
      });
    }
  }
  return handlers;
}

/** Candidate files of declared functions that no entry covers: they may exist in an excluded folder. */
export function unresolvedCandidates(entries: Iterable<DiscoveryEntry>): string[][] {
  const all = [...entries];
  const sources = new Set(all.filter((e) => e.kind === 'source').map((e) => e.file));
  return all.flatMap((e) => (e.kind === 'template' ? e.functions : [])).map((fn) => fn.candidates).filter((c) => !c.some((f) => sources.has(f))).map((c) => [...c]);
}
