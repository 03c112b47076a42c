import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { packageRoot } from '../../../src/core/packageInfo';
import { waitFor } from '../../support/waitFor';
import { noneLeft } from '../../unit/support/runtimeFixtures';
import { extensionApi } from '../support/api';
import { canScreenshot, readPage, screenshot } from '../support/screens';
import { continueFrom, StopWatcher, topFrame } from '../support/debugSessions';

describe('Start Local API (real host)', function () {
  this.timeout(60_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-host-api-'));
    cpSync(join(packageRoot(), 'test', 'fixtures', 'localApi'), dir, { recursive: true });
  });
  after(async () => {
    await vscode.commands.executeCommand('lambdaWorkbench.stopLocalApi');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the template over HTTP, shows its routes in the Local Handlers view and a terminal, and stops with nothing left running', async () => {
    const api = await extensionApi();
    const started = await vscode.commands.executeCommand<{ url: string } | undefined>('lambdaWorkbench.startLocalApi', undefined, { template: join(dir, 'template.yaml'), port: 0 });
    assert.ok(started, 'the command returned the running API');
    const url = api.localApi.session!.url;
    const res = await fetch(`${url}/v2/items/7`);
    assert.equal(res.status, 200);
    const event = JSON.parse(await res.text()) as { routeKey: string; pathParameters: { id: string } };
    assert.equal(event.routeKey, 'GET /v2/items/{id}');
    assert.deepEqual(event.pathParameters, { id: '7' });
    await waitFor('the access line', () => api.localApi.session!.access.some((a) => a.path === '/v2/items/7' && a.status === 200 && a.cold === true));

    const tree = api.localHandlers.tree;
    const [root] = await tree.getChildren();
    assert.equal(root.label, 'Local API');
    assert.match(String(root.description), new RegExp(`^${url.replace(/[.]/g, '\\.')} · \\d+ routes$`));
    const routes = await tree.getChildren(root);
    const labels = routes.map((r) => r.label);
    assert.ok(labels.includes('GET /v2/items/{id}'), labels.join(', '));
    assert.ok(labels.includes('GET /dev/items/{id}'), 'REST routes under their stage');
    assert.ok(labels.includes('ANY /*'), 'the function URL');
    const curl = await vscode.commands.executeCommand<string>('lambdaWorkbench.copyRouteAsCurl', routes[labels.indexOf('GET /v2/items/{id}')]);
    assert.equal(curl, `curl -i -X GET '${url}/v2/items/id'`);
    assert.equal(await vscode.env.clipboard.readText(), curl);
    assert.ok(vscode.window.terminals.some((t) => t.name === 'Lambda Local API'), 'the terminal with the access log');
    if (canScreenshot()) {
      await vscode.commands.executeCommand('lambdaWorkbench.localHandlers.focus');
      assert.ok((await screenshot('local-api')).stdev > 2);
    }

    if (canScreenshot()) {
      // A browser page served by a handler, calling the local API with fetch (a GET and a same-origin POST).
      const text = await readPage(`${url}/app`, 'item ');
      assert.match(text, /item 9 via GET \/v2\/items\/\{id\}, posted/);
    }

    const again = await vscode.commands.executeCommand<{ url: string }>('lambdaWorkbench.startLocalApi', undefined, { template: join(dir, 'template.yaml'), port: 0 });
    assert.equal(again, api.localApi.session, 'a second start keeps the running one');

    await vscode.commands.executeCommand('lambdaWorkbench.stopLocalApi');
    assert.equal(api.localApi.session, undefined);
    await assert.rejects(fetch(`${url}/v2/items/7`), 'the port is closed');
    assert.notEqual((await tree.getChildren())[0]?.label, 'Local API');
    await waitFor('the terminal to close', () => !vscode.window.terminals.some((t) => t.name === 'Lambda Local API'));
    assert.deepEqual(await noneLeft(dir), [], 'no function process is left running');
  });

  it('Debug Next Request: the next request to a route stops at a breakpoint in its function, then answers; the one after is not debugged', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('lambdaWorkbench.startLocalApi', undefined, { template: join(dir, 'template.yaml'), port: 0 });
    const url = api.localApi.session!.url;
    const [root] = await api.localHandlers.tree.getChildren();
    const route = (await api.localHandlers.tree.getChildren(root)).find((r) => r.label === 'GET /v2/items/{id}')!;
    await vscode.commands.executeCommand('lambdaWorkbench.debugRoute', route);
    const marked = (await api.localHandlers.tree.getChildren(root)).find((r) => r.label === 'GET /v2/items/{id}')!;
    assert.match(String(marked.description), /next request debugged/);
    const file = join(dir, 'src', 'echo.mjs');
    const breakpoint = new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(file), new vscode.Position(1, 0)));
    vscode.debug.addBreakpoints([breakpoint]);
    const watcher = new StopWatcher();
    try {
      const answer = fetch(`${url}/v2/items/41`);
      const stop = await watcher.next();
      const frame = await topFrame(stop);
      assert.equal(frame.path, file);
      assert.equal(frame.line, 2);
      await continueFrom(stop);
      const res = await answer;
      assert.equal(res.status, 200);
      assert.deepEqual((JSON.parse(await res.text()) as { pathParameters: unknown }).pathParameters, { id: '41' });
      await waitFor('the debug session to end', () => watcher.live.size === 0, 20_000);
      const next = await fetch(`${url}/v2/items/42`);
      assert.equal(next.status, 200);
      assert.equal(watcher.live.size, 0, 'the request after it ran without a debugger');
    } finally {
      vscode.debug.removeBreakpoints([breakpoint]);
      watcher.dispose();
      await vscode.commands.executeCommand('lambdaWorkbench.stopLocalApi');
    }
  });

  it("reloads a saved handler through VS Code's file watcher: the next request runs the new code, cold", async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('lambdaWorkbench.startLocalApi', undefined, { template: join(dir, 'template.yaml'), port: 0 });
    const session = api.localApi.session!;
    try {
      const before = await (await fetch(`${session.url}/v2/items/1`)).json() as { reloaded?: boolean };
      assert.equal(before.reloaded, undefined);
      writeFileSync(join(dir, 'src', 'echo.mjs'), "export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ ...event, reloaded: true }) });\n");
      await waitFor('the new code', async () => ((await (await fetch(`${session.url}/v2/items/1`)).json()) as { reloaded?: boolean }).reloaded === true, 15_000);
      assert.ok(session.access.some((a) => a.coldReason === 'code changed'), 'the access line says why it was cold');
    } finally {
      await vscode.commands.executeCommand('lambdaWorkbench.stopLocalApi');
    }
  });

  it('a saved template with a new route: the route is served and appears in the Local Handlers view without a restart', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('lambdaWorkbench.startLocalApi', undefined, { template: join(dir, 'template.yaml'), port: 0 });
    const session = api.localApi.session!;
    const file = join(dir, 'template.yaml');
    const original = readFileSync(file, 'utf8');
    try {
      const tree = api.localHandlers.tree;
      const labels = async (): Promise<string[]> => (await tree.getChildren((await tree.getChildren())[0])).map((r) => String(r.label));
      assert.ok(!(await labels()).includes('GET /v2/reports'));
      assert.equal((await fetch(`${session.url}/v2/reports`)).status, 200, 'before: the greedy /v2/{proxy+} route answers it');
      let refreshed = 0;
      const listening = tree.onDidChangeTreeData(() => { refreshed++; });
      writeFileSync(file, original.replace('        HttpSpecial:', "        HttpReports: { Type: HttpApi, Properties: { ApiId: !Ref HttpApi, Path: /v2/reports, Method: GET } }\n        HttpSpecial:"));
      await waitFor('the view told to refresh, the new route in it', async () => refreshed > 0 && (await labels()).includes('GET /v2/reports'), 15_000);
      listening.dispose();
      const event = JSON.parse(await (await fetch(`${session.url}/v2/reports`)).text()) as { routeKey: string };
      assert.equal(event.routeKey, 'GET /v2/reports', 'the new, more specific route serves it');
    } finally {
      writeFileSync(file, original);
      await vscode.commands.executeCommand('lambdaWorkbench.stopLocalApi');
    }
  });

  it('an AWS_IAM function URL: unsigned requests get 403, Copy as curl gives a SigV4-signing command that gets in with the local keys, Open in Browser says why it cannot', async () => {
    const api = await extensionApi();
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    const keys = { AWS_ACCESS_KEY_ID: 'AKIDLOCALAPIHOST', AWS_SECRET_ACCESS_KEY: 'local-api-host-secret' };
    Object.assign(process.env, keys);
    await vscode.commands.executeCommand('lambdaWorkbench.stopLocalApi');
    writeFileSync(join(dir, 'iam.yaml'), [
      'Transform: AWS::Serverless-2016-10-31', 'Resources:', '  PrivateFunction:', '    Type: AWS::Serverless::Function', '    Properties:',
      '      Runtime: nodejs20.x', '      CodeUri: src/', '      Handler: echo.handler', '      FunctionUrlConfig: { AuthType: AWS_IAM }', ''].join('\n'));
    try {
      await waitFor('the local keys', async () => { await api.functions.session.reload(); return api.functions.session.hasCredentials; }, 20_000);
      await vscode.commands.executeCommand('lambdaWorkbench.startLocalApi', undefined, { template: join(dir, 'iam.yaml'), port: 0 });
      const line = api.localApi.session!.routes.find((r) => r.route.functionId === 'PrivateFunction')!;
      assert.equal(line.sigV4Region, 'us-east-1');
      const [root] = await api.localHandlers.tree.getChildren();
      const item = (await api.localHandlers.tree.getChildren(root)).find((r) => String(r.description).startsWith('PrivateFunction'));
      assert.ok(item, 'the route in the view');
      assert.equal((await fetch(line.url)).status, 403, 'unsigned');
      const curl = await vscode.commands.executeCommand<string>('lambdaWorkbench.copyRouteAsCurl', item);
      assert.match(curl, /^curl -i -X GET --aws-sigv4 'aws:amz:us-east-1:lambda' --user "\$AWS_ACCESS_KEY_ID:\$AWS_SECRET_ACCESS_KEY" /);
      assert.doesNotMatch(curl, /local-api-host-secret/, 'no secret on the clipboard');
      // The copied command, run as a user would in a shell that has the profile's keys.
      const out = await new Promise<string>((resolve, reject) => execFile('bash', ['-c', `${curl} -s`], { env: { ...process.env, ...keys, AWS_SESSION_TOKEN: '' } }, (error, stdout) => (error ? reject(error) : resolve(stdout))));
      assert.match(out, /^HTTP\/1\.1 200/);
      assert.equal(await vscode.commands.executeCommand('lambdaWorkbench.openRouteInBrowser', item), false, 'no browser page for a route it cannot sign');
    } finally {
      await vscode.commands.executeCommand('lambdaWorkbench.stopLocalApi');
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID; else process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY; else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
      await api.functions.session.reload();
    }
  });

  it('says when the port is taken, and keeps working', async () => {
    const { createServer } = await import('node:http');
    const busy = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => busy.once('listening', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const result = await vscode.commands.executeCommand('lambdaWorkbench.startLocalApi', undefined, { template: join(dir, 'template.yaml'), port });
      assert.equal(result, undefined);
      assert.equal((await extensionApi()).localApi.session, undefined);
    } finally {
      busy.close();
    }
  });
});
