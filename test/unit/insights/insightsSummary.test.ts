import * as assert from 'node:assert/strict';
import { environmentsOverTime, histogram, percentile, rightSize, stats, summarize } from '../../../src/core/insights/insightsSummary';
import { parseReport, type InvocationRecord } from '../../../src/core/insights/invocationRecord';
import { InvocationStore } from '../../../src/core/insights/invocationStore';
import { priceFor } from '../../../src/core/insights/lambdaPrices';
import { chartSeries, insightsCsv, insightsViewData, TABLE_ROWS } from '../../../src/core/insights/insightsView';

let clock = 1_700_000_000_000;
function rec(over: Partial<InvocationRecord> = {}): InvocationRecord {
  clock += 1000;
  return { function: 'f', time: clock, requestId: `r${clock}`, durationMs: 10, billedDurationMs: 10, memorySizeMb: 128, maxMemoryUsedMb: 40,
    status: 'ok', architecture: 'x86_64', source: 'invoke', ...over };
}
const close = (actual: number, expected: number, what: string): void => assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} vs ${expected}`);

describe('Insights maths (hand-computed cases)', () => {
  it('percentiles are nearest-rank: values that occurred', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    assert.deepEqual([percentile(sorted, 0.5), percentile(sorted, 0.9), percentile(sorted, 0.99)], [5, 9, 10]);
    assert.deepEqual(stats([3, 1, 2]), { count: 3, p50: 2, p90: 3, p99: 3, max: 3, mean: 2 });
    assert.equal(percentile([], 0.5), 0);
  });

  it('empty data: zero counts, no memory advice, no cost rows, an empty histogram', () => {
    const s = summarize([]);
    assert.equal(s.count, 0);
    assert.equal(s.coldStartRate, 0);
    assert.equal(s.memory, undefined);
    assert.deepEqual(s.cost, []);
    assert.deepEqual(s.histogram, { edgesMs: [], warm: [], cold: [] });
    assert.equal(s.duration.all.count, 0);
  });

  it('a cold-only series: every call a cold start, no warm figures, init stats from all', () => {
    const s = summarize([rec({ initDurationMs: 100, durationMs: 20 }), rec({ initDurationMs: 300, durationMs: 40 })]);
    assert.equal(s.coldStarts, 2);
    assert.equal(s.coldStartRate, 1);
    assert.equal(s.duration.warm.count, 0);
    assert.deepEqual([s.duration.cold.p50, s.duration.cold.max], [20, 40]);
    assert.deepEqual([s.init.count, s.init.p50, s.init.max, s.init.mean], [2, 100, 300, 200]);
  });

  it('an error-only and a timeout series are counted apart', () => {
    const s = summarize([rec({ status: 'error' }), rec({ status: 'error' }), rec({ status: 'timeout', durationMs: 3000 })]);
    assert.deepEqual([s.count, s.errors, s.timeouts], [3, 2, 1]);
    assert.equal(s.duration.all.max, 3000);
  });

  it('histogram: equal bins from 0 to the longest call, cold and warm apart', () => {
    const h = histogram([rec({ durationMs: 0 }), rec({ durationMs: 5 }), rec({ durationMs: 10, initDurationMs: 50 })], 2);
    assert.deepEqual(h.edgesMs, [0, 5, 10]);
    assert.deepEqual(h.warm, [1, 1]);
    assert.deepEqual(h.cold, [0, 1], 'the longest call falls in the last bin');
  });

  it('right-size: the smallest 64 MB step over p99 × 1.25, never under 128 MB', () => {
    const used = (mb: number, size: number): InvocationRecord[] => Array.from({ length: 100 }, () => rec({ maxMemoryUsedMb: mb, memorySizeMb: size }));
    assert.deepEqual(rightSize(used(300, 1024)), { memorySizeMb: 1024, p99UsedMb: 300, maxUsedMb: 300, suggestedMb: 384, change: 'lower' });
    assert.equal(rightSize(used(120, 128))?.suggestedMb, 192);
    assert.equal(rightSize(used(120, 128))?.change, 'raise');
    assert.equal(rightSize(used(45, 128))?.change, 'keep');
    assert.equal(rightSize([rec({ maxMemoryUsedMb: 0 })]), undefined, 'no memory figures: no advice');
  });

  it('cost per call and per 1 M calls: today, at the suggested size, and on the other architecture (us-east-1)', () => {
    const s = summarize([rec({ billedDurationMs: 100, memorySizeMb: 1024, maxMemoryUsedMb: 300 }), rec({ billedDurationMs: 300, memorySizeMb: 1024, maxMemoryUsedMb: 300 })]);
    assert.deepEqual(s.cost.map((c) => [c.label, c.memorySizeMb, c.architecture]), [['today', 1024, 'x86_64'], ['suggested size', 384, 'x86_64'], ['arm64', 1024, 'arm64']]);
    // mean billed 0.2 s; 1 GB: 0.2 GB-s; 384 MB: 0.075 GB-s; plus $0.20 per million requests.
    close(s.cost[0].perCallUsd, 0.2e-6 + 0.2 * 0.0000166667, 'today');
    close(s.cost[1].perCallUsd, 0.2e-6 + 0.075 * 0.0000166667, 'suggested');
    close(s.cost[2].perCallUsd, 0.2e-6 + 0.2 * 0.0000133334, 'arm64');
    close(s.cost[0].perMillionUsd, (0.2e-6 + 0.2 * 0.0000166667) * 1e6, 'per million');
    assert.deepEqual([s.priceRegion, s.pricesExact], ['us-east-1', true]);
  });

  it('a region not in the price table gets us-east-1 prices and says so', () => {
    assert.deepEqual([priceFor('eu-west-1').region, priceFor('eu-west-1').exact], ['eu-west-1', true]);
    assert.deepEqual([priceFor('af-south-1').region, priceFor('af-south-1').exact], ['us-east-1', false]);
    const s = summarize([rec({ region: 'af-south-1' })]);
    assert.equal(s.pricesExact, false);
  });

  it('environments in use over time', () => {
    const t = 1_800_000_000_000;
    const series = environmentsOverTime([
      { ...rec({ environmentId: 'a', durationMs: 100 }), time: t },
      { ...rec({ environmentId: 'b', durationMs: 100 }), time: t + 50 },
      { ...rec({ environmentId: 'a', durationMs: 10 }), time: t + 500 },
    ]);
    assert.deepEqual(series, [[t, 1], [t + 50, 2], [t + 500, 1]]);
    assert.equal(summarize([rec({ environmentId: 'a' }), rec({ environmentId: 'b' }), rec({ environmentId: 'a' })]).environments, 2);
  });
});

describe('Invocation records', () => {
  it('reads a text REPORT line (cold, timed out) and JSON platform.report; other lines are not records', () => {
    const text = parseReport('REPORT RequestId: 3f1b-9\tDuration: 3000.00 ms\tBilled Duration: 3120 ms\tMemory Size: 256 MB\tMax Memory Used: 71 MB\tInit Duration: 119.52 ms\tStatus: timeout\n', 1_700_000_010_000, 'fn');
    assert.deepEqual(text, { function: 'fn', time: 1_700_000_010_000 - 3000 - 120, requestId: '3f1b-9', durationMs: 3000, billedDurationMs: 3120, initDurationMs: 119.52,
      memorySizeMb: 256, maxMemoryUsedMb: 71, status: 'timeout', architecture: 'x86_64', region: undefined, source: 'cloud' });
    const json = parseReport(JSON.stringify({ time: '2026-12-01T10:00:00.000Z', type: 'platform.report', record: { requestId: 'j1', status: 'success',
      metrics: { durationMs: 12.5, billedDurationMs: 13, memorySizeMB: 128, maxMemoryUsedMB: 60 } } }), 0, 'fn', 'arm64', 'eu-west-1');
    assert.equal(json?.time, Date.parse('2026-12-01T10:00:00.000Z') - 12.5 + 0.5);
    assert.deepEqual([json?.durationMs, json?.status, json?.initDurationMs, json?.architecture], [12.5, 'ok', undefined, 'arm64']);
    assert.equal(parseReport('START RequestId: x Version: $LATEST', 0, 'fn'), undefined);
    assert.equal(parseReport('{"type":"platform.start"}', 0, 'fn'), undefined);
    assert.equal(parseReport('{not json', 0, 'fn'), undefined);
  });

  it('the store keeps the last N per function, oldest first, and tells listeners', () => {
    const store = new InvocationStore(3);
    const heard: string[] = [];
    store.onRecord((r) => heard.push(r.requestId));
    for (let i = 0; i < 5; i++) store.add({ ...rec(), requestId: `x${i}` });
    store.add({ ...rec(), function: 'g', requestId: 'g0' });
    assert.deepEqual(store.records('f').map((r) => r.requestId), ['x2', 'x3', 'x4']);
    assert.deepEqual(store.functions(), ['f', 'g']);
    assert.equal(heard.length, 6);
    assert.deepEqual(store.records('none'), []);
  });
});

describe('Insights view data (what the panel is sent)', () => {
  it('up to the point limit, one point per call; past it, each point the largest of its calls, so a spike or a failure is never averaged away', () => {
    const few = [rec({ durationMs: 3 }), rec({ durationMs: 4, initDurationMs: 100 })];
    assert.deepEqual(chartSeries(few, 10), { bucket: 1, call: [1, 2], totalMs: [3, 104], initMs: [null, 100], failedMs: [null, null], usedMb: [40, 40], sizeMb: [128, 128], environments: [0, 0] });
    const many = Array.from({ length: 10 }, (_, i) => rec({ durationMs: i === 6 ? 900 : 5, status: i === 3 ? 'error' : 'ok', maxMemoryUsedMb: 40 + i }));
    const s = chartSeries(many, 4);
    assert.equal(s.bucket, 3);
    assert.deepEqual(s.call, [1, 4, 7, 10]);
    assert.deepEqual(s.totalMs, [5, 5, 900, 5], 'the 900 ms spike survives');
    assert.deepEqual(s.failedMs, [null, 5, null, null], 'the failed call marks its point');
    assert.deepEqual(s.usedMb, [42, 45, 48, 49]);
  });

  it('sends the newest calls for the table, a constant-size series, and copies every call as CSV', () => {
    const records = Array.from({ length: TABLE_ROWS + 5 }, (_, i) => rec({ requestId: `id-${i}` }));
    const view = insightsViewData('f', records, 'test');
    assert.equal(view.recent.requestId.length, TABLE_ROWS);
    assert.equal(view.recent.requestId[0], 'id-5');
    assert.equal(view.recent.startMs[0], 0);
    assert.equal(view.summary.count, TABLE_ROWS + 5);
    assert.equal(chartSeries(Array.from({ length: 10_000 }, () => rec())).call.length, 2000);
    const csv = insightsCsv(records.slice(0, 2)).trim().split('\n');
    assert.equal(csv.length, 3);
    assert.match(csv[1], /^\d{4}-\d\d-\d\dT.*,10,,40,128,ok,id-0$/);
  });

  it('a function that only times out (or only fails) gets a notice that the figures are the failures\', not the function\'s', () => {
    assert.match(insightsViewData('f', [rec({ status: 'timeout', durationMs: 3000 }), rec({ status: 'timeout', durationMs: 3000.4 })], 't').notice ?? '',
      /^Every call timed out \(after 3\.00 s\): these durations are the timeout's/);
    assert.match(insightsViewData('f', [rec({ status: 'error' }), rec({ status: 'timeout' })], 't').notice ?? '', /^Every call failed \(1 errors, 1 timeouts\)/);
    assert.equal(insightsViewData('f', [rec({ status: 'error' }), rec()], 't').notice, undefined);
    assert.equal(insightsViewData('f', [], 't').notice, undefined);
  });
});
