import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployEnvironment, maskValue } from '../../../src/core/aws/deployPackage';
import { resolveTarget } from '../../../src/core/project/functionTarget';
import { AWS_REGIONS, regionChoices } from '../../../src/core/aws/regions';

describe('what a deploy sends as the environment', () => {
  it('keeps the template\'s variables apart from the local .env ones, which runs use and deploys leave out unless asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-env-'));
    writeFileSync(join(dir, 'template.yaml'), 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Runtime: nodejs20.x\n      Environment:\n        Variables:\n          STAGE: prod\n          TABLE: orders\n');
    writeFileSync(join(dir, 'app.mjs'), 'export const handler = async () => 1;\n');
    writeFileSync(join(dir, '.env'), 'TABLE=orders-local\nAPI_KEY=sk-live-1\n');
    const config = await resolveTarget({ spec: 'template.yaml', cwd: dir });
    assert.deepEqual(config.environment, { STAGE: 'prod', TABLE: 'orders-local', API_KEY: 'sk-live-1' }, 'a local run sees the .env over the template');
    assert.deepEqual(deployEnvironment(config, false), { STAGE: 'prod', TABLE: 'orders' }, 'the template alone, its own TABLE value kept');
    assert.deepEqual(deployEnvironment(config, true), { STAGE: 'prod', TABLE: 'orders-local', API_KEY: 'sk-live-1' });
  });

  it('masks a value to at most its first two characters', () => {
    assert.equal(maskValue('sk-live-123456'), 'sk••••');
    assert.equal(maskValue('abc'), '••••');
    assert.ok(!maskValue('hunter2').includes('nter'));
  });
});

describe('region choices', () => {
  it('puts the current region first, then the profile\'s, then every other region once', () => {
    const choices = regionChoices('eu-west-1', 'us-west-2');
    assert.deepEqual(choices.slice(0, 2).map((c) => [c.region, c.current, c.profileDefault]), [['eu-west-1', true, false], ['us-west-2', false, true]]);
    assert.equal(choices.length, Object.keys(AWS_REGIONS).length);
    assert.equal(new Set(choices.map((c) => c.region)).size, choices.length);
    assert.equal(regionChoices('xx-new-1')[0].region, 'xx-new-1', 'an unknown current region is kept');
  });
});
