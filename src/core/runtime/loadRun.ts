import { setMaxListeners } from 'node:events';
import { stats } from '../insights/insightsSummary';
import { sleep } from '../sleep';
import type { LocalLambda } from './localLambda';
import { LambdaServiceError, type FunctionConfig } from './types';

export interface LoadOptions {
  readonly total: number;
  /** Calls in flight at most: the machine is never asked for more. */
  readonly concurrency: number;
  readonly cold?: boolean;
  readonly signal?: AbortSignal;
  /** Callers join over this long (the k-th of c starts at k/c of it), as users arriving rather than all at once. */
  readonly rampMs?: number;
  /** A sample every `sampleMs` (default 250) while the run goes, and one at its end. */
  readonly onSample?: (sample: LoadSample) => void;
  readonly sampleMs?: number;
}

export interface Percentiles { readonly p50: number; readonly p99: number; readonly max: number }

/** The run so far, at `elapsedMs`: counts are cumulative; latency is of the calls that ended since the last sample. */
export interface LoadSample {
  readonly elapsedMs: number;
  readonly completed: number;
  readonly inFlight: number;
  /** Distinct environments that have finished a call so far. */
  readonly environments: number;
  readonly coldStarts: number;
  readonly throttled: number;
  readonly errors: number;
  readonly latencyMs: Percentiles;
}

export interface LoadSummary {
  readonly completed: number;
  readonly concurrency: number;
  readonly coldStarts: number;
  /** Distinct environments that served a call. */
  readonly environments: number;
  readonly errors: number;
  readonly throttled: number;
  readonly firstError?: string;
  readonly wallMs: number;
  readonly throughputPerSecond: number;
  /** Caller-observed time per call. */
  readonly latencyMs: Percentiles;
  /** Function Duration as REPORT shows it. */
  readonly durationMs: Percentiles;
  /** The samples taken while it ran (what the Insights panel draws). */
  readonly samples: readonly LoadSample[];
  readonly cancelled: boolean;
}

export function percentiles(values: number[]): Percentiles {
  const { p50, p99, max } = stats(values);
  return { p50, p99, max };
}

/** "1000 users at once": `total` invocations with `concurrency` in flight, through the pool, so busy environments
 *  make new ones (cold starts) up to the limit and calls beyond it are throttled. */
export async function runLoad(lambda: LocalLambda, config: FunctionConfig, event: string, options: LoadOptions): Promise<LoadSummary> {
  const latencies: number[] = [];
  const durations: number[] = [];
  const environments = new Set<string>();
  const samples: LoadSample[] = [];
  let window: number[] = [];
  let next = 0;
  let inFlight = 0;
  let coldStarts = 0;
  let errors = 0;
  let throttled = 0;
  let firstError: string | undefined;
  // Every call in flight listens to the one signal: that many listeners are expected, not a leak.
  if (options.signal) setMaxListeners(Math.max(10, options.concurrency + 2), options.signal);
  const started = performance.now();
  const sample = (): void => {
    const s: LoadSample = { elapsedMs: performance.now() - started, completed: latencies.length, inFlight, environments: environments.size, coldStarts, throttled, errors, latencyMs: percentiles(window) };
    window = [];
    samples.push(s);
    options.onSample?.(s);
  };
  const sampler = setInterval(sample, options.sampleMs ?? 250);
  const worker = async (k: number, workers: number): Promise<void> => {
    if (options.rampMs) await sleep((k / workers) * options.rampMs, options.signal);
    while (next < options.total && !options.signal?.aborted) {
      const index = next++;
      const t0 = performance.now();
      inFlight++;
      try {
        const result = await lambda.invoke(config, event, { cold: options.cold && index === 0, signal: options.signal, origin: 'load' });
        const latency = performance.now() - t0;
        latencies.push(latency);
        window.push(latency);
        durations.push(result.durationMs);
        environments.add(result.environmentId);
        if (result.coldStart) coldStarts++;
        if (result.error) {
          errors++;
          firstError ??= `${result.error.errorType}: ${result.error.errorMessage.split('\n')[0]}`;
        }
      } catch (error) {
        if (error instanceof LambdaServiceError && error.errorType === 'TooManyRequestsException') throttled++;
        else if (options.signal?.aborted) return;
        else throw error;
      } finally {
        inFlight--;
      }
    }
  };
  const workers = Math.min(options.concurrency, options.total);
  try {
    await Promise.all(Array.from({ length: workers }, (_, k) => worker(k, workers)));
  } finally {
    clearInterval(sampler);
  }
  sample();
  const wallMs = performance.now() - started;
  const completed = latencies.length;
  return {
    completed, concurrency: options.concurrency, coldStarts, environments: environments.size, errors, throttled, firstError, wallMs,
    throughputPerSecond: completed / (wallMs / 1000), latencyMs: percentiles(latencies), durationMs: percentiles(durations), samples,
    cancelled: options.signal?.aborted === true,
  };
}
