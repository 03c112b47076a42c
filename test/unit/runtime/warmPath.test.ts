import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { batchedOutput } from '../../../src/cli/batchedOutput';
import { traceId } from '../../../src/core/runtime/environmentVariables';
import { validateEvent } from '../../../src/core/runtime/localLambda';

// What our Node.js bootstrap sends on a warm call, read on the wire by a recording Runtime API: one request per
// call (the outcome asks for the next event), end marks only on the streams that were written, and a peak memory
// figure that follows growth although /proc is read only after new page faults.
const bootstraps = {
  node: resolve(__dirname, '../../../../assets/runtime/node/bootstrap.js'),
  python: resolve(__dirname, '../../../../assets/runtime/python/bootstrap.py'),
};
const END_MARK = '\u0000lwb-end ';

interface Seen { method: string; url: string; headers: IncomingMessage['headers']; body: string }

/** A Runtime API that hands out `events` in turn and records every request; `thenNext: false` answers outcomes with
 *  202 only, as a server that does not know our header would. */
class RecordingApi {
  readonly seen: Seen[] = [];
  private readonly server: Server;
  private waiting?: ServerResponse;
  private delivered = 0;
  private readonly replies: ((s: Seen) => void)[] = [];

  constructor(private readonly events: string[], private readonly thenNext = true) {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
        this.seen.push(seen);
        if (req.method === 'POST') {
          this.replies.shift()?.(seen);
          if (!(this.thenNext && req.headers['lambda-workbench-then-next'] === '1')) {
            res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"OK"}');
            return;
          }
        }
        this.waiting = res;
        this.deliver();
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Resolves with the next outcome POST. */
  reply(): Promise<Seen> {
    return new Promise((r) => this.replies.push(r));
  }

  private deliver(): void {
    const res = this.waiting;
    const event = this.events[this.delivered];
    if (!res || event === undefined) return;
    this.waiting = undefined;
    this.delivered++;
    res.writeHead(200, { 'content-type': 'application/json', 'lambda-runtime-aws-request-id': `req-${this.delivered}`, 'lambda-runtime-deadline-ms': String(Date.now() + 30_000), 'content-length': Buffer.byteLength(event) });
    res.end(event);
  }

  close(): void {
    this.server.closeAllConnections();
    this.server.close();
  }
}

const HANDLER = `
exports.handler = async (event) => {
  if (event.log) console.log('a line', event.n);
  if (event.warn) process.stderr.write('straight to stderr\\n');
  if (event.child) require('node:child_process').spawnSync(process.execPath, ['-e', 'process.stdout.write("from a child\\\\n")'], { stdio: 'inherit' });
  if (event.allocateMb) globalThis.kept = Buffer.alloc(event.allocateMb * 1024 * 1024, 1);
  return { n: event.n };
};
`;

const PY_HANDLER = `
kept = []

def handler(event, context):
    if event.get("allocateMb"):
        kept.append(bytearray(event["allocateMb"] * 1024 * 1024))
        for i in range(0, len(kept[-1]), 4096):
            kept[-1][i] = 1
    return {"n": event["n"]}
`;

describe('Node.js bootstrap on the wire: a warm call does little', function () {
  this.timeout(30_000);
  let dir: string;
  let child: ChildProcess | undefined;
  let api: RecordingApi | undefined;
  let stdout = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-warm-'));
    writeFileSync(join(dir, 'index.js'), HANDLER);
    writeFileSync(join(dir, 'app.py'), PY_HANDLER);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    child?.kill('SIGKILL');
    api?.close();
  });

  async function start(events: object[], thenNext = true, runtime: 'node' | 'python' = 'node'): Promise<RecordingApi> {
    api = new RecordingApi(events.map((e) => JSON.stringify(e)), thenNext);
    const address = await api.listen();
    stdout = '';
    const [command, args, handler] = runtime === 'node' ? [process.execPath, [bootstraps.node], 'index.handler'] : ['python3', ['-u', bootstraps.python], 'app.handler'];
    child = spawn(command, args, {
      cwd: dir, stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, AWS_LAMBDA_RUNTIME_API: address, _HANDLER: handler, LAMBDA_TASK_ROOT: dir, AWS_EXECUTION_ENV: runtime === 'node' ? 'AWS_Lambda_nodejs20.x' : 'AWS_Lambda_python3.12' },
    });
    child.stdout!.setEncoding('utf8').on('data', (c: string) => { stdout += c; });
    child.stderr!.resume();
    return api;
  }

  async function outcomes(recording: RecordingApi, count: number): Promise<Seen[]> {
    const all: Seen[] = [];
    for (let i = 0; i < count; i++) all.push(await recording.reply());
    return all;
  }

  for (const runtime of ['node', 'python'] as const) {
    it(`${runtime}: asks for the next event with each outcome: one request per warm call, no separate GET /next`, async () => {
      const recording = await start([{ n: 1 }, { n: 2 }, { n: 3 }], true, runtime);
      const posts = await outcomes(recording, 3);
      assert.deepEqual(posts.map((p) => JSON.parse(p.body)), [{ n: 1 }, { n: 2 }, { n: 3 }]);
      assert.ok(posts.every((p) => p.headers['lambda-workbench-then-next'] === '1'));
      assert.deepEqual(recording.seen.map((s) => `${s.method} ${s.url}`), [
        'GET /2018-06-01/runtime/invocation/next',
        'POST /2018-06-01/runtime/invocation/req-1/response',
        'POST /2018-06-01/runtime/invocation/req-2/response',
        'POST /2018-06-01/runtime/invocation/req-3/response',
      ]);
    });

    it(`${runtime}: falls back to GET /next when the service answers an outcome with 202`, async () => {
      const recording = await start([{ n: 1 }, { n: 2 }], false, runtime);
      await outcomes(recording, 2);
      assert.deepEqual(recording.seen.map((s) => `${s.method} ${s.url.replace(/req-\d/, 'ID')}`), [
        'GET /2018-06-01/runtime/invocation/next', 'POST /2018-06-01/runtime/invocation/ID/response',
        'GET /2018-06-01/runtime/invocation/next', 'POST /2018-06-01/runtime/invocation/ID/response',
      ]);
    });

    if (runtime === 'node') it('node: marks only the streams an invocation wrote to, and both once it has loaded child_process', async () => {
      const recording = await start([{ n: 1 }, { n: 2 }, { n: 3, log: true }, { n: 4, warn: true }, { n: 5 }, { n: 6, child: true }, { n: 7 }]);
      const posts = await outcomes(recording, 7);
      // The first call also closes init's output, which may have written anything.
      assert.deepEqual(posts.map((p) => p.headers['lambda-workbench-end-marks']), ['out,err', 'none', 'out', 'err', 'none', 'out,err', 'out,err']);
      const marks = stdout.split('\n').filter((l) => l.startsWith(END_MARK)).map((l) => l.slice(END_MARK.length));
      assert.deepEqual(marks, ['req-1', 'req-3', 'req-6', 'req-7']);
      // Each mark comes after the lines of its call, the child's included.
      assert.ok(stdout.indexOf('a line 3') < stdout.indexOf(`${END_MARK}req-3`));
      assert.ok(stdout.indexOf('from a child') < stdout.indexOf(`${END_MARK}req-6`), stdout);
    });

    it(`${runtime}: reports its peak memory on every outcome, growth included, though /proc is read only after page faults`, async () => {
      const recording = await start([{ n: 1 }, { n: 2 }, { n: 3, allocateMb: 64 }, { n: 4 }], true, runtime);
      const peaks = (await outcomes(recording, 4)).map((p) => Number(p.headers['lambda-workbench-max-rss-kb']));
      assert.ok(peaks.every((kb) => kb > 5_000), String(peaks));
      assert.ok(peaks[2] - peaks[1] >= 60 * 1024, `64 MB allocated: ${peaks}`);
      assert.ok(peaks[3] >= peaks[2], `a peak never goes down: ${peaks}`);
    });
  }
});

describe('warm path pieces on the service side', () => {
  it('trace ids keep Lambda\'s shape and stay unique across refills of the random pool', () => {
    const ids = Array.from({ length: 1000 }, () => traceId());
    for (const id of ids) assert.match(id, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0;Lineage=1:[0-9a-f]{8}:0$/);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('an event serialised by the caller skips the JSON check, never the size check', () => {
    assert.throws(() => validateEvent('{not json'), /InvalidRequestContent|JSON|Unexpected/);
    assert.doesNotThrow(() => validateEvent('{not json', 'event', true));
    // 2.1 million three-byte characters: short in UTF-16 units, over 6 MB in UTF-8.
    const wide = JSON.stringify('€'.repeat(2_100_000));
    for (const serialized of [false, true]) {
      assert.throws(() => validateEvent(wide, 'event', serialized), (e: Error) => e.name === 'RequestTooLargeException');
    }
    assert.doesNotThrow(() => validateEvent(JSON.stringify('€'.repeat(2_000_000))));
  });

  it('batched output leaves what comes within its delay in one write, and flush() writes at once', async () => {
    const writes: string[] = [];
    const out = batchedOutput((t) => writes.push(t), 20);
    out.write('a\n');
    out.write('b\n');
    assert.deepEqual(writes, []);
    await new Promise((r) => setTimeout(r, 40));
    assert.deepEqual(writes, ['a\nb\n']);
    out.write('c\n');
    out.flush();
    out.flush();
    assert.deepEqual(writes, ['a\nb\n', 'c\n']);
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(writes.length, 2, 'a flushed batch is not written again by its timer');
  });
});
