// The peers, on the same fixture handler: lambda-local 2 (in-process) and serverless-offline 13 under serverless 3.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkResponse, createClient, loadTest } from './http.mjs';
import { freePort, startChild, stopChild } from './procs.mjs';
import { summarize, timeSequential, withTimeout } from './stats.mjs';

const benchDir = fileURLToPath(new URL('..', import.meta.url));
export const peersDir = join(benchDir, 'peers');
const modules = join(peersDir, 'node_modules');
const requirePeer = createRequire(join(peersDir, 'package.json'));

/** Runs bench/install-peers.sh when bench/peers/node_modules is missing; returns a reason string if it failed. */
export function ensurePeers() {
  if (existsSync(join(modules, 'lambda-local')) && existsSync(join(modules, 'serverless-offline')) && existsSync(join(modules, 'serverless'))) return undefined;
  process.stderr.write('bench/peers/node_modules is missing: running bench/install-peers.sh…\n');
  const result = spawnSync('bash', [join(benchDir, 'install-peers.sh')], { stdio: ['ignore', 2, 2], timeout: 240_000 });
  if (result.status !== 0) return `install-peers.sh failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`})`;
  return undefined;
}

export function peerVersion(name) {
  // Read, not required: serverless-offline's "exports" does not expose its package.json.
  try { return JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8')).version; } catch { return undefined; }
}

/** lambda-local's in-process execute(), one call after another. */
export async function measureLambdaLocal({ handlerPath, counts }) {
  let lambdaLocal;
  try { lambdaLocal = requirePeer('lambda-local'); } catch (error) { throw new Error(`lambda-local not installed: ${error.message}`); }
  const call = async (n) => {
    const result = await lambdaLocal.execute({ event: { n }, lambdaPath: handlerPath, lambdaHandler: 'handler', timeoutMs: 10_000, verboseLevel: 0 });
    if (result?.statusCode !== 200 || JSON.parse(result.body).n !== n) throw new Error(`unexpected result ${JSON.stringify(result)}`);
  };
  return withTimeout((async () => {
    await timeSequential(call, counts.warmup);
    return summarize(await timeSequential(call, counts.sequential));
  })(), 60_000, 'lambda-local');
}

/**
 * `serverless offline start` in a temporary service folder (serverless.yml generated there, the fixture handler
 * symlinked in, node_modules linked to bench/peers/node_modules), then its Lambda Invoke endpoint under load.
 */
export async function measureServerlessOffline({ handlerPath, clients, counts }) {
  const slsBin = join(modules, 'serverless', 'bin', 'serverless.js');
  if (!existsSync(slsBin)) throw new Error('serverless not installed');
  const dir = mkdtempSync(join(tmpdir(), 'lwb-bench-sls-'));
  const [httpPort, lambdaPort, websocketPort] = [await freePort(), await freePort(), await freePort()];
  const service = 'bench';
  const stage = 'dev';
  const fn = 'hello';
  const module = basename(handlerPath, '.js');
  symlinkSync(handlerPath, join(dir, `${module}.js`));
  symlinkSync(modules, join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'serverless.yml'), [
    `service: ${service}`,
    `frameworkVersion: '3'`,
    'provider:',
    '  name: aws',
    '  runtime: nodejs20.x',
    `  stage: ${stage}`,
    '  region: us-east-1',
    'functions:',
    `  ${fn}:`,
    `    handler: ${module}.handler`,
    'plugins:',
    '  - serverless-offline',
    'custom:',
    '  serverless-offline:',
    '    host: 127.0.0.1',
    `    httpPort: ${httpPort}`,
    `    lambdaPort: ${lambdaPort}`,
    `    websocketPort: ${websocketPort}`,
    '    noPrependStageInUrl: true',
    '',
  ].join('\n'));
  const env = {
    ...process.env,
    SLS_TELEMETRY_DISABLED: '1',
    SLS_TRACKING_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    SLS_DEPRECATION_DISABLE: '*',
    SLS_INTERACTIVE_SETUP_DISABLE: '1',
    SLS_OFFLINE_DEBUG: '',
    CI: '1', // no interactive prompts
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'bench', // offline never calls AWS; avoids credential lookups
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'bench',
    AWS_REGION: 'us-east-1',
    HOME: dir, // serverless 3 caches into ~/.serverless; keep that in the temporary folder
  };
  const proc = startChild(process.execPath, [slsBin, 'offline', 'start', '--stage', stage], { cwd: dir, env });
  const url = `http://127.0.0.1:${lambdaPort}/2015-03-31/functions/${service}-${stage}-${fn}/invocations`;
  try {
    await waitUntilServing(url, proc, 90_000);
    const one = await withTimeout(loadTest(url, { clients: 1, perClient: counts.sequential, warmup: counts.warmup }), 90_000, 'serverless-offline, 1 client');
    let many;
    try {
      many = await withTimeout(loadTest(url, { clients, perClient: counts.perClient, warmup: counts.warmupPerClient }), 90_000, `serverless-offline, ${clients} clients`);
    } catch (error) {
      many = { error: error.message };
    }
    return { one, many };
  } catch (error) {
    const tail = proc.output().trim().split('\n').slice(-6).join(' | ');
    throw new Error(`${error.message}${tail ? ` — output: ${tail}` : ''}`);
  } finally {
    await stopChild(proc);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Polls the invoke endpoint until the handler answers (serverless 3 takes seconds to start), or the child exits. */
async function waitUntilServing(url, proc, timeoutMs) {
  const client = createClient(1);
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void proc.exited.then(() => { exited = true; });
  let lastError = 'not started';
  try {
    while (Date.now() < deadline) {
      if (exited) throw new Error(`serverless offline exited before serving (${lastError})`);
      try {
        checkResponse(await client.post(url, JSON.stringify({ n: 0 }), 5000), 0);
        return;
      } catch (error) {
        lastError = error.message;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`serverless offline did not serve within ${timeoutMs / 1000} s (${lastError})`);
  } finally {
    client.close();
  }
}
