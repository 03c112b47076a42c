// Lambda Workbench runtime benchmark: `npm run bench` (builds out/ first). One run, one table: every ratio compares
// numbers measured in this same process run, because absolute milliseconds vary a lot between machines and runs.
//
//   floor            the fixture handler called in-process (require + await handler(event, context))
//   ours, warm       LocalLambda behind the Invoke API over HTTP keep-alive, 1 client and 8 concurrent clients: in
//                    this process (beside the load generator), and `lambda-workbench serve` in its own process (as
//                    users and serverless-offline run; the row compared with the peer)
//   peers            lambda-local 2 (in-process execute) and serverless-offline 13 (serverless 3, Invoke endpoint)
//   whole process    `lambda-workbench invoke <handler>` and `--version` as a user runs them vs a bare interpreter
//   cold start       a cold environment started by an already running process vs a bare spawn (in-process figure)
//
// Peers are installed into bench/peers/ by bench/install-peers.sh on first run; a peer that cannot run prints n/a.
import { cpus, platform, arch } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { coldNode, coldPython, resolveInterpreters, wholeProcess } from './lib/cold.mjs';
import { measureWarm, measureWarmServe } from './lib/ours.mjs';
import { ensurePeers, measureLambdaLocal, measureServerlessOffline, peerVersion } from './lib/peers.mjs';
import { killAllChildren } from './lib/procs.mjs';
import { coldTable, fmtDelta, fmtMs, fmtRatio, verdict, warmTable } from './lib/report.mjs';
import { summarize, timeSequential } from './lib/stats.mjs';

const CLIENTS = 8;
const COUNTS = { warmup: 200, sequential: 2000, warmupPerClient: 50, perClient: 250 };
const FLOOR = { warmup: 500, calls: 2000 };
const COLD_SAMPLES = 20;
const TARGETS = { warmVsFloor: 2, coldVsBare: 1.3, processNode: 1.6, processPython: 2.5, version: 1.3, throughputVsSls: 2, p50OneClientMs: 0.5 };
const PROCESS_SAMPLES = 30;
const cliPath = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

const handlerPath = fileURLToPath(new URL('./fixtures/node/handler.js', import.meta.url));
const pythonHandler = fileURLToPath(new URL('./fixtures/python/handler.py', import.meta.url));
const nodeConfig = { name: 'bench-warm-node', runtime: 'nodejs20.x', handler: 'handler.handler', codeDir: fileURLToPath(new URL('./fixtures/node', import.meta.url)), timeout: 30 };

const log = (msg) => process.stderr.write(`bench: ${msg}\n`);
const reason = (error) => (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 300);

// Everything is bounded; this is the last line of defence against a hung child or server.
const watchdog = setTimeout(() => {
  log('gave up after 6 minutes');
  killAllChildren();
  process.exit(2);
}, 6 * 60_000);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { killAllChildren(); process.exit(130); });

async function measureFloor() {
  const { handler } = createRequire(import.meta.url)(handlerPath);
  const context = {
    functionName: 'bench', functionVersion: '$LATEST', memoryLimitInMB: '128', awsRequestId: 'bench',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench', logGroupName: '/aws/lambda/bench',
    logStreamName: 'bench', callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => 3000,
  };
  const call = async (n) => {
    const result = await handler({ n }, context);
    if (result.statusCode !== 200) throw new Error('unexpected result');
  };
  await timeSequential(call, FLOOR.warmup);
  return summarize(await timeSequential(call, FLOOR.calls));
}

async function main() {
  const started = performance.now();
  let failed = false;
  const interpreters = await resolveInterpreters();

  log('floor: in-process calls…');
  const floor = await measureFloor();

  log(`ours: warm invokes over HTTP, 1 client then ${CLIENTS} clients…`);
  let ours;
  try { ours = await measureWarm({ config: nodeConfig, clients: CLIENTS, counts: COUNTS }); } catch (error) { ours = { error: reason(error) }; failed = true; }

  log(`ours: lambda-workbench serve in its own process, 1 client then ${CLIENTS} clients…`);
  let serve;
  try { serve = await measureWarmServe({ cli: cliPath, config: nodeConfig, clients: CLIENTS, counts: COUNTS }); } catch (error) { serve = { error: reason(error) }; failed = true; }

  const peersMissing = ensurePeers();
  log('lambda-local: in-process execute…');
  let lambdaLocal;
  try {
    if (peersMissing) throw new Error(peersMissing);
    lambdaLocal = await measureLambdaLocal({ handlerPath, counts: COUNTS });
  } catch (error) { lambdaLocal = { error: reason(error) }; }

  log(`serverless-offline: serverless offline start, 1 client then ${CLIENTS} clients…`);
  let sls;
  try {
    if (peersMissing) throw new Error(peersMissing);
    sls = await measureServerlessOffline({ handlerPath, clients: CLIENTS, counts: COUNTS });
  } catch (error) { sls = { error: reason(error) }; }

  log(`cold starts: ${COLD_SAMPLES} samples each, ours and bare spawn alternating…`);
  let coldN;
  try { coldN = await coldNode({ handlerPath, nodePath: interpreters.node, samples: COLD_SAMPLES }); } catch (error) { coldN = { error: reason(error) }; failed = true; }
  let coldP;
  try {
    if (!interpreters.python) throw new Error(`no python3: ${interpreters.pythonError}`);
    coldP = await coldPython({ handlerFile: pythonHandler, pythonPath: interpreters.python, pythonVersion: interpreters.pythonVersion, samples: COLD_SAMPLES });
  } catch (error) { coldP = { error: reason(error) }; }

  log(`whole processes: ${PROCESS_SAMPLES} pairs each (CLI invoke vs a bare interpreter, --version vs node -e 0)…`);
  let processes;
  try {
    processes = await wholeProcess({ cli: cliPath, nodeHandler: handlerPath, pythonHandler, python: interpreters.python, samples: PROCESS_SAMPLES });
  } catch (error) { processes = { error: reason(error) }; failed = true; }

  // ---- report ----
  const llv = peerVersion('lambda-local');
  const slsv = peerVersion('serverless');
  const sov = peerVersion('serverless-offline');
  const row = (label, stats, error) => (stats && !error ? { label, stats } : { label, na: error ?? 'not measured' });
  const out = [];
  out.push('Lambda Workbench runtime benchmark (one run; ratios vs the floor measured in this run)');
  out.push(`node ${process.version} (${interpreters.node}), python ${interpreters.pythonVersion ?? 'n/a'} (${interpreters.python ?? interpreters.pythonError}), ${platform()} ${arch()}, ${cpus().length} CPUs`);
  out.push(`peers: lambda-local ${llv ?? 'n/a'}, serverless ${slsv ?? 'n/a'} + serverless-offline ${sov ?? 'n/a'}; HTTP: node:http keep-alive agent, per-call latency`);
  out.push('');
  out.push(...warmTable([
    row('in-process call (floor)', floor),
    row('ours: warm invoke, 1 client', ours.one, ours.error),
    row(`ours: warm invoke, ${CLIENTS} clients`, ours.many, ours.error),
    row('  ours: lambda.invoke() direct, no HTTP', ours.direct, ours.error),
    row('ours: `lambda-workbench serve` process, 1 client', serve.one, serve.error),
    row(`ours: \`lambda-workbench serve\` process, ${CLIENTS} clients`, serve.many, serve.error),
    row('lambda-local 2, 1 client (in-process)', lambdaLocal.error ? undefined : lambdaLocal, lambdaLocal.error),
    row('serverless-offline 13, 1 client', sls.one, sls.error),
    row(`serverless-offline 13, ${CLIENTS} clients`, sls.many?.error ? undefined : sls.many, sls.error ?? sls.many?.error),
  ], floor.p50));
  out.push('');
  const p = processes;
  const prow = (label, pick, base) => (p.error || !p[pick[0]] ? { label, na: p.error ?? 'not measured' } : { label, stats: p[pick[0]][pick[1]], base: p[pick[0]][base].p50 });
  out.push(...coldTable([
    prow('whole process: lambda-workbench invoke (node)', ['node', 'ours'], 'bare'),
    prow('  bare `node -e` of the same handler', ['node', 'bare'], 'bare'),
    prow('whole process: lambda-workbench invoke (python)', ['python', 'ours'], 'bare'),
    prow('  bare python -c (the real interpreter)', ['python', 'bare'], 'bare'),
    prow('  bare python3 -c (as typed: PATH, shims)', ['python', 'also'], 'bare'),
    prow('whole process: lambda-workbench --version', ['version', 'ours'], 'bare'),
    prow('  bare node -e 0', ['version', 'bare'], 'bare'),
  ], 'cold start, whole process (wall time)'));
  out.push('');
  out.push(...coldTable([
    coldN.error ? { label: 'ours node cold invoke', na: coldN.error } : { label: 'ours node cold invoke', stats: coldN.ours, base: coldN.bare.p50 },
    coldN.error ? { label: 'bare node spawn', na: coldN.error } : { label: 'bare node spawn', stats: coldN.bare, base: coldN.bare.p50 },
    coldP.error ? { label: 'ours python cold invoke', na: coldP.error } : { label: 'ours python cold invoke', stats: coldP.ours, base: coldP.bare.p50 },
    coldP.error ? { label: 'bare python spawn', na: coldP.error } : { label: 'bare python spawn', stats: coldP.bare, base: coldP.bare.p50 },
  ], 'cold environment inside a running process (in-process)'));
  if (coldN.init || coldP.init) {
    out.push(`  (our Init Duration, median: node ${fmtMs(coldN.init?.p50)} ms, python ${fmtMs(coldP.init?.p50)} ms)`);
  }

  out.push('');
  const comparisons = [];
  if (!ours.error) {
    out.push(`per-call overhead over the floor (p50 minus floor p50): 1 client ${fmtDelta(ours.one.p50 - floor.p50)} ms, ${CLIENTS} clients ${fmtDelta(ours.many.p50 - floor.p50)} ms`
      + ` (${CLIENTS} clients ran on ${ours.environments} warm environments)`);
    const compare = (peer, oursStats, peerStats, error) => {
      if (error || !peerStats) { out.push(`  vs ${peer}: n/a (${error ?? 'not measured'})`); return; }
      const r = peerStats.p50 / oursStats.p50;
      comparisons.push({ peer, faster: r > 1 });
      out.push(`  vs ${peer}: ours is ${r >= 1 ? `${fmtRatio(r)} faster` : `${fmtRatio(1 / r)} slower`} (p50 ${fmtMs(oursStats.p50)} vs ${fmtMs(peerStats.p50)} ms)`);
    };
    out.push('ours vs peers (p50 per call, same client count):');
    compare(`lambda-local ${llv} (in-process, 1 client)`, ours.one, lambdaLocal.error ? undefined : lambdaLocal, lambdaLocal.error);
    if (!lambdaLocal.error) {
      const r = lambdaLocal.p50 / ours.direct.p50;
      out.push(`    (like for like, both in-process without HTTP: our lambda.invoke() is ${r >= 1 ? `${fmtRatio(r)} faster` : `${fmtRatio(1 / r)} slower`}, p50 ${fmtMs(ours.direct.p50)} ms; not used for the target)`);
    }
    compare(`serverless-offline ${sov} (1 client)`, ours.one, sls.one, sls.error);
    compare(`serverless-offline ${sov} (${CLIENTS} clients)`, ours.many, sls.many?.error ? undefined : sls.many, sls.error ?? sls.many?.error);
    if (sls.many?.throughput) out.push(`    (${CLIENTS}-client throughput: ours ${Math.round(ours.many.throughput)}/s, serverless-offline ${Math.round(sls.many.throughput)}/s, on ${cpus().length} CPUs)`);
    if (!serve.error) {
      out.push('  each in a process of its own (`lambda-workbench serve` vs `serverless offline start`), like for like:');
      compare(`serverless-offline ${sov} (1 client)`, serve.one, sls.one, sls.error);
      compare(`serverless-offline ${sov} (${CLIENTS} clients)`, serve.many, sls.many?.error ? undefined : sls.many, sls.error ?? sls.many?.error);
      if (sls.many?.throughput) out.push(`    (${CLIENTS}-client throughput: ours ${Math.round(serve.many.throughput)}/s = ${fmtRatio(serve.many.throughput / sls.many.throughput)} serverless-offline's ${Math.round(sls.many.throughput)}/s; target ${TARGETS.throughputVsSls}x)`);
    }
  }

  out.push('');
  out.push('targets (spec): warm p50 within 2x the floor and faster than every peer; cold start within 1.3x the bare spawn');
  const warmRatio = ours.error ? undefined : ours.one.p50 / floor.p50;
  out.push(`  ${verdict(warmRatio === undefined ? undefined : warmRatio <= TARGETS.warmVsFloor)} warm p50 within ${TARGETS.warmVsFloor}x the floor: ${fmtRatio(warmRatio)}`
    + (ours.error ? '' : ` (${fmtMs(ours.one.p50)} ms vs floor ${fmtMs(floor.p50)} ms; needs <= ${fmtMs(floor.p50 * TARGETS.warmVsFloor)} ms)`));
  const measuredPeers = comparisons.length;
  const allFaster = measuredPeers === 0 ? undefined : comparisons.every((c) => c.faster);
  const slower = comparisons.filter((c) => !c.faster).map((c) => c.peer);
  out.push(`  ${verdict(allFaster)} warm p50 faster than every peer: ${measuredPeers === 0 ? 'no peer measured'
    : allFaster ? `faster in all ${measuredPeers} comparisons` : `slower than ${slower.join('; ')}`}`
    + (measuredPeers > 0 && measuredPeers < 3 ? ` (only ${measuredPeers} of 3 comparisons measured)` : ''));
  for (const [lang, c] of [['node', coldN], ['python', coldP]]) {
    const r = c.error ? undefined : c.ours.p50 / c.bare.p50;
    out.push(`  ${verdict(r === undefined ? undefined : r <= TARGETS.coldVsBare)} ${lang} cold start within ${TARGETS.coldVsBare}x the bare spawn: ${fmtRatio(r)}`
      + (c.error ? ` (${c.error})` : ` (${fmtMs(c.ours.p50)} ms vs ${fmtMs(c.bare.p50)} ms, ${fmtDelta(c.ours.p50 - c.bare.p50)} ms)`));
  }
  for (const [label, key, target] of [['node invoke, whole process,', 'node', TARGETS.processNode], ['python invoke, whole process,', 'python', TARGETS.processPython], ['--version,', 'version', TARGETS.version]]) {
    const c = p.error ? undefined : p[key];
    const r = c ? c.ours.p50 / c.bare.p50 : undefined;
    out.push(`  ${verdict(r === undefined ? undefined : r <= target)} ${label} within ${target}x the bare interpreter: ${fmtRatio(r)}`
      + (c ? ` (${fmtMs(c.ours.p50)} ms vs ${fmtMs(c.bare.p50)} ms)` : ` (${p.error ?? 'not measured'})`));
  }
  // Issue [8 of 8]'s warm targets, on the serve process (the way users run it).
  const p50 = serve.error ? undefined : serve.one.p50;
  out.push(`  ${verdict(p50 === undefined ? undefined : p50 <= TARGETS.p50OneClientMs)} warm p50 at 1 client (serve process) <= ${TARGETS.p50OneClientMs} ms: ${fmtMs(p50)} ms`);
  const tput = serve.error || !sls.many?.throughput ? undefined : serve.many.throughput / sls.many.throughput;
  out.push(`  ${verdict(tput === undefined ? undefined : tput >= TARGETS.throughputVsSls)} ${CLIENTS}-client throughput (serve process) >= ${TARGETS.throughputVsSls}x serverless-offline's: ${fmtRatio(tput)}`);
  out.push('');
  out.push(`bench wall time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  process.stdout.write(`\n${out.join('\n')}\n`);
  return failed ? 1 : 0;
}

main().then(
  (code) => { clearTimeout(watchdog); killAllChildren(); process.exit(code); },
  (error) => { log(error instanceof Error ? error.stack : String(error)); killAllChildren(); process.exit(1); },
);
