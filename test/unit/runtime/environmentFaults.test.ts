import * as assert from 'node:assert/strict';
import { pbkdf2, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Environment } from '../../../src/core/runtime/environment';
import { LocalLambda } from '../../../src/core/runtime/localLambda';
import { fixtures, fnConfig, languages, noneLeft, processesWith } from '../support/runtimeFixtures';

const node = languages.find((l) => l.name === 'node')!;

/** A copy of the Node fixtures in a folder of its own, so its processes can be told from every other test's. */
function ownCodeDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lwb-tree-'));
  cpSync(join(fixtures, 'node'), dir, { recursive: true });
  return dir;
}

describe('Process trees: an environment owns what its handler starts', function () {
  if (process.platform !== 'linux') return; // the walk below reads /proc
  this.timeout(30_000);
  let lambda: LocalLambda;
  beforeEach(() => { lambda = new LocalLambda(); });
  afterEach(() => lambda.dispose());

  for (const detached of [false, true]) {
    it(`a timeout ends the call within 1.5 s of its deadline although a ${detached ? 'detached (setsid) ' : ''}child holds the pipes, and the child dies`, async () => {
      const mark = `mark-${randomUUID()}`;
      const started = Date.now();
      const result = await lambda.invoke(fnConfig(node, 'spawnHolder', { timeout: 1 }), JSON.stringify({ mark, detached }));
      const late = Date.now() - started - 1000;
      assert.equal(result.timedOut, true);
      assert.equal(result.error?.errorType, 'Sandbox.Timedout');
      assert.ok(late < 1500, `"Task timed out" came ${late} ms after the deadline`);
      assert.deepEqual(await noneLeft(mark), [], 'the handler\'s child is gone');
    });
  }

  it('stopping an idle environment kills a detached (setsid) child it left, even when the host\'s thread pool is slow to walk the tree', async () => {
    const mark = `mark-${randomUUID()}`;
    const result = await lambda.invoke(fnConfig(node, 'spawnHolder'), JSON.stringify({ mark, detached: true, ms: 0 }));
    assert.equal(JSON.parse(result.payload), 'held');
    assert.equal(processesWith(mark).length, 1);
    // The walk reads /proc through libuv's thread pool: keep it busy (as a host's file work would) for ~0.5 s. If the
    // runtime learned of the stop meanwhile (its Runtime API closing) it would exit, and its child would be
    // re-parented before the walk could link it to the environment.
    const busy = Array.from({ length: 16 }, () => new Promise((r) => pbkdf2('x', 'y', 400_000, 32, 'sha256', r)));
    await lambda.dispose();
    await Promise.all(busy);
    assert.deepEqual(await noneLeft(mark), [], 'the detached child is gone');
  });

  it('a crash kills what the handler started in its group', async () => {
    const mark = `mark-${randomUUID()}`;
    const codeDir = ownCodeDir();
    writeFileSync(join(codeDir, 'crash.js'), `exports.handler = async () => { require('node:child_process').spawn('sleep', ['30'], { stdio: 'ignore', env: { ...process.env, LWB_MARK: '${mark}' } }); setTimeout(() => process.exit(7), 100); await new Promise(() => {}); };\n`);
    const result = await lambda.invoke({ name: 'crash', runtime: 'nodejs20.x', handler: 'crash.handler', codeDir }, '{}');
    assert.equal(result.error?.errorType, 'Runtime.ExitError');
    assert.deepEqual(await noneLeft(mark), []);
  });

  it('cancelling a TypeScript handler while it compiles starts no process', async () => {
    const codeDir = mkdtempSync(join(tmpdir(), 'lwb-tree-ts-'));
    writeFileSync(join(codeDir, 'app.ts'), 'export const handler = async (): Promise<string> => "compiled";\n');
    const controller = new AbortController();
    const call = lambda.invoke({ name: 'ts-cancel', runtime: 'nodejs20.x', handler: 'app.handler', codeDir }, '{}', { signal: controller.signal });
    setImmediate(() => controller.abort());
    await assert.rejects(call, { name: 'AbortError' });
    await new Promise((r) => setTimeout(r, 1000)); // past when the build would have finished and spawned
    assert.deepEqual(processesWith(`LAMBDA_TASK_ROOT=${codeDir}`), []);
  });

  it('dispose() during a cold start resolves, fails the call and leaves no process', async () => {
    const codeDir = mkdtempSync(join(tmpdir(), 'lwb-tree-ts-'));
    writeFileSync(join(codeDir, 'app.ts'), 'export const handler = async (): Promise<string> => "compiled";\n');
    const call = lambda.invoke({ name: 'ts-dispose', runtime: 'nodejs20.x', handler: 'app.handler', codeDir }, '{}');
    call.catch(() => undefined);
    await new Promise((r) => setImmediate(r));
    await lambda.dispose();
    await assert.rejects(call, { name: 'AbortError' });
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(processesWith(`LAMBDA_TASK_ROOT=${codeDir}`), []);
  });

  it('dispose() during an invocation kills the busy environment and its children, and resolves', async () => {
    const mark = `mark-${randomUUID()}`;
    const codeDir = ownCodeDir();
    const call = lambda.invoke({ ...fnConfig(node, 'spawnHolder', { timeout: 60 }), codeDir }, JSON.stringify({ mark }));
    while (processesWith(mark).length === 0) await new Promise((r) => setTimeout(r, 20));
    await lambda.dispose();
    const result = await call;
    assert.equal(result.error?.errorType, 'Runtime.ExitError');
    assert.deepEqual(await noneLeft(`LAMBDA_TASK_ROOT=${codeDir}`), []);
    assert.deepEqual(await noneLeft(mark), []);
  });
});

describe('Environment: end marks and deadlines', function () {
  this.timeout(30_000);

  it('an end mark of another request id does not end the call: every line of this call is in its log', async () => {
    const lambda = new LocalLambda();
    try {
      const result = await lambda.invoke(fnConfig(node, 'lateMark'), '{"lines": 3000}');
      assert.equal(JSON.parse(result.payload), 'done');
      assert.equal(result.logs.filter((l) => /\tINFO\tline \d+ x+$/.test(l)).length, 3000);
    } finally {
      await lambda.dispose();
    }
  });

  it('without timeouts (a debug session) the deadline is still the configured timeout, not a day', async () => {
    const env = new Environment(fnConfig(node, 'context', { timeout: 7 }), { noTimeouts: true });
    try {
      const remaining = (JSON.parse((await env.invoke('{}')).payload) as { remaining: number }).remaining;
      assert.ok(remaining > 0 && remaining <= 7000, `getRemainingTimeInMillis() = ${remaining}`);
    } finally {
      env.kill();
      await env.closed;
    }
  });
});

describe('A dying environment never takes a call', function () {
  this.timeout(30_000);
  let lambda: LocalLambda;
  beforeEach(() => { lambda = new LocalLambda(); });
  afterEach(() => lambda.dispose());

  it('a call right after a crash that followed an error runs (on a new environment), every time', async () => {
    const config = fnConfig(node, 'crashOrEcho');
    for (let i = 0; i < 5; i++) {
      const crashed = await lambda.invoke(config, '{"crash": true}');
      assert.equal(crashed.error?.errorMessage, 'crashed after the error');
      const next = await lambda.invoke(config, `{"n": ${i}}`);
      assert.equal(next.error, undefined, next.payload);
      assert.deepEqual(JSON.parse(next.payload), { n: i });
    }
  });

  it('a rejection that fires while the environment is idle is logged in the next call\'s window', async () => {
    const config = fnConfig(node, 'crashOrEcho');
    const first = await lambda.invoke(config, '{"late": true}');
    assert.equal(first.error, undefined);
    await new Promise((r) => setTimeout(r, 400)); // the rejection kills the idle environment meanwhile
    const lines: string[] = [];
    const next = await lambda.invoke(config, '{"n": 2}', { onLog: (l) => lines.push(l) });
    assert.deepEqual(JSON.parse(next.payload), { n: 2 });
    assert.equal(next.coldStart, true);
    for (const log of [next.logs, lines]) assert.ok(log.some((l) => /rejected while idle/.test(l)), log.join('\n'));
  });
});

describe('Memory: measured by the runtime itself, enforced by an asynchronous watchdog', function () {
  this.timeout(60_000);

  it('a peak over the memory size that the sampler never saw is still the verdict at the deadline: OutOfMemory, not a timeout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-hog-'));
    writeFileSync(join(dir, 'hog.js'), 'const hog = [];\nexports.handler = async () => { hog.push(Buffer.alloc(200 * 1024 * 1024, 1)); return new Promise((r) => setTimeout(r, 30_000)); };\n');
    // A sampler that never runs in time, as on a starved host: only the deadline's own sample can see the peak.
    const env = new Environment({ name: 'hog', runtime: 'nodejs20.x', handler: 'hog.handler', codeDir: dir, timeout: 1, memorySize: 128 }, { memoryPollMs: 60_000 });
    try {
      const result = await env.invoke('{}');
      assert.equal(result.error?.errorType, 'Runtime.OutOfMemory', result.payload);
      assert.equal(result.timedOut, false);
      assert.equal(result.maxMemoryUsedMb, 128);
    } finally {
      env.kill();
      await env.closed;
    }
  });

  it('a call over its memory size always fails as Runtime.OutOfMemory, even when its reply races the kill', async () => {
    const lambda = new LocalLambda();
    try {
      const outcomes: string[] = [];
      for (let i = 0; i < 15; i++) {
        const r = await lambda.invoke(fnConfig(node, 'memory', { memorySize: 128 }), '{"mb": 200}');
        outcomes.push(r.error?.errorType ?? 'success');
      }
      assert.deepEqual([...new Set(outcomes)], ['Runtime.OutOfMemory'], outcomes.join(', '));
    } finally {
      await lambda.dispose();
    }
  });

  for (const lang of languages) {
    it(`${lang.name}: a large host does not make a small function look large (its peak is its own, not the parent's)`, async () => {
      const ballast = Buffer.alloc(300 * 1024 * 1024, 1); // the host (an extension host, serve) may be this big
      const lambda = new LocalLambda();
      try {
        const result = await lambda.invoke(fnConfig(lang, 'echo', { memorySize: 128 }), '{"small": true}');
        assert.equal(result.error, undefined, result.payload);
        assert.ok(result.maxMemoryUsedMb < 128, `Max Memory Used: ${result.maxMemoryUsedMb} MB`);
      } finally {
        await lambda.dispose();
        ballast.fill(0);
      }
    });

    it(`${lang.name}: with no sampling at all (a debug session), Max Memory Used is the runtime's own peak`, async () => {
      const env = new Environment(fnConfig(lang, 'memory', { memorySize: 1024 }), { noTimeouts: true });
      try {
        const result = await env.invoke('{"mb": 120}');
        assert.equal(result.error, undefined, result.payload);
        assert.ok(result.maxMemoryUsedMb >= 120, `Max Memory Used: ${result.maxMemoryUsedMb} MB`);
      } finally {
        env.kill();
        await env.closed;
      }
    });
  }
});
