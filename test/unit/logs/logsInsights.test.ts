import * as assert from 'node:assert/strict';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { AwsProblemError } from '../../../src/core/aws/awsErrors';
import type { InvocationRecord } from '../../../src/core/insights/invocationRecord';
import { readReportRecords, reportRecordsFromRows, REPORT_QUERY, REPORT_STATS_QUERY, runLogsInsightsQuery } from '../../../src/core/logs/logsInsights';
import { insightsViewData } from '../../../src/core/insights/insightsView';
import { LogsService } from '../../support/awsEmulator/logs';
import type { AwsEmulator } from '../../support/awsEmulator/server';
import { startLogsEmulator, stopLogsEmulator } from '../../support/awsEmulator/logsEmulator';

const GROUP = '/aws/lambda/orders';

interface Call { id: string; ended: number; duration: number; billed: number; memory: number; used: number; init?: number; status?: 'timeout' }

/** A REPORT line as Lambda writes it (tab-separated, trailing tab). */
function reportLine(c: Call): string {
  return [`REPORT RequestId: ${c.id}`, `Duration: ${c.duration.toFixed(2)} ms`, `Billed Duration: ${c.billed} ms`, `Memory Size: ${c.memory} MB`,
    `Max Memory Used: ${c.used} MB`, ...(c.init !== undefined ? [`Init Duration: ${c.init.toFixed(2)} ms`] : []), ...(c.status ? [`Status: ${c.status}`] : []), ''].join('\t');
}

/** The record Insights should draw for a call, worked out from what was written. */
const STREAM = '2026/12/01/[$LATEST]abc';

function expected(c: Call, region = 'eu-west-1'): InvocationRecord {
  return {
    function: 'orders', time: Math.round(c.ended - c.duration - (c.init ?? 0)), requestId: c.id, durationMs: c.duration, billedDurationMs: c.billed,
    initDurationMs: c.init, memorySizeMb: c.memory, maxMemoryUsedMb: c.used, status: c.status ?? 'ok', architecture: 'arm64', region, source: 'cloud',
    // The log stream is the execution environment.
    environmentId: STREAM,
  };
}

describe('Logs Insights (REPORT records of deployed functions)', function () {
  this.timeout(30_000);
  let emulator: AwsEmulator;
  let logs: LogsService;
  let client: CloudWatchLogsClient;
  const base = Date.UTC(2026, 11, 1, 10, 0, 0, 0);
  const calls: Call[] = [
    { id: 'cold-1', ended: base + 1_250, duration: 412.37, billed: 413, memory: 256, used: 91, init: 803.11 },
    { id: 'timeout-2', ended: base + 9_480, duration: 3000.46, billed: 3000, memory: 256, used: 140, status: 'timeout' },
    { id: 'warm-3', ended: base + 20_015, duration: 8.09, billed: 9, memory: 256, used: 92 },
  ];
  const range = { startTime: base - 60_000, endTime: base + 60_000 };

  /** The three calls with the other lines Lambda writes around them, a neighbour group's REPORT, and two outside the range. */
  function writeCalls(): void {
    for (const c of calls) {
      const start = c.ended - c.duration;
      logs.put(GROUP, STREAM, `START RequestId: ${c.id} Version: $LATEST`, Math.round(start));
      logs.put(GROUP, STREAM, `2026-12-01T10:00:00.000Z\t${c.id}\tINFO\tcharging card`, Math.round(start) + 1);
      logs.put(GROUP, STREAM, `END RequestId: ${c.id}`, c.ended);
      logs.put(GROUP, STREAM, reportLine(c), c.ended);
    }
    logs.put('/aws/lambda/payments', 's', reportLine({ id: 'other-fn', ended: base + 5_000, duration: 1, billed: 1, memory: 128, used: 60 }), base + 5_000);
    for (const outside of [range.startTime - 1_000, range.endTime + 1_000]) {
      logs.put(GROUP, 's', reportLine({ id: `outside-${outside}`, ended: outside, duration: 2, billed: 2, memory: 256, used: 90 }), outside);
    }
  }

  const read = (extra: Partial<Parameters<typeof readReportRecords>[1]> = {}): ReturnType<typeof readReportRecords> =>
    readReportRecords(client, { fn: 'orders', logGroup: GROUP, ...range, architecture: 'arm64', region: 'eu-west-1', pollMs: 5, ...extra });
  const polls = (): number => emulator.requests.filter((r) => r.target === 'Logs_20140328.GetQueryResults').length;

  beforeEach(async () => { ({ logs, emulator, client } = await startLogsEmulator()); });
  afterEach(() => stopLogsEmulator({ emulator, client }));

  it('reads the REPORT rows of a group as records (cold start with init, timeout, warm), with the figures written', async () => {
    writeCalls();
    const result = await read();
    assert.equal(result.via, 'Logs Insights');
    assert.equal(result.note, undefined);
    assert.deepEqual(result.records, calls.map((c) => expected(c)));
    const query = logs.startedQueries.find((q) => q.queryString === REPORT_QUERY)!;
    assert.deepEqual(query.logGroupNames, [GROUP]);
    assert.deepEqual([query.startTime, query.endTime], [range.startTime / 1000, range.endTime / 1000], 'the range goes as epoch seconds');
    assert.equal(query.queryString, REPORT_QUERY);
  });

  it('reads JSON log format report events (platform.report) as well', async () => {
    const c: Call = { id: 'json-1', ended: base + 4_321, duration: 120.5, billed: 121, memory: 512, used: 77, init: 240.25 };
    logs.put(GROUP, STREAM, JSON.stringify({ time: new Date(c.ended).toISOString(), type: 'platform.report', record: {
      requestId: c.id, status: 'success', metrics: { durationMs: c.duration, billedDurationMs: c.billed, memorySizeMB: c.memory, maxMemoryUsedMB: c.used, initDurationMs: c.init } } }), c.ended);
    logs.put(GROUP, 's', JSON.stringify({ time: new Date(c.ended).toISOString(), type: 'platform.runtimeDone', record: { requestId: c.id } }), c.ended);
    const result = await read();
    assert.deepEqual(result.records, [expected(c)]);
  });

  it('the discovered fields alone give the same figures as the message (bytes back to MB)', async () => {
    writeCalls();
    const withoutMessage = REPORT_QUERY.replace(', @message', '');
    const { rows } = await runLogsInsightsQuery(client, { logGroups: [GROUP], query: withoutMessage, ...range, pollMs: 5 });
    assert.equal(rows[0]['@message'], undefined);
    assert.equal(rows[0]['@memorySize'], String(256 * 1_000_000), 'Logs Insights counts memory in bytes');
    // The status is only in the message text, so the timeout reads as ok from the fields.
    assert.deepEqual(reportRecordsFromRows(rows, 'orders', 'arm64', 'eu-west-1'), calls.map((c) => ({ ...expected(c), status: 'ok' })));
  });

  it('polls GetQueryResults through Running to Complete, reporting progress and statistics', async () => {
    writeCalls();
    const progress: { status: string; matched?: number }[] = [];
    const result = await runLogsInsightsQuery(client, {
      logGroups: [GROUP], query: REPORT_QUERY, ...range, pollMs: 5, onProgress: (status, stats) => progress.push({ status, matched: stats?.recordsMatched }),
    });
    assert.deepEqual(progress.map((p) => p.status), ['Running', 'Complete']);
    assert.ok((progress[0].matched ?? 0) < calls.length, 'partial statistics while running');
    assert.equal(progress[1].matched, calls.length);
    assert.equal(polls(), 2);
    assert.equal(result.status, 'Complete');
    assert.deepEqual(result.rows.map((r) => r['@requestId']), calls.map((c) => c.id), 'the complete rows only, oldest first');
    assert.ok(result.rows.every((r) => !('@ptr' in r)));
  });

  it('cancelling mid-poll stops the query with StopQuery and rejects with AbortError', async () => {
    writeCalls();
    const controller = new AbortController();
    const began = Date.now();
    await assert.rejects(read({ signal: controller.signal, pollMs: 10_000, onProgress: (status) => { if (status === 'Running') setTimeout(() => controller.abort(), 20); } }),
      (e: Error) => e.name === 'AbortError');
    assert.ok(Date.now() - began < 5_000, 'the wait between polls ends at once');
    // The rows and the whole range's stats: both stopped on AWS.
    assert.deepEqual(logs.startedQueries.map((q) => q.queryString).sort(), [REPORT_QUERY, REPORT_STATS_QUERY].sort());
    assert.deepEqual([...logs.stoppedQueries].sort(), logs.startedQueries.map((q) => q.queryId).sort());
    assert.ok(polls() <= 2, 'no poll after the cancel');
  });

  it('when Logs Insights is not allowed, falls back to FilterLogEvents and still returns the records', async () => {
    writeCalls();
    logs.denyInsights = true;
    logs.pageSize = 2;
    const result = await read();
    assert.equal(result.via, 'FilterLogEvents');
    assert.match(result.note ?? '', /logs:StartQuery/);
    assert.deepEqual(result.records, calls.map((c) => expected(c)));
    assert.equal(polls(), 0);
    assert.ok(emulator.requests.filter((r) => r.target === 'Logs_20140328.FilterLogEvents').length > 1, 'paged through FilterLogEvents');
  });

  it('a query Logs Insights refuses (MalformedQueryException) fails with a clear error', async () => {
    writeCalls();
    await assert.rejects(runLogsInsightsQuery(client, { logGroups: [GROUP], query: 'fields @message | stats count(*) by bin(5m)', ...range }),
      (e: AwsProblemError) => e instanceof AwsProblemError && /^start a Logs Insights query on \/aws\/lambda\/orders failed: MalformedQueryException: ./.test(e.message));
  });

  it('a query that ends Failed, Timeout or Cancelled by someone else fails with what to do', async () => {
    writeCalls();
    const said: Record<string, RegExp> = { Failed: /could not run the query.*status Failed/, Timeout: /timed out.*shorter time range/, Cancelled: /cancelled outside Lambda Workbench/ };
    for (const outcome of ['Failed', 'Timeout', 'Cancelled'] as const) {
      logs.insightsOutcome = outcome;
      await assert.rejects(read(), (e: Error) => e.name === 'Error' && said[outcome].test(e.message) && e.message.includes(GROUP), outcome);
    }
    const rowQueries = new Set(logs.startedQueries.filter((q) => q.queryString === REPORT_QUERY).map((q) => q.queryId));
    assert.equal(rowQueries.size, 3);
    assert.deepEqual(logs.stoppedQueries.filter((id) => rowQueries.has(id)), [], 'a query that ended is not stopped');
  });

  it('an empty range returns no records; a group that does not exist yet says so', async () => {
    writeCalls();
    const empty = await read({ startTime: base - 3_600_000, endTime: base - 120_000 });
    assert.deepEqual(empty, { records: [], via: 'Logs Insights', note: undefined, totals: undefined });
    const missing = await read({ logGroup: '/aws/lambda/never-invoked' });
    assert.deepEqual(missing.records, []);
    assert.match(missing.note ?? '', /never-invoked does not exist yet/);
  });

  it("computes the whole range's figures with a Logs Insights stats query, text and JSON report lines alike", async () => {
    writeCalls();
    const json: Call = { id: 'json-4', ended: base + 30_000, duration: 20.5, billed: 21, memory: 256, used: 95, init: 150 };
    logs.put(GROUP, STREAM, JSON.stringify({ time: new Date(json.ended).toISOString(), type: 'platform.report', record: {
      requestId: json.id, status: 'success', metrics: { durationMs: json.duration, billedDurationMs: json.billed, memorySizeMB: json.memory, maxMemoryUsedMB: json.used, initDurationMs: json.init } } }), json.ended);
    const result = await read();
    assert.equal(result.records.length, 4);
    assert.ok(logs.startedQueries.some((q) => q.queryString === REPORT_STATS_QUERY), 'the stats query ran beside the rows');
    // By hand: durations 8.09, 20.5, 412.37, 3000.46 (nearest rank); two cold starts; billed 413+3000+9+21 ms at 256 MB.
    const { gbSeconds, ...rest } = result.totals!;
    assert.deepEqual(rest, { calls: 4, coldStarts: 2, p50Ms: 20.5, p90Ms: 3000.46, p99Ms: 3000.46, maxMs: 3000.46, usedP99Mb: 140, usedMaxMb: 140, sizeMb: 256 });
    assert.ok(Math.abs(gbSeconds - ((413 + 3000 + 9 + 21) * 256) / 1_024_000) < 1e-9, `GB-seconds ${gbSeconds}`);
    assert.equal(result.note, undefined);
  });

  it('a range with more calls than the rows hold: the first 10 000 drawn, the whole range counted and said', async () => {
    for (let i = 0; i < 10_003; i++) {
      logs.put(GROUP, STREAM, reportLine({ id: `call-${i}`, ended: base + i, duration: i === 10_002 ? 900 : 5, billed: 5, memory: 128, used: 60 }), base + i);
    }
    const result = await read();
    assert.equal(result.records.length, 10_000);
    assert.equal(result.totals?.calls, 10_003);
    assert.equal(result.totals?.maxMs, 900, 'a call past the rows is in the totals');
    assert.match(result.note ?? '', /first 10,000 of the range's 10,003 invocations are drawn; the Whole range table/);
    // The panel's data carries the totals, with what the range cost, only when they say more than the rows.
    const data = insightsViewData('orders', result.records, 'test', undefined, result.totals);
    assert.equal(data.totals?.calls, 10_003);
    assert.ok(Math.abs(data.totals!.costUsd - (10_003 * 0.2e-6 + result.totals!.gbSeconds * 0.0000133334)) < 1e-12, 'arm64 at the list price');
    assert.equal(insightsViewData('orders', result.records, 'test', undefined, { ...result.totals!, calls: 10_000 }).totals, undefined);
  });
});
