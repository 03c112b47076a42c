import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { waitForNoChildren } from '../support/runtimeFixtures';
import { cli } from '../support/cliHarness';
import { waitFor } from '../../support/waitFor';
import { packageRoot } from '../../../src/core/packageInfo';

describe('CLI: start (a serverless.yml service over HTTP)', function () {
  this.timeout(60_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-start-'));
    writeFileSync(join(dir, 'serverless.yml'), `service: shop
provider:
  name: aws
  runtime: nodejs20.x
  environment:
    GREETING: hello
functions:
  hello:
    handler: handler.hello
    events:
      - httpApi: 'GET /hello'
      - http:
          path: users/{id}
          method: get
  stream:
    handler: handler.stream
    url:
      invokeMode: RESPONSE_STREAM
`);
    writeFileSync(join(dir, 'handler.js'), `exports.hello = async (event) => ({ statusCode: 200, body: JSON.stringify({ greeting: process.env.GREETING, fn: process.env.AWS_LAMBDA_FUNCTION_NAME, id: event.pathParameters?.id ?? null, version: event.version ?? '1.0' }) });
exports.stream = awslambda.streamifyResponse(async (event, stream) => { stream.write('a'); stream.end('b'); });
`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the routes, serves http, httpApi and url events, logs each request, and stops on Ctrl+C', async () => {
    const stop = new AbortController();
    let out = '';
    let announced: (url: string) => void;
    const started = new Promise<string>((resolve) => { announced = resolve; });
    const running = cli(['start', '--port', '0', '--invoke-port', '0', '--quiet'], { cwd: dir, signal: stop.signal, onOut: (t) => {
      out += t;
      const m = /Local API on (http:\/\/127\.0\.0\.1:\d+) for 2 function\(s\) of serverless\.yml/.exec(out);
      if (m) announced(m[1]);
    } });
    const url = await Promise.race([started, running.then((r) => { throw new Error(`start ended: ${r.err}`); })]);
    try {
      assert.match(out, /GET {4}\/hello → hello \(HTTP API, payload 2\.0\)/);
      assert.match(out, /GET {4}\/dev\/users\/\{id\} → hello \(REST API, payload 1\.0\)/);
      assert.match(out, /ANY {4}http:\/\/127\.0\.0\.1:\d+\/\* → stream \(function URL, RESPONSE_STREAM\)/);
      const http = await (await fetch(`${url}/hello`)).json();
      assert.deepEqual(http, { greeting: 'hello', fn: 'shop-dev-hello', id: null, version: '2.0' });
      const rest = await (await fetch(`${url}/dev/users/5`)).json();
      assert.deepEqual(rest, { greeting: 'hello', fn: 'shop-dev-hello', id: '5', version: '1.0' });
      const streamUrl = /ANY {4}(http:\/\/127\.0\.0\.1:\d+)\/\* → stream/.exec(out)![1];
      assert.equal(await (await fetch(`${streamUrl}/x`)).text(), 'ab');
      assert.match(out, /^GET \/hello 200 [\d.]+ ms cold hello [0-9a-f]{8}$/m);
      assert.match(out, /^GET \/dev\/users\/5 200 [\d.]+ ms warm hello [0-9a-f]{8}$/m);
      const invokeUrl = /Invoke API on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1];
      const client = new LambdaClient({ endpoint: invokeUrl, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
      try {
        const res = await client.send(new InvokeCommand({ FunctionName: 'shop-dev-hello', Payload: Buffer.from('{}') }));
        assert.equal(JSON.parse(JSON.parse(Buffer.from(res.Payload!).toString()).body).greeting, 'hello');
      } finally {
        client.destroy();
      }
    } finally {
      stop.abort();
    }
    const result = await running;
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /stopped\n$/);
    assert.deepEqual(await waitForNoChildren(), []);
  });

  it('says what to do when there is no template, or the port is taken', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'lwb-start-empty-'));
    try {
      const none = await cli(['start'], { cwd: empty });
      assert.equal(none.code, 2);
      assert.match(none.err, /no template\.yaml or serverless\.yml here/);
      const busy = createServer().listen(0, '127.0.0.1');
      await once(busy, 'listening');
      const port = (busy.address() as AddressInfo).port;
      try {
        const taken = await cli(['start', '--port', String(port)], { cwd: dir });
        assert.equal(taken.code, 2);
        assert.match(taken.err, new RegExp(`port ${port} is in use: pass --port`));
      } finally {
        busy.close();
      }
      assert.deepEqual(await waitForNoChildren(), [], 'nothing left running after the refusal');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('CLI: start with its output redirected into the function\'s folder (`> server.out`)', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'lwb-start-out-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('does not take its own output for changed code: requests after the first stay warm', async () => {
    writeFileSync(join(dir, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31
Resources:
  App:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, CodeUri: ., Handler: app.handler, Events: { Get: { Type: HttpApi, Properties: { Path: /v, Method: GET } } } }
`);
    writeFileSync(join(dir, 'app.js'), "exports.handler = async () => ({ statusCode: 200, body: 'ok' });");
    for (const [name, redirect] of [['server.out', 'stdout and stderr'], ['start.log', 'a .log name']] as const) {
      const file = join(dir, name);
      const fd = openSync(file, 'w');
      const server = spawn(process.execPath, [join(packageRoot(), 'dist', 'cli.js'), 'start', '--port', '0', '--invoke-port', '0'], { cwd: dir, stdio: ['ignore', fd, fd], detached: true });
      closeSync(fd);
      try {
        const url = await waitFor(`${redirect}: the server's address`, () => /Local API on (http:\/\/127\.0\.0\.1:\d+)/.exec(readFileSync(file, 'utf8'))?.[1], 20_000);
        for (let i = 0; i < 4; i++) {
          assert.equal(await (await fetch(`${url}/v`)).text(), 'ok');
          await new Promise((r) => setTimeout(r, 150)); // longer than the watcher's 30 ms wait for more changes
        }
      } finally {
        server.kill('SIGINT');
        await once(server, 'exit');
      }
      const output = readFileSync(file, 'utf8');
      assert.doesNotMatch(output, /will start fresh/, `${redirect}: ${output}`);
      assert.deepEqual([...output.matchAll(/^GET \/v 200 [\d.]+ ms (cold|warm)/gm)].map((m) => m[1]), ['cold', 'warm', 'warm', 'warm'], redirect);
    }
    assert.deepEqual(await waitForNoChildren(), []);
  });
});
