import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { billedDurationMs, invocationCost } from './billing';
import { buildEnvironment, functionArn, logStreamName, traceId, type AwsCredentials } from './environmentVariables';
import { RuntimeSetupError } from './interpreters';
import { planLaunch, type LaunchPlan, type LaunchSettings } from './launchPlan';
import { estimateLine, PlatformLog, timeoutLine } from './logLines';
import { kbToMb, MEMORY_POLL_MS, sampleMemory } from './processMemory';
import { missingModuleHint } from './missingModuleHint';
import { killProcessTree } from './processTree';
import { RuntimeApiServer, type RuntimeReply } from './runtimeApiServer';
import type { StartSlots } from './startSlots';
import { DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, type FunctionConfig, type FunctionError, type InvokeOptions, type InvokeResult } from './types';

export interface EnvironmentOptions {
  readonly settings?: LaunchSettings;
  readonly credentials?: AwsCredentials;
  /** Debug sessions: a paused debugger must not trip the init cap or the function timeout. */
  readonly noTimeouts?: boolean;
  /** Notices already given in this run (shared by a LocalLambda's environments), so each is said once. */
  readonly notices?: Set<string>;
  /** Called once the environment is gone (crash, timeout, kill) so its pool can drop it. */
  readonly onDeath?: (env: Environment) => void;
  /** How often a busy environment's memory is sampled (default MEMORY_POLL_MS; a test slows it to starve it). */
  readonly memoryPollMs?: number;
  /** Shared by a LocalLambda's environments: how many may be starting at once (see startSlots.ts). */
  readonly startSlots?: StartSlots;
}

export type EnvironmentState = 'starting' | 'idle' | 'busy' | 'dead';

const END_MARK = '\u0000lwb-end ';
const INIT_CAP_MS = 10_000;
/** How long a starting environment holds its start slot at most (see startSlots.ts). */
const START_SLOT_HOLD_MS = 1_000;
/** For custom runtimes (no end marks): how long to let stdout catch up after the reply before END. */
const CUSTOM_RUNTIME_SETTLE_MS = 15;
/** Bound on waiting for our own bootstraps' end marks (they arrive in microseconds; this is a safety net). */
const END_MARK_WAIT_MS = 2_000;
/** After the runtime exits, how long its pipes may stay open (a descendant that left the tree holding them) before
 *  they are closed on our side, so nothing a handler started can delay the end of an invocation. */
const PIPE_DRAIN_MS = 200;

interface Active {
  readonly requestId: string;
  readonly event: string;
  readonly options: InvokeOptions;
  readonly cold: boolean;
  readonly logs: string[];
  readonly resolve: (result: InvokeResult) => void;
  readonly reject: (error: Error) => void;
  delivered: boolean;
  startedAt: number;
  pausedAtStart?: number;
  /** Debugger pauses between the event's delivery and the reply (left out of durationMs). */
  pausedInCall?: number;
  durationMs?: number;
  reply?: RuntimeReply;
  timedOut: boolean;
  initTimedOut: boolean;
  outOfMemory: boolean;
  marks: { out: boolean; err: boolean };
  timers: NodeJS.Timeout[];
  cleanups: (() => void)[];
  finished: boolean;
}

/**
 * One Lambda execution environment: a runtime process talking to its own Runtime API server. It is initialised on
 * its first invocation (a cold start), then reused warm until it times out, crashes, is reaped or is killed.
 */
export class Environment {
  readonly id = randomUUID().slice(0, 8);
  state: EnvironmentState = 'starting';
  lastUsed = Date.now();
  readonly logStream = logStreamName();
  private readonly platform: PlatformLog;

  private child?: ChildProcess;
  private api?: RuntimeApiServer;
  private plan?: LaunchPlan;
  private spawnedAt = 0;
  /** An adopted early process: when it would have been spawned (earlyStart.ts), read once it has said so. */
  private earlySpawnedAt?: () => number;
  /** Debugger pause totals when the process started and when init ended (see DebugOptions.pausedMs). */
  private pausedAtSpawn = 0;
  private pausedInInit = 0;
  private initDurationMs?: number;
  private initialized = false;
  private runtimeWaiting = false;
  private initError?: { body: Buffer; errorType?: string };
  private active?: Active;
  private idleLines: string[] = [];
  private partial = { out: '', err: '' };
  private peakKb = 0;
  private streamContentType = 'application/octet-stream';
  private exit?: { code: number | null; signal: NodeJS.Signals | null };
  /** The kill of the process tree, once begun (its signals are sent when it resolves). */
  private treeKill?: Promise<void>;
  /** The debugger said its breakpoints are set before the Runtime API existed: the gate opens when it starts. */
  private debuggerHasBreakpoints = false;
  /** Held from the spawn until init ends or the environment dies (see startSlots.ts). */
  private releaseStart?: () => void;
  /** Aborted when the environment dies: a start still waiting for its slot gives it up. */
  private readonly stopping = new AbortController();
  private closedResolve?: () => void;
  /** Settles once the process has exited and its output is drained (at once if it never started). */
  readonly closed = new Promise<void>((resolve) => { this.closedResolve = resolve; });

  constructor(readonly config: FunctionConfig, private readonly options: EnvironmentOptions = {}) {
    this.platform = new PlatformLog(config.logging);
  }

  get memorySizeMb(): number { return this.config.memorySize ?? DEFAULT_MEMORY_MB; }
  get timeoutS(): number { return this.config.timeout ?? DEFAULT_TIMEOUT_S; }
  get compiled(): LaunchPlan['compiled'] { return this.plan?.compiled; }

  /** Invokes the function with `event` (JSON text). Resolves with the result, including function errors; rejects
   *  only for local setup problems (missing interpreter, …) or cancellation. */
  invoke(event: string, options: InvokeOptions = {}): Promise<InvokeResult> {
    if (this.state === 'busy' || this.state === 'dead') return Promise.reject(new Error(`environment ${this.id} is ${this.state}`));
    return new Promise<InvokeResult>((resolve, reject) => {
      const active: Active = {
        requestId: randomUUID(), event, options, cold: !this.initialized, logs: [], resolve, reject,
        delivered: false, startedAt: 0, timedOut: false, initTimedOut: false, outOfMemory: false,
        marks: { out: false, err: false }, timers: [], cleanups: [], finished: false,
      };
      this.active = active;
      this.state = 'busy';
      for (const line of this.idleLines.splice(0)) this.log(active, line);
      if (options.signal) {
        const signal = options.signal;
        const onAbort = (): void => this.cancel(active);
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        active.cleanups.push(() => signal.removeEventListener('abort', onAbort));
      }
      this.watchMemory(active);
      if (!this.child) {
        this.start(active).catch((error: unknown) => this.failSetup(active, error));
      } else if (this.runtimeWaiting) {
        this.deliver(active);
      }
    });
  }

  /** Under a debugger: it has set its breakpoints, so the runtime may load the handler (see openDebugGate). */
  debuggerReady(): void {
    this.debuggerHasBreakpoints = true;
    this.api?.openDebugGate();
  }

  /** Stops the process and the API server. Safe to call more than once. */
  kill(): void {
    // Still starting (probe, TypeScript build, server): nothing to signal, so the call ends here and start() spawns
    // nothing after its next await.
    if (!this.child && this.active) this.failSetup(this.active, abortError('The environment was stopped while it started.'));
    void this.killTree();
    if (this.state !== 'busy') this.markDead();
  }

  /** Kills the runtime and every process it started (see processTree.ts); the exit is observed by onExit. */
  private killTree(): Promise<void> | undefined {
    const pid = this.child?.pid;
    if (pid === undefined || this.exit !== undefined || this.treeKill) return this.treeKill;
    this.treeKill = killProcessTree(pid);
    return this.treeKill;
  }

  private async start(active: Active): Promise<void> {
    // Every await is a cancellation point: a call cancelled or an environment killed meanwhile spawns nothing.
    const stopped = (): boolean => this.state === 'dead' || active.finished;
    this.plan = await planLaunch(this.config, this.options.settings);
    if (stopped()) return;
    const notice = this.plan.versionNotice;
    if (notice && !this.options.notices?.has(notice)) {
      this.options.notices?.add(notice);
      this.log(active, `NOTICE ${notice}`);
    }
    const api = await RuntimeApiServer.start({
      onNext: (maxRssKb) => this.onNext(maxRssKb), onReply: (r) => this.onReply(r),
      onUndeliverable: (requestId, error) => {
        const current = this.active;
        if (current?.requestId === requestId) this.failSetup(current, new RuntimeSetupError(`The event could not be handed to the runtime: ${error.message}`));
      },
      onStreamStart: (_requestId, contentType) => { this.streamContentType = contentType; },
      onStreamChunk: (requestId, chunk) => {
        const current = this.active;
        if (current && current.requestId === requestId && !current.finished && !current.timedOut) current.options.onResponseChunk?.(chunk, requestId, this.streamContentType);
      },
    });
    if (stopped()) return api.close();
    this.api = api;
    if (this.debuggerHasBreakpoints) api.openDebugGate();
    const base = buildEnvironment({
      config: this.config, runtimeApi: this.api.address, runtimeDir: this.plan.runtimeDir, logStream: this.logStream,
      credentials: this.options.credentials, host: process.env,
    });
    const env = { ...base, ...this.plan.extraEnv };
    // Cold starts are taken a few at a time; the wait is the caller's, outside Init Duration and the timeouts.
    const slot = await this.options.startSlots?.take(this.stopping.signal).catch(() => undefined);
    if (stopped()) return slot?.();
    if (slot) {
      // A start still initialising after this long is waiting on something other than the CPU (its own I/O, a
      // model it loads): it gives up the slot, so one slow init never holds up every other function's cold start.
      const hold = setTimeout(slot, START_SLOT_HOLD_MS);
      hold.unref();
      this.releaseStart = () => { clearTimeout(hold); slot(); };
    }
    this.spawnedAt = performance.now();
    this.pausedAtSpawn = this.pausedMs();
    const family = this.plan.earlyStartable;
    const early = family ? this.options.settings?.earlyStart?.adopt(this.plan, family, env, this.config.codeDir) : undefined;
    this.earlySpawnedAt = early?.spawnedAt;
    // Its own process group (POSIX), so the environment's whole tree can be killed at once (an early one too).
    const child = early?.child ?? spawn(this.plan.command, this.plan.args, {
      cwd: this.config.codeDir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32', windowsHide: true,
    });
    this.child = child;
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => this.onOutput('out', chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => this.onOutput('err', chunk));
    child.once('error', (error: NodeJS.ErrnoException) => {
      this.exit ??= { code: null, signal: null };
      this.closedResolve?.();
      const what = error.code === 'ENOENT' ? `'${this.plan?.command}' was not found` : error.message;
      this.failSetup(active, new RuntimeSetupError(`Could not start the ${this.config.runtime} runtime: ${what}.`));
    });
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
    if (!this.options.noTimeouts) {
      active.timers.push(setTimeout(() => {
        if (this.initialized || active.finished) return;
        active.initTimedOut = true;
        this.log(active, `INIT_REPORT Init Duration: ${INIT_CAP_MS.toFixed(2)} ms\tPhase: init\tStatus: timeout`);
        this.kill();
      }, INIT_CAP_MS));
    }
  }

  private pausedMs(): number {
    return this.options.settings?.debug?.pausedMs?.() ?? 0;
  }

  private onNext(maxRssKb?: number): void {
    if (maxRssKb) this.peakKb = Math.max(this.peakKb, maxRssKb);
    if (!this.initialized) {
      this.initialized = true;
      this.pausedInInit = this.pausedMs() - this.pausedAtSpawn;
      if (this.earlySpawnedAt) this.spawnedAt = this.earlySpawnedAt();
      this.initDurationMs = performance.now() - this.spawnedAt - this.pausedInInit;
      this.releaseStart?.();
    }
    this.runtimeWaiting = true;
    if (this.active && !this.active.delivered && !this.active.finished) this.deliver(this.active);
  }

  private deliver(active: Active): void {
    this.runtimeWaiting = false;
    active.delivered = true;
    active.startedAt = performance.now();
    active.pausedAtStart = this.pausedMs();
    this.log(active, this.platform.start(active.requestId));
    const timeoutMs = this.timeoutS * 1000;
    this.api!.deliver({
      requestId: active.requestId,
      event: active.event,
      // Under a debugger too: the configured timeout from when the event is handed over (the debugger is attached by then).
      deadlineMs: Date.now() + timeoutMs,
      functionArn: functionArn(this.config),
      traceId: traceId(active.options.traceRoot),
      clientContext: active.options.clientContext === undefined ? undefined : JSON.stringify(active.options.clientContext),
      cognitoIdentity: active.options.identity === undefined ? undefined : JSON.stringify(active.options.identity),
    });
    if (!this.options.noTimeouts) {
      active.timers.push(setTimeout(() => {
        // A memory kill already under way is the verdict (its process tree walk may outlast the deadline).
        if (active.finished || active.reply || active.outOfMemory) return;
        // So is a peak over the memory size that the periodic sampler missed (a starved host): one last sample.
        const pid = this.child?.pid;
        void (pid && !this.options.noTimeouts ? sampleMemory(pid) : Promise.resolve(undefined)).then((sample) => {
          if (active.finished || active.reply || active.outOfMemory) return;
          if (sample && Math.max(sample.peakKb, sample.rssKb) > this.memorySizeMb * 1024) {
            this.peakKb = Math.max(this.peakKb, sample.peakKb, sample.rssKb);
            active.outOfMemory = true;
          } else {
            active.timedOut = true;
            active.durationMs = timeoutMs;
            this.log(active, timeoutLine(active.requestId, this.timeoutS));
          }
          this.kill(); // the environment is destroyed: the next call is a cold start
        });
      }, timeoutMs));
    }
  }

  private onReply(reply: RuntimeReply): void {
    const active = this.active;
    if (reply.kind === 'init-error') {
      this.initError = { body: reply.body, errorType: reply.errorType };
      if (reply.maxRssKb) this.peakKb = Math.max(this.peakKb, reply.maxRssKb); // what init used, for its REPORT
      return; // the runtime exits next; onClose finishes the invocation
    }
    // A reply that comes after the call was timed out or killed for memory (the kill takes a few milliseconds to
    // walk the process tree) does not undo that verdict.
    if (!active || active.finished || active.requestId !== reply.requestId || active.timedOut || active.outOfMemory) return;
    active.reply = reply;
    active.pausedInCall = this.pausedMs() - (active.pausedAtStart ?? 0);
    active.durationMs = Math.max(0, performance.now() - active.startedAt - active.pausedInCall);
    if (this.plan?.writesEndMarks) {
      // Streams the bootstrap left unmarked (nothing written to them) are not waited for.
      const expected = 'endMarks' in reply ? reply.endMarks : undefined;
      if (expected && !expected.out) active.marks.out = true;
      if (expected && !expected.err) active.marks.err = true;
      this.finishIfFlushed(active);
      if (!active.finished) active.timers.push(setTimeout(() => this.finish(active), END_MARK_WAIT_MS));
    } else {
      active.timers.push(setTimeout(() => this.finish(active), CUSTOM_RUNTIME_SETTLE_MS));
    }
  }

  private onOutput(stream: 'out' | 'err', chunk: string): void {
    const text = this.partial[stream] + chunk;
    const lines = text.split('\n');
    this.partial[stream] = lines.pop() ?? '';
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      // A handler's last write without a newline (`process.stdout.write('done')`) shares its line with the mark.
      const mark = line.indexOf(END_MARK);
      if (mark < 0) {
        this.onLine(line);
        continue;
      }
      if (mark > 0) this.onLine(line.slice(0, mark));
      const active = this.active;
      // Only this invocation's own mark ends it (a late one of an earlier call, or a handler's look-alike, does not).
      if (active && line.slice(mark + END_MARK.length) === active.requestId) {
        active.marks[stream] = true;
        this.finishIfFlushed(active);
      }
    }
  }

  private onLine(line: string): void {
    if (this.active && !this.active.finished) this.log(this.active, line);
    else this.idleLines.push(line); // output between invocations shows with the next one, as Lambda thaws it
  }

  private finishIfFlushed(active: Active): void {
    if (active.reply && active.marks.out && active.marks.err) this.finish(active);
  }

  /** The runtime exited: what it started in its group dies with it, and its pipes get a bounded time to drain
   *  (a process that left the group may hold them open for good). */
  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (process.platform !== 'win32' && child.pid !== undefined) {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* the group is empty */ }
    }
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      this.onClose(code, signal);
    };
    const timer = setTimeout(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
      settle();
    }, PIPE_DRAIN_MS);
    child.once('close', settle);
  }

  private onClose(code: number | null, signal: NodeJS.Signals | null): void {
    this.exit = { code, signal };
    this.closedResolve?.();
    for (const stream of ['out', 'err'] as const) {
      if (this.partial[stream]) this.onOutput(stream, '\n');
    }
    const active = this.active;
    if (active && !active.finished && !active.delivered && this.initialized && !active.timedOut && !active.outOfMemory) {
      // A warm environment that died between calls (a crash right after an error, a late rejection) never ran this
      // call: hand it back so the pool runs it on a new environment, as Lambda re-initialises one.
      active.finished = true;
      this.clearTimers(active);
      this.active = undefined;
      this.markDead();
      active.reject(new EnvironmentGoneError(active.logs));
      return;
    }
    if (active && !active.finished) this.finish(active);
    this.markDead();
  }

  /** Output the process wrote after its last invocation and before it died (a late error): taken once. */
  takeLeftoverLines(): string[] {
    return this.idleLines.splice(0);
  }

  private markDead(): void {
    if (this.state === 'dead') return;
    this.state = 'dead';
    this.releaseStart?.();
    this.stopping.abort();
    if (!this.child || this.exit !== undefined) this.closedResolve?.();
    // The Runtime API closes only once the tree's signals are sent: a runtime that saw it close would exit by itself
    // first, and a child that left its group would be re-parented before the walk could find it.
    const killing = this.killTree();
    if (killing) void killing.finally(() => this.api?.close());
    else this.api?.close();
    this.options.onDeath?.(this);
  }

  /** Samples the busy environment's memory (asynchronously: never on the caller's thread) and kills it over its
   *  memory size. Not under a debugger: a paused process neither grows nor should be sampled. */
  private watchMemory(active: Active): void {
    if (this.options.noTimeouts) return;
    const limitKb = this.memorySizeMb * 1024;
    let sampling = false;
    const timer = setInterval(() => {
      const pid = this.child?.pid;
      if (!pid || active.finished || sampling) return;
      sampling = true;
      void sampleMemory(pid).then((sample) => {
        sampling = false;
        if (!sample || active.finished) return;
        this.peakKb = Math.max(this.peakKb, sample.peakKb, sample.rssKb);
        if (sample.rssKb > limitKb && !active.outOfMemory && !active.reply) {
          active.outOfMemory = true;
          this.kill();
        }
      });
    }, this.options.memoryPollMs ?? MEMORY_POLL_MS);
    timer.unref();
    active.timers.push(timer);
  }

  private log(active: Active, line: string | undefined): void {
    if (line === undefined) return;
    active.logs.push(line);
    active.options.onLog?.(line);
  }

  private cancel(active: Active): void {
    this.failSetup(active, abortError('The invocation was cancelled.'));
  }

  /** Ends the invocation without a result (setup failed, or cancelled) and destroys the environment. */
  private failSetup(active: Active, error: unknown): void {
    if (active.finished) return;
    active.finished = true;
    this.clearTimers(active);
    this.active = undefined;
    this.kill();
    this.markDead();
    active.reject(error instanceof Error ? error : new Error(String(error)));
  }

  private clearTimers(active: Active): void {
    for (const t of active.timers) clearTimeout(t);
    active.timers.length = 0;
    for (const cleanup of active.cleanups.splice(0)) cleanup();
  }

  /** Builds the result from whatever happened (reply, crash, timeout, OOM) and writes END / REPORT / ESTIMATE. */
  private finish(active: Active): void {
    if (active.finished) return;
    active.finished = true;
    this.clearTimers(active);
    // The runtime's own peak came with its reply (see MAX_RSS_HEADER): a call that finished between two samples is
    // measured all the same.
    if (active.reply && 'maxRssKb' in active.reply && active.reply.maxRssKb) this.peakKb = Math.max(this.peakKb, active.reply.maxRssKb);
    if (!active.outOfMemory && this.peakKb > this.memorySizeMb * 1024) {
      // The peak (VmHWM) went over the limit between two samples: Lambda would have killed the call, so do the same.
      active.outOfMemory = true;
      active.reply = undefined;
      this.kill();
    }

    const { payload, error } = this.outcome(active);
    if (error && !active.timedOut && !active.reply) {
      // Crashes are logged by the platform itself, as Lambda does.
      this.log(active, `${new Date().toISOString()} ${active.requestId} ${error.errorType === 'Runtime.ExitError' || error.errorType === 'Runtime.OutOfMemory' ? error.errorMessage : `${error.errorType}: ${error.errorMessage.split('\n')[0]}`}`);
    }
    if (!active.delivered) this.log(active, this.platform.start(active.requestId));
    const pausedInCall = active.pausedInCall ?? (active.delivered ? this.pausedMs() - (active.pausedAtStart ?? 0) : 0);
    const durationMs = active.durationMs ?? (active.delivered ? Math.max(0, performance.now() - active.startedAt - pausedInCall) : 0);
    const initDurationMs = active.cold ? (this.initDurationMs ?? performance.now() - this.spawnedAt) : undefined;
    const billed = billedDurationMs(durationMs, initDurationMs);
    const memorySizeMb = this.memorySizeMb;
    const maxMemoryUsedMb = active.outOfMemory ? memorySizeMb : Math.min(memorySizeMb, kbToMb(this.peakKb));
    const cost = invocationCost(billed, memorySizeMb, this.config.architecture);
    const status = active.timedOut || active.initTimedOut ? 'timeout' : error && !active.reply ? 'error' : undefined;
    this.log(active, this.platform.end(active.requestId));
    this.log(active, this.platform.report({
      requestId: active.requestId, durationMs, billedDurationMs: billed, memorySizeMb, maxMemoryUsedMb, initDurationMs,
      status, errorType: status === 'error' ? error?.errorType : undefined,
    }));
    this.log(active, estimateLine(active.requestId, cost, this.config.architecture ?? 'x86_64'));
    const paused = pausedInCall + (active.cold ? this.pausedInInit : 0);
    if (paused > 0) this.log(active, `PAUSED RequestId: ${active.requestId}\tDebugger: ${paused.toFixed(2)} ms paused, left out of Duration, Init Duration and the cost`);

    this.active = undefined;
    this.lastUsed = Date.now();
    const alive = this.exit === undefined && !active.timedOut && !active.outOfMemory && !active.initTimedOut;
    if (alive) this.state = 'idle';
    else this.markDead();
    const result: InvokeResult = {
      requestId: active.requestId, payload, functionError: error ? 'Unhandled' : undefined, error, logs: active.logs,
      durationMs, billedDurationMs: billed, initDurationMs, memorySizeMb, maxMemoryUsedMb, coldStart: active.cold,
      timedOut: active.timedOut || active.initTimedOut, environmentId: this.id, cost,
      ...(active.reply && 'streamed' in active.reply && active.reply.streamed ? { streamed: true, contentType: 'contentType' in active.reply ? active.reply.contentType : undefined } : {}),
    };
    const hint = error && this.plan ? missingModuleHint(error, { runtime: this.config.runtime, codeDir: this.config.codeDir, interpreter: this.plan.command, handler: this.config.handler }) : undefined;
    if (!hint) return active.resolve(result);
    // Not an AWS line: how to make a failed import work here (each time, like the error it follows). It reads the
    // function's manifests, so the call's result waits for it; the environment is already idle or gone.
    void hint.then((line) => { if (line) this.log(active, `HINT ${line}`); }, () => undefined).finally(() => active.resolve(result));
  }

  private outcome(active: Active): { payload: string; error?: FunctionError } {
    const failure = (errorType: string, errorMessage: string): { payload: string; error: FunctionError } => {
      const error = { errorType, errorMessage };
      return { payload: JSON.stringify(error), error };
    };
    const reply = active.reply;
    if (reply?.kind === 'response') return { payload: reply.body.toString('utf8') };
    if (reply?.kind === 'error') return parseErrorBody(reply.body, reply.errorType);
    if (reply?.kind === 'response-too-large') {
      return failure('Function.ResponseSizeTooLarge', `Response payload size exceeded maximum allowed payload size (${reply.limit} bytes).`);
    }
    if (active.timedOut) return failure('Sandbox.Timedout', `RequestId: ${active.requestId} Error: Task timed out after ${this.timeoutS.toFixed(2)} seconds`);
    if (active.initTimedOut) return failure('Sandbox.Timedout', `RequestId: ${active.requestId} Error: The init phase timed out after ${(INIT_CAP_MS / 1000).toFixed(2)} seconds`);
    if (this.initError) return parseErrorBody(this.initError.body, this.initError.errorType);
    const how = this.exit?.signal ? `signal: ${this.exit.signal === 'SIGKILL' ? 'killed' : this.exit.signal}` : `exit status ${this.exit?.code ?? 'unknown'}`;
    if (active.outOfMemory) return failure('Runtime.OutOfMemory', `RequestId: ${active.requestId} Error: Runtime exited with error: ${how}`);
    return failure('Runtime.ExitError', `RequestId: ${active.requestId} Error: Runtime exited with error: ${how}`);
  }
}

/** The environment died before the call reached it; `lines` is what it printed meanwhile. The pool retries. */
export class EnvironmentGoneError extends Error {
  override readonly name = 'EnvironmentGoneError';
  constructor(readonly lines: string[]) {
    super('The environment exited before the call reached it.');
  }
}

function abortError(message: string): Error {
  return Object.assign(new Error(message), { name: 'AbortError' });
}

function parseErrorBody(body: Buffer, headerType?: string): { payload: string; error: FunctionError } {
  const text = body.toString('utf8');
  try {
    const parsed = JSON.parse(text) as Partial<FunctionError>;
    if (parsed && typeof parsed === 'object' && (parsed.errorType || parsed.errorMessage)) {
      const error: FunctionError = { ...parsed, errorType: parsed.errorType ?? headerType ?? 'Unhandled', errorMessage: parsed.errorMessage ?? '' };
      return { payload: text, error };
    }
  } catch {
    // A custom runtime may post anything; Lambda passes it through and we describe it as best we can.
  }
  const error: FunctionError = { errorType: headerType ?? 'Unhandled', errorMessage: text };
  return { payload: text, error };
}
