import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { extensionApi, workspaceRoot } from '../support/api';
import { continueFrom, StopWatcher } from '../support/debugSessions';
import { waitFor } from '../../support/waitFor';

const SAMPLES = 5;

/** Where one F5 went, in ms: VS Code before calling our provider; our resolve (the environment started, for Node.js
 *  its inspector port open); VS Code until it resolves the real debugger's configuration; until that debugger's
 *  adapter is asked to initialize; and from there to the stop at the breakpoint. */
interface Phases { beforeOurs: number; ours: number; toDebugger: number; toAdapter: number; adapterToStop: number }
const cases = [
  { name: 'Node.js (JavaScript)', config: { handler: 'js-handler/orders.handler', event: { items: [] } }, file: 'js-handler/orders.js', line: 6 },
  { name: 'TypeScript (source maps)', config: { handler: 'ts-handler/src/app.handler', event: { name: 'bench' } }, file: 'ts-handler/src/app.ts', line: 5 },
  { name: 'Python (debugpy)', config: { handler: 'py-handler/reports.lambda_handler', event: { rows: [] } }, file: 'py-handler/reports.py', line: 9 },
];

/** Time from vscode.debug.startDebugging to the first `stopped` event at a breakpoint in the handler, per language,
 *  measured in the extension host (SAMPLES runs each; the first run of each also pays for compiling and loading). */
describe('Benchmark: F5 to the first stop', function () {
  this.timeout(300_000);
  const rows: { name: string; samples: number[]; phases: Phases[]; jsDebugActivationMs?: number }[] = [];
  let watcher: StopWatcher;
  /** When VS Code asked the real debugger's providers to resolve what ours returned, and when that debugger's
   *  adapter got its `initialize` request (this sample's). */
  let seen: { resolved?: number; initialize?: number } = {};
  const probes: vscode.Disposable[] = [];
  before(async () => {
    await extensionApi();
    watcher = new StopWatcher();
    const resolved = (c: vscode.DebugConfiguration): vscode.DebugConfiguration => { seen.resolved ??= performance.now(); return c; };
    probes.push(
      vscode.debug.registerDebugConfigurationProvider('node', { resolveDebugConfiguration: (_f, c) => resolved(c) }),
      vscode.debug.registerDebugConfigurationProvider('lambda-python', { resolveDebugConfiguration: (_f, c) => resolved(c) }),
      vscode.debug.registerDebugAdapterTrackerFactory('*', {
        createDebugAdapterTracker: (session) => (session.type === 'lambda' ? undefined : {
          onWillReceiveMessage: (m: { command?: string }) => { if (m.command === 'initialize') seen.initialize ??= performance.now(); },
        }),
      }),
    );
  });
  after(() => {
    for (const p of probes) p.dispose();
    watcher.dispose();
    const dir = join(workspaceRoot(), '..', '..', '..', 'test-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'bench-debug.json'), JSON.stringify(rows, null, 2));
  });

  for (const c of cases) {
    it(c.name, async () => {
      const uri = vscode.Uri.file(join(workspaceRoot(), c.file));
      const breakpoint = new vscode.SourceBreakpoint(new vscode.Location(uri, new vscode.Position(c.line - 1, 0)));
      vscode.debug.addBreakpoints([breakpoint]);
      const samples: number[] = [];
      const phases: Phases[] = [];
      // As a user does: the handler is open in an editor (to set the breakpoint) some moments before F5; what the
      // extension warms up meanwhile (js-debug for Node.js and TypeScript) is timed apart.
      await vscode.window.showTextDocument(uri);
      const api = await extensionApi();
      await api.localHandlers.index.whenReady();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await api.debugProvider.warmup?.whenWarm();
      const warmedMs = api.debugProvider.warmup?.jsDebugActivationMs;
      try {
        for (let i = 0; i < SAMPLES; i++) {
          seen = {};
          const started = performance.now();
          await vscode.debug.startDebugging(vscode.workspace.workspaceFolders![0], { type: 'lambda', request: 'launch', name: `bench ${c.name}`, ...c.config });
          const stop = await watcher.next(30_000);
          const stopped = performance.now();
          samples.push(stopped - started);
          const ours = api.debugProvider.lastResolve;
          if (ours?.returned !== undefined && ours.started >= started) {
            phases.push({
              beforeOurs: ours.started - started, ours: ours.returned - ours.started,
              toDebugger: (seen.resolved ?? ours.returned) - ours.returned, toAdapter: (seen.initialize ?? stopped) - (seen.resolved ?? ours.returned),
              adapterToStop: stopped - (seen.initialize ?? stopped),
            });
          }
          await continueFrom(stop);
          await waitFor('the session to end', () => watcher.live.size === 0, 20_000);
        }
      } finally {
        vscode.debug.removeBreakpoints([breakpoint]);
      }
      rows.push({ name: c.name, samples, phases, jsDebugActivationMs: rows.some((r) => r.jsDebugActivationMs !== undefined) ? undefined : warmedMs });
    });
  }
});
