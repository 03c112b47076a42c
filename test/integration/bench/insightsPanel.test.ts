import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { InvocationRecord } from '../../../src/core/insights/invocationRecord';
import { extensionApi, workspaceRoot } from '../support/api';
import { waitFor } from '../../support/waitFor';

/** Panel open → first chart drawn, with 10 000 invocations in the store (the target: ≤ 300 ms), five times,
 *  with the page's own marks, against the floor of this host: an empty webview's time to say it is ready plus the
 *  round trip of the same data; and the host's heap before and after the store took them. */
describe('Benchmark: Insights panel with 10 000 invocations', function () {
  this.timeout(120_000);

  it('opens and draws', async () => {
    const api = await extensionApi();
    const fn = 'BenchInsightsFunction';
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = Date.now() - 10_000 * 200;
    for (let i = 0; i < 10_000; i++) {
      const cold = i % 50 === 0;
      const record: InvocationRecord = {
        function: fn, time: t0 + i * 200, requestId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, durationMs: 5 + (i % 37) / 3,
        billedDurationMs: 6 + (i % 37), initDurationMs: cold ? 180 + (i % 7) : undefined, memorySizeMb: 256, maxMemoryUsedMb: 60 + (i % 13),
        status: i % 400 === 0 ? 'error' : 'ok', architecture: 'x86_64', environmentId: `env-${Math.floor(i / 50) % 20}`, source: 'load',
      };
      api.insights.store.add(record);
    }
    const heapAfter = process.memoryUsage().heapUsed;
    const firstWebview = await emptyWebviewReady();
    const samples: number[] = [];
    const pages: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      const panel = api.insights.open(fn);
      await waitFor('the first chart', () => panel.firstChartMs !== undefined, 30_000);
      samples.push(panel.firstChartMs!);
      pages.push({ ...panel.firstChartPage, htmlSet: panel.htmlSetMs });
      panel.panel.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
    // The floor any webview pays here: an empty page saying it is ready, then the same data posted to it and echoed.
    const reopened = api.insights.open(fn);
    const data = await waitFor('the data', () => reopened.lastData, 30_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const floor: Array<{ readyMs: number; echoMs: number }> = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const panel = vscode.window.createWebviewPanel('lambdaWorkbench.benchFloor', 'floor', vscode.ViewColumn.Active, { enableScripts: true });
      panel.webview.html = '<!DOCTYPE html><html><body><script>const v = acquireVsCodeApi(); window.addEventListener("message", (e) => v.postMessage({ echo: e.data.n })); v.postMessage({ ready: 1 });</script></body></html>';
      const readyMs = await new Promise<number>((resolve) => panel.webview.onDidReceiveMessage((m: { ready?: number }) => { if (m.ready) resolve(performance.now() - started); }));
      const sent = performance.now();
      const echoed = new Promise<number>((resolve) => panel.webview.onDidReceiveMessage((m: { echo?: number }) => { if (m.echo) resolve(performance.now() - sent); }));
      await panel.webview.postMessage({ n: 1, data });
      floor.push({ readyMs, echoMs: await echoed });
      panel.dispose();
    }
    const dir = join(workspaceRoot(), '..', '..', '..', 'test-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'bench-insights.json'), JSON.stringify({ records: 10_000, firstWebviewMs: firstWebview, firstChartMs: samples, pages, floor, payloadBytes: JSON.stringify(data).length, heapDeltaMb: (heapAfter - heapBefore) / 1e6 }, null, 2));
  });
});

/** The window's first webview pays the host's own set-up (code-server: seconds); an empty one takes it first. */
async function emptyWebviewReady(): Promise<number> {
  const started = performance.now();
  const panel = vscode.window.createWebviewPanel('lambdaWorkbench.benchFloor', 'floor', vscode.ViewColumn.Active, { enableScripts: true });
  panel.webview.html = '<!DOCTYPE html><html><body><script>acquireVsCodeApi().postMessage({ ready: 1 });</script></body></html>';
  const ms = await new Promise<number>((resolve) => panel.webview.onDidReceiveMessage(() => resolve(performance.now() - started)));
  panel.dispose();
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  return ms;
}
