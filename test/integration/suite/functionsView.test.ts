import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RemoteInvokeResult } from '../../../src/core/aws/lambdaFunctions';
import type { FunctionItem, FunctionsNode } from '../../../src/functions/functionsTree';
import { makeZip, startLambdaEmulator, type LambdaEmulator } from '../../support/awsEmulator/lambda';
import { IamService } from '../../support/awsEmulator/iam';
import { extensionApi, workspaceRoot } from '../support/api';
import { acceptItem, itemLabels, nextQuickInput } from '../support/quickInputs';
import { canScreenshot, screenshot } from '../support/screens';
import { waitFor } from '../../support/waitFor';

const KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_REGION'] as const;

const isFunction = (node: FunctionsNode): node is FunctionItem => node.contextValue === 'function';

describe('Functions view against the Lambda emulator (real host)', function () {
  this.timeout(90_000);
  let emu: LambdaEmulator;
  let iam: IamService;
  const saved: Partial<Record<(typeof KEYS)[number], string>> = {};
  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('lambdaWorkbench');

  before(async () => {
    for (const k of KEYS) saved[k] = process.env[k];
    iam = new IamService({ propagationMs: 2_500 });
    emu = await startLambdaEmulator({ region: 'eu-west-1', updateDelayMs: 200, services: [iam] });
    emu.lambda.roleAssumable = (arn) => arn === 'arn:aws:iam::123456789012:role/test' || iam.assumable(arn);
    emu.lambda.seed(10_000, 'fn');
    emu.lambda.addFunction({ FunctionName: 'aaa-greeter', Runtime: 'nodejs20.x', Handler: 'index.handler', Environment: { Variables: { SECRET_TOKEN: 'hunter2' } },
      zip: makeZip({ 'index.mjs': "export const handler = async (e) => { console.log('greeting', e.name); return { hello: e.name }; };\n" }) });
    process.env.AWS_ACCESS_KEY_ID = 'AKIDHOSTTEST';
    process.env.AWS_SECRET_ACCESS_KEY = 'host-secret';
    process.env.AWS_REGION = 'eu-west-1';
    delete process.env.AWS_PROFILE;
    await settings().update('aws.endpoint', emu.endpoint, vscode.ConfigurationTarget.Global);
    await settings().update('aws.regions', ['eu-west-1'], vscode.ConfigurationTarget.Global);
    const api = await extensionApi();
    await waitFor('credentials', async () => { await api.functions.session.reload(); return api.functions.session.hasCredentials; }, 20_000);
  });
  after(async () => {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await settings().update('aws.endpoint', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('aws.regions', undefined, vscode.ConfigurationTarget.Global);
    await emu.close();
  });

  async function regionChildren(): Promise<FunctionsNode[]> {
    const { tree } = (await extensionApi()).functions;
    // The extension runs from its bundle, so its classes are not these modules' classes: compare context values.
    const [region] = await tree.getChildren();
    assert.equal(region?.contextValue, 'region');
    return tree.getChildren(region);
  }

  it('shows the first page of a 10 000-function account and a Load more item, sorted by name', async () => {
    const { tree } = (await extensionApi()).functions;
    // A load the view started on its own (the endpoint setting changed) is done before counting requests.
    await regionChildren();
    const listsBefore = emu.lambda.operations.filter((o) => o === 'ListFunctions').length;
    tree.refresh();
    const started = Date.now();
    const children = await regionChildren();
    const functions = children.filter(isFunction);
    assert.equal(functions.length, 50, 'one page');
    assert.equal(children.at(-1)?.contextValue, 'loadMore', 'Load more comes last');
    const names = functions.map((f) => f.fn.name);
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
    assert.ok(Date.now() - started < 60_000);
    assert.equal(emu.lambda.operations.filter((o) => o === 'ListFunctions').length - listsBefore, 1, 'only one page was requested');
    const aaa = functions.find((f) => f.fn.name === 'aaa-greeter');
    assert.ok(aaa, 'the first page holds aaa-greeter');
    // nodejs20.x is deprecated (2026-04-30) and refused for new functions (2026-08-31): marked, and the tooltip says so.
    assert.match(String(aaa.description), /^nodejs20\.x \(deprecated\) · 128 MB$/);
    const tip = (aaa.tooltip as vscode.MarkdownString).value;
    assert.match(tip, /nodejs20\.x is deprecated since 2026-04-30 \(no security updates\); Lambda accepts no new functions on it since 2026-08-31\. Move the function to a supported runtime\./);
    const current = functions.find((f) => f.fn.runtime === 'python3.12');
    assert.ok(current && !String(current.description).includes('deprecated') && !(current.tooltip as vscode.MarkdownString).value.includes('deprecated'), String(current?.description));
    await vscode.commands.executeCommand('lambdaWorkbench.loadMoreFunctions', 'eu-west-1');
    const more = (await regionChildren()).filter((c) => isFunction(c));
    assert.equal(more.length, 100, 'Load more fetched the next page');
  });

  it('masks environment values until one is revealed', async () => {
    const { tree } = (await extensionApi()).functions;
    const fn = (await regionChildren()).find((c): c is FunctionItem => isFunction(c) && c.fn.name === 'aaa-greeter')!;
    const [, envGroup] = await tree.getChildren(fn);
    const [variable] = await tree.getChildren(envGroup);
    assert.equal(variable.label, 'SECRET_TOKEN');
    assert.equal(variable.description, '••••••••');
    await vscode.commands.executeCommand('lambdaWorkbench.revealEnvironmentValue', variable);
    const [revealed] = await tree.getChildren(envGroup);
    assert.equal(revealed.description, 'hunter2');
  });

  it('filters by name', async () => {
    await vscode.commands.executeCommand('lambdaWorkbench.filterFunctions', 'greeter');
    const shown = (await regionChildren()).filter(isFunction);
    assert.deepEqual(shown.map((f) => f.fn.name), ['aaa-greeter']);
    await vscode.commands.executeCommand('lambdaWorkbench.filterFunctions', '');
  });

  it('invokes a function and shows the result and the decoded log tail', async () => {
    const result = await vscode.commands.executeCommand<RemoteInvokeResult>('lambdaWorkbench.invokeFunction', 'aaa-greeter', { event: '{"name":"host"}', type: 'RequestResponse' });
    assert.deepEqual(JSON.parse(result.payload), { hello: 'host' });
    assert.match(result.logTail ?? '', /greeting host/);
    const api = await extensionApi();
    const doc = await vscode.workspace.openTextDocument(api.localHandlers.docs.uriFor('aaa-greeter', 'remote'));
    await waitFor('the result document', () => doc.getText().includes('"hello": "host"') && /# Log tail/.test(doc.getText()));
  });

  it('an editable payload: opened as an editor with the last one used, invoked from its title bar with unsaved edits', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('lambdaWorkbench.editInvokePayload', 'aaa-greeter');
    assert.match(uri.fsPath, /aaa-greeter\.lambda-payload\.json$/, 'the function is named in the editor title');
    const editor = await vscode.window.showTextDocument(uri);
    await editor.edit((e) => e.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), '{ "name": "edited" }\n'));
    assert.ok(editor.document.isDirty);
    const out = await vscode.commands.executeCommand<RemoteInvokeResult>('lambdaWorkbench.invokeFromPayload', uri);
    assert.deepEqual(JSON.parse(out.payload), { hello: 'edited' });
    assert.equal(readFileSync(uri.fsPath, 'utf8'), '{ "name": "edited" }\n', 'kept as the next default');
    await vscode.commands.executeCommand('lambdaWorkbench.invokeFunction', 'aaa-greeter', { event: '{"name":"from-args"}', type: 'RequestResponse' });
    const again = await vscode.commands.executeCommand<vscode.Uri>('lambdaWorkbench.editInvokePayload', 'aaa-greeter');
    assert.equal(readFileSync(again.fsPath, 'utf8'), '{"name":"from-args"}', 'the last payload used, whichever way');
    await waitFor('the editor to show it', async () => (await vscode.workspace.openTextDocument(again)).getText() === '{"name":"from-args"}');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('deploys a local handler: the function appears and returns the new code', async () => {
    const api = await extensionApi();
    await api.localHandlers.index.whenReady();
    const orders = api.localHandlers.index.all().find((h) => h.name === 'OrdersFunction')!;
    const summary = await vscode.commands.executeCommand<{ name: string }>('lambdaWorkbench.deployFunction', orders.id, { name: 'orders-deployed', role: 'arn:aws:iam::123456789012:role/test' });
    assert.equal(summary?.name, 'orders-deployed');
    // It sorts after the 10 000 seeded functions: with a filter, Load more scans pages until a match turns up.
    await vscode.commands.executeCommand('lambdaWorkbench.filterFunctions', 'orders-deployed');
    await waitFor('the deployed function in the view', async () => {
      await vscode.commands.executeCommand('lambdaWorkbench.loadMoreFunctions', 'eu-west-1');
      return (await regionChildren()).some((c) => isFunction(c) && c.fn.name === 'orders-deployed');
    }, 30_000);
    await vscode.commands.executeCommand('lambdaWorkbench.filterFunctions', '');
    const out = await vscode.commands.executeCommand<RemoteInvokeResult>('lambdaWorkbench.invokeFunction', 'orders-deployed', { event: '{"items":[{"price":5}]}', type: 'RequestResponse' });
    assert.equal(JSON.parse(out.payload).total, 5);
  });

  it('a new function gets its execution role from a pick: the roles Lambda can assume, or a basic role created for it', async () => {
    const api = await extensionApi();
    await api.localHandlers.index.whenReady();
    const orders = api.localHandlers.index.all().find((h) => h.name === 'OrdersFunction')!;
    const lambdaTrust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    iam.addRole('orders-exec', lambdaTrust, { description: 'orders team' });
    iam.addRole('build-agent', { ...lambdaTrust, Statement: [{ ...lambdaTrust.Statement[0], Principal: { Service: 'ec2.amazonaws.com' } }] });
    const shown = nextQuickInput(api);
    const deploying = vscode.commands.executeCommand<{ name: string; role?: string }>('lambdaWorkbench.deployFunction', orders.id, { name: 'orders-new-role', includeLocalEnvironment: false });
    const pick = await shown;
    assert.equal(pick.title, 'Execution role for orders-new-role');
    await waitFor('the roles to be listed', () => !pick.busy);
    assert.deepEqual(itemLabels(pick), ['$(add) Create a basic execution role', '$(edit) Enter a role ARN…', 'orders-exec'], 'the EC2 role is left out');
    assert.match(pick.placeholder ?? '', /^1 role\(s\) Lambda can assume/);
    if (canScreenshot()) assert.ok((await screenshot('execution-role-pick')).stdev > 2, 'the role pick is on screen');
    await acceptItem(pick, '$(add) Create a basic execution role');
    const summary = await deploying;
    assert.equal(summary?.role, 'arn:aws:iam::123456789012:role/service-role/orders-new-role-role', 'deployed with the new role (after IAM propagated it)');
    assert.deepEqual(iam.roles.get('orders-new-role-role')?.policies, ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']);
  });

  it('the role pick says when the credentials may not list roles, and closing it deploys nothing', async () => {
    const api = await extensionApi();
    const orders = api.localHandlers.index.all().find((h) => h.name === 'OrdersFunction')!;
    iam.faults.failNext('ListRoles', 'AccessDenied');
    const shown = nextQuickInput(api);
    const deploying = vscode.commands.executeCommand('lambdaWorkbench.deployFunction', orders.id, { name: 'orders-no-list', includeLocalEnvironment: false });
    const pick = await shown;
    await waitFor('the listing to fail', () => !pick.busy);
    assert.match(pick.placeholder ?? '', /may not list IAM roles \(iam:ListRoles\): create one, or enter an ARN/);
    assert.deepEqual(itemLabels(pick), ['$(add) Create a basic execution role', '$(edit) Enter a role ARN…']);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await deploying, undefined);
    assert.equal(emu.lambda.get('orders-no-list'), undefined);
  });

  it('a deploy asks before uploading the local .env (names listed), and without a yes sends only the template\'s variables', async () => {
    const api = await extensionApi();
    await api.localHandlers.index.whenReady();
    const orders = api.localHandlers.index.all().find((h) => h.name === 'OrdersFunction')!;
    const envFile = join(workspaceRoot(), 'js-handler', '.env');
    writeFileSync(envFile, 'API_KEY=sk-live-host\n');
    try {
      // The test host refuses modal dialogs and says what it was asked: that is the question.
      const asked = await vscode.commands.executeCommand('lambdaWorkbench.deployFunction', orders.id, { name: 'orders-env', role: 'arn:aws:iam::123456789012:role/test' })
        .then(() => '', (error: Error) => error.message);
      assert.match(asked, /Upload the local \.env's 1 variable\(s\) \(API_KEY\) as orders-env's environment\?/);
      assert.doesNotMatch(asked, /sk-live-host/);
      assert.equal(emu.lambda.get('orders-env'), undefined, 'nothing deployed while unanswered');
      const summary = await vscode.commands.executeCommand<{ name: string }>('lambdaWorkbench.deployFunction', orders.id,
        { name: 'orders-env', role: 'arn:aws:iam::123456789012:role/test', includeLocalEnvironment: false });
      assert.equal(summary?.name, 'orders-env');
      const variables = emu.lambda.get('orders-env')?.Environment?.Variables ?? {};
      assert.equal(variables.API_KEY, undefined, 'the .env value stayed on this machine');
      assert.equal(variables.STAGE_LABEL, 'orders-test', "the template's variables went up");
    } finally {
      rmSync(envFile, { force: true });
    }
  });

  it('deploys from a folder (the Explorer action) and says when a folder holds no handler', async () => {
    const root = vscode.workspace.workspaceFolders![0].uri;
    const summary = await vscode.commands.executeCommand<{ name: string }>('lambdaWorkbench.deployFunction', vscode.Uri.joinPath(root, 'ts-handler'), { name: 'ts-from-folder', role: 'arn:aws:iam::123456789012:role/test' });
    assert.equal(summary?.name, 'ts-from-folder');
    const out = await vscode.commands.executeCommand<RemoteInvokeResult>('lambdaWorkbench.invokeFunction', 'ts-from-folder', { event: '{"name":"folder"}', type: 'RequestResponse' });
    assert.deepEqual(JSON.parse(out.payload), { message: 'Hello, folder!' }, 'the TypeScript handler was bundled and runs');
    const none = await vscode.commands.executeCommand('lambdaWorkbench.deployFunction', vscode.Uri.joinPath(root, 'events'));
    assert.equal(none, undefined);
  });

  it('downloads code into a folder', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'lwb-dl-'));
    const target = await vscode.commands.executeCommand<string>('lambdaWorkbench.downloadFunction', 'aaa-greeter', { folder });
    assert.equal(target, join(folder, 'aaa-greeter'));
    assert.match(readFileSync(join(folder, 'aaa-greeter', 'index.mjs'), 'utf8'), /greeting/);
  });

  it('asks before deleting, naming the function (and deletes nothing unanswered)', async () => {
    // The test host refuses to show modal dialogs and says what it was asked to show: that is the question.
    const outcome = await vscode.commands.executeCommand<boolean>('lambdaWorkbench.deleteFunction', 'aaa-greeter').then(
      (deleted) => ({ deleted, question: '' }), (error: Error) => ({ deleted: false, question: error.message }));
    assert.equal(outcome.deleted, false);
    if (outcome.question) assert.match(outcome.question, /Delete the function aaa-greeter in eu-west-1\?/);
    assert.ok(emu.lambda.get('aaa-greeter'), 'still there');
  });

  it('a workspace aws.endpoint is used only after the user agrees; until then calls go where the user\'s settings say', async () => {
    const api = await extensionApi();
    const settingsFile = join(workspaceRoot(), '.vscode', 'settings.json');
    const original = readFileSync(settingsFile, 'utf8');
    const foreign = 'http://127.0.0.1:9/from-the-repository';
    try {
      await settings().update('aws.endpoint', foreign, vscode.ConfigurationTarget.Workspace);
      assert.deepEqual(api.functions.session.endpoint(), { value: emu.endpoint, pending: foreign });
      assert.equal(api.functions.session.context().endpoint, emu.endpoint, 'the user\'s own endpoint, not the repository\'s');
      await api.functions.session.answerWorkspaceEndpoint(foreign, false);
      assert.deepEqual(api.functions.session.endpoint(), { value: emu.endpoint }, 'declined: not asked again, not used');
      await api.functions.session.answerWorkspaceEndpoint(foreign, true);
      assert.equal(api.functions.session.context().endpoint, foreign, 'agreed: used');
    } finally {
      await settings().update('aws.endpoint', undefined, vscode.ConfigurationTarget.Workspace);
      writeFileSync(settingsFile, original);
      await api.functions.session.reload();
    }
    assert.equal(api.functions.session.context().endpoint, emu.endpoint);
  });

  it('the region pick shows the current region first, marked, with its name; picking another switches the status bar', async () => {
    const api = await extensionApi();
    const { session } = api.functions;
    const shown = nextQuickInput(api);
    const picking = vscode.commands.executeCommand('lambdaWorkbench.selectRegion');
    const pick = await shown;
    assert.equal(pick.items[0].label, 'eu-west-1');
    assert.match(pick.items[0].description ?? '', /^Ireland · current/);
    assert.ok(itemLabels(pick).includes('$(edit) Another region…'));
    await acceptItem(pick, 'eu-central-1');
    await picking;
    try {
      assert.equal(session.currentRegion, 'eu-central-1');
      assert.match(session.statusText, /· eu-central-1$/);
    } finally {
      await session.selectRegion('eu-west-1');
    }
  });

  it('without credentials: no regions, the welcome content, and no error', async () => {
    const api = await extensionApi();
    const dir = mkdtempSync(join(tmpdir(), 'lwb-nocreds-'));
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    await api.functions.session.reload();
    assert.equal(api.functions.session.hasCredentials, false);
    assert.equal(api.functions.session.statusText, '$(warning) No AWS credentials', 'the status bar says so instead of default · us-east-1');
    assert.deepEqual(await api.functions.tree.getChildren(), []);
    assert.equal(existsSync(join(dir, 'config')), false, 'nothing was written');
  });
});
