import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../../src/core/packageInfo';
import { makeZip, startLambdaEmulator, type LambdaEmulator } from '../../support/awsEmulator/lambda';
import { cli } from '../support/cliHarness';
import { IamService } from '../../support/awsEmulator/iam';

const root = packageRoot();

describe('CLI: functions', function () {
  this.timeout(60_000);
  let emu: LambdaEmulator;
  let iamService: IamService;
  let env: NodeJS.ProcessEnv;
  const args = (...rest: string[]): string[] => ['functions', ...rest, '--endpoint', emu.endpoint, '--region', 'eu-west-1'];

  before(async () => {
    iamService = new IamService({ propagationMs: 2_500 });
    emu = await startLambdaEmulator({ region: 'eu-west-1', updateDelayMs: 100, services: [iamService] });
    emu.lambda.roleAssumable = (arn) => iamService.assumable(arn) || arn === 'arn:aws:iam::123456789012:role/r';
    emu.lambda.seed(75, 'svc');
    emu.lambda.addFunction({ FunctionName: 'cli-echo', Runtime: 'python3.12', Handler: 'app.lambda_handler', zip: makeZip({ 'app.py': 'def lambda_handler(event, context):\n    print("echo", event)\n    return event\n' }) });
    env = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDCLI', AWS_SECRET_ACCESS_KEY: 'cli-secret', AWS_PROFILE: undefined, AWS_MAX_ATTEMPTS: '1' };
  });
  after(() => emu.close());

  it('lists the first page, or every page with --all, filtered', async () => {
    const first = await cli(args('list', '--json'), { env });
    assert.equal(first.code, 0, first.err);
    assert.equal((JSON.parse(first.out) as unknown[]).length, 50);
    const all = await cli(args('list', '--all', '--filter', 'svc', '--json'), { env });
    assert.equal((JSON.parse(all.out) as unknown[]).length, 75);
    // A filter searches every page, --all or not: svc-70… come after the first page (cli-echo, svc-00…48).
    const found = await cli(args('list', '--filter', 'svc-7', '--json'), { env });
    assert.deepEqual((JSON.parse(found.out) as { name: string }[]).map((f) => f.name), ['svc-70', 'svc-71', 'svc-72', 'svc-73', 'svc-74']);
  });

  it('invokes with an event and prints the log tail and the payload', async () => {
    const r = await cli(args('invoke', 'cli-echo', '--event', '{"a":1}'), { env });
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), { a: 1 });
    assert.match(r.err, /^echo \{'a': 1\}$/m);
  });

  it('deploys a new function with --create-role: the basic role is created, the deploy waits for IAM to propagate it', async () => {
    const r = await cli(args('deploy', 'examples/hello-node/app.handler', '--name', 'cli-new-role', '--create-role'), { env, cwd: root });
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /Created the execution role arn:aws:iam::123456789012:role\/service-role\/cli-new-role-role/);
    assert.match(r.err, /waiting for the new role…/);
    assert.equal(emu.lambda.get('cli-new-role')?.Role, 'arn:aws:iam::123456789012:role/service-role/cli-new-role-role');
    assert.deepEqual(iamService.roles.get('cli-new-role-role')?.policies, ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']);
  });

  it('refuses a --name Lambda would refuse before packaging anything', async () => {
    const r = await cli(args('deploy', 'examples/hello-node/app.handler', '--name', 'bad name', '--role', 'arn:aws:iam::123456789012:role/r'), { env, cwd: root });
    assert.equal(r.code, 2);
    assert.match(r.err, /'bad name' \(--name\) is not a function name Lambda accepts: use 1 to 64 letters/);
    assert.equal(emu.lambda.get('bad name'), undefined);
  });

  it('deploys a handler (needing --role to create) and the new function answers', async () => {
    const missingRole = await cli(args('deploy', 'examples/hello-node/app.handler', '--name', 'cli-hello'), { env, cwd: root });
    assert.equal(missingRole.code, 2);
    assert.match(missingRole.err, /needs an execution role ARN.*--role, or --create-role to create cli-hello-role/);
    const r = await cli(args('deploy', 'examples/hello-node/app.handler', '--name', 'cli-hello', '--role', 'arn:aws:iam::123456789012:role/r'), { env, cwd: root });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Deployed cli-hello \(nodejs\d+\.x/);
    // The runtime was inferred from this Node: created as one Lambda accepts for new functions (the emulator
    // refuses nodejs20.x, as Lambda does since 2026-08-31), said in a line when it is not this Node's own.
    const created = emu.lambda.get('cli-hello')?.Runtime;
    assert.ok(created && !['nodejs18.x', 'nodejs20.x'].includes(created), created);
    if (/^(18|20)\./.test(process.versions.node)) assert.match(r.err, new RegExp(`A new function is created as ${created.replace('.', '\\.')}: the local interpreter runs as`));
    const out = await cli(args('invoke', 'cli-hello', '--event', join(root, 'examples/hello-node/events/greeting.json')), { env });
    assert.equal(JSON.parse(JSON.parse(out.out).body).message, 'Hello, Lambda Workbench!');
  });

  it('a template runtime Lambda no longer accepts is sent as declared, and the refusal says what to change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-cli-retired-'));
    writeFileSync(join(dir, 'template.yaml'), 'Resources:\n  Old:\n    Type: AWS::Serverless::Function\n    Properties:\n      FunctionName: cli-retired\n      Handler: app.handler\n      Runtime: nodejs20.x\n');
    writeFileSync(join(dir, 'app.mjs'), 'export const handler = async () => 1;\n');
    const r = await cli(args('deploy', 'template.yaml', 'Old', '--role', 'arn:aws:iam::123456789012:role/r'), { env, cwd: dir });
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /create cli-retired failed: Lambda no longer accepts nodejs20\.x for creating or updating functions\. Change the function's Runtime \(in its template\) to a supported one such as nodejs24\.x, then deploy again\./);
    assert.doesNotMatch(r.err, /A new function is created as/, 'a declared runtime is not replaced');
    assert.equal(emu.lambda.get('cli-retired'), undefined);
  });

  it('deploys the template\'s variables only; the local .env goes up only with --include-local-env', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-cli-env-'));
    writeFileSync(join(dir, 'app.mjs'), 'export const handler = async () => process.env.API_KEY ?? "none";\n');
    writeFileSync(join(dir, '.env'), 'API_KEY=sk-live-123\nDB_HOST=localhost\n');
    const role = ['--role', 'arn:aws:iam::123456789012:role/r'];
    const without = await cli(args('deploy', 'app.handler', '--name', 'cli-env', ...role), { env, cwd: dir });
    assert.equal(without.code, 0, without.err);
    assert.match(without.err, /Not uploading 2 local variable\(s\) from \.env\/--env-file \(API_KEY, DB_HOST\): pass --include-local-env/);
    assert.doesNotMatch(without.err + without.out, /sk-live-123/);
    assert.equal(emu.lambda.get('cli-env')?.Environment, undefined);
    const withEnv = await cli(args('deploy', 'app.handler', '--name', 'cli-env-2', '--include-local-env', ...role), { env, cwd: dir });
    assert.equal(withEnv.code, 0, withEnv.err);
    assert.deepEqual(emu.lambda.get('cli-env-2')?.Environment?.Variables, { API_KEY: 'sk-live-123', DB_HOST: 'localhost' });
  });

  it('turns AWS faults into a message and exit code 1', async () => {
    emu.lambda.faults.failNext('ListFunctions', 'AccessDenied');
    const denied = await cli(args('list'), { env });
    assert.equal(denied.code, 1);
    assert.match(denied.err, /Access denied: .* may not lambda:ListFunctions/);
    const missing = await cli(args('invoke', 'no-such-function'), { env });
    assert.equal(missing.code, 1);
    assert.match(missing.err, /Function not found/);
  });
});
