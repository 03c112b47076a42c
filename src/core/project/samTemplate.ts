import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { APPLICATION_LOG_LEVELS, SYSTEM_LOG_LEVELS, type LoggingConfig } from '../runtime/types';
import { parseCloudFormation } from './cloudFormationYaml';

/** A function declared in a SAM / CloudFormation template, with what a local run needs. */
export interface TemplateFunction {
  readonly logicalId: string;
  /** FunctionName when the template sets a literal one, else the logical id. */
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
}

export interface ParsedTemplate {
  readonly file: string;
  readonly functions: TemplateFunction[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Resolves the intrinsics a local run can know (parameter values, pseudo parameters, Sub, Join, Select, FindInMap,
 *  and If by the template's Conditions) and renders the rest as readable placeholders such as `${MyTable.Arn}`,
 *  never failing. */
class IntrinsicResolver {
  /** Conditions evaluated so far (undefined: one this resolver cannot decide). */
  private readonly decided = new Map<string, boolean | undefined>();

  constructor(private readonly parameters: Record<string, string>, private readonly region: string, private readonly accountId: string,
    private readonly conditions: Obj = {}, private readonly mappings: Obj = {}) {}

  ref(name: string): string {
    const pseudo: Record<string, string> = {
      'AWS::Region': this.region, 'AWS::AccountId': this.accountId, 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': 'local', 'AWS::StackId': `arn:aws:cloudformation:${this.region}:${this.accountId}:stack/local/local`, 'AWS::NoValue': '',
    };
    return pseudo[name] ?? this.parameters[name] ?? name;
  }

  /** Whether `v` is `AWS::NoValue` once its Ifs are decided: CloudFormation then leaves the property out. */
  omitted(v: Json): boolean {
    if (!isObj(v)) return false;
    if (v.Ref === 'AWS::NoValue') return true;
    const branch = this.branch(v);
    return branch !== undefined && this.omitted(branch);
  }

  value(v: Json): string {
    if (v === null) return '';
    if (typeof v !== 'object') return String(v);
    if (Array.isArray(v)) return v.map((x) => this.value(x)).join(',');
    if ('Ref' in v) return this.ref(String(v.Ref));
    if ('Fn::Sub' in v) {
      const arg = v['Fn::Sub'];
      const [template, vars] = Array.isArray(arg) ? [String(arg[0]), isObj(arg[1]) ? arg[1] : {}] : [String(arg), {} as Obj];
      return template.replace(/\$\{([^}!]+)\}/g, (_, name: string) => (name in vars ? this.value(vars[name]) : name.includes('.') ? `\${${name}}` : this.ref(name)));
    }
    if ('Fn::Join' in v && Array.isArray(v['Fn::Join'])) {
      const [sep, list] = v['Fn::Join'];
      return Array.isArray(list) ? list.map((x) => this.value(x)).join(String(sep)) : this.value(list);
    }
    if ('Fn::GetAtt' in v) {
      const target = v['Fn::GetAtt'];
      return `\${${Array.isArray(target) ? target.join('.') : String(target)}}`;
    }
    const branch = this.branch(v);
    if (branch !== undefined) return this.value(branch);
    if ('Fn::Select' in v && Array.isArray(v['Fn::Select'])) {
      const [index, list] = v['Fn::Select'];
      return Array.isArray(list) ? this.value(list[Number(index)] ?? '') : this.value(list);
    }
    if ('Fn::FindInMap' in v && Array.isArray(v['Fn::FindInMap'])) {
      const keys = v['Fn::FindInMap'].slice(0, 3).map((k) => this.value(k));
      const top = this.mappings[keys[0]];
      const second = isObj(top) ? top[keys[1]] : undefined;
      const found = isObj(second) && Object.hasOwn(second, keys[2]) ? second[keys[2]] : undefined;
      return found === undefined ? `\${FindInMap:${keys.join('.')}}` : this.value(found);
    }
    if ('Fn::ImportValue' in v) return `\${Import:${this.value(v['Fn::ImportValue'])}}`;
    const [fn] = Object.keys(v);
    return `\${${fn}}`;
  }

  /** The branch an `Fn::If` takes: the second when its condition is false; the first when it is true or cannot be
   *  decided here. Undefined when `v` is no `Fn::If`. */
  private branch(v: Obj): Json | undefined {
    const arg = v['Fn::If'];
    if (!Array.isArray(arg)) return undefined;
    return (this.condition(String(arg[0])) === false ? arg[2] : arg[1]) ?? '';
  }

  /** A named condition of the template, evaluated with the parameter values (each once; a cycle is undecided). */
  private condition(name: string): boolean | undefined {
    if (this.decided.has(name)) return this.decided.get(name);
    this.decided.set(name, undefined);
    const result = Object.hasOwn(this.conditions, name) ? this.truth(this.conditions[name]) : undefined;
    this.decided.set(name, result);
    return result;
  }

  private truth(v: Json): boolean | undefined {
    if (!isObj(v)) return undefined;
    if (typeof v.Condition === 'string') return this.condition(v.Condition);
    const args = (fn: string): Json[] | undefined => (Array.isArray(v[fn]) ? v[fn] as Json[] : undefined);
    const equals = args('Fn::Equals');
    if (equals?.length === 2) {
      // An operand this resolver cannot know (a parameter with no value, a resource attribute) leaves it undecided.
      if (equals.some((x) => isObj(x) && typeof x.Ref === 'string' && !x.Ref.startsWith('AWS::') && !Object.hasOwn(this.parameters, x.Ref))) return undefined;
      const [a, b] = equals.map((x) => this.value(x));
      return a.includes('${') || b.includes('${') ? undefined : a === b;
    }
    const not = args('Fn::Not');
    if (not?.length === 1) {
      const inner = this.truth(not[0]);
      return inner === undefined ? undefined : !inner;
    }
    for (const [fn, all] of [['Fn::And', true], ['Fn::Or', false]] as const) {
      const list = args(fn);
      if (!list) continue;
      const values = list.map((x) => this.truth(x));
      // And: any false decides it; Or: any true does. Otherwise an undecided operand leaves it undecided.
      if (values.includes(!all)) return !all;
      return values.includes(undefined) ? undefined : all;
    }
    return undefined;
  }
}

/** A resource's properties over its Globals, as SAM merges them: maps merge, lists are the Globals' entries then the
 *  resource's (a shared layer in Globals and one of its own: both), anything else is the resource's. */
function merge(globals: Obj, props: Obj): Obj {
  const out: Obj = { ...globals };
  for (const [k, v] of Object.entries(props)) {
    const inherited = globals[k];
    out[k] = isObj(v) && isObj(inherited) ? merge(inherited, v) : Array.isArray(v) && Array.isArray(inherited) ? [...inherited, ...v] : v;
  }
  return out;
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
    const props = type === 'AWS::Serverless::Function' ? merge(globals, raw) : raw;
    const code = type === 'AWS::Serverless::Function' ? props.CodeUri : props.Code;
    const codePath = typeof code === 'string' ? code : '.';
    const inline = type === 'AWS::Serverless::Function' ? props.InlineCode : isObj(props.Code) ? props.Code.ZipFile : undefined;
    const remote = remoteCode(code, resolver);
    const env: Record<string, string> = {};
    const variables = isObj(props.Environment) && isObj(props.Environment.Variables) ? props.Environment.Variables : {};
    for (const [k, v] of Object.entries(variables)) if (!resolver.omitted(v)) env[k] = resolver.value(v);
    const events: Record<string, string> = {};
    if (isObj(props.Events)) for (const [name, e] of Object.entries(props.Events)) events[name] = isObj(e) ? String(e.Type ?? '') : '';
    const arch = Array.isArray(props.Architectures) ? props.Architectures[0] : undefined;
    const literalName = typeof props.FunctionName === 'string' ? props.FunctionName : undefined;
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
    });
  }
  return { file: resolve(file), functions };
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

export function readSamTemplate(file: string, options?: TemplateOptions): ParsedTemplate {
  return parseSamTemplateText(readFileSync(file, 'utf8'), file, options);
}
