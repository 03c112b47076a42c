import { randomBytes } from 'node:crypto';
import { DEFAULT_MEMORY_MB, type FunctionConfig } from './types';

/** AWS credentials handed to the function, as Lambda hands it the execution role's. Never logged. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Names the function sees but cannot set (the Lambda developer guide's "reserved environment variables"). */
export const RESERVED_VARIABLES: ReadonlySet<string> = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
  'AWS_LAMBDA_LOG_FORMAT', 'AWS_LAMBDA_LOG_LEVEL',
]);

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT_ID = '123456789012';

export function functionArn(config: FunctionConfig): string {
  return `arn:aws:lambda:${config.region ?? DEFAULT_REGION}:${config.accountId ?? DEFAULT_ACCOUNT_ID}:function:${config.name}`;
}

export function logGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** `YYYY/MM/DD/[$LATEST]<32 hex>`: one stream per environment, as Lambda names them. */
export function logStreamName(now = new Date()): string {
  const d = now.toISOString().slice(0, 10).replace(/-/g, '/');
  return `${d}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

export interface EnvironmentInputs {
  readonly config: FunctionConfig;
  readonly runtimeApi: string;
  readonly runtimeDir: string;
  readonly logStream: string;
  readonly credentials?: AwsCredentials;
  /** Host variables the process needs to start at all (PATH, and on Windows SYSTEMROOT). */
  readonly host: NodeJS.ProcessEnv;
}

/** The environment of one Lambda environment process: a clean one, as on Lambda (not the caller's), with the
 *  reserved variables last so user values cannot override them. */
export function buildEnvironment(inputs: EnvironmentInputs): Record<string, string> {
  const { config } = inputs;
  const region = config.region ?? DEFAULT_REGION;
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'SYSTEMROOT', 'LANG']) {
    const value = inputs.host[key];
    if (value !== undefined) env[key] = value;
  }
  env.TZ = ':UTC';
  env.LANG ??= 'en_US.UTF-8';
  for (const [key, value] of Object.entries(config.environment ?? {})) {
    if (!RESERVED_VARIABLES.has(key)) env[key] = value;
  }
  Object.assign(env, {
    _HANDLER: config.handler,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_LAMBDA_FUNCTION_NAME: config.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memorySize ?? DEFAULT_MEMORY_MB),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(config.name),
    AWS_LAMBDA_LOG_STREAM_NAME: inputs.logStream,
    AWS_LAMBDA_RUNTIME_API: inputs.runtimeApi,
    LAMBDA_TASK_ROOT: config.codeDir,
    LAMBDA_RUNTIME_DIR: inputs.runtimeDir,
  });
  // As Lambda sets them from LoggingConfig: the level only exists for the JSON format.
  env.AWS_LAMBDA_LOG_FORMAT = config.logging?.format ?? 'Text';
  if (config.logging?.format === 'JSON') env.AWS_LAMBDA_LOG_LEVEL = config.logging.applicationLogLevel ?? 'INFO';
  // Custom runtimes have no AWS_EXECUTION_ENV on Lambda.
  if (!config.runtime.startsWith('provided')) env.AWS_EXECUTION_ENV = `AWS_Lambda_${config.runtime}`;
  if (inputs.credentials) {
    env.AWS_ACCESS_KEY_ID = inputs.credentials.accessKeyId;
    env.AWS_ACCESS_KEY = inputs.credentials.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = inputs.credentials.secretAccessKey;
    if (inputs.credentials.sessionToken) env.AWS_SESSION_TOKEN = inputs.credentials.sessionToken;
  }
  return env;
}

/** Lambda's trace header for one invocation: under the caller's trace root when it passed one (API Gateway passes
 *  the request's), else a new one. */
export function traceId(root?: string): string {
  const hex = pooledRandom(24, 'hex');
  root ??= newTraceRoot(hex.slice(0, 24));
  return `Root=${root};Parent=${hex.slice(24, 40)};Sampled=0;Lineage=1:${hex.slice(40)}:0`;
}

/** An X-Ray trace root, `1-<epoch seconds, hex>-<24 hex>`. */
export function newTraceRoot(hex = pooledRandom(12, 'hex')): string {
  return `1-${Math.floor(Date.now() / 1000).toString(16).padStart(8, '0')}-${hex}`;
}

/** The `Root` of an `X-Amzn-Trace-Id` value, when it is a well-formed one. */
export function traceRootOf(header: string | undefined): string | undefined {
  return header ? /(?:^|;)\s*Root=(1-[0-9a-f]{8}-[0-9a-f]{24})\s*(?:;|$)/i.exec(header)?.[1] : undefined;
}

// Random bytes drawn from a pool filled 256 ids at a time: a randomBytes call per id costs a system call each, on
// every warm invocation.
const POOL_BYTES = 24 * 256;
let pool = Buffer.alloc(0);
let poolOffset = POOL_BYTES;

/** `bytes` random bytes from the same pool, as text in `encoding` (the local API's request ids use base64). */
export function pooledRandom(bytes: number, encoding: 'hex' | 'base64'): string {
  if (poolOffset + bytes > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const text = pool.toString(encoding, poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return text;
}
