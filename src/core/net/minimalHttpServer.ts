import { createServer, type Server, type Socket } from 'node:net';

// The reason phrases of the statuses the Runtime API answers with (node:http's table would load node:http, ~1.3 ms,
// into every one-shot `invoke`).
const STATUS_CODES: Readonly<Record<number, string>> = {
  200: 'OK', 202: 'Accepted', 204: 'No Content', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  408: 'Request Timeout', 409: 'Conflict', 410: 'Gone', 413: 'Payload Too Large', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/**
 * A minimal HTTP/1.1 server for one trusted loopback peer: the runtime process of an environment, talking to its
 * Runtime API. node:http's request and response objects cost a fresh process ~0.25 ms of CPU per round trip until the
 * JIT has warmed up (three times this reader's, measured), and every warm invocation crosses this server.
 *
 * What runtimes send is covered: Content-Length and chunked bodies (chunks handed on as they arrive, trailers read),
 * `Expect: 100-continue` (curl sends it for large bodies), keep-alive with pipelined requests answered in order, and
 * `Connection: close` / HTTP/1.0. A malformed request is answered 400 and the connection closed. Not for browsers or
 * other clients the user points at us: those get node:http (the local API, the Invoke API).
 */
export interface MinimalRequest {
  readonly method: string;
  readonly url: string;
  /** Lower-case names; a repeated header's values joined with ", " (as node:http does for most). */
  readonly headers: Readonly<Record<string, string>>;
  /** Trailers of a chunked body, filled in before onEnd. */
  readonly trailers: Record<string, string>;
  /** Set by the handler, synchronously, to receive the body. */
  onData?: (chunk: Buffer) => void;
  onEnd?: () => void;
}

export interface MinimalResponse {
  /** Writes the whole response (one write, with Content-Length). Later calls are ignored. */
  send(status: number, headers: Readonly<Record<string, string | number>>, body: string | Buffer): void;
  /** Called once if the connection closes before send(). */
  onClose?: () => void;
  destroy(): void;
}

export type MinimalHandler = (req: MinimalRequest, res: MinimalResponse) => void;

/** Largest request head or trailer section accepted (a streamed error's body travels base64 in a trailer). */
const MAX_HEAD_BYTES = 1024 * 1024;

export class MinimalHttpServer {
  readonly listener: Server;
  private readonly sockets = new Set<Socket>();

  constructor(handler: MinimalHandler) {
    this.listener = createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      new Connection(socket, handler);
    });
  }

  /** Stops listening and drops every connection (a runtime's long poll included). */
  close(): void {
    this.listener.close();
    for (const socket of this.sockets) socket.destroy();
  }
}

interface Slot { data?: string | Buffer; done: boolean; close: boolean; onClose?: () => void }

type Body = { kind: 'length'; left: number } | { kind: 'chunk-size' } | { kind: 'chunk-data'; left: number } | { kind: 'chunk-end' } | { kind: 'trailers' };

class Connection {
  private inbox: Buffer = Buffer.alloc(0);
  private request?: MinimalRequest;
  private body?: Body;
  /** Responses in request order: a pipelined request's answer waits for the ones before it. */
  private readonly slots: Slot[] = [];
  private closing = false;

  constructor(private readonly socket: Socket, private readonly handler: MinimalHandler) {
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
      if (this.inbox.length > MAX_HEAD_BYTES) this.refuse(431);
      return false;
    }
    const lines = this.inbox.toString('latin1', 0, end).split('\r\n');
    this.inbox = this.inbox.subarray(end + 4);
    const start = /^([A-Z]+) (\S+) HTTP\/1\.([01])$/.exec(lines[0]);
    const headers = start && parseFields(lines, 1);
    if (!start || !headers) return this.refuse(400);
    const chunked = /\bchunked\b/i.test(headers['transfer-encoding'] ?? '');
    const length = headers['content-length'];
    if (chunked && length !== undefined) return this.refuse(400);
    if (!chunked && length !== undefined && !/^\d+$/.test(length)) return this.refuse(400);
    const connection = (headers.connection ?? '').toLowerCase();
    const close = start[3] === '0' ? !connection.includes('keep-alive') : connection.includes('close');
    const request: MinimalRequest = { method: start[1], url: start[2], headers, trailers: {} };
    this.request = request;
    this.body = chunked ? { kind: 'chunk-size' } : { kind: 'length', left: Number(length ?? 0) };
    if (headers.expect?.toLowerCase() === '100-continue') this.socket.write('HTTP/1.1 100 Continue\r\n\r\n');
    this.handler(request, this.respond(close));
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
      if (this.inbox.length > MAX_HEAD_BYTES) this.refuse(431);
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

  private respond(close: boolean): MinimalResponse {
    const slot: Slot = { done: false, close };
    this.slots.push(slot);
    return {
      send: (status, headers, body) => {
        if (slot.done || this.socket.destroyed) return;
        let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n`;
        for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
        head += `Content-Length: ${Buffer.byteLength(body)}\r\n${close ? 'Connection: close\r\n' : ''}\r\n`;
        // Header values are ASCII here (ids, numbers, ARNs); the body is UTF-8 text or bytes.
        slot.data = typeof body === 'string' ? head + body : Buffer.concat([Buffer.from(head, 'latin1'), body]);
        slot.done = true;
        this.flush();
      },
      set onClose(listener: (() => void) | undefined) { slot.onClose = listener; },
      get onClose() { return slot.onClose; },
      destroy: () => this.socket.destroy(),
    };
  }

  private flush(): void {
    while (this.slots.length > 0 && this.slots[0].done) {
      const slot = this.slots.shift()!;
      this.socket.write(slot.data!);
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

/** `name: value` lines from `from` on; undefined if one is malformed. */
function parseFields(lines: string[], from: number): Record<string, string> | undefined {
  const fields: Record<string, string> = {};
  for (let i = from; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(':');
    if (colon <= 0 || /[\s]/.test(line[colon - 1])) return undefined;
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    fields[name] = name in fields ? `${fields[name]}, ${value}` : value;
  }
  return fields;
}
