import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCloud, type LocalCloud, type RouteLine } from '../../../src/core/localApi/localCloud';
import type { AccessEntry } from '../../../src/core/localApi/localApiServer';
import { LocalLambda } from '../../../src/core/runtime/localLambda';
import { waitFor } from '../../support/waitFor';
import { waitForNoChildren } from '../support/runtimeFixtures';
import { templateCloud } from '../support/templateCloud';

/** The template, saved as editors do (a copy renamed over it). */
function template(dir: string, options: { color: string; post?: boolean; url?: boolean; broken?: boolean; other?: boolean }): void {
  const text = `Transform: AWS::Serverless-2016-10-31
Resources:
  App:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      CodeUri: src/
      Handler: app.handler
      Environment: { Variables: { COLOR: ${options.color} } }
${options.url ? '      FunctionUrlConfig: { AuthType: NONE }\n' : ''}      Events:
        Get: { Type: HttpApi, Properties: { Path: /v, Method: GET } }
${options.post ? '        Post: { Type: HttpApi, Properties: { Path: /w, Method: POST } }\n' : ''}${options.other ? `  Other:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, CodeUri: src/, Handler: app.handler, Events: { Get: { Type: HttpApi, Properties: { Path: /other, Method: GET } } } }
` : ''}${options.broken ? '  Broken: [\n' : ''}`;
  writeFileSync(join(dir, 'template.yaml.saving'), text);
  renameSync(join(dir, 'template.yaml.saving'), join(dir, 'template.yaml'));
}

describe('local API: a saved template is read again (routes, variables, function URLs) without a restart', function () {
  this.timeout(60_000);
  let dir: string;
  let lambda: LocalLambda;
  let cloud: LocalCloud;
  const access: AccessEntry[] = [];
  const errors: string[] = [];
  let routesSeen: (routes: readonly RouteLine[]) => void = () => undefined;
  const nextRoutes = (): Promise<readonly RouteLine[]> => new Promise((resolve) => { routesSeen = resolve; });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-template-reload-'));
    mkdirSync(join(dir, 'src'));
    // The template is outside the function's code folder (src/), and so is the env file.
    writeFileSync(join(dir, 'src', 'app.js'), 'exports.handler = async () => ({ statusCode: 200, body: `${process.env.COLOR} ${process.env.SHADE}` });');
    writeFileSync(join(dir, 'local.env'), 'SHADE=light\n');
    template(dir, { color: 'red' });
    lambda = new LocalLambda();
    cloud = await startLocalCloud({
      template: join(dir, 'template.yaml'), lambda, port: 0, invokePort: 0, target: { cwd: dir, envFile: 'local.env' },
      onAccess: (e) => access.push(e), onRoutesChanged: (routes) => routesSeen(routes), onDefinitionError: (_file, message) => errors.push(message),
    });
  });
  after(async () => {
    await cloud.close();
    await lambda.dispose();
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(await waitForNoChildren(), []);
  });

  const get = async (path: string, init?: RequestInit): Promise<string> => {
    const res = await fetch(`${cloud.api.url}${path}`, init);
    return `${res.status} ${await res.text()}`;
  };

  it('a changed variable reaches the next request, a cold start that says why', async () => {
    assert.equal(await get('/v'), '200 red light');
    template(dir, { color: 'blue' });
    await waitFor('the new variable', async () => (await get('/v')) === '200 blue light');
    assert.equal(access.filter((a) => a.cold).at(-1)?.coldReason, 'configuration changed');
    writeFileSync(join(dir, 'local.env'), 'SHADE=dark\n');
    await waitFor('the env file read again', async () => (await get('/v')) === '200 blue dark');
    // The code folder's own .env is read again too (its variables override the template's), and so is its removal.
    writeFileSync(join(dir, 'src', '.env'), 'COLOR=violet\n');
    await waitFor("the code folder's .env read again", async () => (await get('/v')) === '200 violet dark');
    rmSync(join(dir, 'src', '.env'));
    await waitFor('the .env gone', async () => (await get('/v')) === '200 blue dark');
  });

  it('a route and a function URL added are served, and the routes are told; removed, they are gone', async () => {
    assert.equal(await get('/w', { method: 'POST' }), '404 {"message":"Not Found"}');
    const added = nextRoutes();
    template(dir, { color: 'blue', post: true, url: true });
    const routes = await added;
    assert.deepEqual(routes.map((r) => r.text.replace(/:\d+/, ':PORT')), [
      'GET    /v → App (HTTP API, payload 2.0)', 'POST   /w → App (HTTP API, payload 2.0)', 'ANY    http://127.0.0.1:PORT/* → App (function URL, BUFFERED)',
    ]);
    assert.deepEqual(cloud.routes, routes);
    assert.equal(await get('/w', { method: 'POST' }), '200 blue dark');
    const functionUrl = cloud.api.functionUrls.get('App')!;
    assert.equal(await (await fetch(`${functionUrl}/any/path`)).text(), 'blue dark');
    const removed = nextRoutes();
    template(dir, { color: 'blue' });
    assert.equal((await removed).length, 1);
    assert.equal(await get('/w', { method: 'POST' }), '404 {"message":"Not Found"}');
    await assert.rejects(fetch(`${functionUrl}/any/path`), 'the function URL port is closed');
  });

  it('a function removed from the template: its route is gone and its idle environment stops', async () => {
    const added = nextRoutes();
    template(dir, { color: 'blue', other: true });
    await added;
    assert.equal(await get('/other'), '200 undefined dark');
    const name = cloud.functions.get('Other')!.name;
    assert.equal(lambda.stats(name).environments, 1);
    const removed = nextRoutes();
    template(dir, { color: 'blue' });
    await removed;
    assert.equal(await get('/other'), '404 {"message":"Not Found"}');
    await waitFor('the environment stopped', async () => lambda.stats(name).environments === 0);
  });

  it('a template that cannot be read says why, and the last good one keeps serving', async () => {
    template(dir, { color: 'green', broken: true });
    await waitFor('the error reported', async () => errors.length > 0);
    assert.match(errors[0], /template\.yaml/);
    assert.equal(await get('/v'), '200 blue dark');
    template(dir, { color: 'green' });
    await waitFor('the mended template', async () => (await get('/v')) === '200 green dark');
  });
});

describe('local API: a saved serverless.yml is read again too', function () {
  this.timeout(60_000);
  it('a changed provider variable and an added httpApi route apply without a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-sls-reload-'));
    const service = (color: string, extra = ''): void => {
      writeFileSync(join(dir, 'serverless.yml.saving'), `service: shop
provider: { name: aws, runtime: nodejs20.x, environment: { COLOR: ${color} } }
functions:
  hello:
    handler: handler.hello
    events:
      - httpApi: 'GET /hello'
${extra}`);
      renameSync(join(dir, 'serverless.yml.saving'), join(dir, 'serverless.yml'));
    };
    writeFileSync(join(dir, 'handler.js'), 'exports.hello = async () => ({ statusCode: 200, body: process.env.COLOR });');
    service('red');
    const lambda = new LocalLambda();
    const cloud = await startLocalCloud({ template: join(dir, 'serverless.yml'), lambda, port: 0, invokePort: 0, target: { cwd: dir } });
    try {
      const get = async (path: string): Promise<string> => { const res = await fetch(`${cloud.api.url}${path}`); return `${res.status} ${await res.text()}`; };
      assert.equal(await get('/hello'), '200 red');
      service('blue', "      - httpApi: 'GET /greeting'\n");
      await waitFor('the added route', async () => (await get('/greeting')) === '200 blue');
      assert.equal(await get('/hello'), '200 blue');
    } finally {
      await cloud.close();
      await lambda.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("local API: a saved layer file is its functions' next code", function () {
  this.timeout(60_000);

  it('a Python layer module and a Node layer package reload the functions that have the layer, cold because code changed', async () => {
    const api = await templateCloud({
      'template.yaml': `Transform: AWS::Serverless-2016-10-31
Resources:
  Common:
    Type: AWS::Serverless::LayerVersion
    Properties: { ContentUri: layers/common }
  Shared:
    Type: AWS::Serverless::LayerVersion
    Properties: { ContentUri: layers/shared }
  Node:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      CodeUri: node/
      Handler: app.handler
      Layers: [!Ref Common]
      Events: { Get: { Type: HttpApi, Properties: { Path: /node, Method: GET } } }
  Py:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      CodeUri: py/
      Handler: app.handler
      Layers: [!Ref Shared]
      Events: { Get: { Type: HttpApi, Properties: { Path: /py, Method: GET } } }
`,
      'node/app.js': "const { greet } = require('common');\nexports.handler = async () => ({ statusCode: 200, body: greet() });\n",
      'layers/common/nodejs/node_modules/common/package.json': '{ "name": "common", "main": "index.js" }\n',
      'layers/common/nodejs/node_modules/common/index.js': "exports.greet = () => 'node v1';\n",
      'py/app.py': 'from shared import greet\n\ndef handler(event, context):\n    return {"statusCode": 200, "body": greet()}\n',
      'layers/shared/python/shared.py': 'def greet():\n    return "py v1"\n',
    }, { hotReload: true });
    try {
      const text = async (path: string): Promise<string> => (await api.fetch(path)).text();
      assert.equal(await text('/node'), 'node v1');
      assert.equal(await text('/py'), 'py v1');
      writeFileSync(join(api.dir, 'layers/common/nodejs/node_modules/common/index.js'), "exports.greet = () => 'node v2';\n");
      await waitFor('the new layer package', async () => (await text('/node')) === 'node v2', 10_000);
      writeFileSync(join(api.dir, 'layers/shared/python/shared.py'), 'def greet():\n    return "py v2"\n');
      await waitFor('the new layer module', async () => (await text('/py')) === 'py v2', 10_000);
      for (const id of ['Node', 'Py']) assert.equal(api.access.filter((a) => a.functionId === id && a.cold).at(-1)?.coldReason, 'code changed', id);
    } finally {
      await api.close();
    }
  });
});
