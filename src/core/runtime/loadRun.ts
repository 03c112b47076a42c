import { setMaxListeners } from 'node:events';
import { stats } from '../insights/insightsSummary';
import type { LocalLambda } from './localLambda';
import { LambdaServiceError, type FunctionConfig } from './types';

export interface LoadOptions {
  readonly total: number;
  readonly concurrency: number;
  readonly cold?: boolean;
  readonly signal?: AbortSignal;
}

export interface Percentiles { readonly p50: number; readonly p99: number; readonly max: number }

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
  let next = 0;
  let coldStarts = 0;
  let errors = 0;
  let throttled = 0;
  let firstError: string | undefined;
  // Every call in flight listens to the one signal: that many listeners are expected, not a leak.
  if (options.signal) setMaxListeners(Math.max(10, options.concurrency + 1), options.signal);
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < options.total && !options.signal?.aborted) {
      const index = next++;
      const t0 = performance.now();
      try {
        const result = await lambda.invoke(config, event, { cold: options.cold && index === 0, signal: options.signal });
        latencies.push(performance.now() - t0);
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
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.total) }, worker));
  const wallMs = performance.now() - started;
  const completed = latencies.length;
  return {
    completed, concurrency: options.concurrency, coldStarts, environments: environments.size, errors, throttled, firstError, wallMs,
    throughputPerSecond: completed / (wallMs / 1000), latencyMs: percentiles(latencies), durationMs: percentiles(durations),
  };
}
