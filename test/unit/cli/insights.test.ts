import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarize } from '../../../src/core/insights/insightsSummary';
import { InvocationStore, loadRecords } from '../../../src/core/insights/invocationStore';
import { cli } from '../support/cliHarness';
import { LogsService } from '../../support/awsEmulator/logs';
import { AwsEmulator } from '../../support/awsEmulator/server';

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
      const badAge = await cli(['insights', '--since', 'bad'], { cwd: empty });
      assert.equal(badAge.code, 2, 'a bad --since is a usage error with nothing recorded too');
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

describe('CLI: insights --deployed (CloudWatch Logs emulator)', function () {
  this.timeout(30_000);
  let emulator: AwsEmulator;
  const logs = new LogsService();
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDINSIGHTS', AWS_SECRET_ACCESS_KEY: 'insights-secret', AWS_PROFILE: undefined, AWS_MAX_ATTEMPTS: '1' };
  const common = (): string[] => ['--endpoint', emulator.endpoint, '--region', 'eu-west-1'];

  before(async () => {
    emulator = await AwsEmulator.start(logs);
    const now = Date.now();
    const line = (id: string, ms: number, extra = ''): string => `REPORT RequestId: ${id}\tDuration: ${ms.toFixed(2)} ms\tBilled Duration: ${Math.ceil(ms)} ms\tMemory Size: 1024 MB\tMax Memory Used: 200 MB${extra}`;
    logs.put('/aws/lambda/api', 'env-a', line('a1', 30, '\tInit Duration: 250.00 ms'), now - 40 * 60_000);
    logs.put('/aws/lambda/api', 'env-a', line('a2', 10), now - 30 * 60_000);
    logs.put('/aws/lambda/api', 'env-b', line('b1', 50, '\tInit Duration: 260.00 ms\tStatus: timeout'), now - 20 * 60_000);
    logs.put('/aws/lambda/api', 'env-a', line('old', 10), now - 3 * 3_600_000);
  });
  after(() => emulator.close());

  it('reads the range\'s REPORT lines with Logs Insights and prints their numbers, environments from log streams', async () => {
    const r = await cli(['insights', '--deployed', '/aws/lambda/api', '--json', ...common()], { env });
    assert.equal(r.code, 0, r.err);
    const [page] = JSON.parse(r.out) as Array<{ function: string; count: number; coldStarts: number; timeouts: number; environments: number; priceRegion: string; memory: { suggestedMb: number } }>;
    assert.deepEqual([page.function, page.count, page.coldStarts, page.timeouts, page.environments, page.priceRegion], ['api', 3, 2, 1, 2, 'eu-west-1'], 'the last hour: the 3-hour-old call is left out');
    assert.equal(page.memory.suggestedMb, 256);
    const longer = JSON.parse((await cli(['insights', '--deployed', '/aws/lambda/api', '--since', '4h', '--json', ...common()], { env })).out) as Array<{ count: number }>;
    assert.equal(longer[0].count, 4);
  });

  it('where Logs Insights is denied, reads with FilterLogEvents and says so; a failed query is a clear error (exit 1)', async () => {
    logs.denyInsights = true;
    try {
      const r = await cli(['insights', '--deployed', '/aws/lambda/api', ...common()], { env });
      assert.equal(r.code, 0, r.err);
      assert.match(r.err, /note: Logs Insights is not allowed .*FilterLogEvents/);
      assert.match(r.out, /calls 3 +errors 0 +timeouts 1 +cold starts 2/);
    } finally {
      logs.denyInsights = false;
    }
    logs.insightsOutcome = 'Failed';
    try {
      const r = await cli(['insights', '--deployed', '/aws/lambda/api', ...common()], { env });
      assert.equal(r.code, 1);
      assert.match(r.err, /Failed/);
    } finally {
      logs.insightsOutcome = 'Complete';
    }
  });
});
