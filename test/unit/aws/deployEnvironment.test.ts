import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployEnvironment, deployRuntime, maskValue } from '../../../src/core/aws/deployPackage';
import { deprecationNote } from '../../../src/core/runtime/runtimeSchedule';
import type { FunctionConfig } from '../../../src/core/runtime/types';
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

describe('the runtime a deploy sends', () => {
  const handlerConfig = (runtime: string, runtimeInferred?: boolean): FunctionConfig => ({ name: 'fn', runtime, handler: 'app.handler', codeDir: tmpdir(), runtimeInferred });

  it('an inferred runtime Lambda no longer accepts for new functions becomes the nearest newer one, with a line saying so', () => {
    const december2026 = new Date('2026-12-07T00:00:00Z');
    const node20 = deployRuntime(handlerConfig('nodejs20.x', true), december2026);
    assert.equal(node20.runtime, 'nodejs22.x');
    assert.match(node20.notice ?? '', /A new function is created as nodejs22\.x: the local interpreter runs as nodejs20\.x, which Lambda no longer accepts for new functions \(since 2026-08-31\)/);
    assert.deepEqual(deployRuntime(handlerConfig('nodejs20.x', true), new Date('2026-08-30T00:00:00Z')), { runtime: 'nodejs20.x', notice: undefined }, 'accepted until then');
    assert.equal(deployRuntime(handlerConfig('nodejs22.x', true), new Date('2027-06-02T00:00:00Z')).runtime, 'nodejs24.x');
    assert.equal(deployRuntime(handlerConfig('python3.9', true), december2026).runtime, 'python3.10');
    assert.deepEqual(deployRuntime(handlerConfig('python3.12', true), december2026), { runtime: 'python3.12', notice: undefined });
  });

  it('a deployed function\'s runtime is called deprecated from its deprecation date, with what Lambda refuses since', () => {
    const december2026 = new Date('2026-12-07T00:00:00Z');
    assert.equal(deprecationNote('nodejs20.x', december2026), 'nodejs20.x is deprecated since 2026-04-30 (no security updates); Lambda accepts no new functions on it since 2026-08-31. Move the function to a supported runtime.');
    assert.equal(deprecationNote('python3.9', december2026), 'python3.9 is deprecated since 2025-12-15 (no security updates); Lambda accepts no new functions on it. Move the function to a supported runtime.');
    assert.equal(deprecationNote('nodejs20.x', new Date('2026-04-29T00:00:00Z')), undefined);
    assert.equal(deprecationNote('nodejs22.x', december2026), undefined);
    assert.match(deprecationNote('nodejs22.x', new Date('2027-05-01T00:00:00Z')) ?? '', /^nodejs22\.x is deprecated since 2027-04-30 \(no security updates\)\. Move/);
    assert.equal(deprecationNote('python3.12', december2026), undefined);
  });

  it('a declared runtime is sent as declared (Lambda\'s own answer says what to change)', () => {
    assert.deepEqual(deployRuntime(handlerConfig('nodejs20.x'), new Date('2026-12-07T00:00:00Z')), { runtime: 'nodejs20.x' });
  });

  it('a handler path\'s runtime is marked as inferred, a template\'s is not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-runtime-'));
    writeFileSync(join(dir, 'template.yaml'), 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Runtime: nodejs24.x\n');
    writeFileSync(join(dir, 'app.mjs'), 'export const handler = async () => 1;\n');
    assert.equal((await resolveTarget({ spec: 'template.yaml', cwd: dir })).runtimeInferred, undefined);
    assert.equal((await resolveTarget({ spec: 'app.handler', cwd: dir })).runtimeInferred, true);
    assert.equal((await resolveTarget({ spec: 'app.handler', cwd: dir, runtime: 'nodejs22.x' })).runtimeInferred, undefined);
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
