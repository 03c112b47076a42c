import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { createLambdaClient } from '../../../src/core/aws/awsContext';
import { AwsProblemError, describeAwsError } from '../../../src/core/aws/awsErrors';
import { downloadFolder, extractZip, zipConflicts, zipFolder } from '../../../src/core/aws/codeZip';
import { unzipSync } from 'fflate';
import { packageFunction } from '../../../src/core/aws/deployPackage';
import { deleteFunction, deployFunction, downloadCode, getFunction, invokeFunction, listFunctionsPage, RoleRequiredError } from '../../../src/core/aws/lambdaFunctions';
import { listProfiles } from '../../../src/core/aws/profiles';
import { LocalLambda } from '../../../src/core/runtime/localLambda';
import { makeZip, startLambdaEmulator, type LambdaEmulator } from '../../support/awsEmulator/lambda';
import { fixtures, waitForNoChildren } from '../support/runtimeFixtures';

const ROLE = 'arn:aws:iam::123456789012:role/test-role';
const env = { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret' };

async function problem(promise: Promise<unknown>): Promise<AwsProblemError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AwsProblemError, `an AwsProblemError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a failure');
}

describe('core/aws: deployed functions through the SDK against the emulator', function () {
  this.timeout(60_000);
  let emu: LambdaEmulator;
  let client: LambdaClient;

  before(async () => {
    emu = await startLambdaEmulator({ region: 'eu-west-1', updateDelayMs: 200, createDelayMs: 100 });
    client = createLambdaClient({ region: 'eu-west-1', endpoint: emu.endpoint, env, maxAttempts: 3 });
  });
  after(async () => {
    client.destroy();
    await emu.close();
    assert.deepEqual(await waitForNoChildren(), []);
  });

  it('lists functions a page at a time, every name once, with summaries', async () => {
    emu.lambda.seed(120, 'page');
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await listFunctionsPage(client, { marker, pageSize: 50 });
      assert.ok(page.items.length <= 50);
      seen.push(...page.items.map((f) => f.name));
      marker = page.next;
      pages++;
    } while (marker);
    const seeded = seen.filter((n) => n.startsWith('page-'));
    assert.equal(seeded.length, 120);
    assert.equal(new Set(seeded).size, 120);
    assert.ok(pages >= 3);
    const { summary } = await getFunction(client, seeded[0]);
    assert.equal(summary.logGroup, `/aws/lambda/${seeded[0]}`);
    assert.match(summary.arn, /^arn:aws:lambda:eu-west-1:123456789012:function:page-/);
  });

  it('deploys a new function (asking for a role first), invokes it, updates it and sees the new code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-deploy-'));
    writeFileSync(join(dir, 'index.mjs'), 'export const handler = async (e) => ({ version: 1, got: e });\n');
    const base = { name: 'deployed-fn', runtime: 'nodejs22.x', handler: 'index.handler', zip: await zipFolder(dir) };
    await assert.rejects(deployFunction(client, base), RoleRequiredError);
    const steps: string[] = [];
    const created = await deployFunction(client, { ...base, role: ROLE }, { onStep: (s) => steps.push(s) });
    assert.deepEqual(steps, ['checking', 'creating', 'waiting', 'done']);
    assert.equal(created.name, 'deployed-fn');
    const first = await invokeFunction(client, 'deployed-fn', '{"n":1}');
    assert.deepEqual(JSON.parse(first.payload), { version: 1, got: { n: 1 } });
    assert.match(first.logTail ?? '', /^START RequestId: /m);
    assert.match(first.logTail ?? '', /^REPORT RequestId: /m);
    writeFileSync(join(dir, 'index.mjs'), 'export const handler = async (e) => ({ version: 2, got: e });\n');
    const updateSteps: string[] = [];
    await deployFunction(client, { ...base, zip: await zipFolder(dir) }, { onStep: (s) => updateSteps.push(s) });
    assert.deepEqual(updateSteps, ['checking', 'uploading', 'waiting', 'done'], 'waited for LastUpdateStatus');
    assert.equal(JSON.parse((await invokeFunction(client, 'deployed-fn', '{}')).payload).version, 2);
  });

  it('redeploying over an existing function sets what the deploy names: Handler, memory, variables over the console\'s', async () => {
    emu.lambda.addFunction({
      FunctionName: 'redeployed', Runtime: 'nodejs22.x', Handler: 'old.handler', MemorySize: 128,
      Environment: { Variables: { CONSOLE_ONLY: 'kept', SHARED: 'old' } },
      zip: makeZip({ 'old.mjs': 'export const handler = async () => "old";\n' }),
    });
    const request = {
      name: 'redeployed', runtime: 'nodejs24.x', runtimeInferred: true, handler: 'src/app.main', memorySize: 256,
      environment: { SHARED: 'new', ADDED: '1' },
      zip: makeZip({ 'src/app.mjs': 'export const main = async () => ({ shared: process.env.SHARED, console: process.env.CONSOLE_ONLY });\n' }),
    };
    const steps: string[] = [];
    const outcome = await deployFunction(client, request, { onStep: (s) => steps.push(s) });
    assert.equal(outcome.created, false);
    assert.deepEqual(outcome.changed, ['Handler', 'MemorySize', 'Environment (SHARED, ADDED)']);
    assert.deepEqual(steps, ['checking', 'uploading', 'waiting', 'configuring', 'waiting', 'done']);
    const stored = emu.lambda.get('redeployed');
    assert.equal(stored?.Handler, 'src/app.main');
    assert.equal(stored?.MemorySize, 256);
    assert.equal(stored?.Runtime, 'nodejs22.x', 'a runtime guessed from the local interpreter does not replace the function\'s');
    assert.deepEqual(stored?.Environment?.Variables, { CONSOLE_ONLY: 'kept', SHARED: 'new', ADDED: '1' });
    assert.deepEqual(JSON.parse((await invokeFunction(client, 'redeployed', '{}')).payload), { shared: 'new', console: 'kept' });
    // Deployed again as it is: only the code goes up.
    const again = await deployFunction(client, { ...request, runtimeInferred: false, runtime: 'nodejs22.x' });
    assert.deepEqual(again.changed, []);
  });

  it('reports a function error with its type, and Event / DryRun invocations', async () => {
    emu.lambda.addFunction({ FunctionName: 'thrower', Runtime: 'nodejs20.x', Handler: 'index.handler', zip: makeZip({ 'index.mjs': "export const handler = async () => { throw new RangeError('out of stock'); };\n" }) });
    const failed = await invokeFunction(client, 'thrower', '{}');
    assert.equal(failed.functionError, 'Unhandled');
    assert.equal(JSON.parse(failed.payload).errorType, 'RangeError');
    assert.equal((await invokeFunction(client, 'thrower', '{}', { type: 'Event' })).statusCode, 202);
    assert.equal((await invokeFunction(client, 'thrower', '{}', { type: 'DryRun' })).statusCode, 204);
  });

  it('downloads the code, refusing to overwrite unless asked', async () => {
    const zip = await downloadCode(client, 'deployed-fn');
    const target = mkdtempSync(join(tmpdir(), 'lwb-download-'));
    await extractZip(zip, target);
    assert.match(readFileSync(join(target, 'index.mjs'), 'utf8'), /version: 2/);
    assert.deepEqual(await zipConflicts(zip, target), ['index.mjs']);
    await assert.rejects(extractZip(zip, target), /already exists/);
    await extractZip(zip, target, { overwrite: true });
  });

  it('deletes a function; reading it then says it is not found', async () => {
    await deleteFunction(client, 'deployed-fn');
    const p = await problem(getFunction(client, 'deployed-fn'));
    assert.equal(p.problem.kind, 'not-found');
    assert.match(p.message, /Function not found/);
  });

  describe('faults become messages a user can act on', () => {
    it('AccessDenied names the missing permission', async () => {
      emu.lambda.faults.failNext('ListFunctions', 'AccessDenied');
      const p = await problem(listFunctionsPage(client, { profile: 'lab' }));
      assert.equal(p.problem.kind, 'access-denied');
      assert.match(p.message, /profile 'lab' may not lambda:ListFunctions/);
    });

    it('an expired token says to sign in again, with the command', async () => {
      emu.lambda.faults.failNext('ListFunctions', 'ExpiredToken');
      const p = await problem(listFunctionsPage(client, { profile: 'dev' }));
      assert.equal(p.problem.kind, 'expired');
      assert.equal(p.problem.command, 'aws sso login --profile dev');
    });

    it('throttling is retried by the SDK and then succeeds', async () => {
      emu.lambda.faults.failNext('ListFunctions', 'Throttle', 2);
      const page = await listFunctionsPage(client, {});
      assert.ok(page.items.length > 0);
    });

    it('throttling beyond the retries says to wait', async () => {
      emu.lambda.faults.failNext('ListFunctions', 'Throttle', 5);
      const p = await problem(listFunctionsPage(client, {}));
      assert.equal(p.problem.kind, 'throttled');
      emu.lambda.faults.clear('ListFunctions');
    });

    it('a dropped connection is retried; a slow page still arrives', async () => {
      emu.lambda.faults.drop('ListFunctions');
      assert.ok((await listFunctionsPage(client, {})).items.length > 0);
      emu.lambda.faults.slow('ListFunctions', 300, 1);
      assert.ok((await listFunctionsPage(client, {})).items.length > 0);
    });

    it('an unreachable endpoint and missing credentials are described, not thrown raw', async () => {
      const dead = createLambdaClient({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:9', env, maxAttempts: 1 });
      try {
        assert.equal((await problem(listFunctionsPage(dead, {}))).problem.kind, 'unreachable');
      } finally {
        dead.destroy();
      }
      const dir = mkdtempSync(join(tmpdir(), 'lwb-nocreds-'));
      const noCreds = createLambdaClient({ region: 'eu-west-1', endpoint: emu.endpoint, env: { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') }, maxAttempts: 1 });
      try {
        const p = await problem(listFunctionsPage(noCreds, {}));
        assert.equal(p.problem.kind, 'no-credentials');
        assert.match(p.message, /aws configure/);
      } finally {
        noCreds.destroy();
      }
    });
  });
});

describe('core/aws: profiles, packaging, messages', () => {
  it('lists profiles from AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE with how they get credentials, never secrets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-profiles-'));
    writeFileSync(join(dir, 'config'), '[default]\nregion = eu-west-1\n[profile sso-dev]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = Dev\nregion = us-west-2\n[sso-session corp]\nsso_start_url = https://x\nsso_region = us-east-1\n[profile tool]\ncredential_process = /bin/creds\n[profile admin]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = default\n');
    writeFileSync(join(dir, 'credentials'), '[default]\naws_access_key_id = AKID\naws_secret_access_key = s3cret\n');
    const profiles = await listProfiles({ AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') });
    assert.deepEqual(profiles.map((p) => [p.name, p.kind, p.region]), [
      ['admin', 'role', undefined], ['default', 'keys', 'eu-west-1'], ['sso-dev', 'sso', 'us-west-2'], ['tool', 'process', undefined]]);
    assert.doesNotMatch(JSON.stringify(profiles), /s3cret/);
  });

  it('packages a TypeScript handler as one esbuild bundle Lambda can run, and a folder as is', async () => {
    const ts = await packageFunction({ name: 't', runtime: 'nodejs20.x', handler: 'src/app.handler', codeDir: join(fixtures, 'typescript') });
    const dir = mkdtempSync(join(tmpdir(), 'lwb-pkg-'));
    await extractZip(ts.zip, dir);
    assert.match(readFileSync(join(dir, 'src', 'app.js'), 'utf8'), /exports|module\.exports/);
    const py = await packageFunction({ name: 'p', runtime: 'python3.12', handler: 'handlers.echo', codeDir: join(fixtures, 'python') });
    const pyDir = mkdtempSync(join(tmpdir(), 'lwb-pkg-'));
    mkdirSync(pyDir, { recursive: true });
    await extractZip(py.zip, pyDir);
    assert.match(readFileSync(join(pyDir, 'handlers.py'), 'utf8'), /def echo/);
  });

  it("packages a SAM esbuild function's entry point under the module its Handler names, as sam build does", async () => {
    const codeDir = mkdtempSync(join(tmpdir(), 'lwb-pkg-entry-'));
    mkdirSync(join(codeDir, 'src', 'handlers'), { recursive: true });
    writeFileSync(join(codeDir, 'src', 'handlers', 'foo.ts'), "export const handler = async (): Promise<string> => 'built foo';\n");
    const built = await packageFunction({ name: 'f', runtime: 'nodejs20.x', handler: 'foo.handler', codeDir, entryPoints: ['src/handlers/foo.ts'] });
    const dir = mkdtempSync(join(tmpdir(), 'lwb-pkg-'));
    await extractZip(built.zip, dir);
    const lambda = new LocalLambda();
    try {
      const r = await lambda.invoke({ name: 'unzipped-entry', runtime: 'nodejs20.x', handler: built.handler, codeDir: dir }, '{}');
      assert.equal(JSON.parse(r.payload), 'built foo', r.payload);
      assert.equal(existsSync(join(dir, 'foo.js')), true, 'foo.js at the package root');
    } finally {
      await lambda.dispose();
    }
  });

  it('bundles an ES module TypeScript handler as .mjs that runs as Lambda would load it (top-level await)', async () => {
    const ts = await packageFunction({ name: 't', runtime: 'nodejs20.x', handler: 'src/app.handler', codeDir: join(fixtures, 'typescript-esm') });
    const dir = mkdtempSync(join(tmpdir(), 'lwb-pkg-'));
    await extractZip(ts.zip, dir);
    const lambda = new LocalLambda();
    try {
      const r = await lambda.invoke({ name: 'unzipped-esm', runtime: 'nodejs20.x', handler: ts.handler, codeDir: dir }, '{}');
      assert.deepEqual(JSON.parse(r.payload), { table: 'orders', module: 'app.mjs' });
    } finally {
      await lambda.dispose();
    }
  });

  it('a deployment zip never holds local secrets, saved events or caches; an events package deeper down is code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-zip-'));
    const files = ['index.js', '.env', '.env.local', 'events/order.json', 'node_modules/events/index.js', 'node_modules/.cache/lambda-workbench/ts/a.js',
      'lib/.env.production', 'coverage/lcov.info', '.git/HEAD'];
    for (const file of files) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), 'x');
    }
    assert.deepEqual(Object.keys(unzipSync(await zipFolder(dir))).sort(), ['index.js', 'node_modules/events/index.js']);
  });

  it('a downloaded function is written under its name only when that is a Lambda function name', () => {
    const parent = mkdtempSync(join(tmpdir(), 'lwb-dl-'));
    assert.equal(downloadFolder(parent, 'orders-api_v2'), join(parent, 'orders-api_v2'));
    for (const name of ['../x', '..', 'a/b', 'a\\b', '']) {
      assert.throws(() => downloadFolder(parent, name), /not a Lambda function name.*nothing was written/, name);
    }
  });

  it('describes SSO expiry with the login command', () => {
    const p = describeAwsError(Object.assign(new Error('The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login'), { name: 'CredentialsProviderError' }), 'list functions', 'dev');
    assert.equal(p.kind, 'expired');
    assert.equal(p.command, 'aws sso login --profile dev');
  });
});
