import * as assert from 'node:assert/strict';
import { readApiModel } from '../../../src/core/localApi/apiRoutes';
import { templateCloud, type TemplateCloud } from '../support/templateCloud';

const fn = (id: string, events: string): string => `  ${id}:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs20.x
      Environment: { Variables: { WHO: ${id} } }
      Events:
${events}`;

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
${fn('Rest', "        Post: { Type: Api, Properties: { Path: /hello, Method: post } }\n")}${fn('Router', "        All: { Type: HttpApi, Properties: { Path: '/{proxy+}', Method: any } }\n")}${fn('Second', "        Again: { Type: HttpApi, Properties: { Path: '/{proxy+}', Method: any } }\n")}`;

describe('local API: the APIs sharing the port, and routes declared twice', function () {
  this.timeout(60_000);
  let t: TemplateCloud;
  before(async () => {
    t = await templateCloud({ 'template.yaml': TEMPLATE, 'src/app.js': 'exports.handler = async () => ({ statusCode: 200, body: process.env.WHO });\n' });
  });
  after(() => t?.close());
  const who = async (method: string, path: string): Promise<string> => {
    const res = await t.fetch(path, { method });
    assert.equal(res.status, 200, `${method} ${path}`);
    return res.text();
  };

  it("the most specific route of all the APIs answers: a REST API's /Prod/hello beats an HTTP API's /{proxy+}", async () => {
    assert.equal(await who('POST', '/Prod/hello'), 'Rest', 'the stage names the REST API');
    assert.equal(await who('POST', '/hello'), 'Rest', 'at the root, the literal route beats the greedy one');
    assert.equal(await who('GET', '/hello'), 'Router', 'no REST route for GET');
    assert.equal(await who('POST', '/Prod/other'), 'Router');
  });

  it('a route an API declares twice is said at start: the first answers', async () => {
    assert.equal(await who('GET', '/anything'), 'Router');
    assert.deepEqual(t.cloud.model.notes, ['ANY /{proxy+} is declared 2 times on ServerlessHttpApi (Router, Second): Router answers here, and a deployment refuses a route declared twice.']);
    const distinct = TEMPLATE.replace("Again: { Type: HttpApi, Properties: { Path: '/{proxy+}'", "Again: { Type: HttpApi, Properties: { Path: '/again/{proxy+}'");
    assert.deepEqual(readApiModel(distinct, 'template.yaml').notes, [], 'no note when the routes differ');
  });
});
