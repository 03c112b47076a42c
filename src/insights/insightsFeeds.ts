import * as vscode from 'vscode';
import type { InvocationRecord } from '../core/insights/invocationRecord';
import type { RangeTotals } from '../core/insights/insightsSummary';
import type { InvocationStore } from '../core/insights/invocationStore';
import { SEARCH_RANGES, type LogsSend } from '../core/logs/logGroups';
import { readReportRecords } from '../core/logs/logsInsights';
import { cancellable } from '../ui/cancellable';

/** What the serializer keeps of a panel: enough to make its feed again after a reload. */
export type InsightsPanelState =
  | { readonly function: string; readonly deployed?: undefined }
  | { readonly function: string; readonly deployed: DeployedTarget };

export interface DeployedTarget {
  readonly name: string;
  readonly region: string;
  readonly logGroup: string;
  readonly architecture?: string;
}

export interface FeedRead { readonly records: readonly InvocationRecord[]; readonly origin: string; readonly message?: string; readonly totals?: RangeTotals }

/** Where a panel's invocations come from: the local store (live), or a deployed function's CloudWatch Logs. */
export interface InsightsFeed {
  /** One panel per key. */
  readonly key: string;
  readonly fn: string;
  readonly state: InsightsPanelState;
  /** Ranges to pick from (deployed functions), in ms back from now; the first is the default. */
  readonly ranges?: readonly { readonly label: string; readonly ms: number }[];
  /** Whether the panel offers load runs (local functions). */
  readonly loads: boolean;
  read(rangeMs: number | undefined, signal: AbortSignal): Promise<FeedRead>;
  /** Local feeds: a record of this function arrived. */
  onRecord?(listener: () => void): vscode.Disposable;
}

export function localFeed(fn: string, store: InvocationStore, loaded: () => Promise<void>): InsightsFeed {
  return {
    key: `local:${fn}`, fn, state: { function: fn }, loads: true,
    async read() {
      await loaded();
      const records = store.records(fn).sort((a, b) => a.time - b.time);
      return { records, origin: `local records (Run, F5, the local API, CLI --record): ${records.length} of the last 10 000` };
    },
    onRecord: (listener) => store.onRecord((r) => { if (r.function === fn) listener(); }),
  };
}

/** The ranges a deployed function's panel offers (the Logs view's search ranges, 15 minutes to a week). */
const DEPLOYED_RANGES = [SEARCH_RANGES[1], ...SEARCH_RANGES.filter((r) => r !== SEARCH_RANGES[1])];

export function deployedFeed(target: DeployedTarget, logs: (region: string) => LogsSend, profile: () => string | undefined): InsightsFeed {
  return {
    key: `deployed:${target.region}:${target.name}`, fn: target.name, state: { function: target.name, deployed: target }, loads: false,
    ranges: DEPLOYED_RANGES,
    async read(rangeMs, signal) {
      const range = DEPLOYED_RANGES.find((r) => r.ms === rangeMs) ?? DEPLOYED_RANGES[0];
      const endTime = Date.now();
      const read = await cancellable(`Insights: reading ${target.name}'s REPORT lines (${range.label.toLowerCase()})`, (abort, progress) => readReportRecords(logs(target.region), {
        fn: target.name, logGroup: target.logGroup, startTime: endTime - range.ms, endTime, signal: abort, profile: profile(),
        architecture: target.architecture === 'arm64' ? 'arm64' : 'x86_64', region: target.region,
        onProgress: (status) => progress.report({ message: status }),
      }), signal);
      // Cancelled from the notification or by the panel: the panel says so and offers to read again.
      if (!read) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
      const origin = `CloudWatch Logs ${target.logGroup} (${target.region}), ${range.label.toLowerCase()}, via ${read.via}${read.note ? ` — ${read.note}` : ''}`;
      return {
        records: read.records, origin, totals: read.totals,
        message: read.records.length === 0 ? `No REPORT lines of ${target.name} in ${range.label.toLowerCase()}. Invoke it, or pick a longer range.` : undefined,
      };
    },
  };
}
