// A minimal HTTP/1.1 client for the Lambda Runtime API over one keep-alive TCP connection: node:http's client costs
// ~5 ms of every cold start, and the Runtime API needs only sequential requests (Content-Length or chunked bodies,
// and one chunked streaming upload for response streaming). A request is one write: on a warm call each write wakes
// the other process, so fewer is faster.
'use strict';
const net = require('node:net');

class RuntimeApi {
  constructor(address) {
    this.address = address;
    const [host, port] = address.split(':');
    this.host = host;
    this.port = Number(port);
    this.socket = undefined;
    this.inbox = Buffer.alloc(0);
    this.waiter = undefined;
    /** Called when the connection closes: the runner keeps it open for as long as the environment lives. */
    this.onClose = undefined;
  }

  connection() {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const socket = net.connect(this.port, this.host);
    socket.setNoDelay(true);
    socket.on('data', (chunk) => { this.inbox = this.inbox.length ? Buffer.concat([this.inbox, chunk]) : chunk; this.parse(); });
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => {
      this.fail(new Error('Runtime API connection closed'));
      this.onClose?.();
    });
    this.socket = socket;
    return socket;
  }

  fail(error) {
    const w = this.waiter;
    this.waiter = undefined;
    if (w) w.reject(error);
  }

  /** The connection keeps the process alive only while a request is outstanding, so that while a handler runs an
   *  empty event loop can be noticed (`beforeExit`), as Lambda's runtime relies on. */
  expect() {
    const socket = this.connection();
    socket.ref();
    return new Promise((resolve, reject) => {
      this.waiter = {
        resolve: (value) => { socket.unref(); resolve(value); },
        reject: (error) => { socket.unref(); reject(error); },
      };
    });
  }

  parse() {
    if (!this.waiter) return;
    const inbox = this.inbox;
    const headEnd = inbox.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const lines = inbox.subarray(0, headEnd).toString('latin1').split('\r\n');
    const status = Number(lines[0].split(' ')[1]);
    const headers = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    let body;
    let consumed;
    const start = headEnd + 4;
    if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      if (inbox.length < start + length) return;
      body = inbox.subarray(start, start + length);
      consumed = start + length;
    } else if (/chunked/i.test(headers['transfer-encoding'] || '')) {
      const parts = [];
      let offset = start;
      for (;;) {
        const lineEnd = inbox.indexOf('\r\n', offset);
        if (lineEnd < 0) return;
        const size = parseInt(inbox.subarray(offset, lineEnd).toString('latin1'), 16);
        if (inbox.length < lineEnd + 2 + size + 2) return;
        if (size === 0) { consumed = lineEnd + 4; break; }
        parts.push(inbox.subarray(lineEnd + 2, lineEnd + 2 + size));
        offset = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(parts);
    } else {
      body = Buffer.alloc(0);
      consumed = start;
    }
    this.inbox = inbox.subarray(consumed);
    const w = this.waiter;
    this.waiter = undefined;
    w.resolve({ status, headers, body: body.toString('utf8') });
  }

  head(method, path, headers) {
    let head = `${method} ${path} HTTP/1.1\r\nHost: ${this.address}\r\n`;
    for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
    return head;
  }

  /** `body`: a string (UTF-8), or undefined. */
  request(method, path, body, headers = {}) {
    const reply = this.expect();
    let head = this.head(method, path, headers);
    if (body !== undefined) head += `content-length: ${Buffer.byteLength(body)}\r\n`;
    this.connection().write(`${head}\r\n${body ?? ''}`);
    return reply;
  }

  /** Starts a chunked upload (response streaming). Returns `write(buffer, done)`, and `end(trailers)` resolving with
   *  the service's answer. */
  upload(path, headers) {
    const conn = this.connection();
    const reply = this.expect();
    conn.write(`${this.head('POST', path, { ...headers, 'transfer-encoding': 'chunked' })}\r\n`);
    return {
      write: (buffer, done) => {
        if (buffer.length === 0) return done();
        conn.write(`${buffer.length.toString(16)}\r\n`);
        conn.write(buffer);
        conn.write('\r\n', done);
      },
      end: (trailers = {}) => {
        let tail = '0\r\n';
        for (const [k, v] of Object.entries(trailers)) tail += `${k}: ${v}\r\n`;
        conn.write(`${tail}\r\n`);
        return reply;
      },
    };
  }
}

module.exports = { RuntimeApi };
