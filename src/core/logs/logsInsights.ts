import { GetQueryResultsCommand, StartQueryCommand, StopQueryCommand, type QueryStatistics, type ResultField } from '@aws-sdk/client-cloudwatch-logs';
import { AwsProblemError, withAwsProblem } from '../aws/awsErrors';
import { parseReport, type InvocationRecord } from '../insights/invocationRecord';
import type { RangeTotals } from '../insights/insightsSummary';
import { searchLogGroup, type LogsSend } from './logGroups';
import { sleep } from '../sleep';

/** Logs Insights returns at most this many rows per query; Insights keeps as many records per function. */
export const REPORT_LIMIT = 10_000;

/**
 * The REPORT line of every invocation in the range, oldest first, as raw rows for the timeline. `@type = "REPORT"`
 * selects plain-text REPORT lines (Logs Insights' Lambda discovered fields); `type = "platform.report"` selects the
 * JSON log format's report events, which carry their figures in @message only. @memorySize and @maxMemoryUsed are
 * in bytes (MB × 1 000 000). @logStream names the execution environment (Lambda writes one stream per environment).
 */
export const REPORT_QUERY = [
  'filter @type = "REPORT" or type = "platform.report"',
  'fields @timestamp, @requestId, @duration, @billedDuration, @memorySize, @maxMemoryUsed, @initDuration, @logStream, @message',
  'sort @timestamp asc',
  `limit ${REPORT_LIMIT}`,
].join(' | ');

/**
 * The whole range's figures, computed by Logs Insights over every REPORT line (the raw rows stop at REPORT_LIMIT):
 * one row. Both REPORT forms: the text line's discovered fields (memory in bytes) or the JSON report's metrics.
 */
export const REPORT_STATS_QUERY = [
  'filter @type = "REPORT" or type = "platform.report"',
  'fields coalesce(@duration, record.metrics.durationMs) as durationMs, coalesce(@initDuration, record.metrics.initDurationMs) as initMs, '
    + 'coalesce(@maxMemoryUsed / 1000000, record.metrics.maxMemoryUsedMB) as usedMb, coalesce(@memorySize / 1000000, record.metrics.memorySizeMB) as memoryMb, '
    + 'coalesce(@billedDuration, record.metrics.billedDurationMs) * coalesce(@memorySize / 1000000, record.metrics.memorySizeMB) / 1024000 as callGbSeconds',
  // Aliases unlike the fields above (a stats alias that names a field would be ambiguous).
  'stats count(*) as calls, count(initMs) as coldStarts, pct(durationMs, 50) as p50Ms, pct(durationMs, 90) as p90Ms, pct(durationMs, 99) as p99Ms, '
    + 'max(durationMs) as maxMs, pct(usedMb, 99) as usedP99Mb, max(usedMb) as usedMaxMb, max(memoryMb) as sizeMb, sum(callGbSeconds) as gbSeconds',
].join(' | ');

/** The stats row as numbers; none when the range had no call (Logs Insights then answers no row, or a zero count). */
export function rangeTotals(row: Record<string, string> | undefined): RangeTotals | undefined {
  const number = (field: string): number => (row?.[field] !== undefined && Number.isFinite(Number(row[field])) ? Number(row[field]) : 0);
  if (number('calls') === 0) return undefined;
  return {
    calls: number('calls'), coldStarts: number('coldStarts'), p50Ms: number('p50Ms'), p90Ms: number('p90Ms'), p99Ms: number('p99Ms'), maxMs: number('maxMs'),
    usedP99Mb: Math.round(number('usedP99Mb')), usedMaxMb: Math.round(number('usedMaxMb')), sizeMb: Math.round(number('sizeMb')), gbSeconds: number('gbSeconds'),
  };
}

/** Matches both REPORT forms for the FilterLogEvents fallback; parseReport drops anything else that matched. */
const REPORT_FILTER_PATTERN = '?"REPORT RequestId" ?"platform.report"';

export interface InsightsQueryOptions {
  readonly logGroups: readonly string[];
  readonly query: string;
  /** Epoch ms (sent to Logs Insights in whole seconds, widened so the range is covered). */
  readonly startTime: number;
  readonly endTime: number;
  readonly limit?: number;
  readonly signal?: AbortSignal;
  /** The profile, for the message when credentials fail. */
  readonly profile?: string;
  /** Wait between GetQueryResults polls (default 1 s). */
  readonly pollMs?: number;
  /** Each poll's status (`Scheduled`, `Running`, `Complete`…) and the statistics so far. */
  readonly onProgress?: (status: string, statistics?: QueryStatistics) => void;
}

export interface InsightsQueryResult {
  readonly status: string;
  /** One record per result row, field name → value (`@ptr` left out). */
  readonly rows: Record<string, string>[];
  readonly statistics?: QueryStatistics;
}

const PENDING = new Set(['Scheduled', 'Running', 'Unknown']);

/**
 * Runs a Logs Insights query: StartQuery, then GetQueryResults every `pollMs` until the query ends. Cancelling stops
 * the query on the AWS side too (it would otherwise run on, count against the concurrent-query quota and scan bytes
 * that are billed) and rejects with an AbortError. A query that ends Failed, Timeout or Cancelled (by someone else)
 * rejects with an Error saying what to do; AWS errors come as AwsProblemError.
 */
export async function runLogsInsightsQuery(client: LogsSend, options: InsightsQueryOptions): Promise<InsightsQueryResult> {
  const { signal, profile } = options;
  const groups = options.logGroups.join(', ');
  if (signal?.aborted) throw abortError();
  const started = await withAwsProblem(`start a Logs Insights query on ${groups}`, profile, () => client.send(new StartQueryCommand({
    logGroupNames: [...options.logGroups], queryString: options.query, limit: options.limit,
    startTime: Math.floor(options.startTime / 1000), endTime: Math.ceil(options.endTime / 1000),
  }), { abortSignal: signal })).catch(rethrowAbort);
  const queryId = started.queryId;
  if (!queryId) throw new Error(`Logs Insights started no query on ${groups} (no query id came back). Try again.`);
  let ended = false;
  try {
    for (;;) {
      if (signal?.aborted) throw abortError();
      const out = await withAwsProblem(`read the Logs Insights results of ${groups}`, profile,
        () => client.send(new GetQueryResultsCommand({ queryId }), { abortSignal: signal }));
      const status = out.status ?? 'Unknown';
      options.onProgress?.(status, out.statistics);
      if (!PENDING.has(status)) {
        ended = true;
        if (status !== 'Complete') throw new Error(endedMessage(status, groups));
        return { status, rows: (out.results ?? []).map(rowRecord), statistics: out.statistics };
      }
      await sleep(options.pollMs ?? 1000, signal);
    }
  } catch (error) {
    // A query we leave behind keeps running on AWS, so whatever ended the polling early also stops it.
    if (!ended) await stopQuietly(client, queryId);
    if (signal?.aborted) throw abortError();
    throw error;
  }
}

function endedMessage(status: string, groups: string): string {
  if (status === 'Timeout') return `The Logs Insights query on ${groups} timed out (queries are stopped after 60 minutes). Pick a shorter time range.`;
  if (status === 'Cancelled') return `The Logs Insights query on ${groups} was cancelled outside Lambda Workbench (for example in the CloudWatch console). Run it again.`;
  return `Logs Insights could not run the query on ${groups} (status ${status}). Try again, or pick a shorter time range.`;
}

function rowRecord(row: ResultField[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (const { field, value } of row) if (field && field !== '@ptr') record[field] = value ?? '';
  return record;
}

async function stopQuietly(client: LogsSend, queryId: string): Promise<void> {
  try {
    await client.send(new StopQueryCommand({ queryId }));
  } catch {
    // Best effort: the query may have just ended, or StopQuery may not be allowed; it times out on its own anyway.
  }
}

/**
 * Result rows of REPORT_QUERY as invocation records (source 'cloud'). The REPORT text in @message is preferred (it
 * also carries the status, e.g. a timeout); rows without it are built from the discovered fields, with the byte
 * figures turned back into the MB the REPORT line shows. Rows that are no REPORT are skipped.
 */
export function reportRecordsFromRows(rows: readonly Record<string, string>[], fn: string, architecture: 'x86_64' | 'arm64' = 'x86_64', region?: string): InvocationRecord[] {
  const records: InvocationRecord[] = [];
  for (const row of rows) {
    const ended = insightsTime(row['@timestamp']);
    if (!Number.isFinite(ended)) continue;
    const record = (row['@message'] ? parseReport(row['@message'], ended, fn, architecture, region) : undefined) ?? recordFromFields(row, ended, fn, architecture, region);
    if (record) records.push(row['@logStream'] ? { ...record, environmentId: row['@logStream'] } : record);
  }
  return records;
}

function recordFromFields(row: Record<string, string>, ended: number, fn: string, architecture: 'x86_64' | 'arm64', region?: string): InvocationRecord | undefined {
  const number = (field: string): number | undefined => (row[field] && Number.isFinite(Number(row[field])) ? Number(row[field]) : undefined);
  const durationMs = number('@duration');
  const memoryBytes = number('@memorySize');
  if (!row['@requestId'] || durationMs === undefined || memoryBytes === undefined) return undefined;
  const initDurationMs = number('@initDuration');
  return {
    function: fn, time: Math.round(ended - durationMs - (initDurationMs ?? 0)), requestId: row['@requestId'], durationMs,
    billedDurationMs: number('@billedDuration') ?? Math.ceil(durationMs), initDurationMs,
    memorySizeMb: megabytes(memoryBytes), maxMemoryUsedMb: megabytes(number('@maxMemoryUsed') ?? 0),
    status: 'ok', architecture, region, source: 'cloud',
  };
}

/** Logs Insights counts Lambda memory in decimal bytes: 128 MB is 128000000 (also seen written as 1.28E8). */
function megabytes(bytes: number): number {
  return Math.round(bytes / 1_000_000);
}

/** `2026-12-01 10:00:00.000` (UTC, how Logs Insights writes @timestamp) or epoch ms, as epoch ms. */
function insightsTime(value: string | undefined): number {
  if (!value) return NaN;
  if (/^\d+$/.test(value)) return Number(value);
  const iso = value.replace(' ', 'T');
  return Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}Z`);
}

export interface ReportReadOptions {
  readonly fn: string;
  readonly logGroup: string;
  /** Epoch ms. */
  readonly startTime: number;
  readonly endTime: number;
  readonly signal?: AbortSignal;
  readonly profile?: string;
  /** Logs Insights' poll statuses; `Searching` with the records found so far (recordsMatched) on the fallback. */
  readonly onProgress?: (status: string, statistics?: QueryStatistics) => void;
  readonly architecture?: 'x86_64' | 'arm64';
  readonly region?: string;
  readonly pollMs?: number;
}

export interface ReportReadResult {
  readonly records: InvocationRecord[];
  readonly via: 'Logs Insights' | 'FilterLogEvents';
  /** Something the user should know about the result: the fallback, a missing group, a cut-off range. */
  readonly note?: string;
  /** Logs Insights' figures over the whole range (none on the FilterLogEvents fallback, or when the stats failed). */
  readonly totals?: RangeTotals;
}

/**
 * The deployed function's invocations in a time range, from the REPORT lines of its log group, oldest first. Uses
 * Logs Insights: the raw rows (at most REPORT_LIMIT) and, beside them, the stats of the whole range. Credentials
 * that may not use it fall back to FilterLogEvents, which pages through every REPORT line and is slower on long
 * ranges. A group that does not exist yet (the function never wrote logs) gives no records and a note.
 */
export async function readReportRecords(client: LogsSend, options: ReportReadOptions): Promise<ReportReadResult> {
  const { fn, logGroup, architecture, region } = options;
  const query = (text: string, signal: AbortSignal | undefined, onProgress?: InsightsQueryOptions['onProgress']): Promise<InsightsQueryResult> => runLogsInsightsQuery(client, {
    logGroups: [logGroup], query: text, startTime: options.startTime, endTime: options.endTime, limit: REPORT_LIMIT,
    signal, profile: options.profile, pollMs: options.pollMs, onProgress,
  });
  // The stats query stops with the rows query (whichever way that ends) or the caller's cancel.
  const stats = new AbortController();
  const relay = (): void => stats.abort();
  options.signal?.addEventListener('abort', relay, { once: true });
  const totals = query(REPORT_STATS_QUERY, stats.signal).then(
    (result): { totals?: RangeTotals; failed?: string } => ({ totals: rangeTotals(result.rows[0]) }),
    (error: unknown) => ({ totals: undefined, failed: error instanceof Error && error.name !== 'AbortError' ? error.message : undefined }),
  );
  try {
    const result = await query(REPORT_QUERY, options.signal, options.onProgress);
    const records = reportRecordsFromRows(result.rows, fn, architecture, region);
    const whole = await totals;
    const notes = [
      result.rows.length >= REPORT_LIMIT ? cutOffNote(whole.totals?.calls) : undefined,
      whole.failed ? `The whole range's figures could not be computed (${whole.failed.trim()}).` : undefined,
    ].filter(Boolean);
    return { records, via: 'Logs Insights', note: notes.length ? notes.join(' ') : undefined, totals: whole.totals };
  } catch (error) {
    stats.abort();
    if (!(error instanceof AwsProblemError)) throw error;
    if (error.problem.kind === 'not-found') return { records: [], via: 'Logs Insights', note: `${logGroup} does not exist yet: ${fn} has written no logs (or writes them to another group).` };
    if (error.problem.kind !== 'access-denied') throw error;
    const records = await readWithFilterLogEvents(client, options);
    const note = `Logs Insights is not allowed (${error.problem.message.trim()}), so the REPORT lines were read with FilterLogEvents, `
      + 'which is slower on long ranges. Allow logs:StartQuery and logs:GetQueryResults to use Logs Insights.';
    return { records, via: 'FilterLogEvents', note: records.length >= REPORT_LIMIT ? `${note} ${cutOffNote()}` : note };
  } finally {
    options.signal?.removeEventListener('abort', relay);
  }
}

function cutOffNote(calls?: number): string {
  const first = `Only the first ${REPORT_LIMIT.toLocaleString('en-US')}`;
  if (calls === undefined) return `${first} invocations of the range are shown: pick a shorter range to see the rest.`;
  return `${first} of the range's ${calls.toLocaleString('en-US')} invocations are drawn; the Whole range table has Logs Insights' figures for all of them.`;
}

async function readWithFilterLogEvents(client: LogsSend, options: ReportReadOptions): Promise<InvocationRecord[]> {
  const records: InvocationRecord[] = [];
  // Our own controller, so paging can also stop once the limit is reached; the caller's cancel is relayed to it.
  const paging = new AbortController();
  const relay = (): void => paging.abort();
  if (options.signal?.aborted) throw abortError();
  options.signal?.addEventListener('abort', relay, { once: true });
  try {
    await searchLogGroup(client, options.logGroup, {
      pattern: REPORT_FILTER_PATTERN, startTime: options.startTime, endTime: options.endTime, signal: paging.signal, profile: options.profile,
      onPage: (events) => {
        for (const event of events) {
          const record = parseReport(event.message, event.timestamp, options.fn, options.architecture, options.region);
          if (record) records.push(event.stream ? { ...record, environmentId: event.stream } : record);
        }
        options.onProgress?.('Searching', { recordsMatched: records.length });
        if (records.length >= REPORT_LIMIT) paging.abort();
      },
    });
  } catch (error) {
    if (options.signal?.aborted) throw abortError();
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', relay);
  }
  if (options.signal?.aborted) throw abortError();
  return records.sort((a, b) => a.time - b.time).slice(0, REPORT_LIMIT);
}

function abortError(): Error {
  return Object.assign(new Error('cancelled'), { name: 'AbortError' });
}

function rethrowAbort(error: unknown): never {
  throw (error as Error)?.name === 'AbortError' ? abortError() : error;
}
