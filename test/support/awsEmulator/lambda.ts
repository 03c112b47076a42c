import type { FunctionConfiguration, Runtime } from '@aws-sdk/client-lambda';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { createHash, randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { functionNameFrom, logTail } from '../../../src/core/runtime/invokeApiServer';
import { LocalLambda } from '../../../src/core/runtime/localLambda';
import { ASYNC_PAYLOAD_LIMIT, LambdaServiceError, SYNC_PAYLOAD_LIMIT, type FunctionConfig, type InvokeResult } from '../../../src/core/runtime/types';
import { Faults, type FaultKind } from './faults';
import { AwsEmulator, type ServiceHandler } from './server';

/** The operations the emulator speaks, named as in the Lambda API (plus `DownloadCode`: fetching GetFunction's Code.Location). */
export type LambdaOperation = 'ListFunctions' | 'GetFunction' | 'GetFunctionConfiguration' | 'Invoke' | 'CreateFunction' | 'UpdateFunctionCode'
  | 'UpdateFunctionConfiguration' | 'DeleteFunction' | 'DownloadCode';

export const ACCOUNT_ID = '123456789012';
/** The service caps a ListFunctions page at 50, whatever MaxItems asks for. */
export const LIST_PAGE_LIMIT = 50;
/** CreateFunction / UpdateFunctionCode with a ZipFile: the request limit the service reports. */
export const CODE_REQUEST_LIMIT = 70_167_211;

export interface LambdaServiceOptions {
  /** Region in ARNs (default us-east-1). */
  readonly region?: string;
  /** Runs Invoke; default: a LocalLambda of the service's own, disposed by `dispose()`. */
  readonly localLambda?: LocalLambda;
  /** CreateFunction: State Pending → Active after this long (default 100 ms). */
  readonly createDelayMs?: number;
  /** UpdateFunctionCode / UpdateFunctionConfiguration: LastUpdateStatus InProgress → Successful after this long (default 300 ms). */
  readonly updateDelayMs?: number;
  /** Retry-After of injected throttles, in seconds (default 1). */
  readonly retryAfterSeconds?: number;
  /** Request size limit of CreateFunction and UpdateFunctionCode (default 70 167 211 bytes, as the service). */
  readonly codeRequestLimit?: number;
  /** CreateFunction: whether Lambda may assume the role (an IamService's `assumable`); default: any role ARN. */
  readonly roleAssumable?: (arn: string) => boolean;
}

/** `addFunction` input: a configuration in the API's shape, everything but the name defaulted, and optionally the code. */
export interface AddFunctionInput extends Partial<Omit<FunctionConfiguration, 'Environment'>> {
  readonly FunctionName: string;
  readonly Environment?: { Variables?: Record<string, string> };
  /** The deployment package, or its files (see `makeZip`); default: the console's hello-world for Node and Python. */
  readonly zip?: Buffer | ZipFiles;
  readonly Tags?: Record<string, string>;
}

/** Files of a zip: path → content, or content with a Unix mode (e.g. 0o755 for `bootstrap`). */
export type ZipFiles = Record<string, string | Uint8Array | { data: string | Uint8Array; mode: number }>;

interface RunSettings {
  readonly zip: Buffer | undefined;
  readonly runtime: string;
  readonly handler: string;
  readonly memorySize: number;
  readonly timeout: number;
  readonly variables: Record<string, string> | undefined;
  readonly architecture: 'x86_64' | 'arm64';
}

interface StoredFunction {
  config: FunctionConfiguration;
  /** The current package; undefined: the shared default (seeded functions stay cheap). */
  zip: Buffer | undefined;
  tags: Record<string, string> | undefined;
  /** What Invoke runs: the settings of the last completed create/update. */
  active: RunSettings;
  /** The unzipped active package. */
  unpacked?: { zip: Buffer; dir: string };
  timer?: NodeJS.Timeout;
}

class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string,
    readonly extra: { headers?: Record<string, string>; body?: Record<string, unknown> } = {}) {
    super(message);
  }
}

const RESERVED_VARIABLES = new Set(['_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR']);
// As of December 2026: nodejs20.x is refused for new functions since 2026-08-31 and for updates since 2026-09-30.
const RUNTIMES = ['nodejs22.x', 'nodejs24.x', 'python3.10', 'python3.11', 'python3.12', 'python3.13',
  'python3.14', 'java8.al2', 'java11', 'java17', 'java21', 'java25', 'dotnet8', 'dotnet10', 'ruby3.2', 'ruby3.3', 'ruby3.4', 'provided.al2', 'provided.al2023'];
const DEPRECATED_RUNTIMES = ['nodejs', 'nodejs4.3', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'nodejs16.x', 'nodejs18.x', 'nodejs20.x', 'python2.7',
  'python3.6', 'python3.7', 'python3.8', 'python3.9', 'java8', 'dotnetcore3.1', 'dotnet6', 'ruby2.7', 'go1.x', 'provided'];
/** Fields ListFunctions leaves out ("use GetFunction to get the additional fields"). */
const GET_ONLY_FIELDS = ['State', 'StateReason', 'StateReasonCode', 'LastUpdateStatus', 'LastUpdateStatusReason', 'LastUpdateStatusReasonCode', 'RuntimeVersionConfig'] as const;
const FIXED_MTIME = new Date('2026-01-01T00:00:00Z');
const PREFIX = '/2015-03-31/functions';
const CODE_PREFIX = '/__code/';

/** Lambda's timestamp format: `2026-11-23T08:00:00.000+0000`. */
export function lambdaTimestamp(date = new Date()): string {
  return date.toISOString().replace('Z', '+0000');
}

/** A zip with Unix modes (fixed mtimes, so the same files give the same CodeSha256). */
export function makeZip(files: ZipFiles): Buffer {
  const entries: Zippable = {};
  for (const [name, content] of Object.entries(files)) {
    const { data, mode } = typeof content === 'string' || content instanceof Uint8Array ? { data: content, mode: 0o644 } : content;
    entries[name] = [typeof data === 'string' ? strToU8(data) : data, { os: 3, attrs: ((0o100000 | mode) << 16) >>> 0 }];
  }
  return Buffer.from(zipSync(entries, { mtime: FIXED_MTIME }));
}

/** Unzips a package into `dir`, keeping the Unix modes recorded in the central directory (a `bootstrap` without one is made executable). */
export function extractZip(zip: Buffer, dir: string): void {
  const files = unzipSync(new Uint8Array(zip.buffer, zip.byteOffset, zip.length));
  const modes = zipModes(zip);
  const root = resolve(dir);
  for (const [name, data] of Object.entries(files)) {
    const target = resolve(root, name);
    if (target !== root && !target.startsWith(root + sep)) throw new Error(`zip entry outside the package: ${name}`);
    if (name.endsWith('/')) { mkdirSync(target, { recursive: true }); continue; }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
    const mode = modes.get(name);
    if (mode) chmodSync(target, mode & 0o777);
    else if (basename(name) === 'bootstrap') chmodSync(target, 0o755);
  }
}

function zipModes(zip: Buffer): Map<string, number> {
  const modes = new Map<string, number>();
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) { end = i; break; }
  }
  if (end < 0) return modes;
  const count = zip.readUInt16LE(end + 10);
  let p = zip.readUInt32LE(end + 16);
  for (let i = 0; i < count && p + 46 <= zip.length && zip.readUInt32LE(p) === 0x02014b50; i++) {
    const nameLength = zip.readUInt16LE(p + 28);
    const mode = zip.readUInt32LE(p + 38) >>> 16;
    if (zip.readUInt16LE(p + 4) >> 8 === 3 && mode) modes.set(zip.toString('utf8', p + 46, p + 46 + nameLength), mode);
    p += 46 + nameLength + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return modes;
}

let defaultPackage: { zip: Buffer; sha: string } | undefined;
/** The console's hello-world for Node (`index.handler`) and Python (`lambda_function.lambda_handler`), shared by seeded functions. */
function defaultZip(): { zip: Buffer; sha: string } {
  if (!defaultPackage) {
    const zip = makeZip({
      'index.mjs': "export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify('Hello from Lambda!') });\n",
      'lambda_function.py': "import json\n\ndef lambda_handler(event, context):\n    return {'statusCode': 200, 'body': json.dumps('Hello from Lambda!')}\n",
    });
    defaultPackage = { zip, sha: sha256(zip) };
  }
  return defaultPackage;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('base64');
}

/** A deterministic shuffle (mulberry32), so seeded sets are the same from run to run. */
function shuffled(count: number, seed: number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/**
 * AWS Lambda's REST-JSON protocol (`/2015-03-31/functions…`), for the real `@aws-sdk/client-lambda`: ListFunctions
 * (Marker / MaxItems, pages of at most 50, in name order), GetFunction (with a Code.Location this server serves),
 * GetFunctionConfiguration, CreateFunction (Pending → Active), UpdateFunctionCode and UpdateFunctionConfiguration
 * (LastUpdateStatus InProgress → Successful), DeleteFunction, and Invoke, which runs the deployed zip in LocalLambda.
 * Errors are shaped as the service sends them; `faults` injects AccessDenied, throttles, expired tokens, delays and
 * dropped connections per operation.
 */
export class LambdaService implements ServiceHandler {
  readonly region: string;
  readonly faults = new Faults<LambdaOperation>();
  /** Every operation received, in order (faulted ones included). */
  readonly operations: LambdaOperation[] = [];
  createDelayMs: number;
  updateDelayMs: number;
  retryAfterSeconds: number;
  codeRequestLimit: number;
  /** Set by a test that mounts an IamService beside this one. */
  roleAssumable?: (arn: string) => boolean;
  private readonly functions = new Map<string, StoredFunction>();
  private sortedNames: string[] | undefined;
  private readonly localLambda: LocalLambda;
  private readonly ownsLocalLambda: boolean;
  private readonly background = new Set<Promise<unknown>>();
  private workDir: string | undefined;
  private unpackCounter = 0;

  constructor(options: LambdaServiceOptions = {}) {
    this.region = options.region ?? 'us-east-1';
    this.createDelayMs = options.createDelayMs ?? 100;
    this.updateDelayMs = options.updateDelayMs ?? 300;
    this.retryAfterSeconds = options.retryAfterSeconds ?? 1;
    this.codeRequestLimit = options.codeRequestLimit ?? CODE_REQUEST_LIMIT;
    this.roleAssumable = options.roleAssumable;
    this.ownsLocalLambda = !options.localLambda;
    this.localLambda = options.localLambda ?? new LocalLambda();
  }

  functionArn(name: string): string {
    return `arn:aws:lambda:${this.region}:${ACCOUNT_ID}:function:${name}`;
  }

  /** The stored configuration (as GetFunctionConfiguration returns it), or undefined. */
  get(name: string): FunctionConfiguration | undefined {
    const fn = this.functions.get(name);
    return fn && { ...fn.config };
  }

  get size(): number {
    return this.functions.size;
  }

  /** Adds `count` functions named `<prefix>-<zero-padded number>`, inserted in shuffled order; configurations only (10 000 take milliseconds). Returns the names in insertion order. */
  seed(count: number, prefix = 'fn'): string[] {
    const width = String(Math.max(0, count - 1)).length;
    const runtimes: Runtime[] = ['nodejs22.x', 'python3.12', 'nodejs20.x'];
    const { sha, zip } = defaultZip();
    const now = lambdaTimestamp();
    const names: string[] = [];
    for (const i of shuffled(count, count * 31 + prefix.length)) {
      const name = `${prefix}-${String(i).padStart(width, '0')}`;
      const runtime = runtimes[i % runtimes.length];
      const config = this.newConfig(name, {
        Runtime: runtime, Handler: runtime.startsWith('python') ? 'lambda_function.lambda_handler' : 'index.handler',
        Description: i % 4 === 0 ? `Seeded function ${i}` : '', CodeSha256: sha, CodeSize: zip.length, LastModified: now,
        MemorySize: [128, 256, 512, 1024][i % 4], Timeout: [3, 10, 30][i % 3],
      });
      this.functions.set(name, { config, zip: undefined, tags: undefined, active: this.runSettings(config, undefined) });
      names.push(name);
    }
    this.sortedNames = undefined;
    return names;
  }

  /** Adds one Active function (replacing one of the same name). */
  addFunction(input: AddFunctionInput): FunctionConfiguration {
    const { zip: files, Tags: tags, FunctionName: name, ...rest } = input;
    const zip = files === undefined ? undefined : Buffer.isBuffer(files) ? files : makeZip(files);
    const code = zip ?? defaultZip().zip;
    const existing = this.functions.get(name);
    if (existing) this.remove(name);
    const config = this.newConfig(name, { ...rest as Partial<FunctionConfiguration>, CodeSha256: sha256(code), CodeSize: code.length });
    this.functions.set(name, { config, zip, tags, active: this.runSettings(config, zip) });
    this.sortedNames = undefined;
    return { ...config };
  }

  /** Finishes pending creations and updates now. */
  settle(): void {
    for (const fn of this.functions.values()) {
      if (!fn.timer) continue;
      clearTimeout(fn.timer);
      fn.timer = undefined;
      this.complete(fn);
    }
  }

  /** Stops timers, waits for Event invocations, disposes the own LocalLambda and removes unpacked code. */
  async dispose(): Promise<void> {
    for (const fn of this.functions.values()) if (fn.timer) clearTimeout(fn.timer);
    await Promise.allSettled([...this.background]);
    if (this.ownsLocalLambda) await this.localLambda.dispose();
    if (this.workDir) rmSync(this.workDir, { recursive: true, force: true });
    this.workDir = undefined;
  }

  async handle(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://lambda');
    if (url.pathname.startsWith(CODE_PREFIX) && (req.method === 'GET' || req.method === 'HEAD')) return this.download(req, url, res);
    if (url.pathname !== PREFIX && !url.pathname.startsWith(`${PREFIX}/`)) return false;
    const segments = url.pathname.slice(PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
    const operation = route(req.method ?? '', segments);
    if (!operation) return false;
    this.operations.push(operation);
    const plan = this.faults.take(operation);
    if (plan.delayMs > 0) await new Promise((r) => setTimeout(r, plan.delayMs));
    if (plan.drop) {
      req.socket.destroy();
      return true;
    }
    try {
      if (plan.fail) throw this.faultError(operation, plan.fail, segments[0]);
      await this.run(operation, req, url, segments[0], body, res);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (!res.headersSent) sendError(res, error);
    }
    return true;
  }

  private async run(operation: LambdaOperation, req: IncomingMessage, url: URL, identifier: string | undefined, body: Buffer, res: ServerResponse): Promise<void> {
    switch (operation) {
      case 'ListFunctions': return sendJson(res, 200, this.list(url));
      case 'CreateFunction': return sendJson(res, 201, this.create(body));
      case 'GetFunction': {
        const fn = this.find(identifier, url);
        const out: Record<string, unknown> = {
          Configuration: fn.config,
          Code: { RepositoryType: 'S3', Location: `http://${req.headers.host ?? '127.0.0.1'}${CODE_PREFIX}${encodeURIComponent(fn.config.FunctionName!)}.zip` },
        };
        if (fn.tags && Object.keys(fn.tags).length > 0) out.Tags = fn.tags;
        return sendJson(res, 200, out);
      }
      case 'GetFunctionConfiguration': return sendJson(res, 200, this.find(identifier, url).config);
      case 'UpdateFunctionCode': return sendJson(res, 200, this.updateCode(this.find(identifier, url), body));
      case 'UpdateFunctionConfiguration': return sendJson(res, 200, this.updateConfiguration(this.find(identifier, url), body));
      case 'DeleteFunction': {
        this.remove(this.find(identifier, url).config.FunctionName!);
        res.writeHead(204, { 'x-amzn-RequestId': randomUUID() }).end();
        return;
      }
      case 'Invoke': return this.invoke(this.find(identifier, url), req, body, res);
      default: throw new ApiError(400, 'UnknownOperationException', `${operation} is not emulated`);
    }
  }

  // ---- operations ----

  private list(url: URL): { Functions: FunctionConfiguration[]; NextMarker?: string } {
    const maxItemsParam = url.searchParams.get('MaxItems');
    let max = LIST_PAGE_LIMIT;
    if (maxItemsParam !== null) {
      const n = Number(maxItemsParam);
      if (!Number.isInteger(n) || n < 1 || n > 10_000) {
        throw new ApiError(400, 'InvalidParameterValueException', `1 validation error detected: Value '${maxItemsParam}' at 'maxItems' failed to satisfy constraint: Member must have value ${n < 1 ? 'greater than or equal to 1' : 'less than or equal to 10000'}`);
      }
      max = Math.min(n, LIST_PAGE_LIMIT);
    }
    const names = this.sortedNames ??= [...this.functions.keys()].sort();
    let start = 0;
    const marker = url.searchParams.get('Marker');
    if (marker) {
      let after: unknown;
      try { after = (JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')) as { after?: unknown }).after; } catch { /* reported below */ }
      if (typeof after !== 'string') throw new ApiError(400, 'InvalidParameterValueException', 'Invalid marker');
      let lo = 0;
      let hi = names.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (names[mid] <= after) lo = mid + 1; else hi = mid; }
      start = lo;
    }
    const page = names.slice(start, start + max);
    const Functions = page.map((name) => {
      const config: Record<string, unknown> = { ...this.functions.get(name)!.config };
      for (const field of GET_ONLY_FIELDS) delete config[field];
      return config as FunctionConfiguration;
    });
    const out: { Functions: FunctionConfiguration[]; NextMarker?: string } = { Functions };
    if (start + max < names.length) out.NextMarker = Buffer.from(JSON.stringify({ after: page[page.length - 1] })).toString('base64url');
    return out;
  }

  private create(body: Buffer): FunctionConfiguration {
    if (body.length > this.codeRequestLimit) {
      throw new ApiError(413, 'RequestTooLargeException', `Request must be smaller than ${this.codeRequestLimit} bytes for the CreateFunction operation`);
    }
    const input = parseBody(body) as unknown as AddFunctionInput & { Code?: { ZipFile?: string; S3Bucket?: string; ImageUri?: string }; PackageType?: string };
    const name = typeof input.FunctionName === 'string' ? functionNameFrom(input.FunctionName).name : '';
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
      throw new ApiError(400, 'InvalidParameterValueException', `1 validation error detected: Value '${String(input.FunctionName)}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`);
    }
    if (this.functions.has(name)) throw new ApiError(409, 'ResourceConflictException', `Function already exist: ${name}`);
    if (input.PackageType === 'Image' || input.Code?.ImageUri) throw new ApiError(400, 'InvalidParameterValueException', 'Container image functions are not emulated.');
    if (!input.Runtime || !input.Handler) {
      throw new ApiError(400, 'InvalidParameterValueException', 'Runtime and Handler are mandatory parameters for functions created with deployment packages.');
    }
    this.checkSettings(input);
    if (!/^arn:aws[a-zA-Z-]*:iam::\d{12}:role\/.+/.test(input.Role ?? '') || this.roleAssumable?.(input.Role!) === false) {
      throw new ApiError(400, 'InvalidParameterValueException', 'The role defined for the function cannot be assumed by Lambda.');
    }
    const zip = this.codeFrom(input.Code);
    const config = this.newConfig(name, {
      ...input as Partial<FunctionConfiguration>, CodeSha256: sha256(zip), CodeSize: zip.length,
      State: 'Pending', StateReason: 'The function is being created.', StateReasonCode: 'Creating',
    });
    delete config.LastUpdateStatus;
    const fn: StoredFunction = { config, zip, tags: input.Tags, active: this.runSettings(config, zip) };
    this.functions.set(name, fn);
    this.sortedNames = undefined;
    this.schedule(fn, this.createDelayMs);
    return config;
  }

  private updateCode(fn: StoredFunction, body: Buffer): FunctionConfiguration {
    if (body.length > this.codeRequestLimit) {
      throw new ApiError(413, 'RequestTooLargeException', `Request must be smaller than ${this.codeRequestLimit} bytes for the UpdateFunctionCode operation`);
    }
    const input = parseBody(body) as { ZipFile?: string; S3Bucket?: string; ImageUri?: string; DryRun?: boolean; RevisionId?: string; Architectures?: string[] };
    this.checkUpdatable(fn, input.RevisionId);
    const zip = this.codeFrom(input);
    if (input.Architectures) this.checkSettings({ Architectures: input.Architectures as FunctionConfiguration['Architectures'] });
    const changes: Partial<FunctionConfiguration> = { CodeSha256: sha256(zip), CodeSize: zip.length };
    if (input.Architectures) changes.Architectures = input.Architectures as FunctionConfiguration['Architectures'];
    if (input.DryRun) return { ...fn.config, ...changes };
    fn.zip = zip;
    return this.beginUpdate(fn, changes);
  }

  private updateConfiguration(fn: StoredFunction, body: Buffer): FunctionConfiguration {
    const input = parseBody(body) as Partial<FunctionConfiguration> & { RevisionId?: string };
    this.checkUpdatable(fn, input.RevisionId);
    this.checkSettings(input);
    if (input.Role !== undefined && !/^arn:aws[a-zA-Z-]*:iam::\d{12}:role\/.+/.test(input.Role)) {
      throw new ApiError(400, 'InvalidParameterValueException', 'The role defined for the function cannot be assumed by Lambda.');
    }
    const changes: Partial<FunctionConfiguration> = {};
    for (const key of ['Role', 'Handler', 'Description', 'Timeout', 'MemorySize', 'Runtime', 'EphemeralStorage', 'TracingConfig'] as const) {
      if (input[key] !== undefined) (changes as Record<string, unknown>)[key] = input[key];
    }
    if (input.Environment !== undefined) changes.Environment = input.Environment.Variables && Object.keys(input.Environment.Variables).length > 0 ? { Variables: input.Environment.Variables } : undefined;
    if (input.LoggingConfig !== undefined) changes.LoggingConfig = { ...fn.config.LoggingConfig, ...input.LoggingConfig };
    return this.beginUpdate(fn, changes);
  }

  private async invoke(fn: StoredFunction, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    const type = header(req, 'x-amz-invocation-type') ?? 'RequestResponse';
    if (!['RequestResponse', 'Event', 'DryRun'].includes(type)) {
      throw new ApiError(400, 'InvalidParameterValueException', `1 validation error detected: Value '${type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`);
    }
    const limit = type === 'Event' ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
    if (body.length > limit) throw new ApiError(413, 'RequestTooLargeException', `Request must be smaller than ${limit} bytes for the InvokeFunction operation`);
    if (fn.config.State !== 'Active') {
      throw new ApiError(409, 'ResourceConflictException', `The operation cannot be performed at this time. The function is currently in the following state: ${fn.config.State}`);
    }
    if (type === 'DryRun') {
      res.writeHead(204, { 'x-amzn-RequestId': randomUUID() }).end();
      return;
    }
    const event = body.length === 0 ? '{}' : body.toString('utf8');
    const config = this.localConfig(fn);
    if (type === 'Event') {
      res.writeHead(202, { 'x-amzn-RequestId': randomUUID(), 'Content-Length': 0 }).end();
      const running = this.localLambda.invoke(config, event).catch(() => undefined);
      this.background.add(running);
      void running.finally(() => this.background.delete(running));
      return;
    }
    let result: InvokeResult;
    try {
      result = await this.localLambda.invoke(config, event);
    } catch (error) {
      if (error instanceof LambdaServiceError) throw new ApiError(error.statusCode, error.errorType, error.message);
      throw new ApiError(500, 'ServiceException', error instanceof Error ? error.message : String(error), { body: { Type: 'Service' } });
    }
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json', 'x-amzn-RequestId': result.requestId, 'X-Amz-Executed-Version': '$LATEST',
      'Content-Length': Buffer.byteLength(result.payload),
    };
    if (result.functionError) headers['X-Amz-Function-Error'] = result.functionError;
    if (header(req, 'x-amz-log-type') === 'Tail') headers['X-Amz-Log-Result'] = logTail(result.logs);
    res.writeHead(200, headers).end(result.payload);
  }

  private download(req: IncomingMessage, url: URL, res: ServerResponse): boolean {
    const name = decodeURIComponent(url.pathname.slice(CODE_PREFIX.length)).replace(/\.zip$/, '');
    this.operations.push('DownloadCode');
    const plan = this.faults.take('DownloadCode');
    const answer = (): void => {
      if (plan.drop) { req.socket.destroy(); return; }
      const fn = this.functions.get(name);
      // S3's answers: a presigned URL that is refused, throttled or points at nothing.
      const s3Error = plan.fail === 'Throttle' ? [503, 'SlowDown', 'Please reduce your request rate.']
        : plan.fail === 'NotFound' || !fn ? [404, 'NoSuchKey', 'The specified key does not exist.']
          : plan.fail === 'ExpiredToken' ? [403, 'AccessDenied', 'Request has expired']
            : plan.fail === 'AccessDenied' ? [403, 'AccessDenied', 'Access Denied'] : undefined;
      if (s3Error) {
        const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${s3Error[1]}</Code><Message>${s3Error[2]}</Message><RequestId>${randomUUID()}</RequestId></Error>`;
        res.writeHead(s3Error[0] as number, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(xml) }).end(req.method === 'HEAD' ? undefined : xml);
        return;
      }
      const zip = fn!.zip ?? defaultZip().zip;
      res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Length': zip.length, ETag: `"${createHash('md5').update(zip).digest('hex')}"` });
      res.end(req.method === 'HEAD' ? undefined : zip);
    };
    if (plan.delayMs > 0) setTimeout(answer, plan.delayMs);
    else answer();
    return true;
  }

  // ---- helpers ----

  private find(identifier: string | undefined, url: URL): StoredFunction {
    const { name, qualifier } = functionNameFrom(identifier ?? '');
    const version = url.searchParams.get('Qualifier') ?? qualifier;
    const fn = this.functions.get(name);
    if (!fn || (version && version !== '$LATEST')) {
      throw new ApiError(404, 'ResourceNotFoundException', `Function not found: ${this.functionArn(name)}${version ? `:${version}` : ''}`);
    }
    return fn;
  }

  private remove(name: string): void {
    const fn = this.functions.get(name);
    if (!fn) return;
    if (fn.timer) clearTimeout(fn.timer);
    this.functions.delete(name);
    this.sortedNames = undefined;
  }

  private newConfig(name: string, input: Partial<FunctionConfiguration>): FunctionConfiguration {
    const variables = input.Environment?.Variables;
    const config: FunctionConfiguration = {
      FunctionName: name,
      FunctionArn: this.functionArn(name),
      Runtime: input.Runtime ?? 'nodejs22.x',
      Role: input.Role ?? `arn:aws:iam::${ACCOUNT_ID}:role/service-role/${name}-role`,
      Handler: input.Handler ?? 'index.handler',
      CodeSize: input.CodeSize ?? 0,
      Description: input.Description ?? '',
      Timeout: input.Timeout ?? 3,
      MemorySize: input.MemorySize ?? 128,
      LastModified: input.LastModified ?? lambdaTimestamp(),
      CodeSha256: input.CodeSha256 ?? '',
      Version: '$LATEST',
      TracingConfig: input.TracingConfig ?? { Mode: 'PassThrough' },
      RevisionId: randomUUID(),
      State: input.State ?? 'Active',
      LastUpdateStatus: 'Successful',
      PackageType: 'Zip',
      Architectures: input.Architectures ?? ['x86_64'],
      EphemeralStorage: input.EphemeralStorage ?? { Size: 512 },
      SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
      RuntimeVersionConfig: { RuntimeVersionArn: `arn:aws:lambda:${this.region}::runtime:${createHash('sha256').update(input.Runtime ?? 'nodejs22.x').digest('hex')}` },
      LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${name}`, ...input.LoggingConfig },
    };
    if (variables && Object.keys(variables).length > 0) config.Environment = { Variables: { ...variables } };
    if (input.StateReason) Object.assign(config, { StateReason: input.StateReason, StateReasonCode: input.StateReasonCode });
    return config;
  }

  private runSettings(config: FunctionConfiguration, zip: Buffer | undefined): RunSettings {
    return {
      zip, runtime: config.Runtime ?? 'nodejs22.x', handler: config.Handler ?? 'index.handler', memorySize: config.MemorySize ?? 128,
      timeout: config.Timeout ?? 3, variables: config.Environment?.Variables, architecture: config.Architectures?.[0] === 'arm64' ? 'arm64' : 'x86_64',
    };
  }

  private localConfig(fn: StoredFunction): FunctionConfig {
    const { active } = fn;
    const zip = active.zip ?? defaultZip().zip;
    if (fn.unpacked?.zip !== zip) {
      this.workDir ??= mkdtempSync(join(tmpdir(), 'lambda-emulator-'));
      const dir = join(this.workDir, `${fn.config.FunctionName}-${++this.unpackCounter}`);
      mkdirSync(dir, { recursive: true });
      extractZip(zip, dir);
      fn.unpacked = { zip, dir }; // earlier folders stay until dispose: a retiring environment may still run from them
    }
    return {
      name: fn.config.FunctionName!, runtime: active.runtime, handler: active.handler, codeDir: fn.unpacked.dir, memorySize: active.memorySize,
      timeout: active.timeout, environment: active.variables, architecture: active.architecture, region: this.region, accountId: ACCOUNT_ID,
    };
  }

  private beginUpdate(fn: StoredFunction, changes: Partial<FunctionConfiguration>): FunctionConfiguration {
    Object.assign(fn.config, changes, {
      LastModified: lambdaTimestamp(), RevisionId: randomUUID(),
      LastUpdateStatus: 'InProgress', LastUpdateStatusReason: 'The function is being created.', LastUpdateStatusReasonCode: 'Creating',
    });
    if ('Environment' in changes && changes.Environment === undefined) delete fn.config.Environment;
    this.schedule(fn, this.updateDelayMs);
    return { ...fn.config };
  }

  private schedule(fn: StoredFunction, delayMs: number): void {
    if (fn.timer) clearTimeout(fn.timer);
    fn.timer = setTimeout(() => {
      fn.timer = undefined;
      this.complete(fn);
    }, delayMs);
    fn.timer.unref();
  }

  /** Ends a creation or an update: Invoke runs the new settings from now on. */
  private complete(fn: StoredFunction): void {
    const config = fn.config;
    if (config.State === 'Pending') {
      config.State = 'Active';
      delete config.StateReason;
      delete config.StateReasonCode;
    }
    config.LastUpdateStatus = 'Successful';
    delete config.LastUpdateStatusReason;
    delete config.LastUpdateStatusReasonCode;
    fn.active = this.runSettings(config, fn.zip);
  }

  private checkUpdatable(fn: StoredFunction, revisionId: string | undefined): void {
    const arn = fn.config.FunctionArn;
    if (fn.config.State === 'Pending') {
      throw new ApiError(409, 'ResourceConflictException', `The operation cannot be performed at this time. The function is currently in the following state: Pending`);
    }
    if (fn.config.LastUpdateStatus === 'InProgress') {
      throw new ApiError(409, 'ResourceConflictException', `The operation cannot be performed at this time. An update is in progress for resource: ${arn}`);
    }
    if (revisionId !== undefined && revisionId !== fn.config.RevisionId) {
      throw new ApiError(412, 'PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id');
    }
  }

  private checkSettings(input: Partial<FunctionConfiguration>): void {
    const invalid = (message: string): never => { throw new ApiError(400, 'InvalidParameterValueException', message); };
    const runtime = input.Runtime;
    if (runtime !== undefined && !RUNTIMES.includes(runtime)) {
      if (DEPRECATED_RUNTIMES.includes(runtime)) {
        invalid(`The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`);
      }
      invalid(`Value ${runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${RUNTIMES.join(', ')}] or be a valid ARN`);
    }
    const memory = input.MemorySize;
    if (memory !== undefined && (!Number.isInteger(memory) || memory < 128 || memory > 10_240)) {
      invalid(`1 validation error detected: Value '${memory}' at 'memorySize' failed to satisfy constraint: Member must have value ${memory < 128 ? 'greater than or equal to 128' : 'less than or equal to 10240'}`);
    }
    const timeout = input.Timeout;
    if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 1 || timeout > 900)) {
      invalid(`1 validation error detected: Value '${timeout}' at 'timeout' failed to satisfy constraint: Member must have value ${timeout < 1 ? 'greater than or equal to 1' : 'less than or equal to 900'}`);
    }
    const architectures = input.Architectures;
    if (architectures !== undefined && (architectures.length !== 1 || !['x86_64', 'arm64'].includes(architectures[0]))) {
      invalid(`1 validation error detected: Value '[${architectures.join(', ')}]' at 'architectures' failed to satisfy constraint: Member must have length less than or equal to 1, Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]`);
    }
    const reserved = Object.keys(input.Environment?.Variables ?? {}).filter((k) => RESERVED_VARIABLES.has(k));
    if (reserved.length > 0) {
      invalid(`Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`);
    }
  }

  private codeFrom(code: { ZipFile?: string; S3Bucket?: string; ImageUri?: string } | undefined): Buffer {
    if (!code?.ZipFile) {
      throw new ApiError(400, 'InvalidParameterValueException', code?.S3Bucket || code?.ImageUri
        ? 'The emulator takes code as ZipFile only (S3 locations and images are not emulated).' : 'Please provide a source for function code.');
    }
    const zip = Buffer.from(code.ZipFile, 'base64');
    try {
      const files = unzipSync(new Uint8Array(zip.buffer, zip.byteOffset, zip.length));
      if (Object.keys(files).length === 0) throw new Error('empty');
    } catch {
      throw new ApiError(400, 'InvalidParameterValueException', 'Could not unzip uploaded file. Please check your file, then try to upload again.');
    }
    return zip;
  }

  private faultError(operation: LambdaOperation, kind: FaultKind, identifier: string | undefined): ApiError {
    const name = identifier ? functionNameFrom(identifier).name : undefined;
    const resource = name ? this.functionArn(name) : '*';
    const action = `lambda:${operation === 'Invoke' ? 'InvokeFunction' : operation}`;
    switch (kind) {
      case 'AccessDenied':
        return new ApiError(403, 'AccessDeniedException',
          `User: arn:aws:iam::${ACCOUNT_ID}:user/test is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`);
      case 'ExpiredToken':
        return new ApiError(403, 'ExpiredTokenException', 'The security token included in the request is expired');
      case 'NotFound':
        return new ApiError(404, 'ResourceNotFoundException', `Function not found: ${name ? resource : this.functionArn('unknown')}`);
      case 'Throttle':
        return new ApiError(429, 'TooManyRequestsException', 'Rate Exceeded.', {
          headers: { 'Retry-After': String(this.retryAfterSeconds) },
          body: { retryAfterSeconds: String(this.retryAfterSeconds), Reason: operation === 'Invoke' ? 'ConcurrentInvocationLimitExceeded' : 'CallerRateLimitExceeded' },
        });
    }
  }
}

function route(method: string, segments: string[]): LambdaOperation | undefined {
  const [name, sub, ...more] = segments;
  if (more.length > 0) return undefined;
  if (name === undefined) return method === 'GET' ? 'ListFunctions' : method === 'POST' ? 'CreateFunction' : undefined;
  if (sub === undefined) return method === 'GET' ? 'GetFunction' : method === 'DELETE' ? 'DeleteFunction' : undefined;
  if (sub === 'configuration') return method === 'GET' ? 'GetFunctionConfiguration' : method === 'PUT' ? 'UpdateFunctionConfiguration' : undefined;
  if (sub === 'code') return method === 'PUT' ? 'UpdateFunctionCode' : undefined;
  if (sub === 'invocations') return method === 'POST' ? 'Invoke' : undefined;
  return undefined;
}

function parseBody(body: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body.length === 0 ? '{}' : body.toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch { /* reported below */ }
  throw new ApiError(400, 'InvalidRequestContentException', 'Could not parse request body into json: Unexpected character in the request body.');
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'x-amzn-RequestId': randomUUID(), 'Content-Length': Buffer.byteLength(text) }).end(text);
}

/** An error as Lambda sends it: status, x-amzn-ErrorType, x-amzn-RequestId, and `{"Type":"User","message":…}`. */
function sendError(res: ServerResponse, error: ApiError): void {
  const body = JSON.stringify({ Type: error.status >= 500 ? 'Service' : 'User', message: error.message, ...error.extra.body });
  res.writeHead(error.status, {
    'Content-Type': 'application/json', 'x-amzn-ErrorType': error.code, 'x-amzn-RequestId': randomUUID(), 'Content-Length': Buffer.byteLength(body),
    ...error.extra.headers,
  }).end(body);
}

export interface LambdaEmulator {
  readonly emulator: AwsEmulator;
  readonly lambda: LambdaService;
  readonly endpoint: string;
  /** Closes the server, then disposes the service (its LocalLambda and unpacked code). */
  close(): Promise<void>;
}

/** A loopback emulator with a LambdaService mounted first (other services after it). */
export async function startLambdaEmulator(options: LambdaServiceOptions & { services?: ServiceHandler[] } = {}): Promise<LambdaEmulator> {
  const lambda = new LambdaService(options);
  const emulator = await AwsEmulator.start(lambda, ...(options.services ?? []));
  return {
    emulator, lambda, endpoint: emulator.endpoint,
    close: async () => {
      await emulator.close();
      await lambda.dispose();
    },
  };
}
