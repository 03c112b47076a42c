import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { EventCatalog } from '../events/catalog';
import { generateEvent } from '../events/generate';
import { SAVED_EVENTS_FOLDER } from '../events/savedEvents';
import { parseJson } from '../json/parseJson';
import { pathExists } from '../pathExists';
import { readApiModel } from '../localApi/apiRoutes';
import { assetPath } from '../packageInfo';
import { mergeLaunchConfig, type LambdaLaunchConfig, type MergeOutcome } from './launchConfig';
import { parseCloudFormation } from '../project/cloudFormationYaml';
import { addSamResource, logicalIdFor, samTemplateFile, type SamOutcome } from './samResource';

export type Language = 'python' | 'javascript' | 'typescript';
export const LANGUAGES: readonly { id: Language; label: string }[] = [
  { id: 'python', label: 'Python 3' },
  { id: 'javascript', label: 'Node.js (JavaScript)' },
  { id: 'typescript', label: 'Node.js (TypeScript)' },
];

export interface TemplateManifest {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly event: { readonly source: string; readonly type: string; readonly params?: Record<string, string | number | boolean> };
  readonly callsAws: boolean;
  readonly environment?: Record<string, string>;
  readonly timeout?: number;
  readonly memorySize?: number;
  readonly sam?: { readonly Events?: Record<string, unknown>; readonly Policies?: unknown[]; readonly Environment?: unknown };
  /** Resources the trigger needs (a bucket, a queue, a table…), added beside the function so the template deploys.
   *  `{{Prefix}}` / `{{prefix}}` in them and in `sam` become the function's logical-id base / lower-case name. */
  readonly samResources?: Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>;
  /** Packages `sam build`'s esbuild must leave out of the TypeScript bundle (native modules such as sharp). */
  readonly esbuildExternal?: readonly string[];
  readonly languages: Readonly<Record<Language, { readonly handler: string; readonly runtime: string }>>;
}

export class ScaffoldError extends Error {
  override readonly name = 'ScaffoldError';
}

/** Files that would be replaced; the caller asks the user before retrying with `overwrite`. */
export class ScaffoldConflictError extends ScaffoldError {
  constructor(readonly files: string[]) {
    super(`${files.length} file(s) already exist: ${files.slice(0, 5).join(', ')}${files.length > 5 ? ', …' : ''}`);
  }
}

const TEMPLATE_ROOT = (): string => assetPath('templates');

export function listTemplates(): TemplateManifest[] {
  const root = TEMPLATE_ROOT();
  return readdirSync(root).filter((id) => existsSync(join(root, id, 'template.json'))).sort().map((id) => {
    const file = join(root, id, 'template.json');
    return { ...(parseJson(readFileSync(file, 'utf8'), file) as Omit<TemplateManifest, 'id'>), id };
  });
}

export function findTemplate(id: string): TemplateManifest {
  const found = listTemplates().find((t) => t.id === id);
  if (!found) throw new ScaffoldError(`Unknown template '${id}'. Templates: ${listTemplates().map((t) => t.id).join(', ')}.`);
  return found;
}

/** Lambda's function-name rule, which also makes a safe folder name. Returns the problem, or undefined. */
export function validateFunctionName(name: string, parentDir?: string): string | undefined {
  if (!name) return 'Give the function a name, e.g. resize-images.';
  if (/[/\\]/.test(name)) return `A function name cannot contain '/' or '\\': it names one folder (got '${name}').`;
  if (/\s/.test(name)) return `A function name cannot contain spaces; use '-' or '_' (e.g. '${name.trim().replace(/\s+/g, '-')}').`;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) return `Use up to 64 letters, digits, '-' or '_' (got '${name}').`;
  if (parentDir && existsSync(join(parentDir, name)) && readdirSync(join(parentDir, name)).length > 0) {
    return `A folder named '${name}' already exists in ${parentDir}. Choose another name or folder.`;
  }
  return undefined;
}

export interface ScaffoldRequest {
  readonly templateId: string;
  readonly language: Language;
  readonly name: string;
  /** Where the function's folder is created. */
  readonly parentDir: string;
  /** The workspace folder: launch.json and template.yaml live here. */
  readonly workspaceRoot: string;
  readonly launchConfig?: boolean;
  readonly samResource?: boolean;
  /** Replace existing files (only after the user agreed). */
  readonly overwrite?: boolean;
}

export interface ScaffoldResult {
  readonly functionDir: string;
  readonly handlerFile: string;
  /** `module.function`, relative to functionDir. */
  readonly handler: string;
  readonly runtime: string;
  readonly eventFile: string;
  readonly files: string[];
  readonly launch?: MergeOutcome;
  readonly launchConfig: LambdaLaunchConfig;
  readonly sam?: SamOutcome;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map(async (entry) =>
    (entry.isDirectory() ? (await filesUnder(join(dir, entry.name))).map((f) => join(entry.name, f)) : [entry.name])));
  return nested.flat();
}

const posix = (p: string): string => p.split(sep).join('/');

/** Writes a new handler from a template: its files, a matching saved event, and optionally a launch configuration
 *  and a SAM resource. Nothing existing is replaced unless `overwrite`. */
type SamSection = NonNullable<TemplateManifest['sam']>;
interface RouteRename { readonly from: string; readonly to: string }

/** When the template's implicit API already has one of these literal routes (same method and path), the path this
 *  function takes instead: `/<name>`. Greedy routes keep theirs (an api-router serves paths below its own root). */
function freeRoutePath(templateFile: string, templateText: string | undefined, events: SamSection['Events'], name: string): RouteRename | undefined {
  if (!events || templateText === undefined) return undefined;
  let taken: Set<string>;
  try {
    taken = new Set(readApiModel(templateText, templateFile).routes.map((r) => `${r.api} ${r.method} ${r.path}`));
  } catch {
    return undefined; // a template that does not parse: addSamResource says so
  }
  for (const event of Object.values(events) as { Type?: string; Properties?: { Path?: string; Method?: string; RestApiId?: unknown; ApiId?: unknown } }[]) {
    const p = event.Properties;
    if (!p?.Path || p.Path.includes('{') || p.RestApiId || p.ApiId) continue;
    const api = event.Type === 'Api' ? 'ServerlessRestApi' : event.Type === 'HttpApi' ? 'ServerlessHttpApi' : undefined;
    if (api && taken.has(`${api} ${String(p.Method ?? 'ANY').toUpperCase()} ${p.Path}`)) return { from: p.Path, to: `/${name}` };
  }
  return undefined;
}

/** Why the function cannot take `logicalId` in the template: another resource has it (`orders2` and `Orders2` both
 *  make Orders2Function). The same function scaffolded again (its FunctionName or CodeUri) is not a conflict. */
function logicalIdConflict(templateFile: string, templateText: string | undefined, logicalId: string, name: string, codeUri: string): string | undefined {
  if (templateText === undefined) return undefined;
  let resources: unknown;
  try {
    resources = parseCloudFormation(templateText, templateFile).Resources;
  } catch {
    return undefined; // a template that does not parse: addSamResource says so
  }
  const existing = resources && typeof resources === 'object' ? (resources as Record<string, { Type?: unknown; Properties?: { FunctionName?: unknown; CodeUri?: unknown } } | undefined>)[logicalId] : undefined;
  if (!existing) return undefined;
  const props = existing.Properties ?? {};
  const folder = (uri: unknown): string | undefined => (typeof uri === 'string' ? uri.replace(/^\.\//, '').replace(/\/+$/, '') : undefined);
  if (props.FunctionName === name || (props.FunctionName === undefined && folder(props.CodeUri) === folder(codeUri))) return undefined;
  const owner = typeof props.FunctionName === 'string' ? `function ('${props.FunctionName}')` : typeof props.CodeUri === 'string' ? `function (in ${props.CodeUri})` : `resource (${String(existing.Type)})`;
  return `${basename(templateFile)} already has ${logicalId}, the logical id of '${name}', for a different ${owner}: '${name}' was not created or added. Choose a name that differs by more than letter case or punctuation`;
}

function withRoutePath(sam: SamSection, rename: RouteRename): SamSection {
  return JSON.parse(JSON.stringify(sam).replaceAll(`"Path":${JSON.stringify(rename.from)}`, `"Path":${JSON.stringify(rename.to)}`)) as SamSection;
}

/** Asynchronous throughout: the editor scaffolds on the extension host's thread. */
export async function scaffold(req: ScaffoldRequest, catalog = new EventCatalog()): Promise<ScaffoldResult> {
  const template = findTemplate(req.templateId);
  const lang = template.languages[req.language];
  if (!lang) throw new ScaffoldError(`Template '${template.id}' has no ${req.language} version.`);
  const nameProblem = validateFunctionName(req.name);
  if (nameProblem) throw new ScaffoldError(nameProblem);
  const functionDir = resolve(req.parentDir, req.name);
  const sourceDir = join(TEMPLATE_ROOT(), template.id, req.language);
  const relFiles = await filesUnder(sourceDir);
  const eventName = `${template.event.source}-${template.event.type}`;
  const eventFile = join(functionDir, SAVED_EVENTS_FOLDER, `${eventName}.json`);
  const targets = [...relFiles.map((f) => join(functionDir, f)), eventFile];
  const templateFile = await samTemplateFile(req.workspaceRoot);
  // Read once for both checks below (the insertion itself reads it again, to add to what is there then).
  const templateText = req.samResource ? await readFile(templateFile, 'utf8').catch(() => undefined) : undefined;
  const relDir = posix(relative(req.workspaceRoot, functionDir)) || '.';
  const logicalId = logicalIdFor(req.name);
  // Checked before anything is written: a second id (Orders2Function2) would also need its own bucket, queue or
  // table ids and bucket name, which derive from the same base, so this asks for another name instead.
  const idConflict = req.samResource ? logicalIdConflict(templateFile, templateText, logicalId, req.name, `${relDir}/`) : undefined;
  if (idConflict) throw new ScaffoldError(idConflict);
  const present = await Promise.all(targets.map(pathExists));
  const conflicts = targets.filter((_, i) => present[i]);
  if (conflicts.length > 0 && !req.overwrite) throw new ScaffoldConflictError(conflicts);

  await mkdir(functionDir, { recursive: true });
  for (const rel of relFiles) {
    const target = join(functionDir, rel);
    await mkdir(dirname(target), { recursive: true });
    const source = join(sourceDir, rel);
    if (/\.(png|jpe?g|gif|ico)$/i.test(rel)) await copyFile(source, target);
    else await writeFile(target, (await readFile(source, 'utf8')).replace(/\{\{functionName\}\}/g, req.name));
  }
  // A route the template already has (a second `api-http` scaffold's GET /hello) would shadow one of the two:
  // this function's route takes its own name instead, and its saved event asks for that path.
  const routePath = req.samResource ? freeRoutePath(templateFile, templateText, template.sam?.Events, req.name) : undefined;
  const eventParams = routePath && template.event.params?.path ? { ...template.event.params, path: routePath.to } : template.event.params ?? {};
  await mkdir(dirname(eventFile), { recursive: true });
  await writeFile(eventFile, `${JSON.stringify(generateEvent(catalog, template.event.source, template.event.type, eventParams), null, 2)}\n`);

  const moduleFile = lang.handler.slice(0, lang.handler.lastIndexOf('.'));
  const handlerFile = join(functionDir, relFiles.find((f) => posix(f).replace(/\.[^.]+$/, '') === moduleFile) ?? moduleFile);
  const launchConfig: LambdaLaunchConfig = {
    type: 'lambda', request: 'launch', name: `Debug ${req.name}`,
    handler: `${relDir}/${lang.handler}`, runtime: lang.runtime, event: `${relDir}/${SAVED_EVENTS_FOLDER}/${eventName}.json`,
  };
  const launch = req.launchConfig === false ? undefined : await mergeLaunchConfig(req.workspaceRoot, launchConfig);
  let sam: SamOutcome | undefined;
  if (req.samResource) {
    const prefix = logicalId.replace(/Function$/, '');
    // One substitution over the JSON text: references between the function and its resources stay consistent.
    const fill = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? null).replace(/\{\{Prefix\}\}/g, prefix).replace(/\{\{prefix\}\}/g, req.name.toLowerCase())) as T;
    const samSection = fill(routePath ? withRoutePath(template.sam ?? {}, routePath) : template.sam ?? {});
    for (const [id, resource] of Object.entries(fill(template.samResources ?? {}))) {
      await addSamResource(templateFile, { logicalId: id, type: resource.Type, properties: resource.Properties ?? {} });
    }
    sam = await addSamResource(templateFile, {
      logicalId,
      properties: {
        // The name the user typed is the function's name (in the views, and once deployed), not only the logical id.
        FunctionName: req.name, CodeUri: `${relDir}/`, Handler: lang.handler, Runtime: lang.runtime, Architectures: ['x86_64'],
        ...(template.timeout ? { Timeout: template.timeout } : {}), ...(template.memorySize ? { MemorySize: template.memorySize } : {}),
        ...(samSection.Environment ? { Environment: samSection.Environment } : template.environment ? { Environment: { Variables: template.environment } } : {}),
        ...(samSection.Policies ? { Policies: samSection.Policies } : {}),
        ...(samSection.Events ? { Events: samSection.Events } : {}),
      },
      metadata: req.language === 'typescript'
        ? { BuildMethod: 'esbuild', BuildProperties: { EntryPoints: [`${moduleFile}.ts`], Target: 'es2022', Sourcemap: true, ...(template.esbuildExternal ? { External: [...template.esbuildExternal] } : {}) } }
        : undefined,
    });
  }
  return { functionDir, handlerFile, handler: lang.handler, runtime: lang.runtime, eventFile, files: targets, launch, launchConfig, sam };
}
