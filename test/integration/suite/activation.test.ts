import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LambdaWorkbenchApi } from '../../../src/extension';
import type { LargeWorkspace } from '../../support/largeWorkspace';
import { loadedVendorFiles } from '../../../src/output/startupTiming';
import { waitFor } from '../../support/waitFor';
import { workspaceRoot } from '../support/api';

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

  // These three run before any test shows a view: they see the extension as a user who has not opened it yet.
  it('activation neither scans the workspace nor asks AWS for credentials', () => {
    const api = extension.exports as LambdaWorkbenchApi;
    assert.equal(api.localHandlers.index.isStarted, false, 'discovery has not started');
    assert.deepEqual(api.localHandlers.index.stats, { scans: 0, parses: 0 });
    assert.equal(api.functions.session.stats.credentialChecks, 0);
    assert.ok(api.activationMs > 0);
  });

  it('loading and activating the extension compile and run none of the AWS SDK, yaml, jose or jsonc-parser', () => {
    const api = extension.exports as LambdaWorkbenchApi;
    assert.ok(api.startup.bundleStarted, 'the extension runs from its bundle');
    const bundle = readFileSync(join(extension.extensionPath, 'dist', 'extension.js'), 'utf8');
    for (const file of ['aws-sdk.js', 'aws-config.js', 'yaml.js', 'jose.js', 'jsonc-parser.js']) {
      assert.ok(bundle.includes(`require("./vendor/${file}")`), `the bundle leaves ${file} out, to load on first use`);
    }
    assert.deepEqual(api.startup.vendorLoaded, [], 'no dist/vendor file was loaded when activate() returned');
    assert.deepEqual(loadedVendorFiles(), [], 'nor since: nothing has been used yet');
  });

  it('showing the Local Handlers view starts discovery: the first tree of a 10 000-file workspace, excluded folders skipped', async () => {
    const api = extension.exports as LambdaWorkbenchApi;
    const manifest = JSON.parse(readFileSync(join(workspaceRoot(), 'generated-10k', 'manifest.json'), 'utf8')) as LargeWorkspace;
    assert.ok(manifest.files >= 10_000);
    await vscode.commands.executeCommand('lambdaWorkbench.localHandlers.focus');
    await waitFor('discovery to start', () => api.localHandlers.index.isStarted);
    await api.localHandlers.index.whenReady();
    const ids = new Set(api.localHandlers.index.all().map((h) => h.id));
    const missing = manifest.handlerIds.filter((id) => !ids.has(id));
    assert.deepEqual(missing, [], 'every generated handler is listed');
    const leaked = [...ids].filter((id) => manifest.excludedFolders.some((f) => id.includes(`${f}/`)));
    assert.deepEqual(leaked, [], 'nothing from node_modules, dist, .venv or a files.exclude folder');
    assert.equal(api.localHandlers.index.stats.scans, 1, 'one listing');
    const items = await (api.localHandlers.tree.getChildren() as Promise<vscode.TreeItem[]>);
    assert.ok(items.some((g) => g.label === 'generated-10k/packages/pkg-000'), 'the tree shows the generated packages');
  });

  it('the Functions view being shown (it shares the container) is what resolves AWS credentials, once', async () => {
    const api = extension.exports as LambdaWorkbenchApi;
    await vscode.commands.executeCommand('lambdaWorkbench.functions.focus');
    await waitFor('the Functions view', () => api.functions.view.visible);
    await waitFor('the credential check', () => api.functions.session.stats.credentialChecks > 0);
    assert.equal(api.functions.session.stats.credentialChecks, 1, 'one check for the views and the status bar');
    // The check read the shared config files or the environment's keys: the vendor file for that loaded on use.
    assert.ok(loadedVendorFiles().includes('aws-config.js'), loadedVendorFiles().join(', '));
    assert.ok(!loadedVendorFiles().includes('aws-sdk.js'), `the check builds no SDK client: ${loadedVendorFiles().join(', ')}`);
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
