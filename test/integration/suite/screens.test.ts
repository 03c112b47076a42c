import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../../src/localHandlers/localRunner';
import { makeZip, startLambdaEmulator, type LambdaEmulator } from '../../support/awsEmulator/lambda';
import { LogsService } from '../../support/awsEmulator/logs';
import { waitFor } from '../../support/waitFor';
import { extensionApi, workspaceRoot } from '../support/api';
import { continueFrom, StopWatcher } from '../support/debugSessions';
import { canScreenshot, screenshot, useTheme } from '../support/screens';

/**
 * Pictures of the main screens, in the dark and the light theme, saved under test-results/screens/ for a person to
 * look at; each must not be blank. The AWS side runs against the emulators (Lambda and CloudWatch Logs on one port).
 */
describe('Screens (real window, dark and light)', function () {
  this.timeout(120_000);
  let emu: LambdaEmulator;
  const logs = new LogsService();
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, region: process.env.AWS_REGION };
  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('lambdaWorkbench');
  const notBlank = async (name: string, part?: Parameters<typeof screenshot>[1]): Promise<void> => {
    const shot = await screenshot(name, part);
    assert.ok(shot.stdev > 2, `${shot.file} is blank (pixel spread ${shot.stdev.toFixed(2)})`);
  };

  before(async function () {
    if (!canScreenshot()) this.skip();
    emu = await startLambdaEmulator({ region: 'eu-west-1', services: [logs] });
    emu.lambda.seed(12, 'shop');
    emu.lambda.addFunction({ FunctionName: 'orders-api', Runtime: 'nodejs20.x', Handler: 'index.handler', Environment: { Variables: { TABLE: 'orders', API_KEY: 'hunter2' } },
      zip: makeZip({ 'index.mjs': 'export const handler = async () => ({ ok: true });\n' }) });
    const now = Date.now();
    const stream = '2026/12/02/[$LATEST]0f3c9a1b2c';
    logs.put('/aws/lambda/orders-api', stream, 'INIT_START Runtime Version: nodejs:20.v40', now - 9000);
    logs.put('/aws/lambda/orders-api', stream, 'START RequestId: 6b1c0e2a-1111-4a2b-9c3d-000000000001 Version: $LATEST', now - 8000);
    logs.put('/aws/lambda/orders-api', stream, '2026-12-02T10:00:01.000Z\t6b1c0e2a-1111-4a2b-9c3d-000000000001\tINFO\tcreated order 42', now - 7000);
    logs.put('/aws/lambda/orders-api', stream, '2026-12-02T10:00:01.100Z\t6b1c0e2a-1111-4a2b-9c3d-000000000001\tWARN\tslow payment provider (812 ms)', now - 6500);
    logs.put('/aws/lambda/orders-api', stream, '{"timestamp":"2026-12-02T10:00:01.200Z","level":"ERROR","requestId":"6b1c0e2a","message":"payment failed","orderId":42}', now - 6000);
    logs.put('/aws/lambda/orders-api', stream, 'END RequestId: 6b1c0e2a-1111-4a2b-9c3d-000000000001', now - 5500);
    logs.put('/aws/lambda/orders-api', stream, 'REPORT RequestId: 6b1c0e2a-1111-4a2b-9c3d-000000000001\tDuration: 1234.56 ms\tBilled Duration: 1235 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\tInit Duration: 180.20 ms', now - 5000);
    process.env.AWS_ACCESS_KEY_ID = 'AKIDSCREENS';
    process.env.AWS_SECRET_ACCESS_KEY = 'screens';
    process.env.AWS_REGION = 'eu-west-1';
    await settings().update('aws.endpoint', emu.endpoint, vscode.ConfigurationTarget.Global);
    await settings().update('aws.regions', ['eu-west-1'], vscode.ConfigurationTarget.Global);
    const api = await extensionApi();
    await waitFor('credentials', async () => { await api.functions.session.reload(); return api.functions.session.hasCredentials; }, 20_000);
  });

  after(async () => {
    if (!emu) return;
    (await extensionApi()).logs.tails.stop();
    await useTheme('Default Dark Modern');
    await settings().update('aws.endpoint', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('aws.regions', undefined, vscode.ConfigurationTarget.Global);
    for (const [key, value] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret], ['AWS_REGION', saved.region]] as const) {
      if (value === undefined) delete process.env[key]; else process.env[key] = value;
    }
    await emu.close();
  });

  for (const theme of ['Default Dark Modern', 'Default Light Modern'] as const) {
    const tag = theme.includes('Dark') ? 'dark' : 'light';

    it(`${tag}: the sidebar with the three views`, async () => {
      await useTheme(theme);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('workbench.view.extension.lambdaWorkbench');
      const api = await extensionApi();
      await api.localHandlers.index.whenReady();
      await vscode.commands.executeCommand('lambdaWorkbench.filterLogGroups', '/aws/lambda/');
      await notBlank(`sidebar-${tag}`, 'sidebar');
    });

    it(`${tag}: a Run document`, async () => {
      const api = await extensionApi();
      const orders = api.localHandlers.index.all().find((h) => h.name === 'OrdersFunction')!;
      await vscode.window.showTextDocument(vscode.Uri.file(join(workspaceRoot(), 'js-handler', 'orders.js')));
      const outcome = await vscode.commands.executeCommand<RunOutcome>('lambdaWorkbench.runHandler', orders.id);
      assert.ok(outcome.result, outcome.problem);
      await vscode.window.showTextDocument(outcome.document, { preview: false });
      await notBlank(`run-document-${tag}`);
    });

    it(`${tag}: a tail document`, async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const uri = await vscode.commands.executeCommand<vscode.Uri>('lambdaWorkbench.tailLogGroup', '/aws/lambda/orders-api', { mode: 'polling' });
      const doc = await vscode.workspace.openTextDocument(uri);
      await waitFor('tail events', () => doc.getText().includes('payment failed'), 20_000);
      await notBlank(`tail-document-${tag}`);
      await vscode.commands.executeCommand('lambdaWorkbench.stopTail', uri);
    });

    it(`${tag}: a debug session stopped at a breakpoint`, async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const watcher = new StopWatcher();
      const uri = vscode.Uri.file(join(workspaceRoot(), 'js-handler', 'orders.js'));
      const breakpoint = new vscode.SourceBreakpoint(new vscode.Location(uri, new vscode.Position(5, 0)));
      vscode.debug.addBreakpoints([breakpoint]);
      try {
        await vscode.debug.startDebugging(vscode.workspace.workspaceFolders![0], { type: 'lambda', request: 'launch', name: 'Debug OrdersFunction', template: '${workspaceFolder}/template.yaml', resource: 'OrdersFunction', event: { items: [{ price: 3 }, { price: 4 }] } });
        const stop = await watcher.next();
        await notBlank(`debug-stopped-${tag}`);
        await continueFrom(stop);
        await waitFor('the session to end', () => watcher.live.size === 0, 20_000);
      } finally {
        vscode.debug.removeBreakpoints([breakpoint]);
        watcher.dispose();
      }
    });

    it(`${tag}: the New Handler quick pick`, async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const picking = vscode.commands.executeCommand('lambdaWorkbench.newHandler');
      await notBlank(`new-handler-${tag}`);
      // Accept the first runtime: the trigger step, grouped, with Back.
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await notBlank(`new-handler-triggers-${tag}`);
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      assert.equal(await picking, undefined, 'closing the pick cancels the command');
    });
  }
});
