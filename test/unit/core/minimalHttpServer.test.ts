import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listenOnLoopback } from '../../../src/core/net/listenOnLoopback';
import { MinimalHttpServer, type MinimalRequest, type MinimalResponse } from '../../../src/core/net/minimalHttpServer';
import { rawClient } from '../support/rawHttpClient';
import { waitFor } from '../../support/waitFor';

interface Seen { method: string; url: string; headers: Record<string, string>; body: Buffer; pieces: number; trailers: Record<string, string> }

describe('MinimalHttpServer (the Runtime API\'s HTTP/1.1 reader)', () => {
  let server: MinimalHttpServer;
  let port: number;
  const seen: Seen[] = [];
  /** Each request's response: answered at once unless a test holds it. */
  let answer: (req: MinimalRequest, res: MinimalResponse, seen: Seen) => void;

  beforeEach(async () => {
    seen.length = 0;
    answer = (_req, res, s) => res.send(200, { 'Content-Type': 'text/plain' }, `got ${s.url} ${s.body.length}`);
    server = new MinimalHttpServer((req, res) => {
      const s: Seen = { method: req.method, url: req.url, headers: { ...req.headers }, body: Buffer.alloc(0), pieces: 0, trailers: req.trailers };
      seen.push(s);
      req.onData = (chunk) => { s.body = Buffer.concat([s.body, chunk]); s.pieces++; };
      req.onEnd = () => answer(req, res, s);
    });
    port = await listenOnLoopback(server.listener);
  });
  afterEach(() => server.close());

  it('answers pipelined requests in their order, even when the first is answered last', async () => {
    const held: Array<() => void> = [];
    answer = (_req, res, s) => {
      const send = (): void => res.send(200, {}, s.url);
      if (s.url === '/first') held.push(send); else send();
    };
    const client = rawClient(port);
    client.socket.write('GET /first HTTP/1.1\r\nHost: x\r\n\r\nPOST /second HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /third HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor('all three requests read', () => seen.length === 3, 2000);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(client.received(), '', 'nothing is sent before the first answer');
    held[0]();
    await waitFor('three answers', () => (client.received().match(/HTTP\/1\.1 200/g) ?? []).length === 3, 2000);
    const bodies = client.received().split('\r\n\r\n').slice(1).map((part) => part.split('HTTP/1.1')[0]);
    assert.deepEqual(bodies, ['/first', '/second', '/third']);
    assert.equal(seen[1].body.toString(), 'abc');
    client.socket.destroy();
  });

  it('says 100 Continue to Expect: 100-continue before the body is sent', async () => {
    const client = rawClient(port);
    client.socket.write('POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n');
    await waitFor('the interim answer', () => client.received().includes('100 Continue'), 2000);
    assert.equal(client.received(), 'HTTP/1.1 100 Continue\r\n\r\n');
    client.socket.write('hello');
    await waitFor('the final answer', () => client.received().includes('got /big 5'), 2000);
    client.socket.destroy();
  });

  it('reads headers named like Object members as ordinary headers, a repeat joined with ", "', async () => {
    const client = rawClient(port);
    client.socket.write('GET /h HTTP/1.1\r\nHost: x\r\nConstructor: a\r\nconstructor: b\r\ntoString: t\r\n__proto__: p\r\n\r\n');
    await waitFor('the answer', () => client.received().includes('got /h 0'), 2000);
    client.socket.destroy();
    const headers = seen[0].headers;
    assert.equal(headers.constructor, 'a, b');
    assert.equal(headers.tostring, 't');
    assert.equal(Object.getOwnPropertyDescriptor(headers, '__proto__')?.value, 'p');
  });

  it('reads a chunked body sent a byte at a time: pieces as they come, chunk extensions ignored, trailers read', async () => {
    const client = rawClient(port);
    const wire = 'POST /stream HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n'
      + '5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nLambda-Runtime-Function-Error-Type: Oops\r\nX-Second: two\r\n\r\n';
    for (const byte of wire) {
      client.socket.write(byte);
      await new Promise((r) => setImmediate(r));
    }
    await waitFor('the answer', () => client.received().includes('got /stream 11'), 2000);
    assert.equal(seen[0].body.toString(), 'hello world');
    assert.ok(seen[0].pieces >= 11, `each byte handed on as it came (${seen[0].pieces} pieces)`);
    assert.deepEqual(seen[0].trailers, { 'lambda-runtime-function-error-type': 'Oops', 'x-second': 'two' });
    client.socket.destroy();
  });

  it('keeps the connection for the next request, and closes it after Connection: close or an HTTP/1.0 request', async () => {
    const client = rawClient(port);
    client.socket.write('GET /a HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor('first answer', () => client.received().includes('got /a'), 2000);
    client.socket.write('GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await client.closed;
    assert.match(client.received(), /got \/b 0$/);
    assert.match(client.received(), /Connection: close/);
    const old = rawClient(port);
    old.socket.write('GET /c HTTP/1.0\r\n\r\n');
    await old.closed;
    assert.match(old.received(), /got \/c 0$/);
  });

  for (const [what, wire, status] of [
    ['a malformed request line', 'NOT HTTP\r\n\r\n', 400],
    ['a header line without a colon', 'GET / HTTP/1.1\r\nHost x\r\n\r\n', 400],
    ['both Content-Length and chunked', 'POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n', 400],
    ['a negative Content-Length', 'POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n', 400],
    ['a chunk size that is not hex', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 400],
  ] as const) {
    it(`answers ${what} with ${status} and closes, and the server goes on serving`, async () => {
      const client = rawClient(port);
      client.socket.write(wire);
      await client.closed;
      assert.match(client.received(), new RegExp(`^HTTP/1\\.1 ${status} `));
      const next = rawClient(port);
      next.socket.write('GET /after HTTP/1.1\r\nHost: x\r\n\r\n');
      await waitFor('a later connection is served', () => next.received().includes('got /after'), 2000);
      next.socket.destroy();
    });
  }

  it('tells a held response that its connection closed, and close() drops held connections', async () => {
    let closedSeen = 0;
    answer = (_req, res) => { res.onClose = () => { closedSeen++; }; };
    const first = rawClient(port);
    first.socket.write('GET /wait HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor('request read', () => seen.length === 1, 2000);
    first.socket.destroy();
    await waitFor('onClose after the client went away', () => closedSeen === 1, 2000);
    const second = rawClient(port);
    second.socket.write('GET /wait HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor('second request read', () => seen.length === 2, 2000);
    void server.close();
    await second.closed;
  });

  it('serves curl: a 2 MB upload (curl asks with Expect: 100-continue) and a chunked upload', async function () {
    this.timeout(20_000);
    const dir = mkdtempSync(join(tmpdir(), 'lwb-minimal-'));
    try {
      writeFileSync(join(dir, 'big'), Buffer.alloc(2 * 1024 * 1024, 'x'));
      const curl = (...args: string[]): Promise<string> => new Promise((resolve, reject) =>
        execFile('curl', ['-sS', ...args], (error, stdout) => (error ? reject(error) : resolve(stdout))));
      assert.equal(await curl('--data-binary', `@${join(dir, 'big')}`, `http://127.0.0.1:${port}/upload`), `got /upload ${2 * 1024 * 1024}`);
      assert.equal(seen[0].headers.expect, '100-continue', 'curl sent Expect, and was answered');
      assert.equal(await curl('-H', 'Transfer-Encoding: chunked', '--data-binary', `@${join(dir, 'big')}`, `http://127.0.0.1:${port}/chunked`), `got /chunked ${2 * 1024 * 1024}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
