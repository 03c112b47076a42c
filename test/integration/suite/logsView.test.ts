import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { LogsService } from '../../support/awsEmulator/logs';
import { AwsEmulator } from '../../support/awsEmulator/server';
import { extensionApi } from '../support/api';
import { waitFor } from '../../support/waitFor';
import { acceptItem, itemLabels, nextQuickInput } from '../support/quickInputs';

describe('Logs view, search and tail against the Logs emulator (real host)', function () {
  this.timeout(60_000);
  let emulator: AwsEmulator;
  const logs = new LogsService();
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('lambdaWorkbench');
  const stream = '2026/11/23/[$LATEST]0123abcd';

  before(async () => {
    emulator = await AwsEmulator.start(logs);
    const now = Date.now();
    logs.put('/aws/lambda/orders', stream, 'START RequestId: r-1 Version: $LATEST', now - 6000);
    logs.put('/aws/lambda/orders', stream, '{"level":"ERROR","message":"payment failed","orderId":7}', now - 5000);
    logs.put('/aws/lambda/orders', stream, 'REPORT RequestId: r-1\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB', now - 4000);
    logs.put('/aws/lambda/reports', 's', 'hello', now - 3000);
    logs.put('/other/group', 's', 'x', now - 3000);
    process.env.AWS_ACCESS_KEY_ID = 'AKIDLOGSHOST';
    process.env.AWS_SECRET_ACCESS_KEY = 'logs-host';
    await settings().update('aws.endpoint', emulator.endpoint, vscode.ConfigurationTarget.Global);
    const api = await extensionApi();
    await waitFor('credentials', async () => { await api.functions.session.reload(); return api.functions.session.hasCredentials; }, 20_000);
  });
  after(async () => {
    (await extensionApi()).logs.tails.stop();
    if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID; else process.env.AWS_ACCESS_KEY_ID = saved.id;
    if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY; else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    await settings().update('aws.endpoint', undefined, vscode.ConfigurationTarget.Global);
    await emulator.close();
  });

  it('lists log groups, filtered by prefix, and a group’s streams', async () => {
    const { tree } = (await extensionApi()).logs;
    await vscode.commands.executeCommand('lambdaWorkbench.filterLogGroups', '/aws/lambda/');
    const groups = await tree.getChildren();
    assert.deepEqual(groups.map((g) => g.label), ['/aws/lambda/orders', '/aws/lambda/reports']);
    const streams = await tree.getChildren(groups[0]);
    assert.deepEqual(streams.map((s) => s.label), [stream]);
  });

  it('opens a stream as a formatted lambda-log document', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('lambdaWorkbench.openLogStream', '/aws/lambda/orders', stream);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.languageId, 'lambda-log');
    await waitFor('the formatted lines', () => /ERROR payment failed {2}\{"orderId":7\}/.test(doc.getText()) && /REPORT r-1 {2}Duration/.test(doc.getText()));
  });

  it('loads newer (and older) events into an open stream document', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('lambdaWorkbench.openLogStream', '/aws/lambda/orders', stream);
    logs.put('/aws/lambda/orders', stream, 'a later line in the stream', Date.now() - 1000);
    assert.equal(await vscode.commands.executeCommand<number>('lambdaWorkbench.loadNewerLogEvents', uri), 1);
    assert.equal(await vscode.commands.executeCommand<number>('lambdaWorkbench.loadOlderLogEvents', uri), 0, 'nothing older than the start of the stream');
    const doc = await vscode.workspace.openTextDocument(uri);
    await waitFor('the newer line', () => doc.getText().includes('a later line in the stream'));
  });

  it('searches a group with a pattern over a range, results streamed into a document', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('lambdaWorkbench.searchLogGroup', '/aws/lambda/orders', { pattern: 'ERROR', rangeMs: 3_600_000 });
    const doc = await vscode.workspace.openTextDocument(uri);
    await waitFor('the search results', () => doc.getText().includes('payment failed') && doc.getText().includes('# 1 event(s)'));
    assert.doesNotMatch(doc.getText(), /REPORT r-1/);
  });

  it('tails a group: events appear as they are emitted; the status bar Stop ends it', async () => {
    const api = await extensionApi();
    const uri = await vscode.commands.executeCommand<vscode.Uri>('lambdaWorkbench.tailLogGroup', '/aws/lambda/orders', { mode: 'polling' });
    const doc = await vscode.workspace.openTextDocument(uri);
    await waitFor('the recent events', () => doc.getText().includes('payment failed'));
    logs.put('/aws/lambda/orders', stream, 'a new line from the function', Date.now());
    await waitFor('the new event', () => doc.getText().includes('a new line from the function'), 15_000);
    assert.equal(doc.getText().match(/payment failed/g)?.length, 1, 'no duplicates');
    assert.equal(api.logs.tails.running().length, 1);
    await vscode.commands.executeCommand('lambdaWorkbench.stopTail');
    assert.equal(api.logs.tails.running().length, 0);
    await waitFor('the stop note', () => /# Tail stopped/.test(doc.getText()));
  });

  it('closing a tail document stops its tail; several tails can run at once', async () => {
    const api = await extensionApi();
    const first = await vscode.commands.executeCommand<vscode.Uri>('lambdaWorkbench.tailLogGroup', '/aws/lambda/orders', { mode: 'polling' });
    await vscode.commands.executeCommand<vscode.Uri>('lambdaWorkbench.tailLogGroup', '/aws/lambda/reports', { mode: 'polling' });
    assert.equal(api.logs.tails.running().length, 2);
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === first.toString());
    assert.ok(tabs.length > 0, 'the tail document is open');
    await vscode.window.tabGroups.close(tabs);
    await waitFor('the closed tail to stop', () => api.logs.tails.running().length === 1 && api.logs.tails.running()[0].group === '/aws/lambda/reports');
    api.logs.tails.stop();
  });

  it('Live Tail asks first (it is billed), then streams events, says when sampled, and stops', async () => {
    const api = await extensionApi();
    // The first use asks before starting a billed session (the test host refuses dialogs: nothing starts).
    const refused = await vscode.commands.executeCommand('lambdaWorkbench.tailLogGroup', '/aws/lambda/orders', { mode: 'live' }).then(() => '', (e: Error) => e.message);
    assert.match(refused, /billed per minute/);
    assert.equal(api.logs.tails.running().length, 0);
    const uri = await api.logs.tails.start('/aws/lambda/orders', undefined, 'live');
    const session = await logs.nextLiveSession();
    assert.deepEqual(session.request.logGroupIdentifiers, ['arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders']);
    session.start();
    session.update([{ message: 'live event one' }]);
    session.update([{ message: 'live event two' }], true);
    const doc = await vscode.workspace.openTextDocument(uri);
    await waitFor('the live events and the sampling note', () => doc.getText().includes('live event two') && /sampling this stream/.test(doc.getText()));
    assert.match(doc.getText(), /billed per minute/);
    api.logs.tails.stop(uri);
    await waitFor('the Live Tail connection to close (no billed session left running)', () => session.closed);
    assert.equal(api.logs.tails.running().length, 0);
  });

  it('runs a Logs Insights query: rows as a table, the query remembered for the workspace and offered (and editable) next time', async () => {
    const api = await extensionApi();
    const query = 'filter @type = "REPORT" | fields @timestamp, @requestId, @duration, @maxMemoryUsed | sort @timestamp asc | limit 20';
    const uri = await vscode.commands.executeCommand<vscode.Uri>('lambdaWorkbench.queryLogGroup', '/aws/lambda/orders', { query, rangeMs: 3_600_000 });
    assert.ok(uri, 'the query ran');
    const doc = await vscode.workspace.openTextDocument(uri);
    await waitFor('the table', () => doc.getText().includes('# 1 row(s)'));
    const lines = doc.getText().split('\n');
    const head = lines.findIndex((l) => l.startsWith('@timestamp'));
    assert.match(lines[head], /^@timestamp +@requestId +@duration +@maxMemoryUsed$/);
    assert.match(lines[head + 2], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} +r-1 +12\.34 +74000000$/);
    // Next time: the query is offered; choosing it shows it for editing (step 2), and Enter runs it.
    const shownPick = nextQuickInput(api);
    const running = vscode.commands.executeCommand<vscode.Uri>('lambdaWorkbench.queryLogGroup', '/aws/lambda/orders', { rangeMs: 3_600_000 });
    const pick = await shownPick;
    assert.deepEqual(itemLabels(pick), ['$(add) New query…', query.slice(0, 79) + '…']);
    const shownBox = nextQuickInput<vscode.InputBox>(api);
    await acceptItem(pick, itemLabels(pick)[1]);
    const box = await shownBox;
    assert.equal(box.value, query);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.equal((await running)?.toString(), uri.toString());
  });

  it('a query Logs Insights refuses says why in the results document and in an error, and runs nothing else', async () => {
    const uri = (await extensionApi()).localHandlers.docs.uriFor('/aws/lambda/orders', 'query');
    const result = await vscode.commands.executeCommand<vscode.Uri | undefined>('lambdaWorkbench.queryLogGroup', '/aws/lambda/orders', { query: 'fields nonsense |||', rangeMs: 3_600_000 });
    assert.equal(result, undefined);
    const doc = await vscode.workspace.openTextDocument(uri);
    await waitFor('the failure in the document', () => /# the query failed: .+/.test(doc.getText()));
  });
});
