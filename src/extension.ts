import * as vscode from 'vscode';
import { EventCatalog } from './core/events/catalog';
import { registerDebugging } from './debugging/registerDebugging';
import { registerFunctions } from './functions/registerFunctions';
import { registerInsights } from './insights/registerInsights';
import { registerLocalApi } from './localApi/registerLocalApi';
import { registerLocalHandlers } from './localHandlers/registerLocalHandlers';
import { registerLogs } from './logs/registerLogs';
import { registerOutput } from './output/outputLog';
import { mark, startupTiming, type StartupTiming } from './output/startupTiming';
import { registerGenerateSampleEvent } from './sampleEvents/generateEventCommand';
import { registerNewHandler } from './scaffolding/newHandlerCommand';
import { onDidShowQuickInput } from './ui/quickSteps';

/** What activate() returns: handles the integration tests use to observe the extension (not a public API). */
export interface LambdaWorkbenchApi {
  readonly localHandlers: ReturnType<typeof registerLocalHandlers>;
  readonly debugResults: ReturnType<typeof registerDebugging>['results'];
  readonly debugProvider: ReturnType<typeof registerDebugging>;
  readonly functions: ReturnType<typeof registerFunctions>;
  readonly logs: ReturnType<typeof registerLogs>;
  readonly localApi: ReturnType<typeof registerLocalApi>;
  readonly insights: ReturnType<typeof registerInsights>;
  /** Every quick input our multi-step and pick helpers show (the tests drive the real widgets through it). */
  readonly onDidShowQuickInput: typeof onDidShowQuickInput;
  /** How long activate() took. */
  readonly activationMs: number;
  /** The bundle's first line, and the start and end of activate() (the activation bench). */
  readonly startup: StartupTiming;
}

/** Wires the features together; each feature lives in its own folder and registers itself. */
export function activate(context: vscode.ExtensionContext): LambdaWorkbenchApi {
  const started = mark();
  const log = registerOutput(context);
  const catalog = new EventCatalog();
  registerNewHandler(context, log);
  const localHandlers = registerLocalHandlers(context, log, catalog);
  registerGenerateSampleEvent(context, log, catalog, async () => { await localHandlers.index.whenReady(); return localHandlers.index.all(); });
  const debug = registerDebugging(context, { ...localHandlers, catalog, log });
  const functions = registerFunctions(context, { log, catalog, local: localHandlers });
  const logs = registerLogs(context, { session: functions.session, docs: localHandlers.docs, log });
  const localApi = registerLocalApi(context, { local: localHandlers, log, debug });
  const insights = registerInsights(context, { log, local: localHandlers, session: functions.session });
  // Nothing above scans the workspace or calls AWS: the views and commands do that when first used.
  const startup = startupTiming(started);
  const activationMs = startup.activateEnded.at - started.at;
  log.info(`Lambda Workbench ${String(context.extension.packageJSON.version)} activated in ${activationMs.toFixed(1)} ms`);
  return { localHandlers, debugResults: debug.results, debugProvider: debug, functions, logs, localApi, insights, onDidShowQuickInput, activationMs, startup };
}

export function deactivate(): void {
  // Every disposable is in context.subscriptions; VS Code disposes them (the local runner stops its environments).
}
