import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startLambdaEmulator } from '../../support/awsEmulator/lambda';
import { extensionApi, workspaceRoot } from '../support/api';
import { waitFor } from '../../support/waitFor';

/** Time until the first page of the Functions view is resolved (tree items built) for accounts of 1 000 and
 *  10 000 functions, and what the view holds afterwards: it must not grow with the account. */
describe('Benchmark: Functions view first page', function () {
  this.timeout(120_000);
  const rows: { functions: number; firstPageMs: number[]; held: number }[] = [];
  after(() => {
    const dir = join(workspaceRoot(), '..', '..', '..', 'test-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'bench-functions.json'), JSON.stringify(rows, null, 2));
  });

  for (const size of [1_000, 10_000]) {
    it(`${size} functions`, async () => {
      const emu = await startLambdaEmulator({ region: 'eu-west-1' });
      emu.lambda.seed(size, 'fn');
      const config = vscode.workspace.getConfiguration('lambdaWorkbench');
      process.env.AWS_ACCESS_KEY_ID = 'AKIDBENCH';
      process.env.AWS_SECRET_ACCESS_KEY = 'bench';
      await config.update('aws.endpoint', emu.endpoint, vscode.ConfigurationTarget.Global);
      await config.update('aws.regions', ['eu-west-1'], vscode.ConfigurationTarget.Global);
      try {
        const { functions } = await extensionApi();
        await waitFor('credentials', async () => { await functions.session.reload(); return functions.session.hasCredentials; });
        const samples: number[] = [];
        for (let i = 0; i < 5; i++) {
          functions.tree.refresh();
          const started = performance.now();
          const [region] = await functions.tree.getChildren();
          const items = await functions.tree.getChildren(region);
          items.forEach((item) => functions.tree.getTreeItem(item));
          samples.push(performance.now() - started);
        }
        rows.push({ functions: size, firstPageMs: samples, held: functions.tree.loaded('eu-west-1').length });
      } finally {
        await config.update('aws.endpoint', undefined, vscode.ConfigurationTarget.Global);
        await config.update('aws.regions', undefined, vscode.ConfigurationTarget.Global);
        await emu.close();
      }
    });
  }
});
