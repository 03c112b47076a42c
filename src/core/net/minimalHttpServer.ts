import { createServer, type Server, type Socket } from 'node:net';
import { keyedRecord } from '../json/keyedRecord';
import { responseHead, STATUS_CODES, type HeaderPairs } from './httpHead';

export type { HeaderPairs } from './httpHead';

/**
 * A minimal HTTP/1.1 server. node:http's request and response objects cost a fresh process ~0.25 ms of CPU per round
 * trip until the JIT has warmed up (three times this reader's, measured), and every warm invocation crosses one of
 * these servers twice: the Runtime API (the runtime process of an environment) and the local API (the user's client).
 *
 * What clients send is covered: Content-Length and chunked bodies (chunks handed on as they arrive, trailers read),
 * `Expect: 100-continue` (curl sends it for large bodies), keep-alive with pipelined requests answered in order, and
 * `Connection: close` / HTTP/1.0. A malformed request is answered 400 and the connection closed. Responses are one
 * write with Content-Length, or streamed in chunks; HEAD, 204 and 304 answers carry no body; header names and values
 * are checked as node:http checks them, so a function's header cannot split a response.
 */
export interface MinimalRequest {
  readonly method: string;
  readonly url: string;
  /** Lower-case names; a repeated header's values joined with ", " (as node:http does for most). */
  readonly headers: Readonly<Record<string, string>>;
  /** Trailers of a chunked body, filled in before onEnd. */
  readonly trailers: Record<string, string>;
  /** Header names and values in the order received, names as sent (like node:http's `rawHeaders`). */
  readonly rawHeaders: readonly string[];
  readonly httpVersion: '1.0' | '1.1';
  /** The peer's address (`127.0.0.1`). */
  readonly remoteAddress: string | undefined;
  /** Set by the handler, synchronously, to receive the body. */
  onData?: (chunk: Buffer) => void;
  onEnd?: () => void;
}

export interface MinimalResponse {
  /** Writes the whole response (one write, with Content-Length). Later calls, and calls after start(), are ignored. */
  send(status: number, headers: Readonly<Record<string, string | number>> | HeaderPairs, body: string | Buffer): void;
  /** Begins a response whose body follows through write() and end(): chunked (HTTP/1.0: until the connection closes). */
  start(status: number, headers: HeaderPairs): void;
  write(chunk: string | Buffer): void;
  end(): void;
  /** The status once send() or start() has been called, else 0. */
  readonly status: number;
  /** Called once if the connection closes before the response is complete. */
  onClose?: () => void;
  destroy(): void;
}

export interface MinimalServerOptions {
  /** Largest request head or trailer section accepted (431 beyond); default 1 MB (a streamed error's body travels
   *  base64 in a trailer). */
  readonly maxHeadBytes?: number;
  /** Sends a Date header, as general-purpose servers do (the local API; runtimes have no use for it). */
  readonly dateHeader?: boolean;
}

/** What browsers, curl and the AWS SDK get that runtimes need not: a Date header, and node:http's 16 KB head limit. */
export const CLIENT_FACING: MinimalServerOptions = { dateHeader: true, maxHeadBytes: 16 * 1024 };

export type MinimalHandler = (req: MinimalRequest, res: MinimalResponse) => void;

const MAX_HEAD_BYTES = 1024 * 1024;

export class MinimalHttpServer {
  readonly listener: Server;
  private readonly sockets = new Set<Socket>();

  constructor(handler: MinimalHandler, options: MinimalServerOptions = {}) {
    const settings = { maxHeadBytes: options.maxHeadBytes ?? MAX_HEAD_BYTES, dateHeader: options.dateHeader ?? false };
    this.listener = createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      new Connection(socket, handler, settings);
    });
  }

  /** Stops listening and drops every connection (a runtime's long poll included); resolves once closed. */
  close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.listener.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    return closed;
  }
}

/** One response: its bytes so far, and whether it is complete. `chunked`: a streamed body's pieces are framed. */
interface Slot { pieces: (string | Buffer)[]; status: number; done: boolean; close: boolean; chunked: boolean; onClose?: () => void }

type Body = { kind: 'length'; left: number } | { kind: 'chunk-size' } | { kind: 'chunk-data'; left: number } | { kind: 'chunk-end' } | { kind: 'trailers' };

class Connection {
  private inbox: Buffer = Buffer.alloc(0);
  private request?: MinimalRequest;
  private body?: Body;
  /** Responses in request order: a pipelined request's answer waits for the ones before it. */
  private readonly slots: Slot[] = [];
  private closing = false;

  constructor(private readonly socket: Socket, private readonly handler: MinimalHandler, private readonly settings: Required<MinimalServerOptions>) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.inbox = this.inbox.length ? Buffer.concat([this.inbox, chunk]) : chunk;
      this.parse();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      for (const slot of this.slots.splice(0)) if (!slot.done) slot.onClose?.();
    });
  }

  private parse(): void {
    while (!this.closing && !this.socket.destroyed) {
      if (!this.request) {
        if (!this.readHead()) return;
      } else if (!this.readBody()) return;
    }
  }

  /** Reads a request line and headers; false when more bytes are needed. */
  private readHead(): boolean {
    const end = this.inbox.indexOf('\r\n\r\n');
    if (end < 0) {
      if (this.inbox.length > this.settings.maxHeadBytes) this.refuse(431);
      return false;
    }
    if (end > this.settings.maxHeadBytes) return this.refuse(431);
    const lines = this.inbox.toString('latin1', 0, end).split('\r\n');
    this.inbox = this.inbox.subarray(end + 4);
    const start = /^([A-Z]+) (\S+) HTTP\/1\.([01])$/.exec(lines[0]);
    const rawHeaders: string[] = [];
    const headers = start && parseFields(lines, 1, rawHeaders);
    if (!start || !headers) return this.refuse(400);
    const chunked = /\bchunked\b/i.test(headers['transfer-encoding'] ?? '');
    const length = headers['content-length'];
    if (chunked && length !== undefined) return this.refuse(400);
    if (!chunked && length !== undefined && !/^\d+$/.test(length)) return this.refuse(400);
    const connection = (headers.connection ?? '').toLowerCase();
    const close = start[3] === '0' ? !connection.includes('keep-alive') : connection.includes('close');
    const httpVersion = start[3] === '0' ? '1.0' : '1.1';
    const request: MinimalRequest = { method: start[1], url: start[2], headers, trailers: {}, rawHeaders, httpVersion, remoteAddress: this.socket.remoteAddress };
    this.request = request;
    this.body = chunked ? { kind: 'chunk-size' } : { kind: 'length', left: Number(length ?? 0) };
    if (headers.expect?.toLowerCase() === '100-continue') this.socket.write('HTTP/1.1 100 Continue\r\n\r\n');
    this.handler(request, this.respond(close, start[1] === 'HEAD', httpVersion));
    return true;
  }

  /** Hands body bytes to the request as they arrive; false when more bytes are needed. */
  private readBody(): boolean {
    const req = this.request!;
    const body = this.body!;
    if (body.kind === 'length' || body.kind === 'chunk-data') {
      const take = Math.min(body.left, this.inbox.length);
      if (take > 0) {
        req.onData?.(this.inbox.subarray(0, take));
        this.inbox = this.inbox.subarray(take);
        body.left -= take;
      }
      if (body.left > 0) return false;
      if (body.kind === 'length') return this.finish();
      this.body = { kind: 'chunk-end' };
      return true;
    }
    if (body.kind === 'chunk-end') {
      if (this.inbox.length < 2) return false;
      if (this.inbox[0] !== 13 || this.inbox[1] !== 10) return this.refuse(400);
      this.inbox = this.inbox.subarray(2);
      this.body = { kind: 'chunk-size' };
      return true;
    }
    if (body.kind === 'trailers' && this.inbox.length >= 2 && this.inbox[0] === 13 && this.inbox[1] === 10) {
      // The last chunk without trailers: the empty line comes at once.
      this.inbox = this.inbox.subarray(2);
      return this.finish();
    }
    const lineEnd = this.inbox.indexOf(body.kind === 'trailers' ? '\r\n\r\n' : '\r\n');
    if (lineEnd < 0) {
      if (this.inbox.length > this.settings.maxHeadBytes) this.refuse(431);
      return false;
    }
    if (body.kind === 'chunk-size') {
      const size = this.inbox.toString('latin1', 0, lineEnd).split(';')[0].trim();
      this.inbox = this.inbox.subarray(lineEnd + 2);
      if (!/^[0-9a-fA-F]{1,12}$/.test(size)) return this.refuse(400);
      const left = parseInt(size, 16);
      this.body = left > 0 ? { kind: 'chunk-data', left } : { kind: 'trailers' };
      return true;
    }
    // The last chunk's trailers, up to an empty line.
    const fields = parseFields(this.inbox.toString('latin1', 0, lineEnd).split('\r\n'), 0);
    this.inbox = this.inbox.subarray(lineEnd + 4);
    if (!fields) return this.refuse(400);
    Object.assign(req.trailers, fields);
    return this.finish();
  }

  private finish(): boolean {
    const req = this.request!;
    this.request = undefined;
    this.body = undefined;
    req.onEnd?.();
    return true;
  }

  private respond(close: boolean, isHead: boolean, httpVersion: '1.0' | '1.1'): MinimalResponse {
    const slot: Slot = { pieces: [], status: 0, done: false, close, chunked: false };
    this.slots.push(slot);
    const date = this.settings.dateHeader;
    return {
      send: (status, headers, body) => {
        if (slot.status !== 0 || this.socket.destroyed) return;
        // No body (nor Content-Length, for 1xx and 204) where HTTP forbids one; HEAD keeps the length it would have.
        const bodyless = status < 200 || status === 204 || status === 304;
        const length = bodyless ? '' : `Content-Length: ${Buffer.byteLength(body)}\r\n`;
        const head = responseHead(status, headers, `${length}${close ? 'Connection: close\r\n' : ''}`, date);
        slot.status = status;
        // One write per response. The head is Latin-1 (as node:http writes it), the body UTF-8 text or bytes: one
        // string only when the head is ASCII, where both encodings agree.
        if (isHead || bodyless || body.length === 0) slot.pieces.push(headBytes(head));
        else if (typeof body === 'string' && !NON_ASCII.test(head)) slot.pieces.push(head + body);
        else slot.pieces.push(Buffer.concat([Buffer.from(head, 'latin1'), typeof body === 'string' ? Buffer.from(body, 'utf8') : body]));
        slot.done = true;
        this.flush();
      },
      start: (status, headers) => {
        if (slot.status !== 0 || this.socket.destroyed) return;
        // HTTP/1.0 has no chunked framing: the body runs until the connection closes.
        slot.chunked = httpVersion === '1.1' && !isHead;
        if (httpVersion === '1.0') slot.close = true;
        const framing = slot.chunked ? 'Transfer-Encoding: chunked\r\n' : '';
        slot.pieces.push(headBytes(responseHead(status, headers, `${framing}${slot.close ? 'Connection: close\r\n' : ''}`, date)));
        slot.status = status;
        this.flush();
      },
      write: (chunk) => {
        if (slot.status === 0 || slot.done || isHead || chunk.length === 0) return;
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        slot.pieces.push(slot.chunked ? Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`, 'latin1'), bytes, CRLF]) : bytes);
        this.flush();
      },
      end: () => {
        if (slot.status === 0 || slot.done) return;
        if (slot.chunked) slot.pieces.push('0\r\n\r\n');
        slot.done = true;
        this.flush();
      },
      get status() { return slot.status; },
      set onClose(listener: (() => void) | undefined) { slot.onClose = listener; },
      get onClose() { return slot.onClose; },
      destroy: () => this.socket.destroy(),
    };
  }

  /** Writes what the first responses have ready, in request order: a later answer waits for the ones before it. */
  private flush(): void {
    while (this.slots.length > 0 && !this.socket.destroyed) {
      const slot = this.slots[0];
      for (const piece of slot.pieces) this.socket.write(piece);
      slot.pieces.length = 0;
      if (!slot.done) return;
      this.slots.shift();
      if (slot.close) {
        this.closing = true;
        this.socket.end();
        return;
      }
    }
  }

  /** Answers a request that cannot be read and closes the connection: its framing is lost. */
  private refuse(status: number): false {
    this.closing = true;
    this.request = undefined;
    const text = JSON.stringify({ errorMessage: STATUS_CODES[status], errorType: 'BadRequest' });
    this.socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${text.length}\r\nConnection: close\r\n\r\n${text}`);
    return false;
  }
}

const CRLF = Buffer.from('\r\n', 'latin1');
const NON_ASCII = /[\u0080-\uffff]/;

/** A response head as it goes on the wire: Latin-1 (a string is written as UTF-8, the same bytes only for ASCII). */
function headBytes(head: string): string | Buffer {
  return NON_ASCII.test(head) ? Buffer.from(head, 'latin1') : head;
}

/** `name: value` lines from `from` on; undefined if one is malformed. `raw` receives names as sent and values. */
function parseFields(lines: string[], from: number, raw?: string[]): Record<string, string> | undefined {
  const fields = keyedRecord<string>();
  for (let i = from; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(':');
    if (colon <= 0 || /[\s]/.test(line[colon - 1])) return undefined;
    const value = line.slice(colon + 1).trim();
    raw?.push(line.slice(0, colon), value);
    const name = line.slice(0, colon).toLowerCase();
    const seen = fields[name];
    fields[name] = seen === undefined ? value : `${seen}, ${value}`;
  }
  return fields;
}
