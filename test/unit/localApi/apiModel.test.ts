import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { policyDecision } from '../../../src/core/localApi/apiAuthorizers';
import { preflightHeaders } from '../../../src/core/localApi/apiCors';
import { replyFromPayload } from '../../../src/core/localApi/apiResponses';
import { ApiRouter } from '../../../src/core/localApi/apiRouter';
import { readApiModel, type ApiRoute } from '../../../src/core/localApi/apiRoutes';
import { startLocalCloud } from '../../../src/core/localApi/localCloud';
import { LocalLambda } from '../../../src/core/runtime/localLambda';
import { scaffold } from '../../../src/core/scaffold/scaffolder';
import { waitForNoChildren } from '../support/runtimeFixtures';

const route = (method: string, path: string): ApiRoute => ({ api: 'A', kind: 'http', method, path, functionId: `${method} ${path}`, payloadVersion: '2.0' });

describe('local API: routes, routing and responses as API Gateway has them', () => {
  it('reads implicit and explicit APIs, stages, payload versions, authorizers and function URLs from a template', () => {
    const model = readApiModel(`
Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    Cors: "'*'"
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      FunctionUrlConfig: { AuthType: AWS_IAM, Cors: { AllowOrigins: ['*'] } }
      Events:
        Rest: { Type: Api, Properties: { Path: /users, Method: post } }
        Http: { Type: HttpApi, Properties: { Path: '/users/{id}', Method: get, PayloadFormatVersion: '1.0', Auth: { Authorizer: NONE } } }
        Everything: { Type: HttpApi }
`, 'template.yaml');
    assert.deepEqual(model.routes.map((r) => [r.api, r.kind, r.method, r.path, r.payloadVersion, r.invokeMode]), [
      ['ServerlessRestApi', 'rest', 'POST', '/users', '1.0', undefined],
      ['ServerlessHttpApi', 'http', 'GET', '/users/{id}', '1.0', undefined],
      ['ServerlessHttpApi', 'http', 'ANY', '$default', '2.0', undefined],
      ['Fn', 'url', 'ANY', '$default', '2.0', 'BUFFERED'],
    ]);
    const rest = model.apis.find((a) => a.id === 'ServerlessRestApi')!;
    assert.equal(rest.stage, 'Prod', "SAM's implicit REST API stage");
    assert.deepEqual(rest.cors?.allowOrigins, ['*'], "Globals.Api.Cors, its quotes taken off");
    assert.equal(model.apis.find((a) => a.id === 'ServerlessHttpApi')!.stage, '$default');
    assert.match(model.notes.join('\n'), /AuthType AWS_IAM: requests must be SigV4-signed \(service lambda\) with the local profile's keys/);
  });

  it("an API's list properties add to the Globals' (SAM prepends the Globals' entries), others replace them", () => {
    const model = readApiModel(`
Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    BinaryMediaTypes: [image~1png]
    Cors: "'https://global.example'"
Resources:
  Images:
    Type: AWS::Serverless::Api
    Properties: { StageName: v1, BinaryMediaTypes: [image~1jpeg], Cors: "'https://own.example'" }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      Events:
        Get: { Type: Api, Properties: { RestApiId: !Ref Images, Path: /img, Method: get } }
`, 'template.yaml');
    const images = model.apis.find((a) => a.id === 'Images')!;
    assert.deepEqual(images.binaryMediaTypes, ['image/png', 'image/jpeg']);
    assert.deepEqual(images.cors?.allowOrigins, ['https://own.example']);
  });

  it("an API's own Auth map merges with Globals' Auth: the Globals' default authorizer still guards its routes", () => {
    const model = readApiModel(`
Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    Auth:
      DefaultAuthorizer: TokenAuth
      Authorizers:
        TokenAuth: { FunctionArn: !GetAtt AuthFn.Arn }
Resources:
  Orders:
    Type: AWS::Serverless::Api
    Properties: { StageName: v1, Auth: { ApiKeyRequired: true } }
  AuthFn: { Type: AWS::Serverless::Function, Properties: { Handler: auth.handler, Runtime: nodejs22.x } }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      Events:
        Get: { Type: Api, Properties: { RestApiId: !Ref Orders, Path: /orders, Method: get } }
`, 'template.yaml');
    const route = model.routes.find((r) => r.path === '/orders')!;
    assert.equal(route.authorizer, 'TokenAuth', 'as on AWS, where SAM merges the two Auth maps');
    assert.equal(route.apiKeyRequired, true);
  });

  it('routes the most specific route first: literal, then {param}, then {greedy+}, own method before ANY, $default last', () => {
    const router = new ApiRouter([route('ANY', '$default'), route('ANY', '/{proxy+}'), route('GET', '/users/{id}'), route('ANY', '/users/{id}'), route('GET', '/users/me'), route('GET', '/users/{id}/orders/{order}')]);
    const hit = (method: string, path: string): string | undefined => router.match(method, path)?.route.functionId;
    assert.equal(hit('GET', '/users/me'), 'GET /users/me');
    assert.equal(hit('GET', '/users/42'), 'GET /users/{id}');
    assert.equal(hit('DELETE', '/users/42'), 'ANY /users/{id}');
    assert.equal(hit('GET', '/users/42/orders/7'), 'GET /users/{id}/orders/{order}');
    assert.equal(hit('GET', '/a/b/c'), 'ANY /{proxy+}');
    assert.equal(hit('GET', '/'), 'ANY $default', 'a greedy segment needs at least one segment');
    assert.deepEqual(router.match('GET', '/users/a%2Fb')?.pathParameters, { id: 'a/b' });
    assert.equal(new ApiRouter([route('GET', '/x')]).match('POST', '/x'), undefined);
  });

  it('maps responses: 1.0 needs a proxy response, 2.0 infers one; headers merge with multiValueHeaders', () => {
    const ok = replyFromPayload('rest', '1.0', JSON.stringify({ statusCode: '201', headers: { a: '1', b: '2' }, multiValueHeaders: { b: ['x', 'y'] }, body: 'hi' }));
    assert.equal(ok.status, 201);
    assert.deepEqual(ok.headers, [['a', '1'], ['b', 'x'], ['b', 'y']]);
    assert.equal(ok.body.toString(), 'hi');
    assert.equal(replyFromPayload('rest', '1.0', '"text"').status, 502);
    assert.equal(replyFromPayload('rest', '1.0', JSON.stringify({ statusCode: 99 })).status, 502);
    assert.equal(replyFromPayload('rest', '1.0', 'not json').status, 502);
    assert.equal(replyFromPayload('http', '1.0', JSON.stringify({ statusCode: 200, extra: true })).status, 200, 'HTTP API 1.0 ignores extra fields');
    const bare = replyFromPayload('http', '2.0', '"hello"');
    assert.deepEqual([bare.status, bare.headers, bare.body.toString()], [200, [['content-type', 'application/json']], '"hello"']);
    assert.equal(replyFromPayload('url', '2.0', 'null').body.toString(), 'null');
  });

  it('answers CORS preflights only for allowed origins, methods and headers', () => {
    const cors = { allowOrigins: ['https://app.example'], allowMethods: ['GET'], allowHeaders: ['content-type'], exposeHeaders: [], allowCredentials: true, maxAge: 60 };
    assert.deepEqual(preflightHeaders(cors, 'https://app.example', 'GET', 'Content-Type'), [
      ['access-control-allow-origin', 'https://app.example'], ['access-control-allow-methods', 'GET'], ['access-control-allow-headers', 'content-type'],
      ['access-control-allow-credentials', 'true'], ['access-control-max-age', '60'], ['vary', 'Origin'],
    ]);
    assert.equal(preflightHeaders(cors, 'https://other.example', 'GET', ''), undefined);
    assert.equal(preflightHeaders(cors, 'https://app.example', 'DELETE', ''), undefined);
    assert.equal(preflightHeaders(cors, 'https://app.example', 'GET', 'x-secret'), undefined);
  });

  it('evaluates authorizer policies: an explicit Deny wins, wildcards match, other actions do not count', () => {
    const arn = 'arn:aws:execute-api:us-east-1:123456789012:api/dev/GET/users/1';
    const statement = (Effect: string, Resource: string, Action = 'execute-api:Invoke') => ({ Effect, Resource, Action });
    assert.equal(policyDecision({ Statement: [statement('Allow', 'arn:aws:execute-api:us-east-1:123456789012:api/dev/*')] }, arn), 'allow');
    assert.equal(policyDecision({ Statement: [statement('Allow', '*'), statement('Deny', 'arn:aws:execute-api:*:*:api/*/GET/users/*')] }, arn), 'deny');
    assert.equal(policyDecision({ Statement: [statement('Allow', '*', 's3:GetObject')] }, arn), 'none');
    assert.equal(policyDecision({ Statement: statement('Allow', arn) }, arn), 'allow', 'one statement object');
    assert.equal(policyDecision(undefined, arn), 'none');
  });
});

describe('local API: the api-router template and a one-function-per-route version of it, both served', function () {
  this.timeout(60_000);

  it('answers the same routes either way (one router Lambda vs one Lambda per route)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-router-'));
    const lambda = new LocalLambda();
    try {
      await scaffold({ templateId: 'api-router', language: 'javascript', name: 'router', parentDir: dir, workspaceRoot: dir, launchConfig: false, samResource: true });
      writeFileSync(join(dir, 'per-route.yaml'), `Transform: AWS::Serverless-2016-10-31
Globals:
  Function: { Runtime: nodejs20.x, CodeUri: router/, Handler: index.handler }
Resources:
${['users', 'movies', 'genres'].map((r) => `  ${r[0].toUpperCase()}${r.slice(1)}Function:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get: { Type: HttpApi, Properties: { Path: /${r}, Method: GET } }`).join('\n')}
`);
      const answers: Record<string, string[]> = {};
      for (const template of ['template.yaml', 'per-route.yaml']) {
        const cloud = await startLocalCloud({ template: join(dir, template), lambda, port: 0, invokePort: 0, target: { cwd: dir }, hotReload: false });
        try {
          answers[template] = [];
          for (const path of ['/users', '/movies', '/genres']) {
            const res = await fetch(`${cloud.api.url}${path}`);
            answers[template].push(`${res.status} ${await res.text()}`);
          }
          const functions = new Set((cloud.routes).map((r) => r.route.functionId));
          assert.equal(functions.size, template === 'template.yaml' ? 1 : 3);
        } finally {
          await cloud.close();
        }
      }
      assert.ok(answers['template.yaml'].every((a) => a.startsWith('200 ')), answers['template.yaml'].join('\n'));
      assert.deepEqual(answers['per-route.yaml'], answers['template.yaml']);
    } finally {
      await lambda.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(await waitForNoChildren(), []);
  });
});
