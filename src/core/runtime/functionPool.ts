import type { Logger } from '../logger';
import { Environment, EnvironmentGoneError, type EnvironmentOptions } from './environment';
import { LambdaServiceError, type FunctionConfig, type InvokeOptions, type InvokeResult } from './types';

export interface PoolLimits {
  /** Environments one function may have at once; beyond it calls are throttled (default 10). */
  readonly maxEnvironments: number;
  /** An idle environment older than this is stopped (default 10 minutes). */
  readonly idleTimeoutMs: number;
}

/**
 * The environments of one function. A call takes an idle (warm) environment if there is one, else starts a new one
 * (a cold start) up to the limit, else is throttled with TooManyRequestsException — as Lambda scales.
 */
export class FunctionPool {
  private readonly environments = new Set<Environment>();
  private readonly reaper: NodeJS.Timeout;
  private retired = false;
  private readonly leftoverLines: string[] = [];

  /** What new environments are given (the latest the profile has); running ones keep what they started with. */
  credentials: EnvironmentOptions['credentials'];

  constructor(readonly config: FunctionConfig, private readonly limits: PoolLimits, private readonly envOptions: EnvironmentOptions, private readonly logger?: Logger) {
    this.credentials = envOptions.credentials;
    this.reaper = setInterval(() => this.reap(), Math.max(1000, Math.min(60_000, limits.idleTimeoutMs / 2)));
    this.reaper.unref();
  }

  get size(): number { return this.environments.size; }
  get busy(): number { return [...this.environments].filter((e) => e.state === 'busy' || e.state === 'starting').length; }

  async invoke(event: string, options: InvokeOptions = {}): Promise<InvokeResult> {
    // What environments printed after their last call and before they died shows in this call's window, as on Lambda.
    const carried = this.leftoverLines.splice(0);
    for (const line of carried) options.onLog?.(line);
    let env = this.acquire(options.cold === true);
    let result: InvokeResult;
    try {
      result = await env.invoke(event, options);
    } catch (error) {
      if (!(error instanceof EnvironmentGoneError)) throw error;
      // It landed on an environment that was dying (now out of the pool): run it on another (its lines were
      // logged already).
      carried.push(...error.lines);
      env = this.acquire(false);
      result = await env.invoke(event, options);
    }
    if (this.retired) env.kill(); // its replacement pool serves the next call
    return carried.length ? { ...result, logs: [...carried, ...result.logs] } : result;
  }

  private acquire(cold: boolean): Environment {
    if (cold) {
      for (const env of this.environments) if (env.state === 'idle') env.kill();
    } else {
      // Most recently used first: Lambda tends to route to the warmest environment.
      const idle = [...this.environments].filter((e) => e.state === 'idle').sort((a, b) => b.lastUsed - a.lastUsed)[0];
      if (idle) return idle;
    }
    const live = [...this.environments].filter((e) => e.state !== 'dead').length;
    if (live >= this.limits.maxEnvironments) {
      throw new LambdaServiceError('TooManyRequestsException',
        `Rate Exceeded. ${this.config.name} already has ${live} busy environments (the local concurrency limit, lambdaWorkbench.maxConcurrency / --max-concurrency).`, 429);
    }
    const env = new Environment(this.config, {
      ...this.envOptions,
      credentials: this.credentials,
      onDeath: (dead) => {
        this.environments.delete(dead);
        this.leftoverLines.push(...dead.takeLeftoverLines());
        this.logger?.debug(`environment ${dead.id} of ${this.config.name} stopped`);
      },
    });
    this.environments.add(env);
    this.logger?.debug(`environment ${env.id} of ${this.config.name} starting (${this.environments.size} in pool)`);
    return env;
  }

  /** Stops idle environments past their idle timeout (or all idle ones with `force`). */
  reap(force = false): void {
    const now = Date.now();
    for (const env of this.environments) {
      if (env.state === 'idle' && (force || now - env.lastUsed > this.limits.idleTimeoutMs)) env.kill();
    }
  }

  /** Replaced by a pool with new settings: idle environments stop now, busy ones when their call ends. */
  retire(): Promise<void>[] {
    clearInterval(this.reaper);
    this.retired = true;
    const closed = [...this.environments].map((env) => env.closed);
    this.reap(true);
    return closed;
  }

  /** Stops every environment, busy ones included; returns promises that settle when each process has exited. */
  dispose(): Promise<void>[] {
    clearInterval(this.reaper);
    const closed = [...this.environments].map((env) => { env.kill(); return env.closed; });
    this.environments.clear();
    return closed;
  }
}
