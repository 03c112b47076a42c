import { callCostUsd, priceFor, type Architecture } from './lambdaPrices';
import type { InvocationRecord } from './invocationRecord';
import { MIN_MEMORY_MB } from '../runtime/types';

export interface Stats {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

const EMPTY: Stats = { count: 0, p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };

/** Nearest-rank percentile of sorted values (`q` in 0–1): a value that occurred, as CloudWatch's pNN reports. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function stats(values: readonly number[]): Stats {
  if (values.length === 0) return EMPTY;
  const sorted = [...values].sort((a, b) => a - b);
  let sum = 0;
  for (const v of sorted) sum += v;
  return { count: sorted.length, p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1], mean: sum / sorted.length };
}

/** Duration counts in equal bins from 0 to the longest call, cold and warm apart. `edgesMs` has bins + 1 entries. */
export interface Histogram { readonly edgesMs: readonly number[]; readonly warm: readonly number[]; readonly cold: readonly number[] }

export function histogram(records: readonly InvocationRecord[], bins = 20): Histogram {
  if (records.length === 0) return { edgesMs: [], warm: [], cold: [] };
  let longest = 0;
  for (const r of records) longest = Math.max(longest, r.durationMs);
  const width = longest > 0 ? longest / bins : 1;
  const warm = new Array<number>(bins).fill(0);
  const cold = new Array<number>(bins).fill(0);
  for (const r of records) (r.initDurationMs !== undefined ? cold : warm)[Math.min(bins - 1, Math.floor(r.durationMs / width))]++;
  return { edgesMs: Array.from({ length: bins + 1 }, (_, i) => i * width), warm, cold };
}

/** Headroom kept over the p99 of Max Memory Used when suggesting a size. */
export const MEMORY_HEADROOM = 1.25;
/** Suggested sizes are multiples of this (Lambda takes any MB; round numbers are easier to reason about). */
const MEMORY_STEP_MB = 64;

export interface MemoryAdvice {
  readonly memorySizeMb: number;
  readonly p99UsedMb: number;
  readonly maxUsedMb: number;
  /** The smallest size that keeps the p99 with MEMORY_HEADROOM, at least 128 MB. */
  readonly suggestedMb: number;
  readonly change: 'lower' | 'raise' | 'keep';
}

/** Undefined when no call reported its memory. Uses the current size (the newest record's). */
export function rightSize(records: readonly InvocationRecord[]): MemoryAdvice | undefined {
  const used = records.filter((r) => r.maxMemoryUsedMb > 0).map((r) => r.maxMemoryUsedMb);
  if (used.length === 0) return undefined;
  const memorySizeMb = records[records.length - 1].memorySizeMb;
  const s = stats(used);
  const suggestedMb = Math.max(MIN_MEMORY_MB, Math.ceil((s.p99 * MEMORY_HEADROOM) / MEMORY_STEP_MB) * MEMORY_STEP_MB);
  const change = suggestedMb < memorySizeMb ? 'lower' : suggestedMb > memorySizeMb ? 'raise' : 'keep';
  return { memorySizeMb, p99UsedMb: s.p99, maxUsedMb: s.max, suggestedMb, change };
}

export interface CostRow {
  readonly label: string;
  readonly memorySizeMb: number;
  readonly architecture: Architecture;
  readonly perCallUsd: number;
  readonly perMillionUsd: number;
}

export interface InsightsSummary {
  readonly count: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly coldStarts: number;
  /** 0–1. */
  readonly coldStartRate: number;
  readonly duration: { readonly all: Stats; readonly warm: Stats; readonly cold: Stats };
  readonly init: Stats;
  readonly histogram: Histogram;
  readonly memory?: MemoryAdvice;
  /** Today's size and architecture, the suggested size, and the other architecture: the same billed durations. */
  readonly cost: readonly CostRow[];
  /** The region whose prices were used, and whether they are that region's own (see lambdaPrices). */
  readonly priceRegion: string;
  readonly pricesExact: boolean;
  /** Distinct environments that served calls. */
  readonly environments: number;
}

/** The numbers Insights shows, from records in time order. */
export function summarize(records: readonly InvocationRecord[]): InsightsSummary {
  const cold = records.filter((r) => r.initDurationMs !== undefined);
  const warm = records.filter((r) => r.initDurationMs === undefined);
  const last = records[records.length - 1];
  const { price, region, exact } = priceFor(last?.region);
  const memory = rightSize(records);
  const cost: CostRow[] = [];
  if (last) {
    const row = (label: string, memorySizeMb: number, architecture: Architecture): CostRow => {
      let total = 0;
      for (const r of records) total += callCostUsd(price, r.billedDurationMs, memorySizeMb, architecture);
      const perCallUsd = total / records.length;
      return { label, memorySizeMb, architecture, perCallUsd, perMillionUsd: perCallUsd * 1_000_000 };
    };
    const other: Architecture = last.architecture === 'arm64' ? 'x86_64' : 'arm64';
    cost.push(row('today', last.memorySizeMb, last.architecture));
    if (memory && memory.change !== 'keep') cost.push(row('suggested size', memory.suggestedMb, last.architecture));
    cost.push(row(other, last.memorySizeMb, other));
  }
  return {
    count: records.length,
    errors: records.filter((r) => r.status === 'error').length,
    timeouts: records.filter((r) => r.status === 'timeout').length,
    coldStarts: cold.length,
    coldStartRate: records.length ? cold.length / records.length : 0,
    duration: { all: stats(records.map((r) => r.durationMs)), warm: stats(warm.map((r) => r.durationMs)), cold: stats(cold.map((r) => r.durationMs)) },
    init: stats(cold.map((r) => r.initDurationMs!)),
    histogram: histogram(records),
    memory,
    cost,
    priceRegion: region,
    pricesExact: exact,
    environments: new Set(records.map((r) => r.environmentId).filter((id) => id !== undefined)).size,
  };
}

/** Environments in use at each call's start: those whose first call began before it and whose last ended after. */
export function environmentsOverTime(records: readonly InvocationRecord[]): Array<[time: number, active: number]> {
  const spans = new Map<string, { first: number; last: number }>();
  for (const r of records) {
    if (!r.environmentId) continue;
    const end = r.time + (r.initDurationMs ?? 0) + r.durationMs;
    const span = spans.get(r.environmentId);
    if (span) { span.first = Math.min(span.first, r.time); span.last = Math.max(span.last, end); } else spans.set(r.environmentId, { first: r.time, last: end });
  }
  const all = [...spans.values()];
  return records.map((r) => [r.time, all.filter((s) => s.first <= r.time && s.last >= r.time).length]);
}

/** A deployed function's whole range as Logs Insights' stats computed it (every call, however many the raw rows
 *  could hold); the view adds what the range cost. */
export interface RangeTotals {
  readonly calls: number;
  readonly coldStarts: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly usedP99Mb: number;
  readonly usedMaxMb: number;
  readonly sizeMb: number;
  readonly gbSeconds: number;
}

/** What the range's calls cost at the list prices: its requests plus its GB-seconds. */
export function rangeCostUsd(totals: RangeTotals, region: string | undefined, architecture: Architecture): number {
  const { price } = priceFor(region);
  return totals.calls * price.requestUsd + totals.gbSeconds * price.gbSecondUsd[architecture];
}
