import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from '../../support/waitFor';
import { extensionApi } from '../support/api';
import { acceptItem, nextQuickInput } from '../support/quickInputs';

interface ScaffoldResult { functionDir: string; handlerFile: string; eventFile: string; launch?: { kind: string } }

describe('New Handler and Generate Sample Event (commands in the real host)', () => {
  const workspace = (): string => vscode.workspace.workspaceFolders![0].uri.fsPath;
  let parent: string;

  let originalTemplate: string;
  before(async () => {
    originalTemplate = readFileSync(join(workspace(), 'template.yaml'), 'utf8');
    await vscode.extensions.getExtension('lambda-workbench.lambda-workbench')!.activate();
    parent = mkdtempSync(join(workspace(), 'scaffold-'));
  });
  after(() => {
    writeFileSync(join(workspace(), 'template.yaml'), originalTemplate);
    rmSync(parent, { recursive: true, force: true });
    rmSync(join(workspace(), '.vscode', 'launch.json'), { force: true });
  });

  it('New Handler writes the handler, its saved event and a launch configuration, and opens the handler', async () => {
    const result = await vscode.commands.executeCommand<ScaffoldResult>('lambdaWorkbench.newHandler', {
      language: 'python', templateId: 's3-metadata', name: 'lab-metadata', parentDir: parent, samResource: false,
    });
    assert.ok(result, 'the command returned what it wrote');
    assert.equal(result.functionDir, join(parent, 'lab-metadata'));
    assert.ok(existsSync(join(parent, 'lab-metadata', 'app.py')));
    const event = JSON.parse(readFileSync(result.eventFile, 'utf8')) as { Records: { eventSource: string }[] };
    assert.equal(event.Records[0].eventSource, 'aws:s3');
    const launch = JSON.parse(readFileSync(join(workspace(), '.vscode', 'launch.json'), 'utf8')) as { configurations: { name: string; type: string; handler: string }[] };
    const config = launch.configurations.find((c) => c.name === 'Debug lab-metadata');
    assert.ok(config);
    assert.equal(config.type, 'lambda');
    assert.match(config.handler, /lab-metadata\/app\.lambda_handler$/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, result.handlerFile, 'the handler is open');
    // Run and Debug lists launch.json's entries and the dynamic ones side by side: the new handler only once.
    const api = await extensionApi();
    await waitFor('the index to list it', () => api.localHandlers.index.all().some((h) => h.name === 'lab-metadata'), 10_000);
    const all = (await api.debugProvider.provideDebugConfigurations()).map((c) => c.name);
    assert.ok(all.includes('Debug lab-metadata'));
    // VS Code re-reads launch.json a moment after it is written: wait for the configuration service to have it.
    const dynamic = await waitFor('the dynamic list without it', async () => {
      const names = (await api.debugProvider.dynamicConfigurations(vscode.workspace.workspaceFolders![0])).map((c) => c.name);
      return names.includes('Debug lab-metadata') ? undefined : names;
    }, 10_000);
    assert.equal(dynamic.length, all.length - 1, 'only the one launch.json has is left out');
  });

  it('New Handler goes Back from the trigger step to the runtime step, and Escape cancels', async () => {
    const api = await extensionApi();
    let shown = nextQuickInput(api);
    const running = vscode.commands.executeCommand('lambdaWorkbench.newHandler');
    const runtimes = await shown;
    assert.equal(runtimes.step, 1);
    assert.deepEqual(runtimes.buttons, [], 'no Back on the first step');
    shown = nextQuickInput(api);
    await acceptItem(runtimes, runtimes.items[1].label);
    const triggers = await shown;
    assert.equal(triggers.step, 2);
    assert.equal(triggers.title, 'New Lambda Handler: trigger');
    assert.deepEqual(triggers.buttons, [vscode.QuickInputButtons.Back]);
    shown = nextQuickInput(api);
    await vscode.commands.executeCommand('workbench.action.quickInputBack');
    const again = await shown;
    assert.equal(again.step, 1, 'Back shows the runtime step again');
    assert.equal(again.title, 'New Lambda Handler: runtime');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await running, undefined, 'closing cancels: nothing written');
  });

  it('New Handler in TypeScript adds a second configuration without touching the first', async () => {
    const result = await vscode.commands.executeCommand<ScaffoldResult>('lambdaWorkbench.newHandler', {
      language: 'typescript', templateId: 'sqs-batch', name: 'orders-queue', parentDir: parent, samResource: true,
    });
    assert.ok(existsSync(join(result.functionDir, 'index.ts')));
    const launch = JSON.parse(readFileSync(join(workspace(), '.vscode', 'launch.json'), 'utf8')) as { configurations: { name: string }[] };
    assert.deepEqual(launch.configurations.map((c) => c.name), ['Debug lab-metadata', 'Debug orders-queue']);
    const template = readFileSync(join(workspace(), 'template.yaml'), 'utf8');
    assert.match(template, /OrdersQueueFunction:\n\s+Type: AWS::Serverless::Function\n\s+Properties:\n\s+FunctionName: orders-queue\n/);
    const api = await extensionApi();
    await waitFor('the Local Handlers view to list it by the name typed', () => api.localHandlers.index.all().some((h) => h.name === 'orders-queue' && h.resource === 'OrdersQueueFunction'), 10_000);
    assert.ok(template.startsWith(originalTemplate.trimEnd()), "the fixture's own resources are kept as they were");
  });

  it('a TypeScript handler offers npm install for its declared packages; the install runs as a task in its folder', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'lwb-install-'));
    try {
      const result = await vscode.commands.executeCommand<ScaffoldResult & { needsInstall: boolean }>('lambdaWorkbench.newHandler', {
        language: 'typescript', templateId: 'plain', name: 'needs-types', parentDir: outside, samResource: false,
      });
      assert.equal(result.needsInstall, true, 'types not installed yet: the user is offered npm install');
      // The task itself, on a project with nothing to fetch (no network needed): exit 0 and a lockfile in that folder.
      const empty = join(outside, 'empty-project');
      mkdirSync(empty);
      writeFileSync(join(empty, 'package.json'), JSON.stringify({ name: 'empty-project', version: '1.0.0', private: true }));
      const code = await vscode.commands.executeCommand<number>('lambdaWorkbench.installDependencies', vscode.Uri.file(empty));
      assert.equal(code, 0);
      assert.ok(existsSync(join(empty, 'package-lock.json')), 'npm install ran in the handler\'s folder');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('New Handler in a folder outside the workspace folder writes its template and launch.json there, nothing into the workspace', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'lwb-other-root-'));
    const before = { template: readFileSync(join(workspace(), 'template.yaml'), 'utf8'), launch: readFileSync(join(workspace(), '.vscode', 'launch.json'), 'utf8') };
    try {
      const result = await vscode.commands.executeCommand<ScaffoldResult>('lambdaWorkbench.newHandler', {
        language: 'javascript', templateId: 'api-http', name: 'elsewhere', parentDir: outside, samResource: true,
      });
      assert.equal(result.functionDir, join(outside, 'elsewhere'));
      assert.match(readFileSync(join(outside, 'template.yaml'), 'utf8'), /ElsewhereFunction:/);
      const launch = JSON.parse(readFileSync(join(outside, '.vscode', 'launch.json'), 'utf8')) as { configurations: { name: string }[] };
      assert.deepEqual(launch.configurations.map((c) => c.name), ['Debug elsewhere']);
      assert.equal(readFileSync(join(workspace(), 'template.yaml'), 'utf8'), before.template, "the workspace's template is untouched");
      assert.equal(readFileSync(join(workspace(), '.vscode', 'launch.json'), 'utf8'), before.launch, "the workspace's launch.json is untouched");
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('Generate Sample Event opens the generated JSON in an editor', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('lambdaWorkbench.generateSampleEvent', {
      source: 'sqs', type: 'receive-message', params: { body: 'hello from the host', count: 2 }, destination: 'editor',
    });
    assert.ok(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.languageId, 'json');
    const event = JSON.parse(document.getText()) as { Records: { body: string }[] };
    assert.deepEqual(event.Records.map((r) => r.body), ['hello from the host', 'hello from the host']);
  });

  it('Generate Sample Event saves into a handler folder', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('lambdaWorkbench.generateSampleEvent', {
      source: 's3', type: 'put', params: { bucket: 'lab-bucket', key: 'photos/cat.jpg' }, destination: { codeDir: join(parent, 'lab-metadata'), name: 'cat-upload' },
    });
    assert.equal(uri?.fsPath, join(parent, 'lab-metadata', 'events', 'cat-upload.json'));
    const saved = JSON.parse(readFileSync(uri.fsPath, 'utf8')) as { Records: { s3: { bucket: { name: string } } }[] };
    assert.equal(saved.Records[0].s3.bucket.name, 'lab-bucket');
  });

  it('an unknown source is reported, and the commands keep working', async () => {
    const nothing = await vscode.commands.executeCommand('lambdaWorkbench.generateSampleEvent', { source: 'nope', type: 'x', params: {}, destination: 'editor' });
    assert.equal(nothing, undefined);
    const uri = await vscode.commands.executeCommand<vscode.Uri>('lambdaWorkbench.generateSampleEvent', { source: 's3', type: 'put', params: {}, destination: 'editor' });
    assert.ok(uri);
  });
});
