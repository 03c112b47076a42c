/** A Lambda runtime identifier as in a SAM template or `CreateFunction`: `nodejs20.x`, `python3.12`, `provided.al2023`. */
export type RuntimeId = string;

export type RuntimeFamily = 'nodejs' | 'python' | 'provided';

/** The runtimes Lambda accepts for new and updated functions (plus the deprecated ones still found in templates),
 *  from the Lambda runtime table. */
export const KNOWN_RUNTIMES: readonly RuntimeId[] = [
  'nodejs16.x', 'nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'nodejs24.x',
  'python3.8', 'python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13', 'python3.14',
  'provided', 'provided.al2', 'provided.al2023',
];

export function runtimeFamily(runtime: RuntimeId): RuntimeFamily {
  if (runtime.startsWith('nodejs')) return 'nodejs';
  if (runtime.startsWith('python')) return 'python';
  if (runtime.startsWith('provided')) return 'provided';
  throw new Error(`Unsupported runtime '${runtime}'. Supported: nodejs18.x–nodejs24.x, python3.9–python3.14, provided.al2, provided.al2023.`);
}

/** Everything that defines one local function: what to run and the configuration Lambda would apply. */
export interface FunctionConfig {
  /** Function name (AWS_LAMBDA_FUNCTION_NAME, log group, ARN). */
  readonly name: string;
  readonly runtime: RuntimeId;
  /** `module.function` relative to codeDir, e.g. `src/api/users.handler`; ignored by custom runtimes. */
  readonly handler: string;
  /** The task root (LAMBDA_TASK_ROOT): the unzipped deployment package. */
  readonly codeDir: string;
  /** MB, 128–10 240 (default 128). */
  readonly memorySize?: number;
  /** Seconds, 1–900 (default 3). */
  readonly timeout?: number;
  /** User variables (template Environment.Variables, .env, launch config); reserved names cannot be overridden. */
  readonly environment?: Readonly<Record<string, string>>;
  /** The part of `environment` that came from local files (`.env`, `--env-file`): used by local runs, uploaded by a
   *  deploy only when the user asks; `declaredEnvironment` is what the template alone says. */
  readonly localEnvironment?: Readonly<Record<string, string>>;
  readonly declaredEnvironment?: Readonly<Record<string, string>>;
  readonly architecture?: 'x86_64' | 'arm64';
  /** Set when nothing named the runtime and it was inferred from the local interpreter (a handler path). */
  readonly runtimeInferred?: boolean;
  readonly region?: string;
  readonly accountId?: string;
  /** `LoggingConfig`: Lambda's text or JSON records and, for JSON, the application and system log levels. */
  readonly logging?: LoggingConfig;
  /** Layer folders in order (later over earlier), each laid out as Lambda extracts a layer under /opt. */
  readonly layers?: readonly string[];
  /** SAM's esbuild build (`Metadata.BuildProperties.EntryPoints`, relative to codeDir): the TypeScript sources
   *  whose built files the Handler names (`src/handlers/foo.ts` builds `foo.js`). */
  readonly entryPoints?: readonly string[];
  /** Raised when the code changed on disk (a local API's hot reload): a different configuration, so the next call
   *  gets a fresh environment with the new code while calls under way finish on the old one. */
  readonly codeRevision?: number;
}

export type LogFormat = 'Text' | 'JSON';
export const APPLICATION_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export const SYSTEM_LOG_LEVELS = ['DEBUG', 'INFO', 'WARN'] as const;
export type ApplicationLogLevel = typeof APPLICATION_LOG_LEVELS[number];
export type SystemLogLevel = typeof SYSTEM_LOG_LEVELS[number];

/** A function's `LoggingConfig` as CreateFunction and SAM take it; levels apply only to the JSON format. */
export interface LoggingConfig {
  readonly format: LogFormat;
  /** Default INFO. */
  readonly applicationLogLevel?: ApplicationLogLevel;
  /** Default INFO. */
  readonly systemLogLevel?: SystemLogLevel;
}

export const DEFAULT_MEMORY_MB = 128;
export const DEFAULT_TIMEOUT_S = 3;
export const MIN_MEMORY_MB = 128;
export const MAX_MEMORY_MB = 10_240;
export const MAX_TIMEOUT_S = 900;
/** 6 MB: the synchronous request and response limit (the service says "6291456 bytes"). */
export const SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
/** A synchronous response may be this large: Lambda's limit (and message) is 100 bytes over the request's. */
export const RESPONSE_PAYLOAD_LIMIT = 6_291_556;
/** 1 MB: the asynchronous (`Event`) request limit since 2025. */
export const ASYNC_PAYLOAD_LIMIT = 1024 * 1024;

/** The error payload Lambda returns for a failed invocation. */
export interface FunctionError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly stackTrace?: string[];
  readonly trace?: string[];
}

export interface InvokeResult {
  readonly requestId: string;
  /** The response payload as the service returns it (JSON text); for a function error, the error JSON. */
  readonly payload: string;
  /** Set when the function failed: `Unhandled` as in X-Amz-Function-Error. */
  readonly functionError?: 'Unhandled';
  readonly error?: FunctionError;
  /** This invocation's log lines, START to REPORT, as CloudWatch shows them. */
  readonly logs: string[];
  readonly durationMs: number;
  readonly billedDurationMs: number;
  readonly initDurationMs?: number;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedMb: number;
  readonly coldStart: boolean;
  readonly timedOut: boolean;
  readonly environmentId: string;
  readonly cost: InvocationCost;
  /** The function streamed its response (`payload` is every chunk joined); `contentType` is the stream's. */
  readonly streamed?: boolean;
  readonly contentType?: string;
}

export interface InvocationCost {
  readonly billedGbSeconds: number;
  readonly requestUsd: number;
  readonly computeUsd: number;
  readonly totalUsd: number;
  readonly perMillionUsd: number;
}

/** Options of one invocation. */
export interface InvokeOptions {
  /** Start a fresh environment even if a warm one is idle. */
  readonly cold?: boolean;
  readonly clientContext?: unknown;
  readonly identity?: unknown;
  /** The caller's X-Ray trace root (`1-5759e988-bd862e3fe1be46a994272793`): the function's trace id is under it. */
  readonly traceRoot?: string;
  /** Receives each log line as it is produced (START, the function's output, END, REPORT, the cost line). */
  readonly onLog?: (line: string) => void;
  /** A streaming function's response, each chunk as the function writes it (before the invocation ends). */
  readonly onResponseChunk?: (chunk: Buffer, requestId: string, contentType: string) => void;
  readonly signal?: AbortSignal;
}

/** The service's own exceptions (not the function's): thrown by `invoke`, mapped to HTTP errors by `serve`. */
export class LambdaServiceError extends Error {
  constructor(readonly errorType: 'TooManyRequestsException' | 'RequestTooLargeException' | 'ResourceNotFoundException' | 'InvalidRequestContentException' | 'UnknownOperationException' | 'ServiceException',
    message: string, readonly statusCode: number) {
    super(message);
    this.name = errorType;
  }
}
