import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { InvokeResult } from '../../../src/core/runtime/types';
import { extensionApi, workspaceRoot } from '../support/api';
import { continueFrom, evaluate, StopWatcher, topFrame } from '../support/debugSessions';
import { waitFor } from '../../support/waitFor';

/** Starts a `lambda` configuration with a breakpoint, waits for the stop, inspects, continues, and returns the result. */
async function debugAndStop(watcher: StopWatcher, config: Record<string, unknown>, file: string, line: number): Promise<{ path: string; line: number; attach: vscode.DebugConfiguration; value: (expr: string) => Promise<string>; finish: () => Promise<InvokeResult | undefined> }> {
  const api = await extensionApi();
  const uri = vscode.Uri.file(join(workspaceRoot(), file));
  const breakpoint = new vscode.SourceBreakpoint(new vscode.Location(uri, new vscode.Position(line - 1, 0)));
  vscode.debug.addBreakpoints([breakpoint]);
  const before = new Set(api.debugResults.keys());
  try {
    watcher.begin();
    const started = await vscode.debug.startDebugging(vscode.workspace.workspaceFolders![0], { type: 'lambda', request: 'launch', name: `test ${file}`, ...config });
    assert.equal(started, true, 'the debug session started');
    const stop = await watcher.next().catch(async (error: Error) => {
      // What the function printed says why it did not stop (a crash, the handler run through, a kill).
      const doc = await vscode.workspace.openTextDocument(api.localHandlers.docs.uriFor(file.split('/')[0], 'debug'));
      throw new Error(`${error.message}\nThe debug output document:\n${doc.getText()}`);
    });
    const frame = await topFrame(stop);
    const runId = [...api.debugResults.keys()].find((k) => !before.has(k));
    assert.ok(runId, 'a debug run was registered');
    return {
      path: frame.path, line: frame.line,
      // What the provider handed the debugger (js-debug stops on a child session of that attach).
      attach: stop.session.parentSession?.configuration ?? stop.session.configuration,
      value: (expr) => evaluate(stop, frame.id, expr),
      finish: async () => {
        await continueFrom(stop);
        return api.debugResults.get(runId);
      },
    };
  } finally {
    vscode.debug.removeBreakpoints([breakpoint]);
  }
}

/** Runtime processes started for debugging (inspector or debugpy on their command line). */
function debuggees(): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((pid) => {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmd.includes('--inspect-brk=127.0.0.1') || (cmd.includes('debugpy') && cmd.includes('--connect'));
    } catch {
      return false;
    }
  }).map(Number);
}

describe('F5: breakpoints in JavaScript, TypeScript and Python (real host)', function () {
  this.timeout(90_000);
  let watcher: StopWatcher;
  before(async () => {
    await extensionApi();
    watcher = new StopWatcher();
  });
  after(() => watcher.dispose());
  afterEach(async function () {
    // Every session ends by itself once its invocation is done (the environment exits); one a failed test left
    // paused is stopped, so the next test starts clean.
    if (this.currentTest?.state === 'failed') await vscode.debug.stopDebugging();
    await waitFor('no debug session left', () => watcher.live.size === 0, 15_000);
  });

  // First in this file: no test before it has debugged JavaScript, so js-debug is not active yet.
  it('an editor showing a Python handler leaves js-debug alone; one showing a JavaScript handler activates it ahead of F5', async () => {
    const api = await extensionApi();
    const jsDebug = vscode.extensions.getExtension('ms-vscode.js-debug');
    assert.ok(jsDebug, 'the host has js-debug');
    assert.equal(jsDebug.isActive, false, 'precondition: nothing has activated js-debug yet');
    await vscode.window.showTextDocument(vscode.Uri.file(join(workspaceRoot(), 'py-handler', 'reports.py')));
    await api.localHandlers.index.whenReady();
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(jsDebug.isActive, false, 'a Python handler needs debugpy, not js-debug');
    await vscode.window.showTextDocument(vscode.Uri.file(join(workspaceRoot(), 'js-handler', 'orders.js')));
    await waitFor('js-debug to activate', () => jsDebug.isActive, 20_000);
    await api.debugProvider.warmup!.whenWarm();
    assert.ok((api.debugProvider.warmup!.jsDebugActivationMs ?? 0) > 0, 'the warm-up activated it');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('JavaScript: stops in the handler, evaluates a variable, continues to the result and REPORT', async () => {
    const stop = await debugAndStop(watcher, { handler: 'js-handler/orders.handler', event: 'events/order.json', env: { STAGE_LABEL: 'from-launch' } }, 'js-handler/orders.js', 6);
    assert.equal(stop.path, join(workspaceRoot(), 'js-handler', 'orders.js'));
    assert.equal(stop.line, 6);
    assert.equal(await stop.value('total'), '7');
    // The function's environment is Lambda's, not js-debug's: nothing it injects for child processes.
    assert.equal(await stop.value("Object.keys(process.env).filter((k) => /^(NODE_OPTIONS|VSCODE_)/.test(k)).join(',')"), "''");
    // js-debug looks for source maps in the function's folder, not the whole workspace (its default).
    assert.deepEqual(stop.attach.outFiles, [join(workspaceRoot(), 'js-handler', '**', '*.{js,mjs,cjs}'), '!**/node_modules/**']);
    const result = await stop.finish();
    assert.deepEqual({ total: JSON.parse(result!.payload).total, label: JSON.parse(result!.payload).label }, { total: 7, label: 'from-launch' });
    const api = await extensionApi();
    const doc = await vscode.workspace.openTextDocument(api.localHandlers.docs.uriFor('js-handler', 'debug'));
    await waitFor('REPORT after the session', () => /^REPORT RequestId: /m.test(doc.getText()));
  });

  it('JavaScript: a 2 s pause at a breakpoint is not billed; the output reaches the Debug Console, not the inspector banner', async () => {
    const api = await extensionApi();
    const seen = api.debugProvider.consoleLines.length;
    const stop = await debugAndStop(watcher, { handler: 'js-handler/orders.handler', event: { items: [{ price: 2 }] } }, 'js-handler/orders.js', 6);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const result = await stop.finish();
    assert.ok(result, 'the run finished');
    assert.ok(result.durationMs < 1000, `Duration ${result.durationMs.toFixed(0)} ms leaves out the 2 s the debugger held it`);
    const doc = await vscode.workspace.openTextDocument(api.localHandlers.docs.uriFor('js-handler', 'debug'));
    await waitFor('the pause line', () => /^PAUSED RequestId: \S+\tDebugger: (\d+)\.\d+ ms paused/m.test(doc.getText()));
    const paused = Number(/Debugger: (\d+)\.\d+ ms paused/.exec(doc.getText())![1]);
    assert.ok(paused >= 1900, `${paused} ms counted as paused`);
    assert.doesNotMatch(doc.getText(), /Debugger listening on ws:|For help, see: https:\/\/nodejs\.org/);
    const lines = api.debugProvider.consoleLines.slice(seen);
    assert.ok(lines.some((l) => l.startsWith('START RequestId: ')) && lines.some((l) => l.startsWith('REPORT RequestId: ')), `Debug Console got: ${lines.join(' | ')}`);
  });

  it('JavaScript: a breakpoint in init code hits (the event waits for the debugger)', async () => {
    const stop = await debugAndStop(watcher, { handler: 'js-handler/orders.handler', event: { items: [] } }, 'js-handler/orders.js', 2);
    assert.equal(stop.line, 2);
    assert.equal(await stop.value('typeof exports.handler'), "'undefined'", 'stopped before the module finished loading');
    const result = await stop.finish();
    assert.equal(JSON.parse(result!.payload).total, 0);
  });

  it('JavaScript: stops inside a streaming handler; the chunks show in the document as they arrive', async () => {
    const stop = await debugAndStop(watcher, { handler: 'stream-handler/stream.handler', runtime: 'nodejs20.x', event: { name: 'the debugger' } }, 'stream-handler/stream.js', 5);
    assert.equal(stop.line, 5);
    assert.equal(await stop.value('second'), "'two for the debugger'");
    const api = await extensionApi();
    const doc = await vscode.workspace.openTextDocument(api.localHandlers.docs.uriFor('stream-handler', 'debug'));
    await waitFor('the first chunk in the document while paused', () => doc.getText().includes('# ▸ chunk (4 B): one '));
    const result = await stop.finish();
    assert.equal(result?.streamed, true);
    assert.equal(result?.payload, 'one two for the debugger');
  });

  it('a settings change while paused keeps the session: a log setting touches nothing, a run setting only later runs', async () => {
    const api = await extensionApi();
    const settings = vscode.workspace.getConfiguration('lambdaWorkbench');
    const before = api.localHandlers.runner.local;
    const stop = await debugAndStop(watcher, { handler: 'js-handler/orders.handler', event: 'events/order.json' }, 'js-handler/orders.js', 6);
    try {
      await settings.update('logs.timeZone', 'local', vscode.ConfigurationTarget.Global);
      assert.equal(api.localHandlers.runner.local, before, 'a log setting restarts nothing');
      await settings.update('maxConcurrency', 11, vscode.ConfigurationTarget.Global);
      await waitFor('new environments for later runs', () => api.localHandlers.runner.local !== before);
      assert.equal(await stop.value('total'), '7', 'still paused in the same session');
      const result = await stop.finish();
      assert.equal(JSON.parse(result!.payload).total, 7);
    } finally {
      await settings.update('logs.timeZone', undefined, vscode.ConfigurationTarget.Global);
      await settings.update('maxConcurrency', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('TypeScript: the breakpoint set in the .ts file binds through source maps and stops there', async () => {
    const stop = await debugAndStop(watcher, { handler: 'ts-handler/src/app.handler', event: { name: 'debugger' } }, 'ts-handler/src/app.ts', 5);
    assert.equal(stop.path, join(workspaceRoot(), 'ts-handler', 'src', 'app.ts'));
    assert.equal(stop.line, 5);
    assert.equal(await stop.value('who'), "'debugger'");
    const result = await stop.finish();
    assert.deepEqual(JSON.parse(result!.payload), { message: 'Hello, debugger!' });
  });

  it("Python: debugpy's adapter stops in the handler, evaluates, continues to the result", async () => {
    const stop = await debugAndStop(watcher, { template: 'template.yaml', resource: 'ReportsFunction', event: { rows: [1, 2, 3] } }, 'py-handler/reports.py', 9);
    assert.equal(stop.path, join(workspaceRoot(), 'py-handler', 'reports.py'));
    assert.equal(stop.line, 9);
    assert.equal(await stop.value('len(rows)'), '3');
    const result = await stop.finish();
    assert.deepEqual(JSON.parse(result!.payload), { header: 'report', count: 3, json: '[1, 2, 3]' });
  });

  it('stopping the session leaves no process behind, and the next run works', async () => {
    const stop = await debugAndStop(watcher, { handler: 'js-handler/orders.handler', event: { items: [] } }, 'js-handler/orders.js', 6);
    assert.equal(stop.line, 6);
    assert.ok(debuggees().length > 0, 'the debuggee runs while stopped');
    await vscode.debug.stopDebugging();
    await waitFor('every session to end', () => watcher.live.size === 0, 15_000);
    await waitFor('the debuggee process to exit', () => debuggees().length === 0, 10_000);
    const api = await extensionApi();
    const orders = api.localHandlers.index.all().find((h) => h.name === 'OrdersFunction')!;
    const outcome = await vscode.commands.executeCommand<{ result?: InvokeResult }>('lambdaWorkbench.runHandler', orders.id);
    assert.ok(outcome.result && !outcome.result.functionError);
  });
});
