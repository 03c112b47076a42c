import * as assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import * as vscode from 'vscode';
import type { LambdaWorkbenchApi } from '../../../src/extension';
import type { RunOutcome } from '../../../src/localHandlers/localRunner';
import { waitFor } from '../../support/waitFor';

describe('The extension installed from its platform VSIX', function () {
  this.timeout(60_000);

  it('is the unpacked VSIX (outside the repository, with no node_modules above it)', () => {
    const extension = vscode.extensions.getExtension<LambdaWorkbenchApi>('lambda-workbench.lambda-workbench');
    assert.ok(extension);
    assert.equal(realpathSync(extension.extensionPath), realpathSync(process.env.LWB_INSTALLED_EXTENSION!));
  });

  it('runs a TypeScript handler, compiled by the esbuild binary the VSIX carries', async () => {
    const api = await vscode.extensions.getExtension<LambdaWorkbenchApi>('lambda-workbench.lambda-workbench')!.activate();
    await api.localHandlers.index.whenReady();
    const greet = await waitFor('the TypeScript handler', () => api.localHandlers.index.all().find((h) => h.file?.endsWith('greet.ts')));
    const outcome = await vscode.commands.executeCommand<RunOutcome>('lambdaWorkbench.runHandler', greet.id);
    assert.ok(outcome.result, outcome.problem);
    assert.equal(outcome.result.error, undefined, outcome.result.payload);
    assert.equal(JSON.parse(outcome.result.payload), 'hello from the VSIX');
  });
});
