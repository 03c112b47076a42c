import { randomUUID } from 'node:crypto';
import { localLogLine } from '../core/logs/logFormat';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { DebugWarmup } from './debugWarmup';
import { EventCatalog } from '../core/events/catalog';
import { generateEvent } from '../core/events/generate';
import { readSavedEvent } from '../core/events/savedEvents';
import { readDotEnv } from '../core/project/dotenv';
import { resolveTarget } from '../core/project/functionTarget';
import { notInLaunchJson } from '../core/scaffold/launchConfig';
import type { DiscoveredHandler } from '../core/project/handlerDiscovery';
import type { Environment } from '../core/runtime/environment';
import { checkDebugpy, resolvePython } from '../core/runtime/interpreters';
import { projectVenvPython } from '../core/runtime/projectVenv';
import { freePort, waitForPort } from '../core/runtime/ports';
import { runtimeFamily, type FunctionConfig, type InvokeResult } from '../core/runtime/types';
import type { EventChoices } from '../localHandlers/eventChoice';
import type { HandlerIndex } from '../localHandlers/handlerIndex';
import { UNTRUSTED_MESSAGE, type LocalRunner } from '../localHandlers/localRunner';
import { chunkLine, type RunDocuments } from '../localHandlers/runDocuments';
import { resultSection } from '../localHandlers/runHistory';
import { PauseClock } from './pauseClock';
import type { OutputLog } from '../output/outputLog';

/** The run a debug session belongs to: its own, or the nearest parent's (js-debug runs the function's process in
 *  a child session of our attach). */
export function runIdOf(session: vscode.DebugSession): string | undefined {
  for (let s: vscode.DebugSession | undefined = session; s; s = s.parentSession) {
    const id = s.configuration.__lambdaRunId as string | undefined;
    if (id) return id;
  }
  return undefined;
}

/** The attributes of a `lambda` launch configuration (package.json `configurationAttributes`). */
export interface LambdaDebugConfiguration extends vscode.DebugConfiguration {
  handler?: string;
  runtime?: string;
  event?: string | Record<string, unknown>;
  env?: Record<string, string>;
  envFile?: string;
  timeout?: number;
  memorySize?: number;
  template?: string;
  resource?: string;
  layers?: string[];
  logFormat?: 'Text' | 'JSON';
  logLevel?: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';
}

export const PYTHON_DEBUG_TYPE = 'lambda-python';

interface PendingRun {
  readonly id: string;
  readonly name: string;
  readonly config: FunctionConfig;
  readonly event: string;
  readonly port: number;
  readonly document: vscode.Uri;
  /** The time the debugger held the function paused, left out of its Duration and cost. */
  readonly pauses: PauseClock;
  environment?: Environment;
  result?: Promise<InvokeResult | undefined>;
  sessionStarted?: boolean;
}

/** What Node's inspector prints on stderr around a debug session. */
const INSPECTOR_NOISE = /^(Debugger (listening|ending) on ws:\/\/|For help, see: https:\/\/nodejs\.org\/en\/docs\/inspector|Debugger attached\.|Waiting for the debugger to disconnect\.\.\.)/;

/** A debuggee whose debug session never starts (the attach was cancelled or failed) is stopped after this. */
const ATTACH_GRACE_MS = 60_000;

/**
 * F5 for Lambda handlers without a home-made debugger: a `lambda` configuration is resolved into an attach
 * configuration for VS Code's own js-debug (`node`, inspector on a loopback port, source maps for TypeScript) or for
 * debugpy's adapter (`lambda-python`, a DebugAdapterExecutable). The environment runs one invocation with no
 * timeouts; when it ends, the result and REPORT are shown as for Run, and the environment is gone.
 */
export class LambdaDebugProvider implements vscode.DebugConfigurationProvider {
  private readonly pending = new Map<string, PendingRun>();
  /** Completed results by run id, for callers (tests) that wait on a session. */
  readonly results = new Map<string, Promise<InvokeResult | undefined>>();
  /** What is started ahead of a window's first session (set by registerDebugging). */
  warmup?: DebugWarmup;
  /** The last resolve's span (performance.now()): the benchmark tells our part of F5 from VS Code's and js-debug's. */
  lastResolve?: { readonly started: number; returned?: number };

  constructor(private readonly runner: LocalRunner, private readonly index: HandlerIndex, private readonly choices: EventChoices,
    private readonly docs: RunDocuments, private readonly catalog: EventCatalog, private readonly log: OutputLog) {}

  async provideDebugConfigurations(): Promise<vscode.DebugConfiguration[]> {
    await this.index.whenReady();
    return this.index.all().map((h) => configurationFor(h));
  }

  /** Debugs one invocation (a local API request marked "Debug this route") and resolves with its result once the
   *  session has run it; undefined when no session started. */
  async runInDebugger(folder: vscode.WorkspaceFolder | undefined, config: LambdaDebugConfiguration): Promise<InvokeResult | undefined> {
    const id = randomUUID();
    if (!await vscode.debug.startDebugging(folder, { ...config, __lambdaRunId: id })) return undefined;
    // Node sessions start the run while resolving; Python ones once debugpy's adapter listens.
    for (let waited = 0; !this.results.has(id) && this.pending.has(id) && waited < ATTACH_GRACE_MS; waited += 50) await new Promise((r) => setTimeout(r, 50));
    return this.results.get(id);
  }

  /** The Run and Debug list's "Lambda (local)…" entries: every handler, less those launch.json already names. */
  async dynamicConfigurations(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.DebugConfiguration[]> {
    const existing = vscode.workspace.getConfiguration('launch', folder).get<unknown[]>('configurations') ?? [];
    return notInLaunchJson(await this.provideDebugConfigurations() as LambdaDebugConfiguration[], existing);
  }

  /**
   * Turns a `lambda` configuration into the attach configuration of the real debugger. This happens before
   * variable substitution on purpose: only then does VS Code resolve (and activate) the debugger of the new type,
   * so `${workspaceFolder}`, `${file}` and `${fileDirname}` in our own attributes are substituted here.
   */
  async resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, raw: LambdaDebugConfiguration): Promise<vscode.DebugConfiguration | null | undefined> {
    const span: { started: number; returned?: number } = (this.lastResolve = { started: performance.now() });
    try {
      return await this.resolveRaw(folder, raw);
    } finally {
      span.returned = performance.now();
    }
  }

  private async resolveRaw(folder: vscode.WorkspaceFolder | undefined, raw: LambdaDebugConfiguration): Promise<vscode.DebugConfiguration | null | undefined> {
    let config = raw;
    if (!config.type && !config.request && !config.name) {
      // F5 without a launch.json: debug the handler in the active editor.
      const file = vscode.window.activeTextEditor?.document.uri.fsPath;
      if (file) await this.index.whenReady();
      const handler = file ? this.index.inFile(file)[0] : undefined;
      if (!handler) {
        void vscode.window.showInformationMessage('Open a Lambda handler (or pick one in the Local Handlers view) to debug it.');
        return undefined;
      }
      config = configurationFor(handler);
    }
    return this.resolve(folder, substitute(config, folder));
  }

  private async resolve(folder: vscode.WorkspaceFolder | undefined, config: LambdaDebugConfiguration): Promise<vscode.DebugConfiguration | null | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage(UNTRUSTED_MESSAGE);
      return undefined;
    }
    const root = folder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
    try {
      const fn = await this.functionConfig(root, config);
      const event = await this.eventText(root, config, fn);
      const family = runtimeFamily(fn.runtime);
      if (family === 'provided') throw new Error(`${fn.runtime} functions run your own bootstrap: attach your language's debugger to it yourself.`);
      const port = await freePort();
      const run: PendingRun = { id: typeof config.__lambdaRunId === 'string' ? config.__lambdaRunId : randomUUID(), name: config.name, config: fn, event, port, document: this.docs.uriFor(fn.name, 'debug'), pauses: new PauseClock() };
      this.pending.set(run.id, run);
      // The output document opens beside the debugger's start, not before it (its first opening in a window is a
      // good part of the first session); what the function prints is kept until it shows.
      void this.docs.open(run.document, `# Debugging ${fn.name} · ${fn.runtime} · ${fn.handler}\n`)
        .catch((error: unknown) => this.log.warn(`The debug output document did not open: ${error instanceof Error ? error.message : String(error)}`));
      if (family === 'nodejs') {
        this.start(run);
        await waitForPort(port, 15_000);
        return {
          type: 'node', request: 'attach', name: config.name, address: '127.0.0.1', port, continueOnAttach: true, restart: false,
          // The function keeps the environment Lambda gives it: js-debug would otherwise write its bootloader into the
          // process's NODE_OPTIONS (and VSCODE_INSPECTOR_OPTIONS) at attach, and list the process tree to look for
          // children, before the handler runs.
          autoAttachChildProcesses: false, attachExistingChildren: false,
          sourceMaps: true, resolveSourceMapLocations: ['**'], skipFiles: ['<node_internals>/**', '**/assets/runtime/node/**'],
          // Where js-debug looks for source maps ahead of loading: the compiled TypeScript, else the function's own
          // folder — its default is the whole workspace, a scan that made a window's first session seconds long.
          outFiles: run.environment?.compiled ? [join(dirname(run.environment.compiled.file), '**', '*.js')] : [join(fn.codeDir, '**', '*.{js,mjs,cjs}'), '!**/node_modules/**'],
          __lambdaRunId: run.id,
        };
      }
      const settings = vscode.workspace.getConfiguration('lambdaWorkbench');
      // The interpreter the environment will run (launchPlan.ts): the configured one, else the project's venv.
      const configured = settings.get<Record<string, string>>('interpreters')?.[run.config.runtime] || settings.get<string>('pythonPath');
      const python = await resolvePython(configured || await projectVenvPython(run.config.codeDir));
      await checkDebugpy(python);
      // debugpy's adapter listens on the port; the environment starts once it says so (see the tracker).
      return { type: PYTHON_DEBUG_TYPE, request: 'attach', name: config.name, listen: { host: '127.0.0.1', port }, justMyCode: true, __lambdaRunId: run.id, __python: python.path };
    } catch (error) {
      this.log.showError(error instanceof Error ? error.message : String(error), error);
      return undefined;
    }
  }

  /** Called by the Python tracker once debugpy's adapter waits for the debuggee to connect. */
  startPending(runId: string): void {
    const run = this.pending.get(runId);
    if (run && !run.result) this.start(run);
  }

  /** js-debug's session of the function's process finished its configuration (breakpoints set): init may run. */
  debuggerReady(runId: string): void {
    this.pending.get(runId)?.environment?.debuggerReady();
  }

  sessionStarted(runId: string): void {
    const run = this.pending.get(runId);
    if (run) run.sessionStarted = true;
  }

  /** The session ended (stopped by the user, or the invocation finished): no process may stay behind. */
  sessionEnded(runId: string): void {
    const run = this.pending.get(runId);
    run?.environment?.kill();
    this.pending.delete(runId);
  }

  /** The pause clock of the run a debug session belongs to (js-debug's child sessions through their parent). */
  pausesOf(session: vscode.DebugSession): PauseClock | undefined {
    const id = runIdOf(session);
    return id === undefined ? undefined : this.pending.get(id)?.pauses;
  }

  /** Log lines a debug session's Debug Console was given (the tests read it; the console itself cannot be read). */
  readonly consoleLines: string[] = [];

  private start(run: PendingRun): void {
    const result = this.runner.local.invoke(run.config, run.event, {
      debug: { port: run.port, pausedMs: () => run.pauses.totalMs() },
      onEnvironment: (env) => { run.environment = env; },
      onLog: (line) => {
        if (INSPECTOR_NOISE.test(line)) return; // Node's inspector banners are not the function's output
        const shown = localLogLine(line);
        this.docs.append(run.document, `${shown}\n`);
        // The function's output in the Debug Console too, as a debugged program's output would be.
        const session = vscode.debug.activeDebugSession;
        if (session && this.pausesOf(session) === run.pauses) {
          vscode.debug.activeDebugConsole.appendLine(shown);
          this.consoleLines.push(shown);
        }
      },
      onResponseChunk: (chunk) => this.docs.append(run.document, chunkLine(chunk)),
    }).then((r) => {
      this.docs.append(run.document, resultSection(r));
      this.docs.flush();
      this.runner.showResult(run.config.name, r);
      return r;
    }, (error: unknown) => {
      this.log.showError(`Debugging ${run.config.name} failed: ${error instanceof Error ? error.message : String(error)}`, error);
      return undefined;
    });
    run.result = result;
    this.results.set(run.id, result);
    // No debugger ever attached (resolution failed or was cancelled): do not leave a paused process behind.
    setTimeout(() => {
      if (!run.sessionStarted && this.pending.has(run.id)) this.sessionEnded(run.id);
    }, ATTACH_GRACE_MS).unref();
  }

  private async functionConfig(root: string, config: LambdaDebugConfiguration): Promise<FunctionConfig> {
    const settings = vscode.workspace.getConfiguration('lambdaWorkbench');
    const common = {
      cwd: root, pythonPath: settings.get<string>('pythonPath') || undefined, nodePath: settings.get<string>('nodePath') || undefined, runtime: config.runtime,
      timeout: config.timeout, memorySize: config.memorySize, layers: config.layers,
      logging: config.logFormat || config.logLevel ? { format: config.logFormat ?? 'JSON', applicationLogLevel: config.logLevel } : undefined,
      onWarning: (message: string) => this.log.warn(message),
    };
    let fn: FunctionConfig;
    if (config.template) fn = await resolveTarget({ ...common, spec: config.template, resource: config.resource });
    else if (config.handler) fn = await resolveTarget({ ...common, spec: config.handler });
    else throw new Error(`The launch configuration '${config.name}' needs "handler" (e.g. "src/app.handler") or "template" and "resource".`);
    const environment: Record<string, string> = { ...fn.environment };
    if (config.envFile) Object.assign(environment, await readDotEnv(isAbsolute(config.envFile) ? config.envFile : resolve(root, config.envFile)));
    Object.assign(environment, config.env ?? {});
    return { ...fn, environment };
  }

  private async eventText(root: string, config: LambdaDebugConfiguration, fn: FunctionConfig): Promise<string> {
    const event = config.event;
    if (event && typeof event === 'object') return JSON.stringify(event);
    if (typeof event === 'string' && event) {
      const file = isAbsolute(event) ? event : resolve(root, event);
      try {
        return readSavedEvent(file).text;
      } catch (error) {
        const sample = this.catalog.find(event);
        if (sample) return JSON.stringify(generateEvent(this.catalog, sample.source, sample.type));
        throw error;
      }
    }
    await this.index.whenReady();
    const handler = this.index.all().find((h) => h.codeDir === fn.codeDir && h.handler === fn.handler);
    return handler ? this.choices.read(this.choices.get(handler)) : '{}';
  }
}

/** `${workspaceFolder}`, `${file}`, `${fileDirname}` and `${env:X}` in the string attributes we read. */
function substitute(config: LambdaDebugConfiguration, folder: vscode.WorkspaceFolder | undefined): LambdaDebugConfiguration {
  const file = vscode.window.activeTextEditor?.document.uri.fsPath ?? '';
  const replace = (value: string): string => value
    .replace(/\$\{workspaceFolder\}/g, folder?.uri.fsPath ?? '')
    .replace(/\$\{file\}/g, file)
    .replace(/\$\{fileDirname\}/g, dirname(file))
    .replace(/\$\{env:([^}]+)\}/g, (_, name: string) => process.env[name] ?? '');
  const out: LambdaDebugConfiguration = { ...config };
  for (const key of ['handler', 'event', 'envFile', 'template', 'resource'] as const) {
    const value = out[key];
    if (typeof value === 'string') (out as Record<string, unknown>)[key] = replace(value);
  }
  if (out.env) out.env = Object.fromEntries(Object.entries(out.env).map(([k, v]) => [k, replace(String(v))]));
  return out;
}

/** The launch configuration for a discovered handler (dynamic configurations and New Handler use the same shape). */
export function configurationFor(h: DiscoveredHandler): LambdaDebugConfiguration {
  const root = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(h.codeDir))?.uri.fsPath;
  const rel = (p: string): string => (root ? vscode.workspace.asRelativePath(p, false) : p);
  return h.origin === 'sam'
    ? { type: 'lambda', request: 'launch', name: `Debug ${h.name}`, template: rel(h.spec), resource: h.resource }
    : { type: 'lambda', request: 'launch', name: `Debug ${h.name}`, handler: rel(h.spec) };
}
