import { environmentsOverTime, summarize, type InsightsSummary } from './insightsSummary';
import type { InvocationRecord } from './invocationRecord';
import { PRICES_SOURCE } from './lambdaPrices';
import type { LoadSample, LoadSummary } from '../runtime/loadRun';

/** What the Insights page draws, in columns (cheap to post to a webview and to embed in an HTML report). */
export interface InsightsViewData {
  readonly function: string;
  /** `local records` or `CloudWatch Logs, last 1 h`…: where the numbers came from. */
  readonly origin: string;
  readonly summary: InsightsSummary;
  readonly pricesSource: string;
  /** One entry per invocation, oldest first. status: 0 ok, 1 error, 2 timeout. initMs: null when warm. */
  readonly calls: {
    readonly time: number[];
    readonly durationMs: number[];
    readonly initMs: Array<number | null>;
    readonly usedMb: number[];
    readonly sizeMb: number[];
    readonly status: number[];
    readonly environments: number[];
    readonly requestId: string[];
  };
  /** Set instead of charts when there is nothing to draw, or the data could not be read: what to do next. */
  readonly message?: string;
}

const STATUS_CODE = { ok: 0, error: 1, timeout: 2 } as const;

export function insightsViewData(fn: string, records: readonly InvocationRecord[], origin: string, message?: string): InsightsViewData {
  const active = environmentsOverTime(records);
  return {
    function: fn, origin, summary: summarize(records), pricesSource: PRICES_SOURCE,
    calls: {
      time: records.map((r) => r.time),
      durationMs: records.map((r) => r.durationMs),
      initMs: records.map((r) => r.initDurationMs ?? null),
      usedMb: records.map((r) => r.maxMemoryUsedMb),
      sizeMb: records.map((r) => r.memorySizeMb),
      status: records.map((r) => STATUS_CODE[r.status]),
      environments: active.map(([, n]) => n),
      requestId: records.map((r) => r.requestId),
    },
    message: message ?? (records.length === 0 ? `No invocations of ${fn} yet. Run it (Run, F5, the local API, or \`lambda-workbench invoke --record\`) and they appear here as they finish.` : undefined),
  };
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
  /** `live`: a load can be started here (local functions in a trusted workspace); `defaults` fill its form. */
  | { readonly type: 'load-ready'; readonly enabled: boolean; readonly reason?: string; readonly defaults: LoadRequest }
  | { readonly type: 'load-sample'; readonly sample: LoadSample }
  | { readonly type: 'load-done'; readonly summary: Omit<LoadSummary, 'samples'> }
  | { readonly type: 'load-error'; readonly message: string }
  /** Deployed functions: the time ranges to pick from, ms back from now. */
  | { readonly type: 'ranges'; readonly ranges: readonly { readonly label: string; readonly ms: number }[]; readonly selectedMs: number }
  | { readonly type: 'loading'; readonly text: string }
  /** What the page keeps for the panel serializer (which function, local or deployed). */
  | { readonly type: 'state'; readonly state: unknown };
export type FromInsightsPage =
  | { readonly type: 'ready' }
  | { readonly type: 'copy'; readonly text: string }
  | { readonly type: 'load'; readonly request: LoadRequest }
  | { readonly type: 'stop-load' }
  | { readonly type: 'range'; readonly ms: number }
  | { readonly type: 'probe-result'; readonly shown: Record<string, string>; readonly charts: Array<{ readonly name: string; readonly inked: number }>; readonly rows: number };
