import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { extensionApi, workspaceRoot } from '../support/api';
import { continueFrom, StopWatcher } from '../support/debugSessions';
import { waitFor } from '../../support/waitFor';

const SAMPLES = 5;
const cases = [
  { name: 'Node.js (JavaScript)', config: { handler: 'js-handler/orders.handler', event: { items: [] } }, file: 'js-handler/orders.js', line: 6 },
  { name: 'TypeScript (source maps)', config: { handler: 'ts-handler/src/app.handler', event: { name: 'bench' } }, file: 'ts-handler/src/app.ts', line: 5 },
  { name: 'Python (debugpy)', config: { handler: 'py-handler/reports.lambda_handler', event: { rows: [] } }, file: 'py-handler/reports.py', line: 9 },
];

/** Time from vscode.debug.startDebugging to the first `stopped` event at a breakpoint in the handler, per language,
 *  measured in the extension host (SAMPLES runs each; the first run of each also pays for compiling and loading). */
describe('Benchmark: F5 to the first stop', function () {
  this.timeout(300_000);
  const rows: { name: string; samples: number[]; jsDebugActivationMs?: number }[] = [];
  let watcher: StopWatcher;
  before(async () => {
    await extensionApi();
    watcher = new StopWatcher();
  });
  after(() => {
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
          const started = performance.now();
          await vscode.debug.startDebugging(vscode.workspace.workspaceFolders![0], { type: 'lambda', request: 'launch', name: `bench ${c.name}`, ...c.config });
          const stop = await watcher.next(30_000);
          samples.push(performance.now() - started);
          await continueFrom(stop);
          await waitFor('the session to end', () => watcher.live.size === 0, 20_000);
        }
      } finally {
        vscode.debug.removeBreakpoints([breakpoint]);
      }
      rows.push({ name: c.name, samples, jsDebugActivationMs: rows.some((r) => r.jsDebugActivationMs !== undefined) ? undefined : warmedMs });
    });
  }
});
