import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../../support/waitFor';

const EXTENSION_ID = 'lambda-workbench.lambda-workbench';

interface Manifest {
  contributes: {
    commands: { command: string }[];
    views: Record<string, { id: string }[]>;
    viewsContainers: { activitybar: { id: string }[] };
  };
}

describe('Extension activation', () => {
  let extension: vscode.Extension<unknown>;

  before(async () => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `extension ${EXTENSION_ID} is installed in the host`);
    extension = found;
    await extension.activate();
  });

  it('activates', () => {
    assert.equal(extension.isActive, true);
  });

  it('contributes the Lambda Workbench container with the three views', async () => {
    const manifest = extension.packageJSON as Manifest;
    assert.deepEqual(manifest.contributes.viewsContainers.activitybar.map((c) => c.id), ['lambdaWorkbench']);
    const viewIds = manifest.contributes.views.lambdaWorkbench.map((v) => v.id);
    assert.deepEqual(viewIds, ['lambdaWorkbench.localHandlers', 'lambdaWorkbench.functions', 'lambdaWorkbench.logs']);
    // The workbench registers a focus command per registered view and an open command per container: executing
    // them proves the host knows the views, not just that the manifest lists them.
    await vscode.commands.executeCommand('workbench.view.extension.lambdaWorkbench');
    const all = await vscode.commands.getCommands(true);
    for (const id of viewIds) {
      assert.ok(all.includes(`${id}.focus`), `view ${id} is registered`);
      await vscode.commands.executeCommand(`${id}.focus`);
    }
  });

  it('registers every contributed command', async () => {
    const contributed = (extension.packageJSON as Manifest).contributes.commands.map((c) => c.command);
    assert.ok(contributed.length > 0);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'commands contributed in package.json but not registered');
  });

  it('creates the Lambda Workbench output channel', async () => {
    // The Output view opens its document asynchronously; ask again while waiting in case another channel had focus.
    const channel = await waitFor('the output channel document', async () => {
      await vscode.commands.executeCommand('lambdaWorkbench.showOutput');
      return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && decodeURIComponent(d.uri.toString()).includes('Lambda Workbench'));
    }, 30_000);
    await waitFor('the activation line in the channel', () => channel.getText().includes('Lambda Workbench') && channel.getText().includes('activated'));
  });
});
