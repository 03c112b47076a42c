import type { Logger } from '../logger';
import type { LocalLambda } from './localLambda';
import { LambdaServiceError, type FunctionConfig, type InvokeResult } from './types';

/** Lambda's defaults for asynchronous invocation (the developer guide, "Asynchronous invocation"). */
export interface AsyncQueueSettings {
  /** Retries after a function error (MaximumRetryAttempts, default 2). */
  readonly maxRetries: number;
  /** Wait before each retry: about one minute, then two. */
  readonly retryDelaysMs: readonly number[];
  /** An event older than this is dropped (MaximumEventAgeInSeconds, default 6 hours). */
  readonly maxEventAgeMs: number;
  /** Events waiting per function before new ones are refused with a log line. */
  readonly capacity: number;
  /** Wait before trying a throttled event again when no call of the function is in flight to wait for. */
  readonly throttleBackoffMs: number;
}

export const LAMBDA_ASYNC_DEFAULTS: AsyncQueueSettings = {
  maxRetries: 2, retryDelaysMs: [60_000, 120_000], maxEventAgeMs: 6 * 3600_000, capacity: 10_000, throttleBackoffMs: 200,
};

interface Queued {
  readonly event: string;
  readonly clientContext: unknown;
  readonly acceptedAt: number;
  readonly requestId: string;
  attempt: number;
}

interface FunctionQueue {
  readonly config: FunctionConfig;
  readonly waiting: Queued[];
  inFlight: number;
  /** Throttled: launch nothing until one of its calls ends or the back-off passes. */
  blocked: boolean;
  wake?: NodeJS.Timeout;
}

/**
 * The internal queue of `Event` invocations: accepted at once, run as the function's concurrency allows (a
 * throttled event waits and is tried again, it is never dropped), a failed one retried twice with Lambda's delays,
 * and every retry and every dropped event said in the log.
 */
export class AsyncInvocationQueue {
  private readonly queues = new Map<string, FunctionQueue>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly lambda: LocalLambda,
    private readonly onResult: (name: string, result: InvokeResult) => void = () => undefined,
    private readonly logger?: Logger,
    private readonly settings: AsyncQueueSettings = LAMBDA_ASYNC_DEFAULTS,
  ) {}

  /** Queues an event; false (and a log line) when the function's queue is full. */
  enqueue(config: FunctionConfig, event: string, requestId: string, clientContext?: unknown): boolean {
    const queue = this.queues.get(config.name) ?? { config, waiting: [], inFlight: 0, blocked: false };
    this.queues.set(config.name, queue);
    if (queue.waiting.length >= this.settings.capacity) {
      this.logger?.warn(`async event ${requestId} for ${config.name} dropped: its queue holds ${this.settings.capacity} events`);
      return false;
    }
    queue.waiting.push({ event, clientContext, acceptedAt: Date.now(), requestId, attempt: 0 });
    this.pump(queue);
    return true;
  }

  /** Stops retrying and forgets what waits (the local Lambda is being disposed). */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    for (const queue of this.queues.values()) { clearTimeout(queue.wake); queue.waiting.length = 0; }
  }

  private pump(queue: FunctionQueue): void {
    // No more at once than the function may have environments: the rest wait here, not as throttled calls.
    while (!this.closed && !queue.blocked && queue.inFlight < this.lambda.maxEnvironments && queue.waiting.length) {
      const item = queue.waiting.shift()!;
      if (Date.now() - item.acceptedAt > this.settings.maxEventAgeMs) {
        this.logger?.warn(`async event ${item.requestId} for ${queue.config.name} dropped: older than the maximum event age`);
        continue;
      }
      queue.inFlight++;
      this.lambda.invoke(queue.config, item.event, { clientContext: item.clientContext }).then(
        (result) => { queue.inFlight--; queue.blocked = false; this.settled(queue, item, result); this.pump(queue); },
        (error: unknown) => { queue.inFlight--; this.failed(queue, item, error); this.pump(queue); },
      );
    }
  }

  private settled(queue: FunctionQueue, item: Queued, result: InvokeResult): void {
    this.onResult(queue.config.name, result);
    if (!result.error) return;
    const name = queue.config.name;
    if (item.attempt >= this.settings.maxRetries) {
      this.logger?.warn(`async event ${item.requestId} for ${name} dropped after ${item.attempt + 1} attempts: ${result.error.errorType}`);
      return;
    }
    const delay = this.settings.retryDelaysMs[Math.min(item.attempt, this.settings.retryDelaysMs.length - 1)];
    item.attempt++;
    this.logger?.info(`async event ${item.requestId} for ${name} failed (${result.error.errorType}): retry ${item.attempt} of ${this.settings.maxRetries} in ${(delay / 1000).toFixed(0)} s`);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      queue.waiting.push(item);
      this.pump(queue);
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }

  private failed(queue: FunctionQueue, item: Queued, error: unknown): void {
    if (error instanceof LambdaServiceError && error.errorType === 'TooManyRequestsException') {
      // Throttled: back to the front, and wait for one of this function's calls to end (or a moment).
      queue.waiting.unshift(item);
      queue.blocked = true;
      if (queue.inFlight === 0 && !queue.wake) {
        queue.wake = setTimeout(() => { queue.wake = undefined; queue.blocked = false; this.pump(queue); }, this.settings.throttleBackoffMs);
        queue.wake.unref();
      }
      return;
    }
    if (this.closed) return;
    this.logger?.error(`async event ${item.requestId} for ${queue.config.name} could not run: ${error instanceof Error ? error.message : String(error)}`);
  }
}
