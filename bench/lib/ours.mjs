// Lambda Workbench's own runtime, loaded from the CommonJS build in out/ (scripts/build-tests.mjs).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { loadTest } from './http.mjs';
import { capture, startChild, stopChild } from './procs.mjs';
import { timeSequential, summarize, withTimeout } from './stats.mjs';

const require = createRequire(import.meta.url);
const outDir = fileURLToPath(new URL('../../out/src/core/runtime/', import.meta.url));

export function loadRuntime() {
  if (!existsSync(`${outDir}localLambda.js`)) {
    throw new Error(`${outDir}localLambda.js is missing: run 'npm run bench' (or node scripts/build-tests.mjs first).`);
  }
  const { LocalLambda } = require(`${outDir}localLambda.js`);
  const { startInvokeApi } = require(`${outDir}invokeApiServer.js`);
  return { LocalLambda, startInvokeApi };
}

/** Warm invocations through the Invoke API over HTTP: 1 client, then `clients` concurrent clients. */
export async function measureWarm({ config, clients, counts }) {
  const { LocalLambda, startInvokeApi } = loadRuntime();
  const lambda = new LocalLambda({ maxEnvironments: clients + 2, idleTimeoutMs: 10 * 60_000 });
  const api = await startInvokeApi({ lambda, functions: new Map([[config.name, config]]), port: 0 });
  const url = `${api.url}/2015-03-31/functions/${config.name}/invocations`;
  try {
    const one = await withTimeout(loadTest(url, { clients: 1, perClient: counts.sequential, warmup: counts.warmup }), 60_000, 'ours, 1 client');
    // For reference only: the same warm environment called in-process (no HTTP), like lambda-local's execute().
    const direct = await withTimeout((async () => {
      const call = async (n) => {
        const result = await lambda.invoke(config, JSON.stringify({ n }));
        if (result.functionError || JSON.parse(JSON.parse(result.payload).body).n !== n) throw new Error(`unexpected payload ${result.payload.slice(0, 300)}`);
      };
      await timeSequential(call, counts.warmup);
      return summarize(await timeSequential(call, counts.sequential));
    })(), 60_000, 'ours, direct invoke');
    // The concurrent run's warm-up starts the other environments; check they are all up before measuring.
    let environments = 0;
    const afterWarmup = () => {
      environments = lambda.stats(config.name).environments;
      if (environments < clients) throw new Error(`only ${environments} environments after the ${clients}-client warm-up`);
    };
    const many = await withTimeout(loadTest(url, { clients, perClient: counts.perClient, warmup: counts.warmupPerClient, afterWarmup }), 90_000, `ours, ${clients} clients`);
    return { one, direct, many, environments };
  } finally {
    await api.close();
    await withTimeout(lambda.dispose(), 15_000, 'disposing the local Lambda').catch(() => {});
  }
}

/**
 * Warm invocations through `lambda-workbench serve` in a process of its own, as a user runs it and as
 * serverless-offline runs (the in-process row above shares its CPU with the load generator). 1 client, then `clients`.
 */
export async function measureWarmServe({ cli, config, clients, counts }) {
  const proc = startChild(process.execPath, [cli, 'serve', config.handler, '--name', config.name, '--port', '0', '--quiet', '--max-concurrency', String(clients + 2)], { cwd: config.codeDir, env: process.env });
  try {
    const url = await withTimeout(new Promise((resolve, reject) => {
      const found = () => /Invoke API on (http:\/\/127\.0\.0\.1:\d+)/.exec(proc.output())?.[1];
      proc.child.stdout.on('data', () => { if (found()) resolve(`${found()}/2015-03-31/functions/${config.name}/invocations`); });
      void proc.exited.then(() => reject(new Error(`serve exited: ${proc.output().slice(-300)}`)));
    }), 20_000, 'lambda-workbench serve to start');
    const one = await withTimeout(loadTest(url, { clients: 1, perClient: counts.sequential, warmup: counts.warmup }), 60_000, 'ours (serve), 1 client');
    let environments = 0;
    const afterWarmup = async () => {
      // The function's environments are the serve process's children.
      environments = (await capture('ps', ['-o', 'pid=', '--ppid', String(proc.child.pid)])).split('\n').filter(Boolean).length;
      if (environments < clients) throw new Error(`only ${environments} environments after the ${clients}-client warm-up`);
    };
    const many = await withTimeout(loadTest(url, { clients, perClient: counts.perClient, warmup: counts.warmupPerClient, afterWarmup }), 90_000, `ours (serve), ${clients} clients`);
    return { one, many, environments };
  } finally {
    await stopChild(proc);
  }
}

/** Wall time of whole cold invocations (`{ cold: true }`: a fresh environment every call). */
export function coldInvoker(config) {
  const { LocalLambda } = loadRuntime();
  const lambda = new LocalLambda({ maxEnvironments: 4 });
  const event = JSON.stringify({ n: 1 });
  return {
    async once() {
      const start = performance.now();
      const result = await withTimeout(lambda.invoke(config, event, { cold: true }), 30_000, `cold invoke of ${config.name}`);
      const ms = performance.now() - start;
      if (!result.coldStart || result.functionError) throw new Error(`cold invoke of ${config.name} failed: ${result.payload.slice(0, 300)}`);
      return { ms, initDurationMs: result.initDurationMs, durationMs: result.durationMs };
    },
    dispose: () => withTimeout(lambda.dispose(), 15_000, 'disposing the local Lambda').catch(() => {}),
  };
}

export { summarize, timeSequential };
