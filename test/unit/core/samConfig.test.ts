import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseParameterOverrides, samConfigParameters } from '../../../src/core/project/samConfig';
import { templateCloud } from '../support/templateCloud';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: { Type: String }
  Table: { Type: String, Default: orders-default }
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties: { StageName: !Ref Stage, Variables: { TABLE: !Ref Table } }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs20.x
      Environment: { Variables: { STAGE: !Ref Stage, TABLE: !Ref Table } }
      Events:
        Get: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /env, Method: get } }
`;

describe('template parameters: --parameter-overrides and samconfig, as sam reads them', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'lwb-params-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('parses Name=Value and ParameterKey=…,ParameterValue=… pairs, quoted values, one string or a list', () => {
    assert.deepEqual(parseParameterOverrides('Stage=prod Table="orders prod" ParameterKey=Size,ParameterValue=3 Empty='), { Stage: 'prod', Table: 'orders prod', Size: '3', Empty: '' });
    assert.deepEqual(parseParameterOverrides(['Stage=prod', "Name='a b'"]), { Stage: 'prod', Name: 'a b' });
    assert.throws(() => parseParameterOverrides('Stage'), /'Stage' is no parameter override: write Name=Value/);
  });

  it("reads samconfig.toml's global parameter_overrides, the command's section over them; samconfig.yaml too; none without a file", async () => {
    const template = join(dir, 'template.yaml');
    assert.deepEqual(await samConfigParameters(template, 'local_invoke'), {});
    writeFileSync(join(dir, 'samconfig.toml'), 'version = 0.1\n[default.global.parameters]\nparameter_overrides = "Stage=dev Table=\\"orders dev\\""\n[default.local_start_api.parameters]\nparameter_overrides = ["Stage=api"]\n[prod.global.parameters]\nparameter_overrides = "Stage=prod"\n');
    assert.deepEqual(await samConfigParameters(template, 'local_invoke'), { Stage: 'dev', Table: 'orders dev' });
    assert.deepEqual(await samConfigParameters(template, 'local_start_api'), { Stage: 'api', Table: 'orders dev' });
    assert.deepEqual(await samConfigParameters(template, 'local_invoke', 'prod'), { Stage: 'prod' });
    rmSync(join(dir, 'samconfig.toml'));
    writeFileSync(join(dir, 'samconfig.yaml'), 'version: 0.1\ndefault:\n  local_invoke:\n    parameters:\n      parameter_overrides: Stage=yaml\n');
    assert.deepEqual(await samConfigParameters(template, 'local_invoke'), { Stage: 'yaml' });
    writeFileSync(join(dir, 'samconfig.yaml'), 'default: [unclosed\n');
    await assert.rejects(samConfigParameters(template, 'local_invoke'), /samconfig\.yaml cannot be read/);
  });

  it("start serves the stage, variables and environment from samconfig's start-api section and the command line's overrides", async () => {
    const t = await templateCloud({
      'template.yaml': TEMPLATE,
      'src/app.js': 'exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify({ stage: process.env.STAGE, table: process.env.TABLE, vars: e.stageVariables }) });\n',
      'samconfig.toml': '[default.local_start_api.parameters]\nparameter_overrides = "Stage=local Table=from-samconfig"\n',
    }, (dir) => ({ target: { cwd: dir, parameterOverrides: { Table: 'from-cli' } } }));
    try {
      const res = await t.fetch('/local/env');
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { stage: 'local', table: 'from-cli', vars: { TABLE: 'from-cli' } });
    } finally {
      await t.close();
    }
  });
});
