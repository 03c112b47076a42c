import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarize } from '../../../src/core/insights/insightsSummary';
import { InvocationStore, loadRecords } from '../../../src/core/insights/invocationStore';
import { cli } from '../support/cliHarness';

describe('CLI: --record and insights', function () {
  this.timeout(60_000);
  let dir: string;
  const file = (): string => join(dir, '.lambda-workbench', 'invocations.jsonl');

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-insights-'));
    writeFileSync(join(dir, 'app.js'), 'exports.handler = async (e) => { if (e.fail) throw new Error("asked to"); return { ok: true }; };\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('invoke --record appends one record per call with the REPORT figures the run printed', async () => {
    const one = await cli(['invoke', 'app.handler', '--name', 'app', '--record', '--json', '--memory', '256'], { cwd: dir });
    assert.equal(one.code, 0, one.err);
    const result = JSON.parse(one.out) as { requestId: string; durationMs: number; maxMemoryUsedMb: number; coldStart: boolean };
    const lines = readFileSync(file(), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 1);
    assert.equal(lines[0].requestId, result.requestId);
    assert.equal(lines[0].durationMs, result.durationMs);
    assert.equal(lines[0].maxMemoryUsedMb, result.maxMemoryUsedMb);
    assert.deepEqual([lines[0].function, lines[0].memorySizeMb, lines[0].status, lines[0].source, typeof lines[0].initDurationMs], ['app', 256, 'ok', 'invoke', 'number']);
    const load = await cli(['invoke', 'app.handler', '--name', 'app', '--record', '--repeat', '12', '--concurrency', '3', '--memory', '256'], { cwd: dir });
    assert.equal(load.code, 0, load.err);
    const failed = await cli(['invoke', 'app.handler', '--name', 'app', '--record', '--event', '{"fail":true}', '--memory', '256'], { cwd: dir });
    assert.equal(failed.code, 1);
    const all = readFileSync(file(), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { source: string; status: string });
    assert.equal(all.length, 14);
    assert.equal(all.filter((r) => r.source === 'load').length, 12);
    assert.equal(all.at(-1)?.status, 'error');
  });

  it('insights prints the numbers of the recorded calls (as summarize computes them from the file)', async () => {
    const store = new InvocationStore();
    await loadRecords(file(), store);
    const expected = summarize(store.records('app'));
    const r = await cli(['insights'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`calls ${expected.count} +errors ${expected.errors} +timeouts 0 +cold starts ${expected.coldStarts} `));
    const warm = expected.duration.warm;
    assert.match(r.out, new RegExp(`warm +${warm.count} +${warm.p50.toFixed(2)} +${warm.p90.toFixed(2)} +${warm.p99.toFixed(2)} +${warm.max.toFixed(2)}`));
    assert.match(r.out, new RegExp(`256 MB configured, p99 used ${expected.memory!.p99UsedMb} MB.*→ lower to 128 MB`));
    assert.match(r.out, /today: 256 MB x86_64 +\$0\.\d+ +\$\d+\.\d\d/);
    const json = JSON.parse((await cli(['insights', '--json'], { cwd: dir })).out) as Array<{ function: string; count: number; coldStarts: number }>;
    assert.deepEqual(json.map((p) => [p.function, p.count, p.coldStarts]), [['app', expected.count, expected.coldStarts]]);
  });

  it('insights --html writes one self-contained file: the page script and styles inlined, the data embedded, nothing loaded from elsewhere', async () => {
    const r = await cli(['insights', '--html', 'out/report.html'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    const html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    assert.match(html, /<script type="application\/json" class="insights-data" data-root="root-0">\{"function":"app"/);
    const markup = html.replace(/(<script[^>]*>)[\s\S]*?<\/script>/g, '$1</script>').replace(/(<style>)[\s\S]*?<\/style>/g, '$1</style>');
    assert.doesNotMatch(markup, /\s(src|href)=/i, 'no external script, sheet or image');
    assert.equal((markup.match(/<script/g) ?? []).length, 2, 'the data and the inlined page script');
    assert.ok(html.includes('uPlot') || html.includes('u-legend'), 'the chart code is inlined');
    assert.match(html, /default-src 'none'/);
  });

  it('bad input: no record file says how to make one (exit 1); a bad --since is a usage error (exit 2); a function with no records says so', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'lwb-insights-none-'));
    try {
      const none = await cli(['insights'], { cwd: empty });
      assert.equal(none.code, 1);
      assert.match(none.err, /no records at .*invocations\.jsonl\. Record some first: lambda-workbench invoke <handler> --record/);
      assert.equal(existsSync(join(empty, '.lambda-workbench')), false, 'reading creates nothing');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    const since = await cli(['insights', '--since', 'yesterday'], { cwd: dir });
    assert.equal(since.code, 2);
    assert.match(since.err, /--since takes an age such as 15m, 1h, 24h or 7d/);
    const other = await cli(['insights', 'nothing-here'], { cwd: dir });
    assert.equal(other.code, 1);
    assert.match(other.out, /No recorded invocations of nothing-here/);
  });
});
