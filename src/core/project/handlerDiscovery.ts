import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import { readSamTemplate } from './samTemplate';

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
  /** Folder names never entered. */
  readonly excludeFolders?: readonly string[];
  /** Upper bound on files read, so a huge workspace cannot stall the editor. */
  readonly maxFiles?: number;
}

export const DEFAULT_EXCLUDES = ['node_modules', '.git', '.aws-sam', '.serverless', 'dist', 'out', 'build', 'cdk.out', '.venv', 'venv',
  '__pycache__', '.vscode-test', '.tox', '.mypy_cache', '.pytest_cache', 'coverage', '.next', 'target'];
const SOURCE = /\.(py|js|mjs|cjs|ts|mts|cts)$/;
const MAX_FILE_BYTES = 512 * 1024;

/** Handler definitions in one source text: `def lambda_handler(event, context)` in Python, exported handlers in JS/TS. */
export function findHandlerDefinitions(text: string, fileName: string, pythonNames: readonly string[] = ['lambda_handler', 'handler']): { name: string; line: number }[] {
  const found: { name: string; line: number }[] = [];
  const lines = text.split('\n');
  const python = fileName.endsWith('.py');
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

function walk(root: string, excludes: ReadonlySet<string>, budget: { files: number }, out: string[]): void {
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return;
  }
  for (const name of entries.sort()) {
    if (budget.files <= 0) return;
    const path = join(root, name);
    let stat;
    try { stat = statSync(path); } catch { continue; }
    if (stat.isDirectory()) {
      if (!excludes.has(name) && !name.startsWith('.')) walk(path, excludes, budget, out);
    } else if (SOURCE.test(name) && !name.endsWith('.d.ts') && !/\.(test|spec)\.[cm]?[jt]s$/.test(name) && stat.size <= MAX_FILE_BYTES) {
      budget.files--;
      out.push(path);
    } else if (/^(template\.ya?ml|template\.json|serverless\.ya?ml)$/.test(name)) {
      out.push(path);
    }
  }
}

function lineOf(file: string | undefined, fn: string): number | undefined {
  if (!file || !existsSync(file)) return undefined;
  return findHandlerDefinitions(readFileSync(file, 'utf8'), file).find((d) => d.name === fn)?.line;
}

function handlerFile(codeDir: string, handler: string): string | undefined {
  const modulePath = handler.slice(0, handler.lastIndexOf('.'));
  return ['.py', '.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'].map((e) => resolve(codeDir, modulePath + e)).find((f) => existsSync(f));
}

/** Finds the handlers of a workspace folder: SAM / CloudFormation templates, serverless.yml functions, and a scan for
 *  handler definitions not already declared by a template. A template that does not parse is skipped and reported. */
export function discoverHandlers(root: string, options: DiscoveryOptions = {}): { handlers: DiscoveredHandler[]; problems: string[] } {
  const files: string[] = [];
  walk(root, new Set(options.excludeFolders ?? DEFAULT_EXCLUDES), { files: options.maxFiles ?? 5000 }, files);
  const handlers: DiscoveredHandler[] = [];
  const problems: string[] = [];
  const declared = new Set<string>();
  const rel = (p: string): string => relative(root, p).split(sep).join('/') || '.';

  for (const file of files.filter((f) => /template\.(ya?ml|json)$/.test(f))) {
    try {
      for (const fn of readSamTemplate(file).functions) {
        if (!fn.handler) continue;
        const source = handlerFile(fn.codeDir, fn.handler);
        if (source) declared.add(`${source}#${fn.handler.slice(fn.handler.lastIndexOf('.') + 1)}`);
        handlers.push({
          id: `sam:${rel(file)}:${fn.logicalId}`, name: fn.logicalId, origin: 'sam', group: rel(file), spec: file, resource: fn.logicalId,
          runtime: fn.runtime, codeDir: fn.codeDir, handler: fn.handler, file: source, line: lineOf(source, fn.handler.slice(fn.handler.lastIndexOf('.') + 1)),
          templateFile: file, templateLine: fn.line === undefined ? undefined : fn.line - 1, events: fn.events,
        });
      }
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }

  for (const file of files.filter((f) => /serverless\.ya?ml$/.test(f))) {
    try {
      const doc = parse(readFileSync(file, 'utf8'), { logLevel: 'silent' }) as { provider?: { runtime?: string }; functions?: Record<string, { handler?: string; runtime?: string }> } | null;
      const base = dirname(file);
      for (const [name, fn] of Object.entries(doc?.functions ?? {})) {
        if (!fn?.handler) continue;
        const source = handlerFile(base, fn.handler);
        if (source) declared.add(`${source}#${fn.handler.slice(fn.handler.lastIndexOf('.') + 1)}`);
        handlers.push({
          id: `serverless:${rel(file)}:${name}`, name, origin: 'serverless', group: rel(file), spec: join(base, fn.handler), runtime: fn.runtime ?? doc?.provider?.runtime,
          codeDir: base, handler: fn.handler, file: source, line: lineOf(source, fn.handler.slice(fn.handler.lastIndexOf('.') + 1)),
        });
      }
    } catch (error) {
      problems.push(`${rel(file)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  for (const file of files.filter((f) => SOURCE.test(f))) {
    let text: string;
    try { text = readFileSync(file, 'utf8'); } catch { continue; }
    for (const def of findHandlerDefinitions(text, file, options.pythonHandlerNames)) {
      if (declared.has(`${file}#${def.name}`)) continue;
      const modulePath = file.slice(0, -extname(file).length);
      const python = file.endsWith('.py');
      handlers.push({
        id: `scan:${rel(file)}:${def.name}`, name: `${basename(modulePath)}.${def.name}`, origin: 'scan', group: rel(dirname(file)),
        spec: `${modulePath}.${def.name}`, runtime: python ? 'python3' : 'nodejs', codeDir: dirname(file),
        handler: `${basename(modulePath)}.${def.name}`, file, line: def.line,
      });
    }
  }
  return { handlers, problems };
}
