import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalLambda } from '../../../src/core/runtime/localLambda';
import { runLoad } from '../../../src/core/runtime/loadRun';
import { LambdaServiceError } from '../../../src/core/runtime/types';
import { childPids, fnConfig, languages, waitForNoChildren } from '../support/runtimeFixtures';

const [nodeLang, pythonLang] = languages;

describe('Concurrency and cleanup', function () {
  this.timeout(120_000);

  it('serves 8 parallel calls from several environments, then reuses them warm', async () => {
    const lambda = new LocalLambda();
    try {
      const config = fnConfig(nodeLang, 'sleep');
      const results = await Promise.all(Array.from({ length: 8 }, () => lambda.invoke(config, '{"ms": 150}')));
      const environments = new Set(results.map((r) => r.environmentId));
      assert.equal(environments.size, 8, 'each concurrent call needs its own environment');
      assert.ok(results.every((r) => r.coldStart));
      assert.equal(lambda.stats(config.name).environments, 8);
      const warm = await Promise.all(Array.from({ length: 8 }, () => lambda.invoke(config, '{"ms": 150}')));
      assert.ok(warm.every((r) => !r.coldStart), 'the second wave is all warm');
      assert.deepEqual(new Set(warm.map((r) => r.environmentId)), environments);
    } finally {
      await lambda.dispose();
    }
  });

  it('starts a burst of cold starts a few at a time: each concurrent call still gets its own environment', async () => {
    // Each environment's init is ~100 ms of CPU and logs when it began and ended (wall clock, shared by processes).
    const dir = mkdtempSync(join(tmpdir(), 'lwb-starts-'));
    writeFileSync(join(dir, 'busy.js'), `const began = Date.now();
for (const until = began + 100; Date.now() < until;) { /* a CPU-bound init */ }
console.log('INIT', began, Date.now());
exports.handler = async () => 'ok';
`);
    const lambda = new LocalLambda({ maxStarting: 2 });
    try {
      const config = { name: 'busy-init', runtime: 'nodejs20.x', handler: 'busy.handler', codeDir: dir } as const;
      const results = await Promise.all(Array.from({ length: 6 }, () => lambda.invoke(config, '{}')));
      assert.equal(new Set(results.map((r) => r.environmentId)).size, 6, 'no call waited for another environment to free up');
      assert.ok(results.every((r) => r.coldStart));
      const inits = results.map((r) => {
        const line = r.logs.find((l) => l.includes('\tINIT ')) ?? '';
        const [began, ended] = line.split('INIT ')[1].split(' ').map(Number);
        return { began, ended };
      });
      const overlapping = Math.max(...inits.map((a) => inits.filter((b) => b.began < a.ended && a.began < b.ended).length));
      assert.ok(overlapping <= 2, `at most 2 inits ran at once: ${JSON.stringify(inits)}`);
      // A call still waiting for a slot when it is cancelled starts nothing.
      const stop = new AbortController();
      const blockers = Array.from({ length: 2 }, () => lambda.invoke({ ...config, name: 'busy-init-2' }, '{}'));
      const waiting = lambda.invoke({ ...config, name: 'busy-init-2' }, '{}', { signal: stop.signal });
      stop.abort();
      await assert.rejects(waiting, { name: 'AbortError' });
      await Promise.all(blockers);
      assert.equal(lambda.stats('busy-init-2').environments, 2, 'the cancelled call left no environment');
    } finally {
      await lambda.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(await waitForNoChildren(), []);
  });

  it('throttles with TooManyRequestsException beyond the concurrency limit', async () => {
    const lambda = new LocalLambda({ maxEnvironments: 2 });
    try {
      const config = fnConfig(nodeLang, 'sleep');
      const outcomes = await Promise.allSettled(Array.from({ length: 3 }, () => lambda.invoke(config, '{"ms": 300}')));
      const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      assert.equal(rejected.length, 1);
      assert.ok(rejected[0].reason instanceof LambdaServiceError);
      assert.equal((rejected[0].reason as LambdaServiceError).errorType, 'TooManyRequestsException');
      assert.equal((rejected[0].reason as LambdaServiceError).statusCode, 429);
      const after = await lambda.invoke(config, '{"ms": 1}');
      assert.equal(after.coldStart, false, 'the pool keeps working after a throttle');
    } finally {
      await lambda.dispose();
    }
  });

  it('reports cold starts, environments and percentiles for a repeated run', async () => {
    const lambda = new LocalLambda();
    try {
      const summary = await runLoad(lambda, fnConfig(pythonLang, 'echo'), '{}', { total: 40, concurrency: 4 });
      assert.equal(summary.completed, 40);
      assert.equal(summary.environments, 4);
      assert.equal(summary.coldStarts, 4);
      assert.equal(summary.errors, 0);
      assert.ok(summary.latencyMs.p50 <= summary.latencyMs.p99 && summary.latencyMs.p99 <= summary.latencyMs.max);
    } finally {
      await lambda.dispose();
    }
  });

  it('a load run samples as it goes (cumulative counts, the last sample equal to the summary) and tags its calls as a load run', async () => {
    const origins: Array<string | undefined> = [];
    const lambda = new LocalLambda({ onInvoked: (_c, _r, options) => origins.push(options.origin) });
    try {
      const samples: Array<{ completed: number; coldStarts: number; inFlight: number }> = [];
      const summary = await runLoad(lambda, fnConfig(nodeLang, 'sleep'), '{"ms": 20}', { total: 30, concurrency: 3, sampleMs: 20, onSample: (s) => samples.push(s) });
      assert.ok(samples.length >= 2, `several samples (${samples.length})`);
      for (let i = 1; i < samples.length; i++) assert.ok(samples[i].completed >= samples[i - 1].completed, 'counts only grow');
      assert.ok(samples.every((s) => s.inFlight <= 3), 'never more in flight than the concurrency');
      const last = samples.at(-1)!;
      assert.deepEqual([last.completed, last.coldStarts, last.inFlight], [summary.completed, summary.coldStarts, 0]);
      assert.equal(summary.samples.length, samples.length);
      assert.deepEqual([...new Set(origins)], ['load']);
    } finally {
      await lambda.dispose();
    }
  });

  it('a ramp holds later callers back: stopped after the first call, only the first caller has run', async () => {
    const stop = new AbortController();
    const lambda = new LocalLambda({ onInvoked: () => stop.abort() });
    try {
      const summary = await runLoad(lambda, fnConfig(nodeLang, 'echo'), '{}', { total: 4, concurrency: 4, rampMs: 60_000, signal: stop.signal });
      assert.equal(summary.cancelled, true);
      assert.equal(summary.completed, 1, 'callers 2–4 were still waiting to join (at 15, 30 and 45 s of the ramp)');
    } finally {
      await lambda.dispose();
    }
  });

  it('retire lets a call in flight finish (a settings change must not kill it), then stops every process', async () => {
    const local = new LocalLambda();
    let started!: () => void;
    const running = new Promise<void>((resolve) => { started = resolve; });
    const call = local.invoke(fnConfig(languages[0]!, 'sleep'), '{"ms":300}', { onLog: (line) => { if (line.startsWith('START')) started(); } });
    await running;
    await local.invoke(fnConfig(languages[0]!, 'echo'), '{}'); // an idle environment too
    const retired = local.retire();
    const result = await call;
    assert.equal(result.error, undefined, result.payload);
    assert.deepEqual(JSON.parse(result.payload), { slept: 300 });
    await retired;
    assert.deepEqual(await waitForNoChildren(), []);
  });

  it('stops idle environments after the idle timeout', async () => {
    const lambda = new LocalLambda({ idleTimeoutMs: 200 });
    try {
      const config = fnConfig(nodeLang, 'echo');
      await lambda.invoke(config, '{}');
      assert.equal(lambda.stats(config.name).environments, 1);
      const deadline = Date.now() + 5000;
      while (lambda.stats(config.name).environments > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.equal(lambda.stats(config.name).environments, 0, 'reaped');
      const next = await lambda.invoke(config, '{}');
      assert.equal(next.coldStart, true);
    } finally {
      await lambda.dispose();
    }
  });

  it('runs 1 000 invocations (successes, errors, crashes, timeouts) and leaves zero child processes', async () => {
    const lambda = new LocalLambda({ maxEnvironments: 16 });
    const mix = [
      { config: fnConfig(nodeLang, 'echo'), event: '{}' },
      { config: fnConfig(pythonLang, 'echo'), event: '{}' },
      { config: fnConfig(nodeLang, 'boom'), event: '{}' },
      { config: fnConfig(pythonLang, 'boom'), event: '{}' },
    ];
    let done = 0;
    try {
      for (let wave = 0; wave < 125; wave++) {
        await Promise.all(mix.flatMap(({ config, event }) => [lambda.invoke(config, event), lambda.invoke(config, event)]).map((p) => p.then(() => { done++; })));
      }
      // A crash and a timeout as well: their environments must go too.
      await lambda.invoke(fnConfig(nodeLang, 'exit'), '{"code": 1}');
      await lambda.invoke(fnConfig(pythonLang, 'sleep', { timeout: 1 }), '{"ms": 3000}');
      assert.equal(done, 1000);
      assert.ok(childPids().length > 0, 'warm environments are running before dispose');
    } finally {
      await lambda.dispose();
    }
    assert.deepEqual(await waitForNoChildren(), [], 'every runtime process has exited');
  });
});
