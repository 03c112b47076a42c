import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger';
import { listenOnLoopback } from '../net/listenOnLoopback';
import { refuseForeign } from '../net/loopbackGuard';
import { CLIENT_FACING, MinimalHttpServer, type MinimalRequest, type MinimalResponse } from '../net/minimalHttpServer';
import { readRequestBody } from '../net/requestBody';
import { requestTarget } from '../net/requestTarget';
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
const BODY_KEPT = Math.max(SYNC_PAYLOAD_LIMIT, ASYNC_PAYLOAD_LIMIT);

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
  // The body is read first: up to the larger payload limit it is kept, beyond it only counted (handle() answers 413).
  const server = new MinimalHttpServer((req, res) => readRequestBody(req, BODY_KEPT, (body, size) => {
    if (refuseForeign(req, res, port, { allowedOrigins: options.allowedOrigins })) return;
    handle(req, res, { body, size }, options, queue).catch((error: unknown) => {
      options.logger?.error(error instanceof Error ? error : String(error));
      if (res.status === 0) sendError(res, new LambdaServiceError('ServiceException', error instanceof Error ? error.message : String(error), 500));
    });
  }), CLIENT_FACING);
  port = await listenOnLoopback(server.listener, options.port);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => {
      queue.close();
      return server.close();
    },
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

/** `received.body`: undefined when it was over every payload limit; `size`: its length in bytes. */
async function handle(req: MinimalRequest, res: MinimalResponse, received: { body: Buffer | undefined; size: number }, options: InvokeApiOptions, queue: AsyncInvocationQueue): Promise<void> {
  const url = requestTarget(req.url);
  const streaming = STREAM_PATH.exec(url.pathname);
  const match = INVOKE_PATH.exec(url.pathname) ?? streaming;
  if (!match || req.method !== 'POST') {
    // Not "not found": an SDK caller checking that a function exists (GetFunction) must not read that it does not.
    return sendError(res, new LambdaServiceError('UnknownOperationException',
      `The local Invoke API serves Invoke and InvokeWithResponseStream only, not ${operationName(req.method, url.pathname)} (${req.method} ${url.pathname}).`, 400));
  }
  const identifier = safeDecode(match[1]);
  if (identifier === undefined) {
    return sendError(res, new LambdaServiceError('InvalidRequestContentException', `The function name '${match[1]}' is not valid percent-encoding.`, 400));
  }
  const { name, qualifier } = functionNameFrom(identifier);
  const config = options.functions.get(name);
  const qualifierParam = (url.query ? new URLSearchParams(url.query).get('Qualifier') : null) ?? qualifier;
  if (!config || (qualifierParam && qualifierParam !== '$LATEST')) {
    const arn = config ? functionArn(config) : `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
    return sendError(res, new LambdaServiceError('ResourceNotFoundException',
      `Function not found: ${arn}${qualifierParam ? `:${qualifierParam}` : ''}. Local functions: ${[...options.functions.keys()].join(', ') || 'none'}.`, 404));
  }
  const type = header(req, 'x-amz-invocation-type') ?? 'RequestResponse';
  if (streaming && type !== 'RequestResponse' && type !== 'DryRun') {
    return sendError(res, new LambdaServiceError('InvalidRequestContentException', `1 validation error detected: Value '${type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, DryRun]`, 400));
  }
  const limit = type === 'Event' ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
  const body = received.body;
  if (body === undefined || received.size > limit) {
    return sendError(res, new LambdaServiceError('RequestTooLargeException', `Request must be smaller than ${limit} bytes for the InvokeFunction operation`, 413));
  }
  const event = body.length === 0 ? '{}' : body.toString('utf8');
  const logType = header(req, 'x-amz-log-type');
  if (logType !== undefined && logType !== 'None' && logType !== 'Tail') {
    return sendError(res, new LambdaServiceError('InvalidRequestContentException', `1 validation error detected: Value '${logType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]`, 400));
  }
  const encodedContext = header(req, 'x-amz-client-context');
  const clientContext = encodedContext ? decodeClientContext(encodedContext) : undefined;
  if (clientContext instanceof LambdaServiceError) return sendError(res, clientContext);
  if (type === 'DryRun') {
    // Everything a call would check, checked; nothing run.
    try { validateEvent(event); } catch (error) { return sendError(res, error); }
    return res.send(204, { 'x-amzn-RequestId': randomUUID() }, '');
  }
  if (type === 'Event') {
    // Asynchronous: accepted at once into Lambda's internal queue (see asyncQueue.ts).
    try { validateEvent(event); } catch (error) { return sendError(res, error); }
    const requestId = randomUUID();
    queue.enqueue(config, event, requestId, clientContext);
    return res.send(202, { 'x-amzn-RequestId': requestId }, '');
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
  };
  if (result.functionError) headers['X-Amz-Function-Error'] = result.functionError;
  if (header(req, 'x-amz-log-type') === 'Tail') headers['X-Amz-Log-Result'] = logTail(result.logs);
  res.send(200, headers, result.payload);
}

async function invokeStreaming(req: MinimalRequest, res: MinimalResponse, options: InvokeApiOptions, config: FunctionConfig,
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
    if (res.status === 0) return sendError(res, error);
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

function header(req: MinimalRequest, name: string): string | undefined {
  return req.headers[name];
}

/** An error as the service sends it: status, x-amzn-ErrorType, and a JSON body with Type and message. */
/** Lambda's limit: up to 3 583 bytes of base64, a JSON object once decoded. */
const CLIENT_CONTEXT_LIMIT = 3583;

/** The decoded ClientContext, or the error Lambda answers for it. */
function decodeClientContext(encoded: string): unknown {
  const refuse = (message: string): LambdaServiceError => new LambdaServiceError('InvalidRequestContentException', message, 400);
  if (encoded.length > CLIENT_CONTEXT_LIMIT) return refuse(`Client context must be at most ${CLIENT_CONTEXT_LIMIT} bytes of base64 (got ${encoded.length}).`);
  let value: unknown;
  try {
    if (/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) && encoded.length % 4 === 0) value = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    value = undefined;
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : refuse('Client context must be a valid Base64-encoded JSON object.');
}

/** The Lambda API operation a request is, for saying which one is not served here. */
function operationName(method: string, path: string): string {
  if (method === 'GET' && /^\/20\d\d-\d\d-\d\d\/functions\/?$/.test(path)) return 'ListFunctions';
  if (method === 'GET' && /^\/20\d\d-\d\d-\d\d\/functions\/[^/]+\/configuration$/.test(path)) return 'GetFunctionConfiguration';
  if (method === 'GET' && /^\/20\d\d-\d\d-\d\d\/functions\/[^/]+\/?$/.test(path)) return 'GetFunction';
  return 'this operation';
}

function sendError(res: MinimalResponse, error: unknown): void {
  const e = error instanceof LambdaServiceError ? error : new LambdaServiceError('ServiceException', error instanceof Error ? error.message : String(error), 500);
  const body = JSON.stringify({ Type: e.statusCode >= 500 ? 'Service' : 'User', message: e.message, ...(e.errorType === 'TooManyRequestsException' ? { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' } : {}) });
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json', 'x-amzn-ErrorType': e.errorType, 'x-amzn-RequestId': randomUUID(),
  };
  if (e.errorType === 'TooManyRequestsException') headers['Retry-After'] = '1';
  res.send(e.statusCode, headers, body);
}
