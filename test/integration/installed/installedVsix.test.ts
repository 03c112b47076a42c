import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { LambdaWorkbenchApi } from '../../../src/extension';
import type { RunOutcome } from '../../../src/localHandlers/localRunner';
import { waitFor } from '../../support/waitFor';

describe('The extension installed from its platform VSIX', function () {
  this.timeout(60_000);

  it('is the VSIX VS Code installed into its extensions folder, outside the repository', () => {
    const extension = vscode.extensions.getExtension<LambdaWorkbenchApi>('lambda-workbench.lambda-workbench');
    assert.ok(extension);
    assert.equal(realpathSync(dirname(extension.extensionPath)), realpathSync(process.env.LWB_INSTALLED_EXTENSIONS!));
    assert.match(basename(extension.extensionPath), new RegExp(`^lambda-workbench\\.lambda-workbench-${extension.packageJSON.version}`));
    const binary = join(extension.extensionPath, 'node_modules', '@esbuild', `${process.platform}-${process.arch}`, 'bin', 'esbuild');
    assert.ok(existsSync(binary), `${binary} was installed`);
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

  it('carries every library its bundle loads on first use, and each loads from the installed folder', () => {
    const extension = vscode.extensions.getExtension<LambdaWorkbenchApi>('lambda-workbench.lambda-workbench')!;
    const dist = join(extension.extensionPath, 'dist');
    const bundle = readFileSync(join(dist, 'extension.js'), 'utf8');
    const named = [...bundle.matchAll(/require\("\.\/vendor\/([\w.-]+\.js)"\)\[("[^"]+")\]/g)].map((m) => ({ file: m[1], specifier: JSON.parse(m[2]) as string }));
    assert.ok(named.some((n) => n.specifier === '@aws-sdk/client-lambda'), named.map((n) => n.specifier).join(', '));
    for (const { file, specifier } of named) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const vendor = require(join(dist, 'vendor', file)) as Record<string, unknown>;
      assert.equal(typeof vendor[specifier], 'object', `${specifier} from dist/vendor/${file}`);
    }
  });
});
