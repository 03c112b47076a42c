import * as assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readApiModel } from '../../../src/core/localApi/apiRoutes';
import { waitFor } from '../../support/waitFor';
import { templateCloud } from '../support/templateCloud';

const INLINE = `Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: { Type: String, Default: beta }
  Table: { Type: String, Default: orders-beta }
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: !Ref Stage
      Variables: { TABLE: !Ref Table, MODE: fast }
      Auth:
        DefaultAuthorizer: Tokens
        Authorizers:
          Tokens: { FunctionArn: !GetAtt AuthFn.Arn }
      DefinitionBody:
        openapi: '3.0.1'
        paths:
          /orders/{id}:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${OrdersFn.Arn}/invocations
            x-amazon-apigateway-any-method:
              security: []
              x-amazon-apigateway-integration:
                type: AWS_PROXY
                uri: { 'Fn::Join': ['', ['arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/', { 'Fn::GetAtt': [OrdersFn, Arn] }, '/invocations']] }
          /named:
            post:
              x-amazon-apigateway-integration: { type: aws_proxy, uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:orders-named/invocations' }
          /health:
            get:
              x-amazon-apigateway-integration: { type: mock }
          /elsewhere:
            get:
              x-amazon-apigateway-integration: { type: aws_proxy, uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:not-here/invocations' }
          /events:
            get:
              x-amazon-apigateway-integration: { type: aws_proxy, uri: !Sub '\${NamedFn.Arn}' }
  OrdersFn:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: src/, Handler: app.handler, Runtime: nodejs20.x }
  NamedFn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs20.x
      FunctionName: orders-named
      Events:
        Listed: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /events, Method: get, Auth: { Authorizer: NONE } } }
  AuthFn:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: src/, Handler: app.auth, Runtime: nodejs20.x }
  Files:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionUri: ./http-api.yaml
  Archived:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionUri: { Bucket: my-bucket, Key: api.yaml }
`;

describe('local API: routes from an API\'s OpenAPI definition (DefinitionBody, DefinitionUri, AWS::Include)', function () {
  this.timeout(60_000);

  it('reads the Lambda proxy methods of an inline definition, with their authorizers; a stage and its variables from parameters', () => {
    const model = readApiModel(INLINE, join(tmpdir(), 'template.yaml'));
    const rest = model.routes.filter((r) => r.api === 'Api').map((r) => [r.method, r.path, r.functionId, r.authorizer]);
    assert.deepEqual(rest, [
      ['GET', '/events', 'NamedFn', undefined],
      ['GET', '/orders/{id}', 'OrdersFn', 'Tokens'],
      ['ANY', '/orders/{id}', 'OrdersFn', undefined],
      ['POST', '/named', 'NamedFn', 'Tokens'],
    ], 'the Events route is not doubled by the definition\'s; no security means the DefaultAuthorizer, security: [] none');
    const api = model.apis.find((a) => a.id === 'Api')!;
    assert.equal(api.stage, 'beta');
    assert.deepEqual(api.stageVariables, { TABLE: 'orders-beta', MODE: 'fast' });
    assert.ok(model.notes.some((n) => n.startsWith("Not served from Api's OpenAPI definition: GET /health (a mock integration), GET /elsewhere (its integration names no function")), model.notes.join('\n'));
    assert.ok(model.notes.some((n) => /Archived's OpenAPI definition is in S3 \(s3:\/\/my-bucket\/api\.yaml\)/.test(n)));
    assert.deepEqual(model.definitionFiles, [join(tmpdir(), 'http-api.yaml')]);
  });

  it('serves an included definition over HTTP with the stage variables, and a saved definition file changes the routes', async () => {
    const definition = (extra = ''): string => `openapi: '3.0.1'
paths:
  /orders/{id}:
    get:
      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: !Sub 'arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${OrdersFn.Arn}/invocations' }
${extra}`;
    const t = await templateCloud({
      'src/app.js': 'exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify({ fn: process.env.AWS_LAMBDA_FUNCTION_NAME, resource: e.resource, stageVariables: e.stageVariables, id: e.pathParameters?.id }) });\n',
      'template.yaml': `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      Variables: { TABLE: orders }
      DefinitionBody:
        'Fn::Transform': { Name: AWS::Include, Parameters: { Location: ./openapi.yaml } }
  OrdersFn:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: src/, Handler: app.handler, Runtime: nodejs20.x, FunctionName: orders }
`,
      'openapi.yaml': definition(),
    }, { hotReload: true });
    try {
      const res = await t.fetch('/v1/orders/7');
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { fn: 'orders', resource: '/orders/{id}', stageVariables: { TABLE: 'orders' }, id: '7' });
      assert.equal((await t.fetch('/v1/customers')).status, 403);
      // Saved as editors do: a copy renamed over the file.
      writeFileSync(join(t.dir, 'openapi.yaml.saving'), definition('  /customers:\n    post:\n      x-amazon-apigateway-integration: { type: aws_proxy, uri: !GetAtt OrdersFn.Arn }\n'));
      renameSync(join(t.dir, 'openapi.yaml.saving'), join(t.dir, 'openapi.yaml'));
      await waitFor('the saved definition\'s new route', async () => (await t.fetch('/v1/customers', { method: 'POST' })).status === 200, 10_000);
      assert.ok(t.cloud.routes.some((r) => /POST\s+\/v1\/customers → OrdersFn/.test(r.text)), t.cloud.routes.map((r) => r.text).join('\n'));
    } finally {
      await t.close();
    }
  });
});
