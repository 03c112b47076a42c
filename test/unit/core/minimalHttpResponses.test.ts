import * as assert from 'node:assert/strict';
import { listenOnLoopback } from '../../../src/core/net/listenOnLoopback';
import { MinimalHttpServer, type MinimalHandler, type MinimalServerOptions } from '../../../src/core/net/minimalHttpServer';
import { rawClient } from '../support/rawHttpClient';
import { waitFor } from '../../support/waitFor';

describe('MinimalHttpServer answering clients (the local API): streams, HEAD, header checks', () => {
  let server: MinimalHttpServer | undefined;
  afterEach(async () => { await server?.close(); server = undefined; });

  async function serve(handler: MinimalHandler, options?: MinimalServerOptions): Promise<number> {
    server = new MinimalHttpServer((req, res) => { req.onEnd = () => handler(req, res); }, options);
    return listenOnLoopback(server.listener);
  }

  it('streams a response in chunks: fetch reads the first piece before the last is written', async () => {
    let finish: () => void = () => undefined;
    const port = await serve((_req, res) => {
      res.start(201, [['content-type', 'text/plain'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
      res.write('first ');
      finish = () => { res.write(Buffer.from('second')); res.end(); };
    });
    const response = await fetch(`http://127.0.0.1:${port}/s`);
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('transfer-encoding'), 'chunked');
    assert.deepEqual(response.headers.getSetCookie(), ['a=1', 'b=2']);
    const reader = response.body!.getReader();
    assert.equal(Buffer.from((await reader.read()).value!).toString(), 'first ');
    finish();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += Buffer.from(r.value).toString();
    assert.equal(rest, 'second');
  });

  it('streams to an HTTP/1.0 client until the connection closes (no chunked framing there)', async () => {
    const port = await serve((_req, res) => { res.start(200, []); res.write('one,'); res.write('two'); res.end(); });
    const client = rawClient(port);
    client.socket.write('GET /old HTTP/1.0\r\n\r\n');
    await client.closed;
    assert.doesNotMatch(client.received(), /chunked/i);
    assert.match(client.received(), /Connection: close\r\n\r\none,two$/);
  });

  it('a pipelined answer waits for the streamed one before it to end', async () => {
    let finish: () => void = () => undefined;
    const port = await serve((req, res) => {
      if (req.url === '/first') { res.start(200, []); res.write('a'); finish = () => res.end(); } else res.send(200, {}, 'b');
    });
    const client = rawClient(port);
    client.socket.write('GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor('the first piece', () => client.received().includes('1\r\na\r\n'), 2000);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal((client.received().match(/HTTP\/1\.1 200/g) ?? []).length, 1, 'the second answer is held');
    finish();
    await waitFor('the second answer after the first ended', () => client.received().endsWith('\r\n\r\nb'), 2000);
    assert.match(client.received(), /0\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
    client.socket.destroy();
  });

  it('HEAD gets the length without the body, 204 neither; the next request on the connection is read cleanly', async () => {
    const port = await serve((req, res) => res.send(req.url === '/empty' ? 204 : 200, [['content-length', '999']], 'twelve bytes'));
    const client = rawClient(port);
    client.socket.write('HEAD /h HTTP/1.1\r\nHost: x\r\n\r\nDELETE /empty HTTP/1.1\r\nHost: x\r\n\r\nGET /g HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor('three answers', () => client.received().endsWith('twelve bytes'), 2000);
    const [head, noContent, get] = client.received().split(/(?=HTTP\/1\.1 )/);
    assert.match(head, /^HTTP\/1\.1 200 OK\r\nContent-Length: 12\r\n\r\n$/, "the handler's own Content-Length is replaced");
    assert.equal(noContent, 'HTTP/1.1 204 No Content\r\n\r\n');
    assert.match(get, /Content-Length: 12\r\n\r\ntwelve bytes$/);
    client.socket.destroy();
  });

  it('refuses a header that would split the response (CR LF in a value, a bad name) before writing anything', async () => {
    const errors: string[] = [];
    const port = await serve((req, res) => {
      try {
        res.send(200, req.url === '/value' ? [['x-evil', 'a\r\nSet-Cookie: stolen=1']] : [['bad name', 'v']], 'body');
      } catch (error) {
        errors.push((error as Error).message);
        res.send(502, [['content-type', 'application/json']], '{"message":"Internal server error"}');
      }
    });
    for (const path of ['/value', '/name']) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      assert.equal(response.status, 502);
      assert.equal(response.headers.get('set-cookie'), null);
      assert.equal(await response.text(), '{"message":"Internal server error"}');
    }
    assert.deepEqual(errors, ['Invalid character in header content ["x-evil"]', 'Header name must be a valid HTTP token ["bad name"]']);
  });

  it('writes a Latin-1 header value as Latin-1 bytes (as node:http does), the body as UTF-8, sent whole or streamed', async () => {
    const port = await serve((req, res) => {
      if (req.url === '/whole') return res.send(200, [['x-name', 'caf\u00e9']], 'd\u00e9j\u00e0');
      res.start(200, [['x-name', 'caf\u00e9']]);
      res.write('d\u00e9j\u00e0');
      res.end();
    });
    for (const path of ['/whole', '/streamed']) {
      const client = rawClient(port);
      client.socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      await client.closed;
      const wire = Buffer.from(client.received(), 'latin1');
      assert.ok(wire.includes(Buffer.from('x-name: caf\xe9\r\n', 'latin1')), `${path}: the header byte 0xE9`);
      assert.ok(wire.includes(Buffer.from('d\u00e9j\u00e0', 'utf8')), `${path}: the body in UTF-8`);
    }
  });

  it('hands on header names as sent, in order, with repeats; the HTTP version and the peer address', async () => {
    const seen: { raw: readonly string[]; version: string; address: string | undefined; merged: string | undefined }[] = [];
    const port = await serve((req, res) => {
      seen.push({ raw: req.rawHeaders, version: req.httpVersion, address: req.remoteAddress, merged: req.headers['x-multi'] });
      res.send(200, {}, '');
    });
    const client = rawClient(port);
    client.socket.write('GET / HTTP/1.1\r\nHost: x\r\nX-Multi: 1\r\nx-multi: 2\r\nCamel-Case: v\r\n\r\n');
    await waitFor('the request', () => seen.length === 1, 2000);
    client.socket.destroy();
    assert.deepEqual(seen[0], { raw: ['Host', 'x', 'X-Multi', '1', 'x-multi', '2', 'Camel-Case', 'v'], version: '1.1', address: '127.0.0.1', merged: '1, 2' });
  });

  it('sends Date only when asked, and answers a head over its limit with 431', async () => {
    const port = await serve((_req, res) => res.send(200, {}, 'ok'), { dateHeader: true, maxHeadBytes: 1024 });
    const response = await fetch(`http://127.0.0.1:${port}/`);
    assert.ok(Math.abs(Date.parse(response.headers.get('date') ?? '') - Date.now()) < 5_000, `a current Date (${response.headers.get('date')})`);
    const big = rawClient(port);
    big.socket.write(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(2048)}\r\n\r\n`);
    await big.closed;
    assert.match(big.received(), /^HTTP\/1\.1 431 /);
    await server!.close();
    const plain = await serve((_req, res) => res.send(200, {}, 'ok'));
    assert.equal((await fetch(`http://127.0.0.1:${plain}/`)).headers.get('date'), null);
  });
});
