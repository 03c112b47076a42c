import { environmentsOverTime, rangeCostUsd, summarize, type InsightsSummary, type RangeTotals } from './insightsSummary';
import type { InvocationRecord } from './invocationRecord';
import { PRICES_SOURCE } from './lambdaPrices';
import type { LoadSample, LoadSummary } from '../runtime/loadRun';
import { roundMs } from '../runtime/logLines';

/** Most points a chart series has: beyond it, consecutive calls are drawn as one point (their maximum). The charts
 *  are at most ~1 400 px wide, so the picture is the same, and a 10 000-call panel posts a constant-size message. */
export const MAX_POINTS = 2000;

/** Invocations the table shows (newest first). */
export const TABLE_ROWS = 1000;

/** What the Insights page draws (cheap to post to a webview and to embed in an HTML report). */
export interface InsightsViewData {
  readonly function: string;
  /** `local records` or `CloudWatch Logs, last 1 h`…: where the numbers came from. */
  readonly origin: string;
  readonly summary: InsightsSummary;
  readonly pricesSource: string;
  /** The charts' series, oldest first: one point per call, or per `bucket` consecutive calls (each value the
   *  largest of them, `failed` set if any failed). `call` is the number of the point's first call (1-based). */
  readonly series: {
    readonly bucket: number;
    readonly call: number[];
    readonly totalMs: number[];
    readonly initMs: Array<number | null>;
    readonly failedMs: Array<number | null>;
    readonly usedMb: number[];
    readonly sizeMb: number[];
    readonly environments: number[];
  };
  /** The newest TABLE_ROWS calls, oldest first, for the table. `startMs[i]` is ms after `firstTime`. status: 0 ok,
   *  1 error, 2 timeout. initMs: null when warm. */
  readonly recent: {
    readonly firstTime: number;
    readonly startMs: number[];
    readonly durationMs: number[];
    readonly initMs: Array<number | null>;
    readonly usedMb: number[];
    readonly sizeMb: number[];
    readonly status: number[];
    readonly requestId: string[];
  };
  /** A deployed function's range as Logs Insights' stats counted it, when it holds more calls than were drawn. */
  readonly totals?: RangeTotals & { readonly costUsd: number };
  /** Set instead of charts when there is nothing to draw, or the data could not be read: what to do next. */
  readonly message?: string;
  /** Shown above the figures when they describe failures rather than the function (every call timed out…). */
  readonly notice?: string;
}

/** A call's status by its code in the page's columns (0 ok, 1 error, 2 timeout). */
export const STATUS_NAME = ['ok', 'error', 'timeout'] as const;

export function insightsViewData(fn: string, records: readonly InvocationRecord[], origin: string, message?: string, totals?: RangeTotals): InsightsViewData {
  const recent = records.slice(-TABLE_ROWS);
  const firstTime = recent[0]?.time ?? 0;
  const last = records[records.length - 1];
  // The same figures twice say nothing new: the whole range's only when the rows stopped short of it.
  const whole = totals && totals.calls > records.length ? { ...totals, costUsd: rangeCostUsd(totals, last?.region, last?.architecture ?? 'x86_64') } : undefined;
  return {
    ...(whole ? { totals: whole } : {}),
    function: fn, origin, summary: summarize(records), pricesSource: PRICES_SOURCE,
    series: chartSeries(records),
    recent: {
      firstTime,
      startMs: recent.map((r) => r.time - firstTime),
      durationMs: recent.map((r) => roundMs(r.durationMs)),
      initMs: recent.map((r) => (r.initDurationMs === undefined ? null : roundMs(r.initDurationMs))),
      usedMb: recent.map((r) => r.maxMemoryUsedMb),
      sizeMb: recent.map((r) => r.memorySizeMb),
      status: recent.map((r) => STATUS_NAME.indexOf(r.status)),
      requestId: recent.map((r) => r.requestId),
    },
    message: message ?? (records.length === 0 ? `No invocations of ${fn} yet. Run it (Run, F5, the local API, or \`lambda-workbench invoke --record\`) and they appear here as they finish.` : undefined),
    notice: failureNotice(records),
  };
}

/** When every call failed, the durations are the failures' (a timeout's are the timeout): say so before the charts. */
function failureNotice(records: readonly InvocationRecord[]): string | undefined {
  if (records.length === 0 || records.some((r) => r.status === 'ok')) return undefined;
  const timeouts = records.filter((r) => r.status === 'timeout');
  if (timeouts.length === records.length) {
    const longest = Math.max(...timeouts.map((r) => r.durationMs));
    return `Every call timed out (after ${(longest / 1000).toFixed(2)} s): these durations are the timeout's, not the function's. Raise the Timeout or look at what the handler waits for.`;
  }
  return `Every call failed (${records.length - timeouts.length} errors, ${timeouts.length} timeouts): these figures describe the failures. The Run document or the logs say why.`;
}

/** At most MAX_POINTS points: each the largest of `bucket` consecutive calls (a spike is never averaged away). */
export function chartSeries(records: readonly InvocationRecord[], maxPoints = MAX_POINTS): InsightsViewData['series'] {
  const bucket = Math.max(1, Math.ceil(records.length / maxPoints));
  const active = environmentsOverTime(records);
  const series = { bucket, call: [] as number[], totalMs: [] as number[], initMs: [] as Array<number | null>, failedMs: [] as Array<number | null>, usedMb: [] as number[], sizeMb: [] as number[], environments: [] as number[] };
  for (let start = 0; start < records.length; start += bucket) {
    let total = 0;
    let init: number | null = null;
    let failed: number | null = null;
    let used = 0;
    let size = 0;
    let environments = 0;
    for (let i = start; i < Math.min(records.length, start + bucket); i++) {
      const r = records[i];
      const t = roundMs(r.durationMs + (r.initDurationMs ?? 0));
      total = Math.max(total, t);
      if (r.initDurationMs !== undefined) init = Math.max(init ?? 0, roundMs(r.initDurationMs));
      if (r.status !== 'ok') failed = Math.max(failed ?? 0, t);
      used = Math.max(used, r.maxMemoryUsedMb);
      size = Math.max(size, r.memorySizeMb);
      environments = Math.max(environments, active[i][1]);
    }
    series.call.push(start + 1);
    series.totalMs.push(total);
    series.initMs.push(init);
    series.failedMs.push(failed);
    series.usedMb.push(used);
    series.sizeMb.push(size);
    series.environments.push(environments);
  }
  return series;
}

type CsvRow = [started: number, durationMs: number, initMs: number | null | undefined, usedMb: number, sizeMb: number, status: string, requestId: string];

function csv(rows: readonly CsvRow[]): string {
  const lines = ['started,durationMs,initMs,maxMemoryUsedMb,memorySizeMb,status,requestId'];
  for (const [started, ...rest] of rows) lines.push([new Date(started).toISOString(), ...rest.map((v) => v ?? '')].join(','));
  return `${lines.join('\n')}\n`;
}

/** Every call as CSV (what Copy as CSV puts on the clipboard). */
export function insightsCsv(records: readonly InvocationRecord[]): string {
  return csv(records.map((r) => [r.time, r.durationMs, r.initDurationMs, r.maxMemoryUsedMb, r.memorySizeMb, r.status, r.requestId]));
}

/** A standalone report's Copy as CSV: it has no records behind it, only the newest TABLE_ROWS calls. */
export function recentCsv(data: InsightsViewData): string {
  const c = data.recent;
  return csv(c.durationMs.map((d, i) => [c.firstTime + c.startMs[i], d, c.initMs[i], c.usedMb[i], c.sizeMb[i], STATUS_NAME[c.status[i]], c.requestId[i]]));
}

/** Text for HTML markup (a page title, a function name in a page). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON for a `<script type="application/json">` block: `<` escaped, so that no value can end the element. */
export function jsonInHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Dollars with three significant digits and no exponent: $0.21, $0.00000211 (the panel, the CLI and reports). */
export function formatUsd(v: number): string {
  if (v >= 0.01 || v <= 0) return `$${v.toFixed(2)}`;
  return `$${v.toFixed(Math.min(20, 2 - Math.floor(Math.log10(v))))}`;
}

/** What a load run asks for (from the page's form). */
export interface LoadRequest { readonly requests: number; readonly concurrency: number; readonly maxEnvironments: number; readonly rampSeconds: number }

/** Messages between the extension and the Insights page. `probe` (tests): the page answers with what it shows. */
export type ToInsightsPage =
  | { readonly type: 'data'; readonly data: InsightsViewData }
  | { readonly type: 'probe' }
  /** Tests press the page's buttons (a click on the element `selector` finds), as a user would. */
  | { readonly type: 'click'; readonly selector: string }
  /** Tests choose a value of a select as a user would: the value set, then the element's change event. */
  | { readonly type: 'pick'; readonly selector: string; readonly value: string }
  /** `enabled`: a load can be started here (local functions in a trusted workspace); `defaults` fill its form. */
  | { readonly type: 'load-ready'; readonly enabled: boolean; readonly reason?: string; readonly defaults: LoadRequest }
  | { readonly type: 'load-sample'; readonly sample: LoadSample }
  | { readonly type: 'load-done'; readonly summary: Omit<LoadSummary, 'samples'> }
  | { readonly type: 'load-error'; readonly message: string }
  /** Deployed functions: the time ranges to pick from, ms back from now. */
  | { readonly type: 'ranges'; readonly ranges: readonly { readonly label: string; readonly ms: number }[]; readonly selectedMs: number }
  | { readonly type: 'loading'; readonly text: string }
  /** What the page keeps for the panel serializer (which function, local or deployed). */
  | { readonly type: 'state'; readonly state: unknown };
/** Where the page's time went, ms from its document's start (the benchmark prints it). */
export interface PageTiming { readonly scriptLoaded: number; readonly scriptEnded: number; readonly rendered: number; readonly drawn: number }
export type FromInsightsPage =
  /** `embedded`: the page already drew the messages its HTML carried. */
  | { readonly type: 'ready'; readonly embedded?: boolean }
  /** The page drew data: how many charts (the panel notes when its first chart appeared). */
  | { readonly type: 'drawn'; readonly charts: number; readonly page?: PageTiming }
  /** Copy as CSV: the extension copies every call of its records. */
  | { readonly type: 'copy' }
  | { readonly type: 'load'; readonly request: LoadRequest }
  | { readonly type: 'stop-load' }
  | { readonly type: 'range'; readonly ms: number }
  | { readonly type: 'probe-result'; readonly shown: Record<string, string>; readonly charts: Array<{ readonly name: string; readonly inked: number }>; readonly rows: number; readonly state?: unknown; readonly tabs?: string[]; readonly renders?: number };
