// Faults under load: `npm run bench:soak` (builds out/ first). 2 000 invocations through LocalLambda, 10 at a time,
// with faults mixed in as in the soak test (10 % time out while a child holds the pipes, 10 % exit, 10 % exceed
// memory, 10 % throw) against the same 2 000 all succeeding, in this one run. Prints invocations per second of each
// and their ratio, the host's RSS before and after, and how late "Task timed out" arrives after the deadline.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRuntime } from './lib/ours.mjs';

const TOTAL = Number(process.env.BENCH_SOAK_CALLS ?? 2000);
const CONCURRENCY = 10;
const { LocalLambda } = loadRuntime();
const codeDir = mkdtempSync(join(tmpdir(), 'lwb-bench-soak-'));
writeFileSync(join(codeDir, 'soak.js'), `
const { spawn } = require('node:child_process');
let hog;
exports.handler = async (event) => {
  if (event.kind === 'timeout') { spawn('sleep', ['30'], { stdio: 'inherit' }); return new Promise(() => {}); }
  if (event.kind === 'exit') process.exit(3);
  if (event.kind === 'memory') { hog = Buffer.alloc(200 * 1024 * 1024, 1); return new Promise((r) => setTimeout(r, 2000)); }
  if (event.kind === 'throw') throw new TypeError('soak');
  return { ok: true };
};`);

async function run(kinds) {
  const lambda = new LocalLambda({ maxEnvironments: CONCURRENCY });
  const config = { name: `soak-${kinds.length}`, runtime: 'nodejs20.x', handler: 'soak.handler', codeDir, timeout: 1, memorySize: 128 };
  const late = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < TOTAL) {
      const kind = kinds[next++ % kinds.length];
      const t0 = performance.now();
      const result = await lambda.invoke(config, JSON.stringify({ kind }));
      // From the deadline (delivery + 1 s; delivery is after the init of a cold start) to the result.
      if (kind === 'timeout') late.push(performance.now() - t0 - (result.initDurationMs ?? 0) - 1000);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  await lambda.dispose();
  return { perSecond: TOTAL / seconds, late: late.sort((a, b) => a - b) };
}

const at = (xs, q) => xs[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)];
const rssBefore = process.memoryUsage().rss;
const clean = await run(['ok']);
const faulty = await run(['timeout', 'exit', 'memory', 'throw', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
const rssAfter = process.memoryUsage().rss;
console.log(`Soak: ${TOTAL} invocations, ${CONCURRENCY} at a time (node ${process.version}, ${process.platform})`);
console.log(`  all succeed (baseline)  ${clean.perSecond.toFixed(0).padStart(6)} /s   1.00×`);
console.log(`  with 40 % faults        ${faulty.perSecond.toFixed(0).padStart(6)} /s   ${(faulty.perSecond / clean.perSecond).toFixed(2)}×  (timeouts wait their 1 s deadline)`);
console.log(`  deadline → "Task timed out": p50 ${at(faulty.late, 0.5).toFixed(0)} ms, p99 ${at(faulty.late, 0.99).toFixed(0)} ms (${faulty.late.length} timeouts, a child holding the pipes each)`);
console.log(`  host RSS: ${(rssBefore / 1048576).toFixed(0)} MB before, ${(rssAfter / 1048576).toFixed(0)} MB after`);
