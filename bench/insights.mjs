// Insights store and view data: the memory 10 000 records take in the store (per record, against the same records
// as JSON text: the baseline), and the time to build the panel's data from them (against one sort of 10 000
// numbers, the least any percentile costs). Run with `npm run bench:insights` (gc exposed for the memory figure).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { InvocationStore } = require('../out/src/core/insights/invocationStore.js');
const { insightsViewData } = require('../out/src/core/insights/insightsView.js');

const N = 10_000;
const t0 = Date.now() - N * 200;
const records = Array.from({ length: N }, (_, i) => ({
  function: 'bench', time: t0 + i * 200, requestId: crypto.randomUUID(), durationMs: Math.round((5 + (i % 37) / 3) * 100) / 100,
  billedDurationMs: 6 + (i % 37), initDurationMs: i % 50 === 0 ? 180 + (i % 7) : undefined, memorySizeMb: 256, maxMemoryUsedMb: 60 + (i % 13),
  status: i % 400 === 0 ? 'error' : 'ok', architecture: 'x86_64', environmentId: `env-${Math.floor(i / 50) % 20}`, source: 'load',
}));
const json = records.map((r) => JSON.stringify(r));
const jsonBytes = json.reduce((n, l) => n + l.length, 0);

global.gc?.();
const before = process.memoryUsage().heapUsed;
const store = new InvocationStore();
// Records parsed from text, as the store gets them from a record file (no sharing with the array above).
for (const line of json) store.add(JSON.parse(line));
global.gc?.();
const storeBytes = process.memoryUsage().heapUsed - before;

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const time = (f) => { const s = []; for (let i = 0; i < 15; i++) { const t = performance.now(); f(); s.push(performance.now() - t); } return median(s); };
const view = time(() => insightsViewData('bench', store.records('bench'), 'bench'));
const floor = time(() => Float64Array.from(records, (r) => r.durationMs).sort());
const payload = JSON.stringify(insightsViewData('bench', store.records('bench'), 'bench')).length;

console.log(`Insights store and view data (${N} records; node ${process.version}${global.gc ? '' : '; no --expose-gc: memory is approximate'})`);
console.log(`  store memory        ${(storeBytes / 1e6).toFixed(2)} MB = ${(storeBytes / N).toFixed(0)} B per record; as JSON text ${(jsonBytes / N).toFixed(0)} B per record (${(storeBytes / jsonBytes).toFixed(2)}×)`);
console.log(`  panel data built    ${view.toFixed(2)} ms (median of 15) = ${(view / floor).toFixed(1)}× one sort of ${N} durations (${floor.toFixed(2)} ms)`);
console.log(`  posted to the page  ${(payload / 1024).toFixed(0)} KiB (series capped at 2 000 points, the newest 1 000 calls for the table)`);
