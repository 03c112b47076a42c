import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { parseJson } from '../json/parseJson';
import { readServerlessApi, type ServerlessFunction } from '../localApi/serverlessRoutes';
import { pathExists } from '../pathExists';
import { RESERVED_VARIABLES } from '../runtime/environmentVariables';
import { nodeHandlerParts } from '../runtime/handlerName';
import { resolveNode, resolvePython, runtimeIdFor } from '../runtime/interpreters';
import { runtimeFamily, type FunctionConfig, type LoggingConfig } from '../runtime/types';
import { readTextFile } from '../textFile';
import { readDotEnv } from './dotenv';
import { isServerlessFile } from './handlerDiscovery';
import { inlineCodeFolder } from './inlineCode';
import { samConfigParameters, type SamCommand } from './samConfig';
import { readSamTemplate, type ParsedTemplate, type TemplateFunction } from './samTemplate';
import { TargetError } from './targetError';

/** What the user pointed at, and the settings they gave on top. */
export interface TargetRequest {
  /** `path/to/file.handler`, `path/to/file.py`, a template file, or a folder (template inside, or a custom runtime). */
  readonly spec: string;
  /** The template resource (logical id or function name) when spec is a template with several functions. */
  readonly resource?: string;
  readonly cwd: string;
  readonly name?: string;
  readonly runtime?: string;
  readonly memorySize?: number;
  readonly timeout?: number;
  readonly region?: string;
  readonly envFile?: string;
  readonly nodePath?: string;
  readonly pythonPath?: string;
  /** Layer folders (`--layer`), after the template's own, relative to cwd. */
  readonly layers?: readonly string[];
  /** `--log-format` / `--log-level` / `--system-log-level` over the template's LoggingConfig. */
  readonly logging?: Partial<LoggingConfig>;
  /** Told what the local run cannot reproduce (a published layer by ARN). */
  readonly onWarning?: (message: string) => void;
  /** A template's parameters given on the command line (`--parameter-overrides`), over samconfig's. */
  readonly parameterOverrides?: Readonly<Record<string, string>>;
  /** Which samconfig section applies (default `local_invoke`). */
  readonly samCommand?: SamCommand;
  /** The template `spec` names, already read with its parameters and Region: a caller resolving each of its
   *  functions reads and parses it once, not once per function. */
  readonly template?: ParsedTemplate;
  /** The same for a serverless.yml `spec` names, read with its stage and Region. */
  readonly service?: { readonly functions: readonly ServerlessFunction[] };
}

export { TargetError };

const SOURCE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.py'];
/** The names a function's entry file usually has (the scaffolds', the console's, Node's and sam init's). */
const ENTRY_NAMES = ['index', 'app', 'handler', 'lambda_function', 'main'];
/** What a folder's definition may be called, in sam's order, then the Serverless Framework's. */
const TEMPLATE_NAMES = ['template.yaml', 'template.yml', 'template.json', 'serverless.yml', 'serverless.yaml'];
const PROJECT_MARKERS: Record<'nodejs' | 'python', string[]> = {
  nodejs: ['package.json', 'tsconfig.json'],
  python: ['requirements.txt', 'pyproject.toml', 'setup.py', 'Pipfile'],
};

/** What is at `path`, asynchronously: the editor resolves targets on the extension host's thread. */
async function pathKind(path: string): Promise<'file' | 'folder' | undefined> {
  const found = await stat(path).catch(() => undefined);
  return found?.isDirectory() ? 'folder' : found ? 'file' : undefined;
}

export async function isTemplateFile(path: string): Promise<boolean> {
  return /\.(ya?ml|json)$/i.test(path) && await pathKind(path) === 'file';
}

/** Resolves what the user named into a complete function configuration. */
export async function resolveTarget(req: TargetRequest): Promise<FunctionConfig> {
  const full = resolve(req.cwd, req.spec);
  let config: FunctionConfig;
  if (await pathKind(full) === 'folder') {
    const template = await workingTemplate(full);
    if (template) config = await fromDefinition(template, req);
    else if (await pathExists(join(full, 'bootstrap'))) config = customRuntime(full, req);
    else {
      // A function's folder (as `lambda-workbench new` makes one): its one entry file, by the usual names.
      const names = ENTRY_NAMES.flatMap((name) => SOURCE_EXTENSIONS.map((ext) => name + ext));
      const present = await Promise.all(names.map((f) => pathExists(join(full, f))));
      const entries = names.filter((_, i) => present[i]);
      if (entries.length !== 1) {
        const example = entries.length ? entries.map((f) => `'${join(req.spec, f)}'`).join(' or ') : `'${join(req.spec, 'app.handler')}'`;
        throw new TargetError(`${req.spec} is a folder without a template.yaml or a bootstrap${entries.length ? ` and with ${entries.length} entry files` : ''}. Name a handler instead, e.g. ${example}.`);
      }
      config = await fromHandlerPath({ ...req, spec: join(req.spec, entries[0]) });
    }
  } else if (isServerlessFile(full) && await pathKind(full) === 'file') {
    config = await fromServerless(full, req);
  } else if (await isTemplateFile(full)) {
    config = await fromTemplate(full, req);
  } else {
    // `invoke HelloWorldFunction`, as `sam local invoke` takes it: a function of the folder's template.
    // `invoke Stack/Function` too, as sam names a function of a nested stack.
    const working = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)?$/.test(req.spec) && !(await pathExists(full)) ? await workingTemplate(req.cwd) : undefined;
    config = working ? await fromDefinition(working, { ...req, resource: req.spec }) : await fromHandlerPath(req);
  }
  checkFunctionName(config.name);
  if (config.region !== undefined && !AWS_REGION.test(config.region)) {
    throw new TargetError(`'${config.region}' is not an AWS Region name (such as us-east-1): use letters, digits and hyphens.`);
  }
  const resolved = withOverrides(await withEnvironmentFiles(config, req), req);
  // Lambda refuses a configuration that sets one of these; locally they are left out, which is said, not silent.
  const reserved = Object.keys(resolved.environment ?? {}).filter((k) => RESERVED_VARIABLES.has(k));
  if (reserved.length) req.onWarning?.(`${reserved.join(', ')} ${reserved.length > 1 ? 'are' : 'is'} reserved by Lambda and not set for ${resolved.name} (Lambda sets ${reserved.length > 1 ? 'them' : 'it'} itself, and refuses a function that declares ${reserved.length > 1 ? 'them' : 'it'}).`);
  return resolved;
}

/** The template of a folder, if it has one. */
async function workingTemplate(cwd: string): Promise<string | undefined> {
  const files = TEMPLATE_NAMES.map((n) => join(cwd, n));
  const present = await Promise.all(files.map(pathExists));
  return files.find((_, i) => present[i]);
}

/** Lambda's rule for a function's name. A name outside it would fail at deploy time, and locally it cannot go into
 *  the function ARN the Runtime API sends as a header (a '€' is no header character). */
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** A Region is a DNS label in every endpoint (us-east-1, eusc-de-east-1; a local stand-in such as 'local' too). */
const AWS_REGION = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function checkFunctionName(name: string, where = ''): void {
  if (FUNCTION_NAME.test(name)) return;
  throw new TargetError(`'${name}'${where} is not a function name Lambda accepts: use 1 to 64 letters (A-Z, a-z), digits, hyphens (-) or underscores (_).`);
}

/** The CLI's --layer and logging options over what the template says. */
function withOverrides(config: FunctionConfig, req: TargetRequest): FunctionConfig {
  const layers = [...(config.layers ?? []), ...(req.layers ?? []).map((l) => resolve(req.cwd, l))];
  const given = Object.fromEntries(Object.entries(req.logging ?? {}).filter(([, v]) => v !== undefined));
  const merged = { ...config.logging, ...given };
  const logging = Object.keys(merged).length ? { format: 'Text', ...merged } as LoggingConfig : undefined;
  return { ...config, layers, logging };
}

async function fromHandlerPath(req: TargetRequest): Promise<FunctionConfig> {
  const full = resolve(req.cwd, req.spec);
  let file: string | undefined;
  let modulePath: string;
  let functionName: string | undefined;
  let taskRoot: string | undefined;
  if (SOURCE_EXTENSIONS.includes(extname(full)) && await pathExists(full)) {
    // `app.py` or `src/index.ts`: the conventional function name of the language.
    file = full;
    modulePath = full.slice(0, -extname(full).length);
  } else {
    const dot = req.spec.lastIndexOf('.');
    if (dot <= 0 || req.spec.slice(dot).includes('/') || req.spec.slice(dot).includes(sep)) {
      throw new TargetError(`'${req.spec}' is not a handler. Use <file>.<function>, e.g. 'src/app.handler' for src/app.js exporting handler, or a template.yaml.`);
    }
    const found = await handlerFile(req.spec, req.cwd);
    if (!found) {
      const modulePlain = relative(req.cwd, resolve(req.cwd, req.spec.slice(0, dot)));
      throw new TargetError(`No handler file for '${req.spec}': looked for ${SOURCE_EXTENSIONS.map((e) => modulePlain + e).join(', ')}.`);
    }
    ({ file, modulePath, functionName, taskRoot } = found);
  }
  const family = req.runtime ? runtimeFamily(req.runtime) : extname(file) === '.py' ? 'python' : 'nodejs';
  if (family === 'provided') throw new TargetError(`A ${req.runtime} function runs a 'bootstrap' executable: name its folder instead of a handler file.`);
  // `--runtime python3.12` for index.js would fail later as "No module named 'index'".
  const fileFamily = extname(file) === '.py' ? 'python' : extname(file) ? 'nodejs' : undefined;
  if (fileFamily && fileFamily !== family) {
    throw new TargetError(`${relative(req.cwd, file)} is a ${fileFamily === 'python' ? 'Python' : 'Node.js'} file, and ${req.runtime} runs ${family === 'python' ? 'Python' : 'Node.js'}: leave --runtime out, or give a ${fileFamily === 'python' ? 'python3.x' : 'nodejs<version>.x'} one.`);
  }
  functionName ??= family === 'python' ? 'lambda_handler' : 'handler';
  const codeDir = taskRoot ?? await projectRoot(dirname(file), req.cwd, family);
  const handler = `${relative(codeDir, modulePath).split(sep).join('/')}.${functionName}`;
  const runtime = req.runtime ?? runtimeIdFor(family, family === 'python' ? await resolvePython(req.pythonPath) : await resolveNode(req.nodePath));
  return {
    name: req.name ?? defaultName(codeDir, modulePath),
    runtime, handler, codeDir, runtimeInferred: req.runtime ? undefined : true,
    memorySize: req.memorySize, timeout: req.timeout, region: req.region, environment: {},
  };
}

const NODE_EXTENSIONS = SOURCE_EXTENSIONS.filter((ext) => ext !== '.py');

/** The file a `<module>.<function>` handler names, read each way Lambda reads one: the module up to the last dot
 *  (`src/app.handler`); Node's module up to the first dot of the last segment, the rest a property path
 *  (`src/app.routes.get`), an extensionless file too; Python's dotted module (`pkg.sub.mod.handler`,
 *  `pkg/sub.mod.handler` → pkg/sub/mod.py), imported from the working folder as from a task root. */
async function handlerFile(spec: string, cwd: string): Promise<{ file: string; modulePath: string; functionName: string; taskRoot?: string } | undefined> {
  const dot = spec.lastIndexOf('.');
  const plain = resolve(cwd, spec.slice(0, dot));
  const { modulePath: nodeModule, functionPath } = nodeHandlerParts(spec);
  const root = resolve(cwd);
  const dotted = join(root, ...spec.slice(0, dot).split(/[./\\]/));
  const ways = [
    ...SOURCE_EXTENSIONS.map((ext) => ({ file: plain + ext, modulePath: plain, functionName: spec.slice(dot + 1) })),
    ...(nodeModule === spec.slice(0, dot) ? [''] : [...NODE_EXTENSIONS, '']).map((ext) => ({ file: resolve(cwd, nodeModule) + ext, modulePath: resolve(cwd, nodeModule), functionName: functionPath })),
    ...(dotted === plain ? [] : [{ file: `${dotted}.py`, modulePath: dotted, functionName: spec.slice(dot + 1), taskRoot: root }]),
  ];
  const present = await Promise.all(ways.map((way) => pathKind(way.file)));
  return ways.find((_, i) => present[i] === 'file');
}

/** The task root: the nearest folder from the handler's up to the working directory that holds the project's
 *  manifest (package.json, requirements.txt…), else the handler's own folder — for Python one inside a package
 *  (an __init__.py beside it) the folder above the package, so the handler is imported as `pkg.app` and its
 *  relative imports work, as when Lambda imports `pkg/app.handler` from the task root. */
async function projectRoot(fileDir: string, cwd: string, family: 'nodejs' | 'python'): Promise<string> {
  const stop = resolve(cwd);
  for (let dir = fileDir; ; dir = dirname(dir)) {
    // Asynchronous: the editor resolves handlers on the extension host's thread.
    if ((await Promise.all(PROJECT_MARKERS[family].map((m) => pathExists(join(dir, m))))).some(Boolean)) return dir;
    if (dir === stop || dirname(dir) === dir || !dir.startsWith(stop)) return family === 'python' ? abovePackage(fileDir, stop) : fileDir;
  }
}

async function abovePackage(fileDir: string, stop: string): Promise<string> {
  let dir = fileDir;
  while (dir !== stop && dir.startsWith(stop) && await pathExists(join(dir, '__init__.py'))) dir = dirname(dir);
  return dir;
}

function defaultName(codeDir: string, modulePath: string): string {
  const base = basename(codeDir) || basename(modulePath);
  return base.replace(/[^A-Za-z0-9-_]/g, '-').slice(0, 64) || 'function';
}

function customRuntime(dir: string, req: TargetRequest): FunctionConfig {
  const runtime = req.runtime ?? 'provided.al2023';
  if (runtimeFamily(runtime) !== 'provided') throw new TargetError(`${req.spec} holds a bootstrap: use --runtime provided.al2023 or provided.al2.`);
  return {
    name: req.name ?? defaultName(dir, dir), runtime, handler: req.resource ?? 'function.handler', codeDir: dir,
    memorySize: req.memorySize, timeout: req.timeout, region: req.region, environment: {},
  };
}

const fromDefinition = (file: string, req: TargetRequest): Promise<FunctionConfig> => (isServerlessFile(file) ? fromServerless(file, req) : fromTemplate(file, req));

/** A function of a serverless.yml (`invoke serverless.yml hello`): its handler, settings and variables as the
 *  framework deploys them (see serverlessRoutes.ts). */
async function fromServerless(file: string, req: TargetRequest): Promise<FunctionConfig> {
  const service = req.service ?? readServerlessApi(await readFile(file, 'utf8'), file, process.env, undefined, req.region);
  const ids = service.functions.map((f) => f.id);
  if (ids.length === 0) throw new TargetError(`${relative(req.cwd, file)} declares no functions with a handler.`);
  const fn = req.resource ? service.functions.find((f) => f.id === req.resource || f.name === req.resource) : ids.length === 1 ? service.functions[0] : undefined;
  if (!fn) {
    throw new TargetError(req.resource
      ? `${relative(req.cwd, file)} has no function '${req.resource}'. Functions: ${ids.join(', ')}.`
      : `${relative(req.cwd, file)} declares ${ids.length} functions; name one: ${ids.join(', ')}.`);
  }
  // Handlers are relative to the service's folder, which the framework deploys as the function's code.
  const config = await fromHandlerPath({
    ...req, cwd: dirname(file), spec: fn.spec, name: req.name ?? fn.name, runtime: req.runtime ?? fn.runtime,
    timeout: req.timeout ?? fn.timeout, memorySize: req.memorySize ?? fn.memorySize, region: req.region ?? fn.region,
  });
  return { ...config, environment: { ...fn.environment, ...config.environment } };
}

async function fromTemplate(file: string, req: TargetRequest): Promise<FunctionConfig> {
  const parsed = req.template ?? await readSamTemplate(file, { region: req.region, parameters: { ...await samConfigParameters(file, req.samCommand ?? 'local_invoke'), ...req.parameterOverrides } });
  const names = parsed.functions.map((f) => f.logicalId);
  const nested = parsed.nestedStacks ?? [];
  const slash = req.resource?.indexOf('/') ?? -1;
  if (req.resource && slash > 0) {
    const stack = nested.find((s) => s.logicalId === req.resource!.slice(0, slash));
    if (!stack) throw new TargetError(`${relative(req.cwd, file)} has no nested stack '${req.resource.slice(0, slash)}'${nested.length ? `. Nested stacks: ${nested.map((s) => s.logicalId).join(', ')}` : ''}.`);
    if (!stack.location) throw new TargetError(`${stack.logicalId}'s template is not a local file, so its functions cannot run here.`);
    return fromTemplate(stack.location, { ...req, resource: req.resource.slice(slash + 1), template: undefined });
  }
  // Functions of nested stacks are theirs, named Stack/Function.
  const nestedHint = nested.length ? ` Nested stacks (${nested.map((s) => s.logicalId).join(', ')}) hold their own: name one as <Stack>/<Function>.` : '';
  if (parsed.functions.length === 0) throw new TargetError(`${relative(req.cwd, file)} declares no AWS::Serverless::Function or AWS::Lambda::Function.${nestedHint}`);
  let fn: TemplateFunction | undefined;
  if (req.resource) {
    fn = parsed.functions.find((f) => f.logicalId === req.resource || f.name === req.resource);
    if (!fn) throw new TargetError(`${relative(req.cwd, file)} has no function '${req.resource}'. Functions: ${names.join(', ')}.${nestedHint}`);
  } else if (parsed.functions.length === 1) {
    fn = parsed.functions[0];
  } else {
    throw new TargetError(`${relative(req.cwd, file)} declares ${names.length} functions; name one: ${names.join(', ')}.`);
  }
  for (const layer of fn.unavailableLayers) {
    req.onWarning?.(`${fn.logicalId} uses the layer ${layer}, which this template does not build: it is not available locally. Download its content and pass --layer <folder> (or declare it as an AWS::Serverless::LayerVersion).`);
  }
  if (fn.remoteCode) {
    throw new TargetError(`${fn.logicalId}'s code is in S3 (${fn.remoteCode}), not on this machine. Point its ${fn.type === 'AWS::Lambda::Function' ? 'Code' : 'CodeUri'} at the code's folder to run it here (or download and unzip it and run that folder).`);
  }
  if (fn.image) throw new TargetError(`${fn.logicalId} is a container image function (PackageType: Image), which runs only in a container: this tool runs zip functions (a Runtime and a Handler) without one.`);
  const family = req.runtime ? runtimeFamily(req.runtime) : fn.runtime ? runtimeFamily(fn.runtime) : undefined;
  if (!family) throw new TargetError(`${fn.logicalId} has no Runtime; pass --runtime.`);
  if (!fn.handler && family !== 'provided') throw new TargetError(`${fn.logicalId} has no Handler in ${relative(req.cwd, file)}.`);
  if (!req.name) checkFunctionName(fn.name, fn.name === fn.logicalId ? '' : ` (the FunctionName of ${fn.logicalId} in ${relative(req.cwd, file)})`);
  return {
    name: req.name ?? fn.name,
    runtime: req.runtime ?? fn.runtime!,
    handler: fn.handler ?? 'function.handler',
    codeDir: fn.inlineCode === undefined ? fn.codeDir : await inlineCodeFolder(fn.inlineCode, req.runtime ?? fn.runtime!),
    memorySize: req.memorySize ?? fn.memorySize,
    timeout: req.timeout ?? fn.timeout,
    architecture: fn.architecture,
    region: req.region,
    environment: fn.environment,
    logging: fn.logging,
    layers: fn.layers,
    ...(fn.entryPoints ? { entryPoints: fn.entryPoints } : {}),
  };
}

/** Adds variables from `.env` in the code folder (if any) and then `--env-file` over the template's. */
async function withEnvironmentFiles(config: FunctionConfig, req: TargetRequest): Promise<FunctionConfig> {
  const localEnvironment: Record<string, string> = {};
  const local = join(config.codeDir, '.env');
  if (await pathExists(local)) Object.assign(localEnvironment, await readDotEnv(local));
  if (req.envFile) {
    const file = resolve(req.cwd, req.envFile);
    if (!(await pathExists(file))) throw new TargetError(`--env-file ${req.envFile}: no such file.`);
    Object.assign(localEnvironment, file.endsWith('.json') ? await envJson(file) : await readDotEnv(file));
  }
  const declaredEnvironment = { ...config.environment };
  return { ...config, environment: { ...declaredEnvironment, ...localEnvironment }, declaredEnvironment, localEnvironment };
}

/** SAM's `--env-vars` JSON shape (`{ "Function": { "KEY": "v" } }` or `{ "Parameters": {…} }`) or a flat object. */
async function envJson(file: string): Promise<Record<string, string>> {
  const data = parseJson(await readTextFile(file), file) as Record<string, unknown>;
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    if (v && typeof v === 'object') for (const [k2, v2] of Object.entries(v)) flat[k2] = String(v2);
    else flat[k] = String(v);
  }
  return flat;
}
