import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { APPLICATION_LOG_LEVELS, SYSTEM_LOG_LEVELS, type LoggingConfig } from '../runtime/types';
import { parseCloudFormation } from './cloudFormationYaml';
import { IntrinsicResolver, isIntrinsic, isObj, type Json, type Obj } from './intrinsics';

/** A function declared in a SAM / CloudFormation template, with what a local run needs. */
export interface TemplateFunction {
  readonly logicalId: string;
  /** FunctionName when the template sets one this run can resolve, else the logical id. */
  readonly name: string;
  readonly type: 'AWS::Serverless::Function' | 'AWS::Lambda::Function';
  readonly runtime?: string;
  readonly handler?: string;
  /** Absolute folder of the code (CodeUri / Code resolved against the template's folder). */
  readonly codeDir: string;
  readonly memorySize?: number;
  readonly timeout?: number;
  readonly architecture?: 'x86_64' | 'arm64';
  readonly environment: Record<string, string>;
  /** Event source types by name, e.g. `{ Api: 'Api', Upload: 'S3' }`. */
  readonly events: Record<string, string>;
  /** Line of the resource in the template (1-based), for "open in template". */
  readonly line?: number;
  /** `LoggingConfig` (LogFormat, ApplicationLogLevel, SystemLogLevel). */
  readonly logging?: LoggingConfig;
  /** Folders of the `Layers` that name a LayerVersion of this template (ContentUri / Content), in order. */
  readonly layers: string[];
  /** `Layers` this template cannot provide (ARNs of published layers, S3 content): not available locally. */
  readonly unavailableLayers: string[];
  /** `Metadata: BuildMethod: esbuild` with `BuildProperties.EntryPoints`: the sources SAM builds (see FunctionConfig). */
  readonly entryPoints?: string[];
  /** Code written in the template (SAM's `InlineCode`, CloudFormation's `Code.ZipFile`); codeDir is then the
   *  template's folder, and a run gets a folder of its own with the file (see inlineCode.ts). */
  readonly inlineCode?: string;
  /** Where the code is when it is not on this machine (`s3://bucket/key`: an S3 CodeUri or Code): it cannot run here. */
  readonly remoteCode?: string;
  /** PackageType: Image — a container image, which runs only in a container. */
  readonly image?: boolean;
}

export interface ParsedTemplate {
  readonly file: string;
  readonly functions: TemplateFunction[];
  /** Nested stacks (AWS::Serverless::Application, AWS::CloudFormation::Stack) and their template, when it is a
   *  local file: their functions are not this template's, but `Stack/Function` names one. */
  readonly nestedStacks?: readonly { readonly logicalId: string; readonly location?: string }[];
}

/** A resource's properties over its Globals, as SAM merges them: maps merge, lists are the Globals' entries then the
 *  resource's (a shared layer in Globals and one of its own: both), anything else is the resource's. */
export function mergeGlobals<T extends Record<string, unknown>>(globals: T, props: T): T {
  const out: Record<string, unknown> = { ...globals };
  for (const [k, v] of Object.entries(props)) {
    const inherited: unknown = globals[k];
    out[k] = isObj(v) && isObj(inherited) ? mergeGlobals(inherited, v) : Array.isArray(v) && Array.isArray(inherited) ? [...inherited as unknown[], ...v as unknown[]] : v;
  }
  return out as T;
}

function resourceLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const all = text.split('\n');
  const start = all.findIndex((l) => /^Resources\s*:/.test(l));
  if (start < 0) return lines;
  for (let i = start + 1; i < all.length; i++) {
    const m = /^ {2}([A-Za-z0-9]+)\s*:/.exec(all[i]);
    if (m) lines.set(m[1], i + 1);
    else if (/^\S/.test(all[i])) break;
  }
  return lines;
}

/** What a template is read with: the Region and account of its pseudo parameters, and parameter values over the
 *  template's defaults (samconfig's parameter_overrides, --parameter-overrides). */
export interface TemplateOptions {
  readonly region?: string;
  readonly accountId?: string;
  readonly parameters?: Readonly<Record<string, string>>;
}

function resolverFor(doc: Obj, options: TemplateOptions): IntrinsicResolver {
  const parameters: Record<string, string> = {};
  if (isObj(doc.Parameters)) {
    for (const [name, p] of Object.entries(doc.Parameters)) {
      if (isObj(p) && p.Default !== undefined) parameters[name] = String(p.Default);
    }
  }
  Object.assign(parameters, options.parameters);
  return new IntrinsicResolver(parameters, options.region ?? 'us-east-1', options.accountId ?? '123456789012',
    isObj(doc.Conditions) ? doc.Conditions : {}, isObj(doc.Mappings) ? doc.Mappings : {});
}

/** A template's values as a local run knows them (parameter defaults, pseudo parameters, Sub, Join…; see
 *  IntrinsicResolver), for a parsed template `doc`. */
export function templateValues(doc: unknown, options: TemplateOptions = {}): (value: unknown) => string {
  const resolver = resolverFor(isObj(doc) ? doc : {}, options);
  return (value) => resolver.value(value as Json);
}

export function parseSamTemplateText(text: string, file: string, options: TemplateOptions = {}): ParsedTemplate {
  const doc = parseCloudFormation(text, file) as Obj;
  const resolver = resolverFor(doc, options);
  const globals = isObj(doc.Globals) && isObj(doc.Globals.Function) ? doc.Globals.Function : {};
  const lines = resourceLines(text);
  const functions: TemplateFunction[] = [];
  const baseDir = dirname(resolve(file));
  for (const [logicalId, resource] of Object.entries(isObj(doc.Resources) ? doc.Resources : {})) {
    if (!isObj(resource)) continue;
    const type = resource.Type;
    if (type !== 'AWS::Serverless::Function' && type !== 'AWS::Lambda::Function') continue;
    const raw = isObj(resource.Properties) ? resource.Properties : {};
    const props = type === 'AWS::Serverless::Function' ? mergeGlobals(globals, raw) : raw;
    const declared = type === 'AWS::Serverless::Function' ? props.CodeUri : props.Code;
    // `CodeUri: !Sub '${Stage}/src'` is a path too, once resolved (an S3 location object is not).
    const code = isIntrinsic(declared) ? resolver.value(declared) : declared;
    const codePath = typeof code === 'string' ? code : '.';
    const inline = type === 'AWS::Serverless::Function' ? props.InlineCode : isObj(props.Code) ? props.Code.ZipFile : undefined;
    const remote = remoteCode(code, resolver);
    const env: Record<string, string> = {};
    const variables = isObj(props.Environment) && isObj(props.Environment.Variables) ? props.Environment.Variables : {};
    for (const [k, v] of Object.entries(variables)) if (!resolver.omitted(v)) env[k] = resolver.value(v);
    const events: Record<string, string> = {};
    if (isObj(props.Events)) for (const [name, e] of Object.entries(props.Events)) events[name] = isObj(e) ? String(e.Type ?? '') : '';
    // Lambda takes one architecture: with Globals' list and a function's own both given, the function's (the last).
    const arch = Array.isArray(props.Architectures) ? props.Architectures.at(-1) : undefined;
    // `FunctionName: !Sub 'orders-${Env}'` names the function as CloudFormation would; a name this run cannot
    // know (a GetAtt, an import) leaves the logical id.
    const resolvedName = props.FunctionName === undefined ? undefined : resolver.value(props.FunctionName);
    const literalName = resolvedName && !resolvedName.includes('${') ? resolvedName : undefined;
    const { layers, unavailable } = layerFolders(props.Layers, doc.Resources, resolver, baseDir);
    const num = (v: Json | undefined): number | undefined => (v === undefined || v === null ? undefined : Number(resolver.value(v)) || undefined);
    functions.push({
      logicalId,
      name: literalName ?? logicalId,
      type,
      runtime: props.Runtime === undefined ? undefined : resolver.value(props.Runtime),
      handler: props.Handler === undefined ? undefined : resolver.value(props.Handler),
      codeDir: resolve(baseDir, codePath),
      memorySize: num(props.MemorySize),
      timeout: num(props.Timeout),
      architecture: arch === 'arm64' ? 'arm64' : arch === 'x86_64' ? 'x86_64' : undefined,
      environment: env,
      events,
      line: lines.get(logicalId),
      logging: loggingConfig(props.LoggingConfig, resolver),
      layers,
      unavailableLayers: unavailable,
      ...esbuildEntryPoints(resource.Metadata, resolver),
      ...(inline === undefined || inline === null ? {} : { inlineCode: resolver.value(inline) }),
      ...(remote ? { remoteCode: remote } : {}),
      ...(props.PackageType === 'Image' ? { image: true } : {}),
    });
  }
  return { file: resolve(file), functions, nestedStacks: nestedStacks(doc.Resources, resolver, baseDir) };
}

function nestedStacks(resources: Json | undefined, resolver: IntrinsicResolver, baseDir: string): { logicalId: string; location?: string }[] {
  const stacks: { logicalId: string; location?: string }[] = [];
  for (const [logicalId, resource] of Object.entries(isObj(resources) ? resources : {})) {
    if (!isObj(resource) || (resource.Type !== 'AWS::Serverless::Application' && resource.Type !== 'AWS::CloudFormation::Stack')) continue;
    const props = isObj(resource.Properties) ? resource.Properties : {};
    const where = resource.Type === 'AWS::Serverless::Application' ? props.Location : props.TemplateURL;
    // A Location object is an application of the Serverless Application Repository; a URL is remote.
    const text = typeof where === 'string' || isIntrinsic(where) ? resolver.value(where!) : undefined;
    stacks.push({ logicalId, location: text && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? resolve(baseDir, text) : undefined });
  }
  return stacks;
}

/** `s3://bucket/key` for code in S3: a CodeUri string or `{ Bucket, Key }`, or Code's `{ S3Bucket, S3Key }`. */
function remoteCode(code: Json | undefined, resolver: IntrinsicResolver): string | undefined {
  if (typeof code === 'string') return /^s3:\/\//i.test(code) ? code : undefined;
  if (!isObj(code)) return undefined;
  const bucket = code.Bucket ?? code.S3Bucket;
  const key = code.Key ?? code.S3Key;
  return bucket === undefined ? undefined : `s3://${resolver.value(bucket)}/${key === undefined ? '' : resolver.value(key)}`;
}

function esbuildEntryPoints(metadata: Json | undefined, resolver: IntrinsicResolver): { entryPoints?: string[] } {
  if (!isObj(metadata) || metadata.BuildMethod !== 'esbuild' || !isObj(metadata.BuildProperties)) return {};
  const entries = metadata.BuildProperties.EntryPoints;
  return Array.isArray(entries) && entries.length ? { entryPoints: entries.map((e) => resolver.value(e)) } : {};
}

function loggingConfig(value: Json | undefined, resolver: IntrinsicResolver): LoggingConfig | undefined {
  if (!isObj(value)) return undefined;
  const text = (v: Json | undefined): string | undefined => (v === undefined ? undefined : resolver.value(v).toUpperCase());
  const format = text(value.LogFormat) === 'JSON' ? 'JSON' : 'Text';
  const app = text(value.ApplicationLogLevel);
  const system = text(value.SystemLogLevel);
  return {
    format,
    applicationLogLevel: APPLICATION_LOG_LEVELS.find((level) => level === app),
    systemLogLevel: SYSTEM_LOG_LEVELS.find((level) => level === system),
  };
}

/** `Layers:` entries that `!Ref` a LayerVersion of the same template become its local folder; the rest (ARNs, S3
 *  content) are reported as unavailable. */
function layerFolders(value: Json | undefined, resources: Json | undefined, resolver: IntrinsicResolver, baseDir: string): { layers: string[]; unavailable: string[] } {
  const layers: string[] = [];
  const unavailable: string[] = [];
  for (const entry of Array.isArray(value) ? value : []) {
    const ref = isObj(entry) && typeof entry.Ref === 'string' ? entry.Ref : undefined;
    const resource = ref && isObj(resources) ? resources[ref] : undefined;
    if (isObj(resource) && (resource.Type === 'AWS::Serverless::LayerVersion' || resource.Type === 'AWS::Lambda::LayerVersion')) {
      const props = isObj(resource.Properties) ? resource.Properties : {};
      const content = resource.Type === 'AWS::Serverless::LayerVersion' ? props.ContentUri : props.Content;
      if (typeof content === 'string') {
        layers.push(resolve(baseDir, content));
        continue;
      }
    }
    unavailable.push(ref ?? resolver.value(entry));
  }
  return { layers, unavailable };
}

export async function readSamTemplate(file: string, options?: TemplateOptions): Promise<ParsedTemplate> {
  return parseSamTemplateText(await readFile(file, 'utf8'), file, options);
}
