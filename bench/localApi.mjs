// Local API benchmark: `npm run bench:api` (builds out/ first). One run, ratios against a peer run in the same
// process run, because absolute milliseconds vary a lot between machines and runs.
//
//   hello route      GET /hello (HTTP API, payload 2.0) on the bench fixture handler: ours (`lambda-workbench start`
//                    in its own process) vs serverless-offline 13 (an httpApi event). Each round starts both fresh and
//                    sends a fixed number of requests (serverless-offline slows down as it serves), 1 and 8 clients.
//   hot reload       save a handler file → the first response with the new code (JS, TypeScript, Python).
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { routeLoad } from './lib/http.mjs';
import { ensurePeers, peersDir, peerVersion } from './lib/peers.mjs';
import { freePort, killAllChildren, startChild, stopChild } from './lib/procs.mjs';
import { fmtMs, fmtRatio, verdict } from './lib/report.mjs';
import { withTimeout } from './lib/stats.mjs';

const ROUNDS = 3;
const CLIENTS = 8;
const COUNTS = { one: { clients: 1, perClient: 1500, warmup: 150 }, many: { clients: CLIENTS, perClient: 200, warmup: 25 } };
const RELOADS = 5;
const TARGETS = { p50VsPeer: 0.5, rpsVsPeer: 2, reloadMs: { js: 200, python: 200, ts: 400 } };

const require = createRequire(import.meta.url);
const out = fileURLToPath(new URL('../out/src/core/', import.meta.url));
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const fixtureHandler = fileURLToPath(new URL('./fixtures/node/handler.js', import.meta.url));
const log = (msg) => process.stderr.write(`bench:api: ${msg}\n`);
const watchdog = setTimeout(() => { log('gave up after 8 minutes'); killAllChildren(); process.exit(2); }, 8 * 60_000);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { killAllChildren(); process.exit(130); });

const { startLocalCloud } = require(`${out}localApi/localCloud.js`);
const { LocalLambda } = require(`${out}runtime/localLambda.js`);

function serviceDir() {
  const dir = mkdtempSync(join(tmpdir(), 'lwb-bench-api-'));
  cpSync(fixtureHandler, join(dir, 'handler.js'));
  writeFileSync(join(dir, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      CodeUri: .
      Handler: handler.handler
      Timeout: 30
      Events:
        Get: { Type: HttpApi, Properties: { Path: /hello, Method: GET } }
`);
  return dir;
}

/** Polls a route until it answers (a server just started), or gives up naming the child's last output. */
async function waitUntilServing(url, proc) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      await routeLoad(url, { clients: 1, perClient: 1, warmup: 0 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${url} did not serve: ${error.message} — ${proc.output().trim().split('\n').slice(-3).join(' | ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Ours as a user runs it: `lambda-workbench start` in its own process (access log on), like the peer. */
async function oursRound(load) {
  const dir = serviceDir();
  const [port, invokePort] = [await freePort(), await freePort()];
  const proc = startChild(process.execPath, [cli, 'start', 'template.yaml', '--port', String(port), '--invoke-port', String(invokePort), '--quiet', '--no-reload', '--max-concurrency', String(CLIENTS + 2)], { cwd: dir });
  const url = `http://127.0.0.1:${port}/hello`;
  try {
    await waitUntilServing(url, proc);
    return await withTimeout(routeLoad(url, load), 90_000, 'ours');
  } finally {
    await stopChild(proc);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function peerRound(load) {
  const modules = join(peersDir, 'node_modules');
  const dir = mkdtempSync(join(tmpdir(), 'lwb-bench-sls-api-'));
  const [httpPort, lambdaPort, websocketPort] = [await freePort(), await freePort(), await freePort()];
  symlinkSync(fixtureHandler, join(dir, 'handler.js'));
  symlinkSync(modules, join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'serverless.yml'), ['service: bench', "frameworkVersion: '3'", 'provider:', '  name: aws', '  runtime: nodejs20.x', '  stage: dev', '  region: us-east-1',
    'functions:', '  hello:', '    handler: handler.handler', '    events:', '      - httpApi: { path: /hello, method: get }',
    'plugins:', '  - serverless-offline', 'custom:', '  serverless-offline:', '    host: 127.0.0.1', `    httpPort: ${httpPort}`, `    lambdaPort: ${lambdaPort}`, `    websocketPort: ${websocketPort}`, ''].join('\n'));
  const env = { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_TRACKING_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', SLS_DEPRECATION_DISABLE: '*', CI: '1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1', HOME: dir };
  const proc = startChild(process.execPath, [join(modules, 'serverless', 'bin', 'serverless.js'), 'offline', 'start'], { cwd: dir, env });
  const url = `http://127.0.0.1:${httpPort}/hello`;
  try {
    await waitUntilServing(url, proc);
    return await withTimeout(routeLoad(url, load), 90_000, 'serverless-offline');
  } finally {
    await stopChild(proc);
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Save → first response with the new code, `RELOADS` times, for one language. */
async function reloadTime(lang) {
  const dir = mkdtempSync(join(tmpdir(), `lwb-bench-reload-${lang}-`));
  const file = { js: 'app.mjs', ts: 'app.ts', python: 'app.py' }[lang];
  const source = (v) => ({
    js: `export const handler = async () => ({ statusCode: 200, body: JSON.stringify({ ok: true, v: ${v} }) });\n`,
    ts: `export const handler = async (): Promise<{ statusCode: number; body: string }> => ({ statusCode: 200, body: JSON.stringify({ ok: true, v: ${v} }) });\n`,
    python: `import json\n\ndef handler(event, context):\n    return {"statusCode": 200, "body": json.dumps({"ok": True, "v": ${v}}, separators=(",", ":"))}\n`,
  })[lang];
  writeFileSync(join(dir, file), source(0));
  writeFileSync(join(dir, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31
Resources:
  App:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: ${lang === 'python' ? 'python3.12' : 'nodejs20.x'}
      CodeUri: .
      Handler: app.handler
      Events:
        Get: { Type: HttpApi, Properties: { Path: /v, Method: GET } }
`);
  const lambda = new LocalLambda();
  const cloud = await startLocalCloud({ template: join(dir, 'template.yaml'), lambda, port: 0, invokePort: 0, target: { cwd: dir } });
  const version = async () => JSON.parse(await (await fetch(`${cloud.api.url}/v`)).text()).v;
  const times = [];
  try {
    await version();
    for (let v = 1; v <= RELOADS; v++) {
      await new Promise((r) => setTimeout(r, 100)); // let the last save's watcher event settle
      const saved = performance.now();
      writeFileSync(join(dir, file), source(v));
      while ((await version()) !== v) if (performance.now() - saved > 10_000) throw new Error(`${lang}: the new code never answered`);
      times.push(performance.now() - saved);
    }
  } finally {
    await cloud.close();
    await lambda.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  return times;
}

const noPeer = ensurePeers();
if (noPeer) log(`serverless-offline not available: ${noPeer}`);
log(`${cpus().length} CPUs, node ${process.version}, serverless-offline ${noPeer ? 'n/a' : peerVersion('serverless-offline')}`);
const rows = [];
for (const [label, load] of [['hello route, 1 client', COUNTS.one], [`hello route, ${CLIENTS} clients`, COUNTS.many]]) {
  const ours = [];
  const peer = [];
  for (let round = 0; round < ROUNDS; round++) {
    log(`${label}: round ${round + 1}/${ROUNDS}`);
    ours.push(await oursRound(load));
    if (!noPeer) peer.push(await peerRound(load).catch((error) => ({ error: error.message })));
  }
  rows.push({ label, ours, peer: peer.filter((p) => !p.error), peerError: peer.find((p) => p.error)?.error });
}
const reloads = {};
for (const lang of ['js', 'ts', 'python']) {
  log(`hot reload: ${lang}`);
  reloads[lang] = await reloadTime(lang).catch((error) => ({ error: error.message }));
}
clearTimeout(watchdog);

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
console.log(`\nLocal API (${cpus().length} CPUs; medians of ${ROUNDS} fresh rounds; ratio = ours / serverless-offline)`);
console.log(`${pad('scenario', 26)}${lpad('p50 ratio', 10)}${lpad('ours p50', 10)}${lpad('peer p50', 10)}${lpad('rps ratio', 11)}${lpad('ours rps', 10)}${lpad('peer rps', 10)}  target`);
for (const row of rows) {
  const o50 = median(row.ours.map((r) => r.p50));
  const oRps = median(row.ours.map((r) => r.throughput));
  if (!row.peer.length) {
    console.log(`${pad(row.label, 26)}${lpad('n/a', 10)}${lpad(fmtMs(o50), 10)}${lpad('-', 10)}${lpad('n/a', 11)}${lpad(oRps.toFixed(0), 10)}${lpad('-', 10)}  (${row.peerError ?? 'no peer'})`);
    continue;
  }
  const p50 = median(row.peer.map((r) => r.p50));
  const pRps = median(row.peer.map((r) => r.throughput));
  const one = row.label.includes('1 client');
  const ok = one ? o50 / p50 <= TARGETS.p50VsPeer : oRps / pRps >= TARGETS.rpsVsPeer;
  console.log(`${pad(row.label, 26)}${lpad(fmtRatio(o50 / p50), 10)}${lpad(fmtMs(o50), 10)}${lpad(fmtMs(p50), 10)}${lpad(fmtRatio(oRps / pRps), 11)}${lpad(oRps.toFixed(0), 10)}${lpad(pRps.toFixed(0), 10)}  ${verdict(ok)} ${one ? `p50 <= ${TARGETS.p50VsPeer}x` : `rps >= ${TARGETS.rpsVsPeer}x`}`);
}
console.log(`\n${pad('hot reload: save -> new code', 30)}${lpad('median ms', 10)}${lpad('max ms', 10)}  target`);
for (const [lang, times] of Object.entries(reloads)) {
  if (times.error) { console.log(`${pad(lang, 30)}${lpad('n/a', 10)}  (${times.error})`); continue; }
  const m = median(times);
  console.log(`${pad(lang, 30)}${lpad(fmtMs(m), 10)}${lpad(fmtMs(Math.max(...times)), 10)}  ${verdict(m <= TARGETS.reloadMs[lang])} <= ${TARGETS.reloadMs[lang]} ms`);
}

