import * as vscode from 'vscode';
import { localLogLine } from '../core/logs/logFormat';
import type { AwsCredentials } from '../core/runtime/environmentVariables';
import { JsonSyntaxError } from '../core/json/parseJson';
import type { DiscoveredHandler } from '../core/project/handlerDiscovery';
import { resolveTarget, TargetError } from '../core/project/functionTarget';
import { RuntimeSetupError } from '../core/runtime/interpreters';
import { LocalLambda, type LocalInvokeOptions } from '../core/runtime/localLambda';
import { LambdaServiceError, type FunctionConfig, type InvokeResult } from '../core/runtime/types';
import type { OutputLog } from '../output/outputLog';
import type { EventChoices } from './eventChoice';
import type { HandlerIndex } from './handlerIndex';
import { chunkLine, type RunDocuments } from './runDocuments';
import { resultSection, RunHistory, runSummary } from './runHistory';

/** One finished local invocation and where it ran. */
export interface FinishedInvocation { readonly config: FunctionConfig; readonly result: InvokeResult; readonly source: 'run' | 'debug' | 'start' | 'load' }

/** The function name a discovered handler runs under (its log group, ARN and Insights key). */
export function localFunctionName(handler: DiscoveredHandler): string {
  return handler.name.replace(/[^\w-]/g, '-');
}

export interface RunOutcome {
  readonly result?: InvokeResult;
  readonly document: vscode.Uri;
  /** Set when the run could not start (setup problem, malformed event…): what the user was told. */
  readonly problem?: string;
  /** The user stopped it (Cancel, the Stop command): its environment and process tree are gone. */
  readonly cancelled?: boolean;
}

/** A run in progress, for the Stop command. */
export interface ActiveRun {
  readonly handler: DiscoveredHandler;
  readonly document: vscode.Uri;
  readonly startedAt: number;
  stop(): void;
}

export const UNTRUSTED_MESSAGE = 'Running or debugging a handler executes code from this workspace, so it needs a trusted workspace. Use "Manage Workspace Trust" to trust it.';

function settings(): { pythonPath?: string; nodePath?: string; interpreters?: Record<string, string>; maxConcurrency: number } {
  const config = vscode.workspace.getConfiguration('lambdaWorkbench');
  return {
    pythonPath: config.get<string>('pythonPath') || undefined,
    nodePath: config.get<string>('nodePath') || undefined,
    interpreters: config.get<Record<string, string>>('interpreters') || undefined,
    maxConcurrency: config.get<number>('maxConcurrency') ?? 10,
  };
}

/**
 * Runs discovered handlers in the local Lambda (one LocalLambda for the extension) and shows each run in its
 * document: the log lines as they stream, then the result. Environments stay warm between runs until a file in the
 * handler's code folder changes; the next run is then cold, and says why.
 */
const RUN_SETTINGS = ['pythonPath', 'nodePath', 'interpreters', 'maxConcurrency'];

export class LocalRunner implements vscode.Disposable {
  private lambda: LocalLambda;
  private readonly staleCode = new Set<string>();
  private readonly status: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  readonly history: RunHistory;

  constructor(private readonly index: HandlerIndex, private readonly choices: EventChoices, private readonly docs: RunDocuments, private readonly log: OutputLog) {
    this.lambda = this.createLambda();
    this.history = new RunHistory(docs);
    this.status = vscode.window.createStatusBarItem('lambdaWorkbench.lastRun', vscode.StatusBarAlignment.Left, 50);
    this.status.name = 'Lambda: last local run';
    this.status.command = 'lambdaWorkbench.showLastRun';
    this.disposables.push(this.status,
      index.onDidChangeFile((uri) => this.onFileChanged(uri)),
      vscode.workspace.onDidChangeConfiguration(async (e) => {
        // Only what a run is built from starts new environments (the next run is cold); what runs now finishes.
        if (!RUN_SETTINGS.some((name) => e.affectsConfiguration(`lambdaWorkbench.${name}`))) return;
        const old = this.lambda;
        this.lambda = this.createLambda();
        await old.retire();
      }));
  }

  private lastDocument?: vscode.Uri;
  private readonly runs = new Set<ActiveRun>();
  private readonly runsChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeRuns = this.runsChanged.event;
  private readonly invoked = new vscode.EventEmitter<FinishedInvocation>();
  /** Every finished local invocation: Run, F5 and the local API's (Insights records them). */
  readonly onDidInvoke = this.invoked.event;

  /** Runs in progress, oldest first. */
  get active(): readonly ActiveRun[] { return [...this.runs]; }
  get lastRunDocument(): vscode.Uri | undefined { return this.lastDocument; }

  /** The configuration a handler runs with (for Run and for F5). */
  async configFor(handler: DiscoveredHandler): Promise<FunctionConfig> {
    const s = settings();
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(handler.codeDir))?.uri.fsPath ?? handler.codeDir;
    return resolveTarget({
      spec: handler.spec, resource: handler.resource, cwd: folder, name: localFunctionName(handler), pythonPath: s.pythonPath, nodePath: s.nodePath,
      onWarning: (message) => this.log.warn(message),
    });
  }

  /** Runs `handler` with its chosen event (or `eventText`) and shows the output. Never throws: problems are shown
   *  to the user (with Show Logs) and returned. */
  async run(handler: DiscoveredHandler, options: { eventText?: string; extra?: LocalInvokeOptions; signal?: AbortSignal } = {}): Promise<RunOutcome> {
    const document = this.docs.uriFor(handler.name);
    this.lastDocument = document;
    this.history.own(document, handler.id);
    if (!vscode.workspace.isTrusted) return this.problem(document, UNTRUSTED_MESSAGE, false);
    const choice = this.choices.get(handler);
    let eventText: string;
    try {
      eventText = options.eventText ?? this.choices.read(choice);
    } catch (error) {
      if (error instanceof JsonSyntaxError) return this.problem(document, `The event '${choice.label}' is not valid JSON: ${error.message}`, false);
      return this.problem(document, `Could not read the event '${choice.label}': ${error instanceof Error ? error.message : String(error)}`, true, error);
    }
    let config: FunctionConfig;
    try {
      config = await this.configFor(handler);
    } catch (error) {
      return this.problem(document, error instanceof TargetError || error instanceof RuntimeSetupError ? error.message : `Could not resolve ${handler.name}: ${String(error)}`, !(error instanceof TargetError), error);
    }
    const cold = this.staleCode.delete(config.codeDir);
    const header = `# ${handler.name} · ${config.runtime} · ${config.handler} · event: ${options.eventText ? 'given' : choice.label}${cold ? ' · files changed since the last run: new environment' : ''}\n`;
    await this.docs.open(document, header);
    const controller = new AbortController();
    const onOuterAbort = (): void => controller.abort();
    options.signal?.addEventListener('abort', onOuterAbort, { once: true });
    const run: ActiveRun = { handler, document, startedAt: Date.now(), stop: () => controller.abort() };
    this.runs.add(run);
    this.runsChanged.fire();
    this.renderStatus();
    try {
      let chunks = 0;
      const result = await this.lambda.invoke(config, eventText, {
        ...options.extra, cold: cold || options.extra?.cold, signal: controller.signal,
        onLog: (line) => this.docs.append(document, `${localLogLine(line)}\n`),
        // A streaming function's chunks show as they arrive, each on its own line between the log lines.
        onResponseChunk: (chunk) => this.docs.append(document, chunkLine(chunk, ++chunks)),
      });
      const streamed = result.streamed ? ` · streamed in ${chunks} chunks${result.contentType ? `, ${result.contentType}` : ''}` : '';
      this.docs.append(document, resultSection(result, streamed));
      this.docs.flush();
      this.history.record(handler.id, handler.name, document, runSummary(result));
      this.lastResult = { name: handler.name, result };
      this.log.info(`Ran ${handler.name}: ${result.functionError ? `failed with ${result.error?.errorType}` : 'ok'} in ${result.durationMs.toFixed(1)} ms (${result.coldStart ? 'cold' : 'warm'})`);
      return { result, document };
    } catch (error) {
      if (controller.signal.aborted) {
        // What streamed so far stays in the document; the environment was killed with its whole process tree.
        this.docs.append(document, `\n# Cancelled after ${((Date.now() - run.startedAt) / 1000).toFixed(1)} s: the environment and the processes it started were stopped; the next run is cold.\n`);
        this.docs.flush();
        this.history.record(handler.id, handler.name, document, runSummary(undefined, 'cancelled'));
        this.log.info(`Cancelled the run of ${handler.name}`);
        return { document, cancelled: true };
      }
      const message = error instanceof RuntimeSetupError || error instanceof LambdaServiceError ? error.message : `The run failed: ${error instanceof Error ? error.message : String(error)}`;
      return this.problem(document, message, !(error instanceof LambdaServiceError), error);
    } finally {
      options.signal?.removeEventListener('abort', onOuterAbort);
      this.runs.delete(run);
      this.runsChanged.fire();
      this.renderStatus();
    }
  }

  /** The LocalLambda, for the debugger (it starts dedicated environments). */
  get local(): LocalLambda { return this.lambda; }

  /** A LocalLambda with the current settings and the session's credentials (the local API owns one while it runs). */
  createLambda(source: 'run' | 'start' = 'run', maxEnvironments?: number): LocalLambda {
    const s = settings();
    return new LocalLambda({
      onInvoked: (config, result, options) => this.invoked.fire({ config, result, source: options.debug ? 'debug' : options.origin ?? source }),
      maxEnvironments: maxEnvironments ?? s.maxConcurrency, settings: { pythonPath: s.pythonPath, nodePath: s.nodePath, interpreters: s.interpreters }, logger: this.log,
      credentials: () => this.credentials?.() ?? Promise.resolve(undefined),
    });
  }

  private credentials?: () => Promise<AwsCredentials | undefined>;

  /** The credentials runs and debug sessions hand the function: the AWS session's profile, as the CLI's --profile. */
  useCredentials(provider: () => Promise<AwsCredentials | undefined>): void {
    this.credentials = provider;
  }

  private onFileChanged(uri: vscode.Uri): void {
    for (const h of this.index.all()) {
      if (uri.fsPath.startsWith(h.codeDir)) {
        this.staleCode.add(h.codeDir);
        this.lambda.invalidate(localFunctionName(h));
      }
    }
  }

  private async problem(document: vscode.Uri, message: string, withLogs: boolean, error?: unknown): Promise<RunOutcome> {
    await this.docs.open(document, `# ${message}\n`);
    if (withLogs) this.log.showError(message, error);
    else {
      this.log.warn(message);
      void vscode.window.showErrorMessage(message);
    }
    return { document, problem: message };
  }

  private lastResult?: { name: string; result: InvokeResult };

  /** The status bar's last run, for runs the debugger made too. */
  showResult(name: string, result: InvokeResult): void {
    this.lastResult = { name, result };
    this.renderStatus();
  }

  /** While something runs the status item says so and stops it when clicked; otherwise it shows the last run. */
  private renderStatus(): void {
    const runs = this.active;
    if (runs.length) {
      this.status.text = `$(loading~spin) λ ${runs.length === 1 ? runs[0].handler.name : `${runs.length} runs`}`;
      this.status.tooltip = 'Running locally: click to stop';
      this.status.command = 'lambdaWorkbench.stopRun';
      this.status.show();
      return;
    }
    if (!this.lastResult) {
      this.status.hide();
      return;
    }
    const { name, result } = this.lastResult;
    this.status.command = 'lambdaWorkbench.showLastRun';
    this.status.text = `${result.functionError ? '$(error)' : '$(pass)'} λ ${name} ${result.durationMs.toFixed(0)} ms ${result.coldStart ? '(cold)' : '(warm)'}`;
    this.status.tooltip = `Last local run of ${name}: Duration ${result.durationMs.toFixed(2)} ms, Billed ${result.billedDurationMs} ms` +
      `${result.initDurationMs !== undefined ? `, Init ${result.initDurationMs.toFixed(2)} ms (cold start)` : ' (warm)'}, Max Memory ${result.maxMemoryUsedMb} MB. Click to show the output.`;
    this.status.show();
  }

  dispose(): void {
    this.runsChanged.dispose();
    this.invoked.dispose();
    for (const d of this.disposables) d.dispose();
    void this.lambda.dispose();
  }
}

