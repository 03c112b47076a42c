import { MinimalHttpServer, type MinimalRequest, type MinimalResponse } from '../net/minimalHttpServer';
import { listenOnLoopback } from '../net/listenOnLoopback';
import { MAX_RSS_HEADER } from './processMemory';
import { RESPONSE_PAYLOAD_LIMIT } from './types';

/** One event handed to the runtime by `GET /runtime/invocation/next`. */
export interface PendingInvocation {
  readonly requestId: string;
  readonly event: string;
  readonly deadlineMs: number;
  readonly functionArn: string;
  readonly traceId: string;
  readonly clientContext?: string;
  readonly cognitoIdentity?: string;
}

/** What the runtime posted back, as the service sees it. `streamed`: the body came in streaming mode (its chunks
 *  were handed to `onStreamChunk` as they arrived); a streamed error is the one the runtime put in the trailers. */
export type RuntimeReply =
  | { readonly kind: 'response'; readonly requestId: string; readonly body: Buffer; readonly maxRssKb?: number; readonly streamed?: boolean; readonly contentType?: string; readonly endMarks?: EndMarks }
  | { readonly kind: 'error'; readonly requestId: string; readonly body: Buffer; readonly errorType?: string; readonly maxRssKb?: number; readonly streamed?: boolean; readonly endMarks?: EndMarks }
  | { readonly kind: 'init-error'; readonly body: Buffer; readonly errorType?: string; readonly maxRssKb?: number }
  | { readonly kind: 'response-too-large'; readonly requestId: string; readonly size: number; readonly limit: number; readonly maxRssKb?: number };

/** Which output streams our bootstraps marked the end of an invocation on (header `lambda-workbench-end-marks`, not an
 *  AWS one): a stream nothing was written to gets no mark. Absent: both, or none for runtimes that write no marks. */
export interface EndMarks { readonly out: boolean; readonly err: boolean }
const END_MARKS_HEADER = 'lambda-workbench-end-marks';
/** On an outcome POST (not an AWS header): answer with the next event instead of 202, one round trip per warm call. */
const THEN_NEXT_HEADER = 'lambda-workbench-then-next';

export interface RuntimeApiEvents {
  /** The runtime asked for its next event (the first call marks the end of init). */
  onNext(maxRssKb?: number): void;
  onReply(reply: RuntimeReply): void;
  /** A streaming response began (`Lambda-Runtime-Function-Response-Mode: streaming`), with its content type. */
  onStreamStart?(requestId: string, contentType: string): void;
  /** One piece of a streaming response, as it arrived. */
  onStreamChunk?(requestId: string, chunk: Buffer): void;
  /** An event could not be sent: one of its values is no header value (the runtime still waits for an event). */
  onUndeliverable?(requestId: string, error: Error): void;
}

/** Lambda's limit on a streamed response (200 MB since 2025). */
export const STREAMED_RESPONSE_LIMIT = 200 * 1024 * 1024;

const PREFIX = '/2018-06-01/runtime';
/** Our bootstraps' own request (not in the Runtime API): see RuntimeApiServer.openDebugGate. */
const DEBUG_GATE_PATH = `${PREFIX}/lambda-workbench/debugger-ready`;
const DEBUG_GATE_MS = 5000;

/**
 * The Lambda Runtime API for one environment, on 127.0.0.1 and a random port. It implements the endpoints and
 * headers of the Runtime API reference (next, response, error, init/error) closely enough for AWS's own runtime
 * interface clients to run against it unmodified.
 */
export class RuntimeApiServer {
  private readonly server: MinimalHttpServer;
  private port = 0;
  private waiting?: MinimalResponse;
  private queued?: PendingInvocation;
  private inFlight?: string;

  private constructor(private readonly events: RuntimeApiEvents, private readonly debugGateMs: number) {
    // Runtimes keep one connection open and long-poll /next: the minimal server has no timeouts.
    this.server = new MinimalHttpServer((req, res) => this.route(req, res));
  }

  /** `debugGateMs`: how long the debugger-ready request waits at most (a test shortens it). */
  static async start(events: RuntimeApiEvents, { debugGateMs = DEBUG_GATE_MS }: { debugGateMs?: number } = {}): Promise<RuntimeApiServer> {
    const api = new RuntimeApiServer(events, debugGateMs);
    api.port = await listenOnLoopback(api.server.listener);
    return api;
  }

  /** `host:port`, the value of AWS_LAMBDA_RUNTIME_API. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Hands an event to the runtime: now if it is waiting on /next, else when it next asks. */
  deliver(invocation: PendingInvocation): void {
    this.queued = invocation;
    this.flush();
  }

  close(): void {
    if (this.gate.timer) clearTimeout(this.gate.timer);
    for (const res of this.gate.waiting.splice(0)) res.destroy();
    this.waiting?.destroy();
    this.waiting = undefined;
    void this.server.close();
  }

  private flush(): void {
    const res = this.waiting;
    const inv = this.queued;
    if (!res || !inv) return;
    this.waiting = undefined;
    this.queued = undefined;
    this.inFlight = inv.requestId;
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json',
      'Lambda-Runtime-Aws-Request-Id': inv.requestId,
      'Lambda-Runtime-Deadline-Ms': inv.deadlineMs,
      'Lambda-Runtime-Invoked-Function-Arn': inv.functionArn,
      'Lambda-Runtime-Trace-Id': inv.traceId,
    };
    if (inv.clientContext !== undefined) headers['Lambda-Runtime-Client-Context'] = asciiJson(inv.clientContext);
    if (inv.cognitoIdentity !== undefined) headers['Lambda-Runtime-Cognito-Identity'] = asciiJson(inv.cognitoIdentity);
    try {
      res.send(200, headers, inv.event);
    } catch (error) {
      // Names and regions are checked where they are accepted; this keeps any value that slipped through from
      // throwing out of the server (which would end the process, or leave the call waiting forever).
      this.inFlight = undefined;
      this.waiting = res;
      this.events.onUndeliverable?.(inv.requestId, error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** A long poll for the next event: answered by deliver(). */
  /** `maxRssKb`: what init used, which our bootstraps say with their first GET /next (a runtime that then exits in
   *  its first call has posted no other figure). */
  private awaitNext(res: MinimalResponse, maxRssKb?: number): void {
    if (this.waiting) {
      // Only one runtime process per environment: a second poller gets what the service answers.
      return json(res, 403, { errorMessage: 'Another /next request is already pending', errorType: 'InvalidStateTransition' });
    }
    this.waiting = res;
    res.onClose = () => { if (this.waiting === res) this.waiting = undefined; };
    this.events.onNext(maxRssKb);
    this.flush();
  }

  /** Under a debugger (not an AWS endpoint): our Node bootstrap asks before it loads the handler, and is answered
   *  once the debugger has set its breakpoints (openDebugGate), so a breakpoint in init code always binds in time —
   *  or after debugGateMs (5 s), so a debugger that never says so delays a session, never hangs it. */
  private gate: { open: boolean; waiting: MinimalResponse[]; timer?: NodeJS.Timeout } = { open: false, waiting: [] };

  openDebugGate(): void {
    this.gate.open = true;
    if (this.gate.timer) clearTimeout(this.gate.timer);
    for (const res of this.gate.waiting.splice(0)) res.send(204, {}, '');
  }

  private awaitDebugGate(res: MinimalResponse): void {
    if (this.gate.open) return res.send(204, {}, '');
    this.gate.waiting.push(res);
    this.gate.timer ??= setTimeout(() => this.openDebugGate(), this.debugGateMs);
  }

  private route(req: MinimalRequest, res: MinimalResponse): void {
    const url = req.url;
    if (req.method === 'GET' && url === `${PREFIX}/invocation/next`) return this.awaitNext(res, reportedKb(header(req, MAX_RSS_HEADER)));
    if (req.method === 'GET' && url === DEBUG_GATE_PATH) return this.awaitDebugGate(res);
    if (req.method !== 'POST') return json(res, 405, { errorMessage: 'Method not allowed', errorType: 'MethodNotAllowed' });
    const invocation = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    const isInitError = url === `${PREFIX}/init/error`;
    if (!invocation && !isInitError) return json(res, 404, { errorMessage: `Unknown path ${url}`, errorType: 'NotFound' });
    const requestId = invocation ? safeDecode(invocation[1]) : undefined;
    if (invocation && (requestId === undefined || requestId !== this.inFlight)) {
      return json(res, 400, { errorMessage: `Invalid request ID: '${requestId ?? invocation[1]}'`, errorType: 'InvalidRequestID' });
    }
    const errorType = header(req, 'lambda-runtime-function-error-type');
    const headerRss = reportedKb(header(req, MAX_RSS_HEADER));
    const streamed = invocation?.[2] === 'response' && header(req, 'lambda-runtime-function-response-mode')?.toLowerCase() === 'streaming';
    const limit = streamed ? STREAMED_RESPONSE_LIMIT : RESPONSE_PAYLOAD_LIMIT;
    const contentType = header(req, 'content-type') ?? 'application/octet-stream';
    if (streamed) this.events.onStreamStart?.(requestId!, contentType);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.onData = (chunk) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
      if (streamed && !tooLarge) this.events.onStreamChunk?.(requestId!, chunk);
    };
    req.onEnd = () => {
      const body = Buffer.concat(chunks);
      // A streamed upload says its peak again in its trailers, after the whole body was written.
      const trailerRss = streamed ? reportedKb(trailer(req, MAX_RSS_HEADER)) : undefined;
      const maxRssKb = trailerRss === undefined ? headerRss : Math.max(trailerRss, headerRss ?? 0);
      if (isInitError) {
        json(res, 202, { status: 'OK' });
        this.events.onReply({ kind: 'init-error', body, errorType, maxRssKb });
        return;
      }
      this.inFlight = undefined;
      if (tooLarge && invocation![2] === 'response') {
        json(res, 413, { errorMessage: `Exceeded maximum allowed payload size (${limit} bytes).`, errorType: 'RequestEntityTooLarge' });
        this.events.onReply({ kind: 'response-too-large', requestId: requestId!, size, limit, maxRssKb });
        return;
      }
      // Our bootstraps ask for the next event with the outcome (THEN_NEXT_HEADER): this request's answer is that event.
      const thenNext = header(req, THEN_NEXT_HEADER) === '1';
      if (!thenNext) json(res, 202, { status: 'OK' });
      // A streamed response that failed says so in its trailers: the error type, and the error body in base64.
      const trailerType = streamed ? trailer(req, 'lambda-runtime-function-error-type') : undefined;
      if (trailerType) {
        const encoded = trailer(req, 'lambda-runtime-function-error-body');
        this.events.onReply({ kind: 'error', requestId: requestId!, errorType: trailerType, maxRssKb, streamed,
          body: encoded ? Buffer.from(encoded, 'base64') : Buffer.from(JSON.stringify({ errorType: trailerType, errorMessage: '' })) });
        if (thenNext) this.awaitNext(res);
        return;
      }
      const marks = header(req, END_MARKS_HEADER);
      const endMarks = marks === undefined ? undefined : { out: marks.includes('out'), err: marks.includes('err') };
      this.events.onReply(invocation![2] === 'response'
        ? { kind: 'response', requestId: requestId!, body, maxRssKb, streamed, contentType, endMarks }
        : { kind: 'error', requestId: requestId!, body, errorType, maxRssKb, endMarks });
      if (thenNext) this.awaitNext(res);
    };
  }
}

function header(req: MinimalRequest, name: string): string | undefined {
  return req.headers[name];
}

/** Our bootstraps' own peak resident memory in KiB (MAX_RSS_HEADER), if they gave one. */
function reportedKb(value: string | undefined): number | undefined {
  const kb = Number(value);
  return value !== undefined && Number.isFinite(kb) && kb > 0 ? kb : undefined;
}

function trailer(req: MinimalRequest, name: string): string | undefined {
  const value = req.trailers[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** JSON text with every non-ASCII character as a `\\u` escape: the same value to any JSON parser, and a header value
 *  that is the same bytes however a runtime decodes its headers (and that HTTP can carry at all: no `€`). */
function asciiJson(text: string): string {
  return text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function json(res: MinimalResponse, status: number, body: unknown): void {
  res.send(status, { 'Content-Type': 'application/json' }, JSON.stringify(body));
}

/** A path segment decoded, or undefined when it is not valid percent-encoding (`%ZZ`): a 4xx, never a throw. */
export function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
