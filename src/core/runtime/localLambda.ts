import { parseJson, JsonSyntaxError } from '../json/parseJson';
import type { Logger } from '../logger';
import { Environment } from './environment';
import type { AwsCredentials } from './environmentVariables';
import { FunctionPool, type PoolLimits } from './functionPool';
import { StartSlots } from './startSlots';
import type { DebugOptions, LaunchSettings } from './launchPlan';
import { KNOWN_RUNTIMES, LambdaServiceError, MAX_MEMORY_MB, MAX_TIMEOUT_S, MIN_MEMORY_MB, SYNC_PAYLOAD_LIMIT, type FunctionConfig, type InvokeOptions, type InvokeResult } from './types';

export interface LocalLambdaOptions extends Partial<PoolLimits> {
  readonly settings?: Omit<LaunchSettings, 'debug'>;
  /** Credentials of the active profile, handed to functions as Lambda hands them the role's; asked once per environment. */
  readonly credentials?: () => Promise<AwsCredentials | undefined>;
  readonly logger?: Logger;
  /** Environments starting at once, across its functions (default: the machine's parallelism, at least 2). */
  readonly maxStarting?: number;
  /** Hears every finished invocation (Insights records them); not called for calls the service refused. */
  readonly onInvoked?: (config: FunctionConfig, result: InvokeResult, options: LocalInvokeOptions) => void;
}

export interface LocalInvokeOptions extends InvokeOptions {
  /** Run in a dedicated environment with a debugger listening on this port; no timeouts while it holds the program. */
  readonly debug?: DebugOptions;
  /** Called with the environment once it is created (debug sessions keep it to stop it). */
  readonly onEnvironment?: (env: Environment) => void;
  /** The event was serialised by the caller (JSON.stringify of an object: the local API's requests), so only its size
   *  is checked, not re-parsed. */
  readonly serialized?: boolean;
  /** What asked for the call, for the invocation records (Insights): a load run's calls are told apart. */
  readonly origin?: 'load';
}

/** Checks a function configuration the way CreateFunction would, with messages that say what to change. */
export function validateConfig(config: FunctionConfig): void {
  if (!KNOWN_RUNTIMES.includes(config.runtime)) {
    throw new LambdaServiceError('InvalidRequestContentException',
      `Runtime '${config.runtime}' is not a Lambda runtime. Runtimes: ${KNOWN_RUNTIMES.join(', ')}.`, 400);
  }
  const memory = config.memorySize;
  if (memory !== undefined && (!Number.isInteger(memory) || memory < MIN_MEMORY_MB || memory > MAX_MEMORY_MB)) {
    throw new LambdaServiceError('InvalidRequestContentException', `Memory size ${memory} MB is outside Lambda's range: ${MIN_MEMORY_MB}–${MAX_MEMORY_MB} MB.`, 400);
  }
  const timeout = config.timeout;
  if (timeout !== undefined && (!(timeout > 0) || timeout > MAX_TIMEOUT_S)) {
    throw new LambdaServiceError('InvalidRequestContentException', `Timeout ${timeout} s is outside Lambda's range: 1–${MAX_TIMEOUT_S} seconds.`, 400);
  }
}

/** Checks an event payload as the Invoke API does: size first, then (unless `serialized`) that it is JSON. */
export function validateEvent(event: string, source = 'event', serialized = false): void {
  // A string's UTF-8 size is at most 3 bytes per UTF-16 unit: short events need no count.
  const size = event.length * 3 <= SYNC_PAYLOAD_LIMIT ? 0 : Buffer.byteLength(event);
  if (size > SYNC_PAYLOAD_LIMIT) {
    throw new LambdaServiceError('RequestTooLargeException',
      `Request must be smaller than ${SYNC_PAYLOAD_LIMIT} bytes for the InvokeFunction operation (${source} is ${size} bytes).`, 413);
  }
  if (serialized) return;
  try {
    parseJson(event, source);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new LambdaServiceError('InvalidRequestContentException', error.message, 400);
    throw error;
  }
}

/** Pool keys of configurations already seen: callers that pass the same object per call (serve, start) do not
 *  serialise it on every invocation. Configurations are not mutated once handed in. */
const configKeys = new WeakMap<FunctionConfig, string>();

/**
 * The local Lambda service: one pool of environments per function, shared by the CLI, `serve`, and the editor.
 * Pools are keyed by function name; a changed configuration (code folder, handler, memory, variables…) replaces the
 * pool, so the next call is a cold start with the new settings.
 */
export class LocalLambda {
  private readonly pools = new Map<string, { key: string; pool: FunctionPool }>();
  private readonly debugEnvironments = new Set<Environment>();
  /** Replaced pools whose environments may still be finishing a call; dispose() stops them too. */
  private readonly retiring = new Set<FunctionPool>();
  private disposed = false;
  /** Version notices given in this run (see Environment): each once. */
  private readonly notices = new Set<string>();
  private readonly limits: PoolLimits;
  private readonly startSlots: StartSlots;

  constructor(private readonly options: LocalLambdaOptions = {}) {
    this.limits = { maxEnvironments: options.maxEnvironments ?? 10, idleTimeoutMs: options.idleTimeoutMs ?? 10 * 60_000 };
    this.startSlots = new StartSlots(options.maxStarting);
  }

  /** The credentials its functions get (none when they cannot be resolved): an AWS_IAM function URL checks
   *  request signatures against them. */
  credentials(): Promise<AwsCredentials | undefined> {
    return this.options.credentials?.().catch(() => undefined) ?? Promise.resolve(undefined);
  }

  /** Environments one function may have at once (beyond it, calls are throttled). */
  get maxEnvironments(): number { return this.limits.maxEnvironments; }

  async invoke(config: FunctionConfig, event: string, options: LocalInvokeOptions = {}): Promise<InvokeResult> {
    const result = await this.run(config, event, options);
    this.options.onInvoked?.(config, result, options);
    return result;
  }

  private async run(config: FunctionConfig, event: string, options: LocalInvokeOptions): Promise<InvokeResult> {
    validateConfig(config);
    validateEvent(event, 'event', options.serialized);
    const credentials = await this.options.credentials?.().catch((error: unknown) => {
      this.options.logger?.warn(`No AWS credentials for the function: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    // Stopped while the credentials were asked for: start nothing.
    if (this.disposed) throw Object.assign(new Error('The local Lambda was stopped.'), { name: 'AbortError' });
    if (options.debug) {
      const env = new Environment(config, {
        settings: { ...this.options.settings, debug: options.debug }, credentials, noTimeouts: true, notices: this.notices,
        onDeath: (dead) => this.debugEnvironments.delete(dead),
      });
      this.debugEnvironments.add(env);
      try {
        const result = env.invoke(event, options);
        options.onEnvironment?.(env);
        return await result;
      } finally {
        env.kill(); // a debug environment serves one invocation
      }
    }
    return this.pool(config, credentials).invoke(event, options);
  }

  /** Stops idle environments (of one function, or all) so the next call is cold — e.g. after its files changed. */
  invalidate(functionName?: string): void {
    for (const [name, { pool }] of this.pools) if (functionName === undefined || name === functionName) pool.reap(true);
  }

  stats(functionName: string): { environments: number; busy: number } {
    const entry = this.pools.get(functionName);
    return { environments: entry?.pool.size ?? 0, busy: entry?.pool.busy ?? 0 };
  }

  /** Stops once what runs has finished (its owner has replaced it): idle environments now, busy ones and debug
   *  environments when their call ends (a settings change must not kill a run or a paused debug session). */
  async retire(): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const { pool } of this.pools.values()) closing.push(...pool.retire());
    for (const pool of this.retiring) closing.push(...pool.retire());
    for (const env of this.debugEnvironments) closing.push(env.closed);
    await Promise.all(closing);
    await this.dispose();
  }

  /** Stops everything — busy environments and ones still starting included — and waits until every process has
   *  exited. Later calls are refused. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const closing: Promise<void>[] = [];
    for (const { pool } of this.pools.values()) closing.push(...pool.dispose());
    for (const pool of this.retiring) closing.push(...pool.dispose());
    for (const env of this.debugEnvironments) { env.kill(); closing.push(env.closed); }
    this.retiring.clear();
    this.pools.clear();
    this.debugEnvironments.clear();
    await Promise.all(closing);
  }

  private pool(config: FunctionConfig, credentials: Awaited<ReturnType<NonNullable<LocalLambdaOptions['credentials']>>>): FunctionPool {
    // Keyed by the configuration only: rotated credentials reach new environments, warm ones keep serving.
    let key = configKeys.get(config);
    if (key === undefined) configKeys.set(config, (key = JSON.stringify(config)));
    const existing = this.pools.get(config.name);
    if (existing?.key === key) {
      existing.pool.credentials = credentials;
      return existing.pool;
    }
    if (existing) {
      const retired = existing.pool;
      this.retiring.add(retired);
      void Promise.all(retired.retire()).then(() => this.retiring.delete(retired));
    }
    const pool = new FunctionPool(config, this.limits, { settings: this.options.settings, credentials, notices: this.notices, startSlots: this.startSlots }, this.options.logger);
    this.pools.set(config.name, { key, pool });
    return pool;
  }
}
