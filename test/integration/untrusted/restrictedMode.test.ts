import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../../src/localHandlers/localRunner';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extensionApi, workspaceRoot } from '../support/api';
import { waitFor } from '../../support/waitFor';

describe('An untrusted workspace (Restricted Mode)', function () {
  this.timeout(60_000);

  // Every case below needs the listed handlers, also when LWB_TEST_GREP runs one of them alone.
  const handlersListed = async (): Promise<void> => {
    const api = await extensionApi();
    await api.localHandlers.index.whenReady();
    await waitFor('the handlers', () => api.localHandlers.index.all().some((h) => h.name === 'OrdersFunction'));
  };
  before(handlersListed);

  it('opens the folder untrusted, and the extension still activates and lists handlers', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    await handlersListed();
  });

  it('refuses to run workspace code and says why; nothing runs', async () => {
    const api = await extensionApi();
    const orders = api.localHandlers.index.all().find((h) => h.name === 'OrdersFunction')!;
    const outcome = await vscode.commands.executeCommand<RunOutcome>('lambdaWorkbench.runHandler', orders.id);
    assert.equal(outcome.result, undefined);
    assert.match(outcome.problem ?? '', /needs a trusted workspace/);
    assert.equal(api.localHandlers.runner.local.stats('OrdersFunction').environments, 0, 'no environment was started');
    const doc = await vscode.workspace.openTextDocument(outcome.document);
    await waitFor('the reason in the run document', () => /Manage Workspace Trust/.test(doc.getText()));
  });

  it('refuses to debug workspace code', async () => {
    const api = await extensionApi();
    const orders = api.localHandlers.index.all().find((h) => h.name === 'OrdersFunction')!;
    const started = await vscode.commands.executeCommand<boolean>('lambdaWorkbench.debugHandler', orders.id);
    assert.equal(started, false);
    assert.equal(vscode.debug.activeDebugSession, undefined);
    // (F5 on a launch configuration is gated by VS Code itself, which asks to trust the folder first.)
  });

  it('refuses to start the local API (it runs workspace code): no server, no session', async () => {
    const api = await extensionApi();
    const started = await vscode.commands.executeCommand('lambdaWorkbench.startLocalApi', undefined, { template: join(workspaceRoot(), 'template.yaml'), port: 0 });
    assert.equal(started, undefined);
    assert.equal(api.localApi.session, undefined);
  });

  it('ignores a workspace aws.endpoint (it would receive every signed AWS request)', async () => {
    const config = vscode.workspace.getConfiguration('lambdaWorkbench');
    await config.update('aws.endpoint', 'http://attacker.example:8080', vscode.ConfigurationTarget.Workspace);
    try {
      const file = join(workspaceRoot(), '.vscode', 'settings.json');
      await waitFor('the workspace setting on disk', () => readFileSync(file, 'utf8').includes('http://attacker.example:8080'));
      const api = await extensionApi();
      assert.equal(api.functions.session.context().endpoint, undefined);
    } finally {
      await config.update('aws.endpoint', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('still generates sample events (no workspace code runs)', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('lambdaWorkbench.generateSampleEvent', { source: 'sns', type: 'notification', params: {}, destination: 'editor' });
    assert.ok(uri);
  });
});
