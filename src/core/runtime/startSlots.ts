import { availableParallelism } from 'node:os';

/**
 * How many environments may be starting (spawned, not yet initialised) at once. On Lambda every new environment
 * gets its own CPU; here they share the machine's. A burst of cold starts all at once (a load run of 300 callers, a
 * page firing 50 requests at the local API) made every runtime boot on 2 CPUs together: each Init Duration came
 * out 20–40 times its true value, and the spawning process (the CLI, or the editor's extension host) waited on
 * each spawn while the CPUs were saturated — no progress, no Ctrl+C, for seconds. With starts taken a few at a
 * time, each init runs about as fast as alone and the caller stays responsive; every call that found no idle
 * environment still gets a new one of its own, as on Lambda, so the cold-start and environment counts are Lambda's.
 * The wait for a slot is the caller's, outside Init Duration and the function's timeout.
 */
export class StartSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size = defaultStartSlots()) {
    this.free = size;
  }

  /** Resolves with the slot's release (call it once; later calls do nothing), or rejects once `signal` aborts. */
  take(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(this.releaser());
      };
      const onAbort = (): void => {
        const at = this.waiting.indexOf(grant);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight on
      else this.free++;
    };
  }
}

/** The machine's parallelism, at least 2 (a start waits on its files too, not only on a CPU). */
export function defaultStartSlots(): number {
  return Math.max(2, availableParallelism());
}
