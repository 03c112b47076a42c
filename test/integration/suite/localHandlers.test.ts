import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { DiscoveredHandler } from '../../../src/core/project/handlerDiscovery';
import type { RunOutcome } from '../../../src/localHandlers/localRunner';
import { extensionApi, workspaceRoot } from '../support/api';
import { waitFor } from '../../support/waitFor';
import { noneLeft, processesWith } from '../../unit/support/runtimeFixtures';

describe('Local Handlers view, CodeLens and Run (real host)', function () {
  this.timeout(60_000);
  let handlers: () => readonly DiscoveredHandler[];
  const byName = (name: string): DiscoveredHandler => {
    const h = handlers().find((x) => x.name === name);
    assert.ok(h, `handler ${name} among ${handlers().map((x) => x.name).join(', ')}`);
    return h;
  };

  before(async () => {
    const api = await extensionApi();
    handlers = () => api.localHandlers.index.all();
    await api.localHandlers.index.whenReady();
    await vscode.commands.executeCommand('lambdaWorkbench.localHandlers.focus');
  });

  it("lists the SAM template's functions (with !Ref and !Sub in it) and scanned handlers, grouped", async () => {
    const api = await extensionApi();
    await waitFor('the template functions', () => handlers().some((h) => h.name === 'OrdersFunction'));
    await vscode.commands.executeCommand('lambdaWorkbench.localHandlers.focus');
    const tree = api.localHandlers.view;
    await waitFor('the view to be visible', () => tree.visible);
    const orders = byName('OrdersFunction');
    assert.equal(orders.group, 'template.yaml');
    assert.equal(orders.runtime, 'nodejs22.x');
    assert.equal(orders.file, join(workspaceRoot(), 'js-handler', 'orders.js'));
    assert.equal(byName('ReportsFunction').runtime, 'python3.11');
    assert.equal(byName('ts-handler').group, 'ts-handler/src', 'a scanned TypeScript handler, grouped by folder');
    assert.ok(!handlers().some((h) => h.origin === 'scan' && h.file?.endsWith('orders.js')), 'a template function is not listed twice');
  });

  it('shows Run · Debug · Event · Insights lenses above each handler definition', async () => {
    const doc = await vscode.workspace.openTextDocument(join(workspaceRoot(), 'py-handler', 'reports.py'));
    const lenses = await waitFor('the lenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      return l && l.length >= 4 ? l : undefined;
    });
    assert.deepEqual(lenses.map((l) => l.command?.title), ['$(play) Run', '$(debug-alt) Debug', 'Event: {}', '$(graph) Insights']);
    assert.equal(lenses[0].range.start.line, 6, 'above def lambda_handler');
    for (const file of ['js-handler/orders.js', 'ts-handler/src/app.ts']) {
      const uri = (await vscode.workspace.openTextDocument(join(workspaceRoot(), file))).uri;
      const l = await waitFor(`lenses in ${file}`, async () => {
        const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
        return found?.length ? found : undefined;
      });
      assert.equal(l.length, 4, file);
    }
  });

  it('Run shows the REPORT line and the result in a lambda-log document, warm on the second run', async () => {
    const orders = byName('OrdersFunction');
    await vscode.commands.executeCommand('lambdaWorkbench.chooseEvent', orders.id, { kind: 'file', label: 'order.json', file: join(workspaceRoot(), 'events', 'order.json') });
    const first = await vscode.commands.executeCommand<RunOutcome>('lambdaWorkbench.runHandler', orders.id);
    assert.ok(first.result, first.problem);
    assert.deepEqual(JSON.parse(first.result.payload).total, 7);
    assert.equal(JSON.parse(first.result.payload).label, 'orders-test', '!Sub resolved with the parameter default');
    const doc = await vscode.workspace.openTextDocument(first.document);
    assert.equal(doc.languageId, 'lambda-log');
    await waitFor('the REPORT line in the document', () => new RegExp(`^REPORT RequestId: ${first.result!.requestId}\t`, 'm').test(doc.getText()) && doc.getText().includes('"total": 7'));
    const second = await vscode.commands.executeCommand<RunOutcome>('lambdaWorkbench.runHandler', orders.id);
    assert.equal(second.result?.coldStart, false, 'the environment stayed warm');
  });

  it('a Run document opens in the active group, wraps, and keeps each run: Re-run from its title bar, then the history', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const reports = byName('ReportsFunction');
    await vscode.window.showTextDocument(vscode.Uri.file(join(workspaceRoot(), 'py-handler', 'reports.py')));
    const first = await vscode.commands.executeCommand<RunOutcome>('lambdaWorkbench.runHandler', reports.id);
    assert.ok(first.result, first.problem);
    assert.equal(vscode.window.tabGroups.all.length, 1, 'no editor group was added beside');
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input as { uri?: vscode.Uri } | undefined;
    assert.equal(tab?.uri?.toString(), first.document.toString(), 'the run document is the active group\'s tab');
    assert.equal(vscode.workspace.getConfiguration('editor', { languageId: 'lambda-log' }).get('wordWrap'), 'on', 'REPORT is never cut off');
    const again = await vscode.commands.executeCommand<RunOutcome>('lambdaWorkbench.runHandler', first.document);
    assert.equal(again.result?.coldStart, false, 'Re-run (the document\'s title-bar action) ran the same handler, warm');
    const runs = api.localHandlers.runner.history.of(reports.id);
    assert.equal(runs[0].summary.split(' · ')[0], 'warm');
    assert.equal(runs[1].summary.split(' · ')[0], first.result.coldStart ? 'cold' : 'warm');
    assert.ok(runs[0].number > runs[1].number, 'newest first');
    const snapshot = await vscode.commands.executeCommand<vscode.Uri>('lambdaWorkbench.showRunHistory', first.document, runs[1].number);
    const text = (await vscode.workspace.openTextDocument(snapshot)).getText();
    assert.ok(text.includes(`# Result · ${runs[1].summary}`), 'the earlier run kept its own output');
    assert.match(text, /^REPORT RequestId: /m);
  });

  it('Run hands the function the AWS session profile\'s credentials, as the CLI does', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, profile: process.env.AWS_PROFILE };
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEDITORRUN';
    process.env.AWS_SECRET_ACCESS_KEY = 'editor-run-secret';
    delete process.env.AWS_PROFILE;
    const api = await extensionApi();
    try {
      await api.functions.session.reload(); // what a profile switch does
      const whoami = await waitFor('whoami.handler', () => handlers().find((h) => h.name === 'whoami'));
      const run = await vscode.commands.executeCommand<RunOutcome>('lambdaWorkbench.runHandler', whoami.id);
      assert.ok(run.result, run.problem);
      assert.deepEqual(JSON.parse(run.result.payload), { keyId: 'AKIDEDITORRUN' });
      const doc = await vscode.workspace.openTextDocument(run.document);
      assert.ok(!doc.getText().includes('editor-run-secret'), 'the secret is never shown');
    } finally {
      for (const [key, value] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret], ['AWS_PROFILE', saved.profile]] as const) {
        if (value === undefined) delete process.env[key]; else process.env[key] = value;
      }
      await api.functions.session.reload();
    }
  });

  it('a handler that throws, one that times out and one with a syntax error each give a clear message, and the view keeps working', async () => {
    await vscode.commands.executeCommand('lambdaWorkbench.refreshLocalHandlers');
    const throws = await waitFor('throws.handler', () => handlers().find((h) => h.name === 'throws'));
    const thrown = await vscode.commands.executeCommand<RunOutcome>('lambdaWorkbench.runHandler', throws.id);
    assert.equal(thrown.result?.error?.errorType, 'TypeError');
    const thrownDoc = await vscode.workspace.openTextDocument(thrown.document);
    await waitFor('the error in the run document', () => /# Result · .* · error: TypeError/.test(thrownDoc.getText()) && thrownDoc.getText().includes('cannot read the order'));

    const slow = byName('slow');
    const timedOut = await vscode.commands.executeCommand<RunOutcome>('lambdaWorkbench.runHandler', slow.id);
    assert.equal(timedOut.result?.timedOut, true);
    const timedOutDoc = await vscode.workspace.openTextDocument(timedOut.document);
    await waitFor('the timeout line', () => /Task timed out after 3\.00 seconds/.test(timedOutDoc.getText()));

    const syntax = byName('syntax');
    const broken = await vscode.commands.executeCommand<RunOutcome>('lambdaWorkbench.runHandler', syntax.id);
    assert.equal(broken.result?.error?.errorType, 'Runtime.UserCodeSyntaxError');

    const ok = await vscode.commands.executeCommand<RunOutcome>('lambdaWorkbench.runHandler', byName('ReportsFunction').id);
    assert.deepEqual(JSON.parse(ok.result!.payload), { header: 'report', count: 0, json: '[]' }, 'runs still work after the failures');
    assert.ok(handlers().length >= 5, 'the view still lists the handlers');
  });

  it('Stop Local Run cancels a run: the document says Cancelled, the environment and the child it started are gone', async () => {
    const api = await extensionApi();
    const hangs = byName('HangsFunction');
    const mark = 'AWS_LAMBDA_FUNCTION_NAME=HangsFunction';
    const running = vscode.commands.executeCommand<RunOutcome>('lambdaWorkbench.runHandler', hangs.id);
    const document = await waitFor('the run to start', () => api.localHandlers.runner.active.find((r) => r.handler.id === hangs.id)?.document);
    const doc = await vscode.workspace.openTextDocument(document);
    await waitFor('the child to start', () => /started child \d+/.test(doc.getText()), 20_000);
    assert.ok(processesWith(mark).length >= 2, 'the runtime and its child run');
    assert.equal(await vscode.commands.executeCommand('lambdaWorkbench.stopRun'), 1);
    const outcome = await running;
    assert.equal(outcome.cancelled, true);
    assert.equal(outcome.result, undefined);
    await waitFor('Cancelled in the document', () => /^# Cancelled after [\d.]+ s/m.test(doc.getText()));
    assert.match(doc.getText(), /started child \d+/, 'what ran before the cancel stays in the document');
    assert.deepEqual(await noneLeft(mark, 5000), [], 'no process of the run is left');
    assert.deepEqual(api.localHandlers.runner.active, []);
    assert.equal(await vscode.commands.executeCommand('lambdaWorkbench.stopRun'), 0, 'nothing left to stop');
  });

  it('a malformed saved event is reported with its line and column, not run', async () => {
    const orders = byName('OrdersFunction');
    const bad = join(workspaceRoot(), 'events', 'order.json');
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(bad));
    const original = editor.document.getText();
    try {
      await editor.edit((e) => e.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), '{\n  "items": [ { "price": 3 },, ]\n}\n'));
      await editor.document.save();
      const outcome = await vscode.commands.executeCommand<RunOutcome>('lambdaWorkbench.runHandler', orders.id);
      assert.equal(outcome.result, undefined);
      assert.match(outcome.problem ?? '', /order\.json:2:29: malformed JSON: unexpected ','/);
    } finally {
      // The run's document may have taken the editor's place: restore the file itself.
      writeFileSync(bad, original);
    }
  });
});
