/** An error a service answers instead of doing the operation. */
export type FaultKind = 'AccessDenied' | 'Throttle' | 'ExpiredToken' | 'NotFound';

/** What the service should do to one request, as consulted by `Faults.take`. */
export interface FaultPlan {
  /** Answer this error instead of running the operation. */
  readonly fail?: FaultKind;
  /** Wait this long before answering (0: no delay). */
  readonly delayMs: number;
  /** Destroy the connection without a response. */
  readonly drop: boolean;
}

/**
 * Per-operation fault injection for the emulated services: fail the next calls with an error, slow the responses
 * down, or drop the connection. Operation names are the AWS API's (`ListFunctions`, `Invoke`, …). A service calls
 * `take(operation)` once per request; one-shot faults are used up in the order they were queued.
 */
export class Faults<Operation extends string = string> {
  private readonly failures = new Map<Operation, FaultKind[]>();
  private readonly delays = new Map<Operation, { ms: number; times: number }>();
  private readonly drops = new Map<Operation, number>();
  /** Every fault applied, in order, so tests can check what the client went through. */
  readonly applied: { operation: Operation; fault: FaultKind | 'Slow' | 'Drop' }[] = [];

  /** The next `times` calls of `operation` fail with `kind`. */
  failNext(operation: Operation, kind: FaultKind, times = 1): this {
    const queue = this.failures.get(operation) ?? [];
    for (let i = 0; i < times; i++) queue.push(kind);
    this.failures.set(operation, queue);
    return this;
  }

  /** Delays the responses of `operation` by `ms` — every call until `clear`, or the next `times` calls. */
  slow(operation: Operation, ms: number, times = Infinity): this {
    this.delays.set(operation, { ms, times });
    return this;
  }

  /** The next call of `operation` (or the next `times` calls) gets its connection destroyed without a response. */
  drop(operation: Operation, times = 1): this {
    this.drops.set(operation, (this.drops.get(operation) ?? 0) + times);
    return this;
  }

  /** Removes the faults of one operation, or all. */
  clear(operation?: Operation): this {
    for (const map of [this.failures, this.delays, this.drops] as Map<Operation, unknown>[]) {
      if (operation === undefined) map.clear();
      else map.delete(operation);
    }
    return this;
  }

  /** Whether any fault is still queued for `operation` (or for any operation). */
  pending(operation?: Operation): boolean {
    const has = (map: Map<Operation, unknown>): boolean => (operation === undefined ? map.size > 0 : map.has(operation));
    return has(this.failures) || has(this.delays) || has(this.drops);
  }

  /** Consumes what applies to one call of `operation`. A drop wins over a failure; a delay applies to both. */
  take(operation: Operation): FaultPlan {
    let delayMs = 0;
    const delay = this.delays.get(operation);
    if (delay) {
      delayMs = delay.ms;
      if (--delay.times <= 0) this.delays.delete(operation);
      this.applied.push({ operation, fault: 'Slow' });
    }
    const drops = this.drops.get(operation) ?? 0;
    if (drops > 0) {
      if (drops === 1) this.drops.delete(operation);
      else this.drops.set(operation, drops - 1);
      this.applied.push({ operation, fault: 'Drop' });
      return { delayMs, drop: true };
    }
    const queue = this.failures.get(operation);
    const fail = queue?.shift();
    if (queue && queue.length === 0) this.failures.delete(operation);
    if (fail) this.applied.push({ operation, fault: fail });
    return { fail, delayMs, drop: false };
  }
}
