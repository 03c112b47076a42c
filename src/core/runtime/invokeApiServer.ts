import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from '../logger';
import { listenOnLoopback } from '../net/listenOnLoopback';
import { refuseForeign } from '../net/loopbackGuard';
import { AsyncInvocationQueue, type AsyncQueueSettings } from './asyncQueue';
import { functionArn } from './environmentVariables';
import { validateEvent, type LocalLambda } from './localLambda';
import { ResponseStreamWriter } from './responseStreamApi';
import { safeDecode } from './runtimeApiServer';
import { ASYNC_PAYLOAD_LIMIT, LambdaServiceError, SYNC_PAYLOAD_LIMIT, type FunctionConfig, type InvokeResult } from './types';

export interface InvokeApiOptions {
  readonly lambda: LocalLambda;
  readonly functions: ReadonlyMap<string, FunctionConfig>;
  /** 0 picks a free port. Always bound to 127.0.0.1. */
  readonly port?: number;
  readonly logger?: Logger;
  /** Each completed invocation, for a caller that shows logs (the CLI prints them). */
  readonly onResult?: (functionName: string, result: InvokeResult) => void;
  /** Browser origins allowed to call (default none but the server's own; see loopbackGuard.ts). */
  readonly allowedOrigins?: readonly string[];
  /** Retries, delays and limits of `Event` invocations (default: Lambda's). */
  readonly asyncSettings?: AsyncQueueSettings;
}

export interface InvokeApi {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const STREAM_PATH = /^\/2021-11-15\/functions\/([^/]+)\/response-streaming-invocations$/;
const TAIL_BYTES = 4096;

/**
 * Lambda's Invoke API (`POST /2015-03-31/functions/{name}/invocations`) over local functions, so the AWS SDK and
 * `aws lambda invoke --endpoint-url` work against local code — like `sam local start-lambda`, without Docker.
 * RequestResponse, Event and DryRun; X-Amz-Function-Error; LogType Tail → X-Amz-Log-Result (last 4 KB, base64).
 * InvokeWithResponseStream (`POST /2021-11-15/functions/{name}/response-streaming-invocations`) passes a streaming
 * function's chunks on as they are written.
 */
export async function startInvokeApi(options: InvokeApiOptions): Promise<InvokeApi> {
  const queue = new AsyncInvocationQueue(options.lambda, options.onResult, options.logger, options.asyncSettings);
  let port = 0; // set once it listens (see listenOnLoopback)
  const server = createServer((req, res) => {
    if (refuseForeign(req, res, port, { allowedOrigins: options.allowedOrigins })) return;
    handle(req, res, options, queue).catch((error: unknown) => {
      options.logger?.error(error instanceof Error ? error : String(error));
      if (!res.headersSent) sendError(res, new LambdaServiceError('ServiceException', error instanceof Error ? error.message : String(error), 500));
    });
  });
  port = await listenOnLoopback(server, options.port);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      queue.close();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The function name out of the forms Lambda accepts: `name`, `name:qualifier`, the partial ARN
 *  `123456789012:function:name[:qualifier]` and the full ARN `arn:aws:lambda:region:account:function:name[:qualifier]`. */
export function functionNameFrom(identifier: string): { name: string; qualifier?: string } {
  const parts = identifier.split(':');
  if (parts[0] === 'arn') return { name: parts[6] ?? '', qualifier: parts[7] };
  if (parts[1] === 'function' && parts.length >= 3) return { name: parts[2], qualifier: parts[3] };
  return { name: parts[0], qualifier: parts[1] };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: InvokeApiOptions, queue: AsyncInvocationQueue): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const streaming = STREAM_PATH.exec(url.pathname);
  const match = INVOKE_PATH.exec(url.pathname) ?? streaming;
  if (!match || req.method !== 'POST') {
    req.resume();
    return sendError(res, new LambdaServiceError('ResourceNotFoundException', `Unknown operation ${req.method} ${url.pathname}`, 404));
  }
  const identifier = safeDecode(match[1]);
  if (identifier === undefined) {
    req.resume();
    return sendError(res, new LambdaServiceError('InvalidRequestContentException', `The function name '${match[1]}' is not valid percent-encoding.`, 400));
  }
  const { name, qualifier } = functionNameFrom(identifier);
  const config = options.functions.get(name);
  const qualifierParam = url.searchParams.get('Qualifier') ?? qualifier;
  if (!config || (qualifierParam && qualifierParam !== '$LATEST')) {
    req.resume();
    const arn = config ? functionArn(config) : `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
    return sendError(res, new LambdaServiceError('ResourceNotFoundException',
      `Function not found: ${arn}${qualifierParam ? `:${qualifierParam}` : ''}. Local functions: ${[...options.functions.keys()].join(', ') || 'none'}.`, 404));
  }
  const type = header(req, 'x-amz-invocation-type') ?? 'RequestResponse';
  if (streaming && type !== 'RequestResponse' && type !== 'DryRun') {
    req.resume();
    return sendError(res, new LambdaServiceError('InvalidRequestContentException', `1 validation error detected: Value '${type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, DryRun]`, 400));
  }
  const limit = type === 'Event' ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
  const body = await readBody(req, limit);
  if (body === undefined) {
    return sendError(res, new LambdaServiceError('RequestTooLargeException', `Request must be smaller than ${limit} bytes for the InvokeFunction operation`, 413));
  }
  const event = body.length === 0 ? '{}' : body.toString('utf8');
  if (type === 'DryRun') {
    res.writeHead(204, { 'x-amzn-RequestId': randomUUID() }).end();
    return;
  }
  let clientContext: unknown;
  const encodedContext = header(req, 'x-amz-client-context');
  if (encodedContext) {
    try { clientContext = JSON.parse(Buffer.from(encodedContext, 'base64').toString('utf8')); } catch {
      return sendError(res, new LambdaServiceError('InvalidRequestContentException', 'Client context must be a valid Base64-encoded JSON object.', 400));
    }
  }
  if (type === 'Event') {
    // Asynchronous: accepted at once into Lambda's internal queue (see asyncQueue.ts).
    try { validateEvent(event); } catch (error) { return sendError(res, error); }
    const requestId = randomUUID();
    queue.enqueue(config, event, requestId, clientContext);
    res.writeHead(202, { 'x-amzn-RequestId': requestId, 'Content-Length': 0 }).end();
    return;
  }
  if (type !== 'RequestResponse') {
    return sendError(res, new LambdaServiceError('InvalidRequestContentException', `1 validation error detected: Value '${type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`, 400));
  }
  if (streaming) return invokeStreaming(req, res, options, config, name, event, clientContext);
  let result: InvokeResult;
  try {
    result = await options.lambda.invoke(config, event, { clientContext });
  } catch (error) {
    return sendError(res, error);
  }
  options.onResult?.(name, result);
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'x-amzn-RequestId': result.requestId,
    'X-Amz-Executed-Version': '$LATEST',
    'Content-Length': Buffer.byteLength(result.payload),
  };
  if (result.functionError) headers['X-Amz-Function-Error'] = result.functionError;
  if (header(req, 'x-amz-log-type') === 'Tail') headers['X-Amz-Log-Result'] = logTail(result.logs);
  res.writeHead(200, headers).end(result.payload);
}

async function invokeStreaming(req: IncomingMessage, res: ServerResponse, options: InvokeApiOptions, config: FunctionConfig,
  name: string, event: string, clientContext: unknown): Promise<void> {
  let writer: ResponseStreamWriter | undefined;
  let result: InvokeResult;
  try {
    result = await options.lambda.invoke(config, event, {
      clientContext,
      // Chunks leave as they arrive, the head with the first of them.
      onResponseChunk: (chunk, requestId, contentType) => (writer ??= new ResponseStreamWriter(res, requestId)).chunk(chunk, contentType),
    });
  } catch (error) {
    if (!res.headersSent) return sendError(res, error);
    res.destroy();
    return;
  }
  options.onResult?.(name, result);
  writer ??= new ResponseStreamWriter(res, result.requestId);
  writer.complete(result, header(req, 'x-amz-log-type') === 'Tail' ? logTail(result.logs) : undefined);
}

/** The last 4 KB of an invocation's CloudWatch lines, base64, as X-Amz-Log-Result carries them. */
export function logTail(lines: readonly string[]): string {
  const text = Buffer.from(`${lines.filter((l) => !l.startsWith('ESTIMATE ')).join('\n')}\n`);
  return text.subarray(Math.max(0, text.length - TAIL_BYTES)).toString('base64');
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** An error as the service sends it: status, x-amzn-ErrorType, and a JSON body with Type and message. */
function sendError(res: ServerResponse, error: unknown): void {
  const e = error instanceof LambdaServiceError ? error : new LambdaServiceError('ServiceException', error instanceof Error ? error.message : String(error), 500);
  const body = JSON.stringify({ Type: e.statusCode >= 500 ? 'Service' : 'User', message: e.message, ...(e.errorType === 'TooManyRequestsException' ? { Reason: 'ConcurrentInvocationLimitExceeded' } : {}) });
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json', 'x-amzn-ErrorType': e.errorType, 'x-amzn-RequestId': randomUUID(), 'Content-Length': Buffer.byteLength(body),
  };
  if (e.errorType === 'TooManyRequestsException') headers['Retry-After'] = '1';
  res.writeHead(e.statusCode, headers).end(body);
}
