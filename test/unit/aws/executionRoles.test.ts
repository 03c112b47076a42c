import * as assert from 'node:assert/strict';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { createIamClient, createLambdaClient } from '../../../src/core/aws/awsContext';
import { AwsProblemError } from '../../../src/core/aws/awsErrors';
import { basicExecutionPolicyArn, basicRoleName, createBasicExecutionRole, lambdaCanAssume, LAMBDA_TRUST_POLICY, listExecutionRoles } from '../../../src/core/aws/executionRoles';
import { deployFunction } from '../../../src/core/aws/lambdaFunctions';
import { IamService } from '../../support/awsEmulator/iam';
import { makeZip, startLambdaEmulator, type LambdaEmulator } from '../../support/awsEmulator/lambda';

const env = { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret' };
const trust = (principal: object, action: unknown = 'sts:AssumeRole', effect = 'Allow'): object => ({ Version: '2012-10-17', Statement: [{ Effect: effect, Principal: principal, Action: action }] });

describe('core/aws: execution roles through the IAM SDK against the emulator', function () {
  this.timeout(60_000);
  let emu: LambdaEmulator;
  let iamService: IamService;
  let iam: IAMClient;
  let lambda: LambdaClient;

  before(async () => {
    iamService = new IamService({ propagationMs: 3_000 });
    emu = await startLambdaEmulator({ region: 'eu-west-1', createDelayMs: 50, services: [iamService] });
    emu.lambda.roleAssumable = (arn) => iamService.assumable(arn);
    iam = createIamClient({ region: 'eu-west-1', endpoint: emu.endpoint, env, maxAttempts: 1 });
    lambda = createLambdaClient({ region: 'eu-west-1', endpoint: emu.endpoint, env, maxAttempts: 1 });
  });
  after(async () => {
    iam.destroy();
    lambda.destroy();
    await emu.close();
  });

  it('reads trust policies as IAM returns them (URL-encoded) and accepts only Lambda being allowed sts:AssumeRole', () => {
    const encoded = (p: object): string => encodeURIComponent(JSON.stringify(p));
    assert.equal(lambdaCanAssume(encoded(trust({ Service: 'lambda.amazonaws.com' }))), true);
    assert.equal(lambdaCanAssume(JSON.stringify(trust({ Service: ['edgelambda.amazonaws.com', 'lambda.amazonaws.com'] }, ['sts:TagSession', 'sts:AssumeRole']))), true, 'lists, and a plain document');
    assert.equal(lambdaCanAssume(encoded({ Statement: { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:*' } })), true, 'one statement object, a wildcard action');
    assert.equal(lambdaCanAssume(encoded(trust({ Service: 'ec2.amazonaws.com' }))), false, 'another service');
    assert.equal(lambdaCanAssume(encoded(trust({ Service: 'lambda.amazonaws.com' }, 'sts:AssumeRole', 'Deny'))), false, 'a Deny');
    assert.equal(lambdaCanAssume(encoded(trust({ AWS: 'arn:aws:iam::123456789012:root' }))), false, 'an account principal');
    assert.equal(lambdaCanAssume(encoded(trust({ Service: 'lambda.amazonaws.com' }, 'sts:AssumeRoleWithWebIdentity'))), false, 'another action');
    assert.equal(lambdaCanAssume('%7Bnot json'), false);
    assert.equal(lambdaCanAssume(undefined), false);
  });

  it('lists every role Lambda can assume across ListRoles pages, sorted, and none other', async () => {
    for (let i = 0; i < 1_200; i++) iamService.addRole(`svc-${String(i).padStart(4, '0')}`, trust({ Service: i % 3 === 0 ? 'lambda.amazonaws.com' : 'ec2.amazonaws.com' }));
    iamService.addRole('Admin', trust({ AWS: 'arn:aws:iam::123456789012:root' }));
    const pages: number[] = [];
    const roles = await listExecutionRoles(iam, { onPage: (soFar) => pages.push(soFar.length) });
    assert.equal(roles.length, 400);
    assert.ok(roles.every((r) => /^svc-\d{4}$/.test(r.name) && Number(r.name.slice(4)) % 3 === 0));
    assert.deepEqual(roles.map((r) => r.name), [...roles.map((r) => r.name)].sort());
    assert.equal(pages.length, 2, 'two pages of at most 1 000');
    assert.equal(roles[0].arn, 'arn:aws:iam::123456789012:role/svc-0000');
    for (const name of [...iamService.roles.keys()]) iamService.roles.delete(name);
  });

  it('says AccessDenied on ListRoles in words, naming the permission', async () => {
    iamService.faults.failNext('ListRoles', 'AccessDenied');
    const error = await listExecutionRoles(iam).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof AwsProblemError);
    assert.equal(error.problem.kind, 'access-denied');
    assert.match(error.problem.message, /may not iam:ListRoles/);
  });

  it('creates the console\'s basic execution role (trusted by Lambda, AWSLambdaBasicExecutionRole attached) and reuses it next time', async () => {
    const name = basicRoleName('orders-api');
    assert.equal(name, 'orders-api-role');
    const role = await createBasicExecutionRole(iam, name, 'eu-west-1');
    assert.equal(role.arn, 'arn:aws:iam::123456789012:role/service-role/orders-api-role');
    const stored = iamService.roles.get(name)!;
    assert.deepEqual(JSON.parse(stored.trust), JSON.parse(LAMBDA_TRUST_POLICY));
    assert.deepEqual(stored.policies, ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']);
    const again = await createBasicExecutionRole(iam, name, 'eu-west-1');
    assert.equal(again.arn, role.arn, 'EntityAlreadyExists: the same role, not a failure');
    assert.equal(stored.policies.length, 1);
    assert.equal(basicExecutionPolicyArn('cn-north-1'), 'arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole');
    assert.equal(basicRoleName('a'.repeat(64)).length, 64, 'within IAM\'s 64 characters');
  });

  it('refuses to reuse a same-named role Lambda may not assume', async () => {
    iamService.addRole('ec2-thing-role', trust({ Service: 'ec2.amazonaws.com' }));
    await assert.rejects(createBasicExecutionRole(iam, 'ec2-thing-role', 'eu-west-1'), /exists but Lambda may not assume it/);
  });

  it('deploys with a role created seconds ago by retrying until IAM has propagated it, and fails at once for an old one', async () => {
    const zip = makeZip({ 'index.mjs': 'export const handler = async () => 1;\n' });
    const base = { runtime: 'nodejs22.x', handler: 'index.handler', zip };
    const unknown = 'arn:aws:iam::123456789012:role/never-created';
    await assert.rejects(deployFunction(lambda, { ...base, name: 'no-wait', role: unknown }), /cannot be assumed by Lambda/, 'no retry without roleIsNew');
    const role = await createBasicExecutionRole(iam, basicRoleName('fresh-fn'), 'eu-west-1');
    const steps: string[] = [];
    const summary = await deployFunction(lambda, { ...base, name: 'fresh-fn', role: role.arn }, { roleIsNew: true, newRoleWaitMs: 10_000, onStep: (s) => steps.push(s) });
    assert.equal(summary.role, role.arn);
    assert.ok(steps.includes('waiting for the new role'), steps.join(', '));
    const refusals = emu.lambda.operations.filter((o) => o === 'CreateFunction').length;
    assert.ok(refusals >= 2, `CreateFunction was retried (${refusals} calls)`);
  });
});
