import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { readServerlessApi } from '../../../src/core/localApi/serverlessRoutes';
import { templateCloud, type TemplateCloud } from '../support/templateCloud';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      Auth: { ApiKeyRequired: true }
      DefinitionBody:
        openapi: '3.0.1'
        paths:
          /docs:
            get:
              security: [{ api_key: [] }]
              x-amazon-apigateway-integration: { type: aws_proxy, uri: !GetAtt Fn.Arn }
  PartnerKey:
    Type: AWS::ApiGateway::ApiKey
    Properties: { Enabled: true, Value: partner-key-0123456789 }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs20.x
      Events:
        Orders: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /orders, Method: get } }
        Health: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /health, Method: get, Auth: { ApiKeyRequired: false } } }
`;

describe('local API: REST routes that need an API key', function () {
  this.timeout(60_000);
  let t: TemplateCloud;
  const get = (path: string, key?: string): Promise<Response> => t.fetch(`/v1${path}`, { headers: key ? { 'x-api-key': key } : {} });

  before(async () => {
    t = await templateCloud({
      'template.yaml': TEMPLATE,
      'src/app.js': 'exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify({ apiKey: e.requestContext.identity.apiKey, apiKeyId: e.requestContext.identity.apiKeyId }) });\n',
    });
  });
  after(() => t?.close());

  it("refuses a request without x-api-key, or with a key the template does not declare, with API Gateway's 403", async () => {
    for (const [key, why] of [[undefined, 'no x-api-key header'], ['guess', "none of the template's ApiKey values"]] as const) {
      const res = await get('/orders', key);
      assert.equal(res.status, 403);
      assert.deepEqual(await res.json(), { message: 'Forbidden' });
      assert.match(t.access.at(-1)?.problem ?? '', new RegExp(why));
      assert.equal(t.access.at(-1)?.functionId, undefined, 'the function did not run');
    }
    assert.match(t.cloud.model.notes.join('\n'), /2 route\(s\) need an API key \(x-api-key header, else 403\): one of the template's 1 key value\(s\)/);
  });

  it('takes a declared key and passes it in requestContext.identity; a route that opts out and an OpenAPI api_key method', async () => {
    const res = await get('/orders', 'partner-key-0123456789');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { apiKey: 'partner-key-0123456789', apiKeyId: 'PartnerKey' });
    assert.equal((await get('/health')).status, 200, 'Auth.ApiKeyRequired: false');
    assert.equal((await get('/docs')).status, 403, 'security: api_key in the definition');
    assert.equal((await get('/docs', 'partner-key-0123456789')).status, 200);
  });

  it("serverless.yml: a private http event needs a key; any key when provider.apiGateway.apiKeys gives no value", () => {
    const { model } = readServerlessApi(`service: shop
provider: { name: aws, runtime: nodejs20.x, apiGateway: { apiKeys: [partner] } }
functions:
  echo:
    handler: handler.echo
    events:
      - http: { path: open, method: get }
      - http: { path: closed, method: get, private: true }
`, join(t.dir, 'serverless.yml'));
    assert.deepEqual(model.routes.map((r) => [r.path, r.apiKeyRequired]), [['/open', false], ['/closed', true]]);
    assert.deepEqual(model.apis[0].apiKeys, []);
    assert.match(model.notes.join('\n'), /1 route\(s\) need an API key .*any key is taken locally/);
  });
});
