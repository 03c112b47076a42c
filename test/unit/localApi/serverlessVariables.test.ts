import * as assert from 'node:assert/strict';
import { resolveServerlessVariables } from '../../../src/core/localApi/serverlessVariables';
import { readServerlessApi } from '../../../src/core/localApi/serverlessRoutes';
import { templateCloud } from '../support/templateCloud';

describe("serverless.yml variables, resolved as the framework resolves those a local run can know", function () {
  this.timeout(60_000);

  it('self, sls:stage, env with fallbacks, opt (none given), nested ones, typed whole values; the rest left and listed', () => {
    const { doc, unresolved } = resolveServerlessVariables({
      service: 'shop',
      provider: { name: 'aws', stage: "${opt:stage, 'beta'}", region: '${env:REGION, "eu-west-1"}' },
      custom: { beta: { table: 'orders-beta' }, size: 512, tags: { team: 'a' } },
      functions: { f: {
        memorySize: '${self:custom.size}', tags: '${self:custom.tags}',
        environment: {
          TABLE: '${self:custom.${sls:stage}.table}', NAME: '${self:service}-${sls:stage}', REGION: '${aws:region}',
          HOME_SET: '${env:LWB_TEST_HOME}', MISSING: "${env:NOT_SET_ANYWHERE, 'fallback'}",
          SECRET: '${ssm:/shop/secret}', MIXED: 'x-${cf:stack.Out}-${sls:stage}', SUB: '${AWS::Region}-${MyTable.Arn}',
        },
      } },
    }, { LWB_TEST_HOME: '/home/ann' });
    const fn = (doc.functions as Record<string, Record<string, unknown>>).f;
    assert.deepEqual(doc.provider, { name: 'aws', stage: 'beta', region: 'eu-west-1' });
    assert.equal(fn.memorySize, 512, 'a whole-string variable keeps its type');
    assert.deepEqual(fn.tags, { team: 'a' });
    assert.deepEqual(fn.environment, {
      TABLE: 'orders-beta', NAME: 'shop-beta', REGION: 'eu-west-1', HOME_SET: '/home/ann', MISSING: 'fallback',
      SECRET: '${ssm:/shop/secret}', MIXED: 'x-${cf:stack.Out}-beta', SUB: '${AWS::Region}-${MyTable.Arn}',
    });
    assert.deepEqual(unresolved, ['${ssm:/shop/secret}', '${cf:stack.Out}'], "CloudFormation's ${AWS::Region} is no framework variable");
  });

  it('a cycle stays as written instead of looping', () => {
    const { doc } = resolveServerlessVariables({ custom: { a: '${self:custom.b}', b: '${self:custom.a}' } }, {});
    assert.deepEqual(doc.custom, { a: '${self:custom.b}', b: '${self:custom.a}' });
  });

  it('start serves the resolved service: the stage in the path, the environment, and the banner lists what is left', async () => {
    const t = await templateCloud({
      'serverless.yml': `service: shop
provider:
  name: aws
  runtime: nodejs20.x
  stage: \${opt:stage, 'local'}
  environment:
    TABLE: \${self:service}-\${sls:stage}-orders
    KEY: \${ssm:/shop/key}
functions:
  orders:
    handler: handler.orders
    events:
      - http: { path: orders, method: get }
`,
      'handler.js': 'exports.orders = async () => ({ statusCode: 200, body: JSON.stringify({ table: process.env.TABLE, key: process.env.KEY, fn: process.env.AWS_LAMBDA_FUNCTION_NAME }) });\n',
    }, (dir) => ({ template: `${dir}/serverless.yml` }));
    try {
      const res = await t.fetch('/local/orders');
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { table: 'shop-local-orders', key: '${ssm:/shop/key}', fn: 'shop-local-orders' });
      assert.ok(t.cloud.model.notes.includes('Not resolved locally, so left as written: ${ssm:/shop/key}.'), t.cloud.model.notes.join('\n'));
    } finally {
      await t.close();
    }
    const staged = readServerlessApi('service: x\nprovider: { name: aws, stage: "${opt:stage, \'dev\'}", environment: { S: "${sls:stage}", O: "${opt:stage}" } }\nfunctions:\n  f: { handler: h.f, events: [{ http: { path: p, method: get } }] }\n', 'serverless.yml', {}, 'prod');
    assert.deepEqual([staged.functions[0].name, staged.functions[0].environment, staged.model.apis[0].stage], ['x-prod-f', { S: 'prod', O: 'prod' }, 'prod'], '--stage is opt:stage and the stage');
    const fromEnv = readServerlessApi('service: x\nprovider: { name: aws, stage: "${env:LWB_STAGE}" }\nfunctions:\n  f: { handler: h.f }\n', 'serverless.yml', { LWB_STAGE: 'qa' });
    assert.equal(fromEnv.functions[0].name, 'x-qa-f', 'the stage from the environment names the function');
  });

  it('provider.region is the functions\' Region; --region is opt:region and aws:region; a stage with no value asks for --stage', () => {
    const text = 'service: x\nprovider: { name: aws, region: "${opt:region, \'eu-west-1\'}", environment: { AT: "${aws:region}" } }\nfunctions:\n  f: { handler: h.f }\n';
    const declared = readServerlessApi(text, 'serverless.yml', {});
    assert.deepEqual([declared.functions[0].region, declared.functions[0].environment.AT], ['eu-west-1', 'eu-west-1']);
    const given = readServerlessApi(text, 'serverless.yml', {}, undefined, 'ap-south-1');
    assert.deepEqual([given.functions[0].region, given.functions[0].environment.AT], ['ap-south-1', 'ap-south-1']);
    assert.throws(() => readServerlessApi('service: x\nprovider: { name: aws, stage: "${opt:stage}" }\nfunctions:\n  f: { handler: h.f }\n', '/p/serverless.yml', {}),
      (error: Error) => error.name === 'TargetError' && error.message === 'serverless.yml: the stage is ${opt:stage}, which has no value here: pass --stage <name>.');
  });
});
