import * as assert from 'node:assert/strict';
import {
  CreateFunctionCommand, DeleteFunctionCommand, GetFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand, LambdaClient,
  ListFunctionsCommand, paginateListFunctions, UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2, type LambdaClientConfig,
} from '@aws-sdk/client-lambda';
import { createHash } from 'node:crypto';
import { get } from 'node:http';
import { makeZip, startLambdaEmulator, type LambdaEmulator } from '../../support/awsEmulator/lambda';
import { waitForNoChildren } from '../support/runtimeFixtures';

const REGION = 'eu-west-1';
const ROLE = 'arn:aws:iam::123456789012:role/emulator-test';
const text = (bytes?: Uint8Array): string => Buffer.from(bytes ?? []).toString('utf8');
const handlerZip = (version: number): Buffer => makeZip({
  'index.mjs': `export const handler = async (event) => { console.log('handling', JSON.stringify(event)); return { version: ${version}, got: event }; };\n`,
});

function download(url: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number; attempts?: number }; Reason?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  assert.fail('expected the call to be rejected');
}

describe('Lambda emulator driven by @aws-sdk/client-lambda', function () {
  this.timeout(60_000);
  let env: LambdaEmulator;
  let client: LambdaClient;
  const clients: LambdaClient[] = [];
  const newClient = (extra: Partial<LambdaClientConfig> = {}): LambdaClient => {
    const c = new LambdaClient({
      endpoint: env.endpoint, region: REGION, credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' }, maxAttempts: 1, ...extra,
    });
    clients.push(c);
    return c;
  };

  before(async () => {
    env = await startLambdaEmulator({ region: REGION, updateDelayMs: 300, createDelayMs: 100 });
    client = newClient();
  });
  afterEach(() => env.lambda.faults.clear());
  after(async () => {
    for (const c of clients) c.destroy();
    await env?.close();
    assert.deepEqual(await waitForNoChildren(), []);
  });

  describe('ListFunctions', () => {
    let seeded: string[];
    before(() => { seeded = env.lambda.seed(237, 'page'); });

    it('pages with Marker and MaxItems: every name once, in name order, although inserted shuffled', async () => {
      assert.notDeepEqual(seeded, [...seeded].sort(), 'insertion order differs from name order');
      const seen: string[] = [];
      let marker: string | undefined;
      let pages = 0;
      do {
        const page = await client.send(new ListFunctionsCommand({ Marker: marker, MaxItems: 20 }));
        assert.ok((page.Functions ?? []).length <= 20);
        seen.push(...(page.Functions ?? []).map((f) => f.FunctionName!));
        marker = page.NextMarker;
        pages++;
      } while (marker);
      const ours = seen.filter((n) => n.startsWith('page-'));
      assert.equal(pages, Math.ceil(seen.length / 20));
      assert.equal(ours.length, 237);
      assert.equal(new Set(ours).size, 237);
      assert.deepEqual(seen, [...seen].sort());
      assert.deepEqual(new Set(ours), new Set(seeded));
    });

    it('caps pages at 50 (the default and the maximum) and leaves the GetFunction-only fields out', async () => {
      const first = await client.send(new ListFunctionsCommand({}));
      assert.equal(first.Functions?.length, 50);
      assert.ok(first.NextMarker);
      const big = await client.send(new ListFunctionsCommand({ MaxItems: 1000 }));
      assert.equal(big.Functions?.length, 50);
      const fn = first.Functions![0];
      assert.equal(fn.State, undefined);
      assert.equal(fn.LastUpdateStatus, undefined);
      assert.equal(fn.FunctionArn, `arn:aws:lambda:eu-west-1:123456789012:function:${fn.FunctionName}`);
      assert.equal(fn.Version, '$LATEST');
      assert.equal(fn.PackageType, 'Zip');
      assert.deepEqual(fn.LoggingConfig, { LogFormat: 'Text', LogGroup: `/aws/lambda/${fn.FunctionName}` });
      assert.match(fn.LastModified!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    });

    it('works with the SDK paginator', async () => {
      let count = 0;
      for await (const page of paginateListFunctions({ client, pageSize: 50 }, {})) count += page.Functions?.length ?? 0;
      assert.equal(count, env.lambda.size);
    });

    it('rejects a bad MaxItems or Marker with InvalidParameterValueException', async () => {
      const zero = await rejection(client.send(new ListFunctionsCommand({ MaxItems: 0 })));
      assert.equal(zero.name, 'InvalidParameterValueException');
      const marker = await rejection(client.send(new ListFunctionsCommand({ Marker: 'not-a-marker' })));
      assert.equal(marker.name, 'InvalidParameterValueException');
    });

    it('seeds 10 000 functions quickly and lists them all', async () => {
      const other = await startLambdaEmulator({ region: REGION });
      try {
        const started = Date.now();
        other.lambda.seed(10_000, 'bulk');
        assert.ok(Date.now() - started < 1000, `seeding took ${Date.now() - started} ms`);
        const bulkClient = newClient({ endpoint: other.endpoint });
        const names = new Set<string>();
        for await (const page of paginateListFunctions({ client: bulkClient }, {})) for (const f of page.Functions ?? []) names.add(f.FunctionName!);
        assert.equal(names.size, 10_000);
        bulkClient.destroy();
      } finally {
        await other.close();
      }
    });
  });

  it('GetFunction returns the configuration and a Code.Location that downloads the same zip; ARNs work as names', async () => {
    const zip = handlerZip(0);
    env.lambda.addFunction({ FunctionName: 'get-me', zip, Tags: { team: 'tools' }, Environment: { Variables: { A: '1' } } });
    const out = await client.send(new GetFunctionCommand({ FunctionName: 'arn:aws:lambda:eu-west-1:123456789012:function:get-me' }));
    assert.equal(out.Configuration?.FunctionName, 'get-me');
    assert.equal(out.Configuration?.State, 'Active');
    assert.equal(out.Configuration?.CodeSize, zip.length);
    assert.equal(out.Configuration?.CodeSha256, createHash('sha256').update(zip).digest('base64'));
    assert.deepEqual(out.Configuration?.Environment, { Variables: { A: '1' } });
    assert.deepEqual(out.Tags, { team: 'tools' });
    assert.equal(out.Code?.RepositoryType, 'S3');
    assert.equal(out.Code?.Location, `${env.endpoint}/__code/get-me.zip`);
    const downloaded = await download(out.Code!.Location!);
    assert.equal(downloaded.status, 200);
    assert.ok(downloaded.body.equals(zip));
    const config = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'get-me' }));
    assert.equal(config.CodeSha256, out.Configuration?.CodeSha256);
  });

  it('CreateFunction: 201, Pending then Active, Invoke runs the zip; creating it again is a ResourceConflictException', async () => {
    const created = await client.send(new CreateFunctionCommand({
      FunctionName: 'created', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: handlerZip(1) },
      Timeout: 10, MemorySize: 256, Environment: { Variables: { STAGE: 'test' } }, Architectures: ['arm64'],
    }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.State, 'Pending');
    assert.equal(created.StateReasonCode, 'Creating');
    assert.equal(created.FunctionArn, 'arn:aws:lambda:eu-west-1:123456789012:function:created');
    assert.deepEqual(created.Architectures, ['arm64']);
    const pending = await rejection(client.send(new InvokeCommand({ FunctionName: 'created', Payload: Buffer.from('{}') })));
    assert.equal(pending.name, 'ResourceConflictException');
    const waited = await waitUntilFunctionActiveV2({ client, maxWaitTime: 10, minDelay: 1, maxDelay: 1 }, { FunctionName: 'created' });
    assert.equal(waited.state, 'SUCCESS');
    const out = await client.send(new InvokeCommand({ FunctionName: 'created', Payload: Buffer.from('{"n":1}') }));
    assert.equal(out.StatusCode, 200);
    assert.equal(out.ExecutedVersion, '$LATEST');
    assert.equal(out.FunctionError, undefined);
    assert.deepEqual(JSON.parse(text(out.Payload)), { version: 1, got: { n: 1 } });

    const again = await rejection(client.send(new CreateFunctionCommand({
      FunctionName: 'created', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: handlerZip(1) },
    })));
    assert.equal(again.name, 'ResourceConflictException');
    assert.equal(again.$metadata?.httpStatusCode, 409);
    assert.equal(again.message, 'Function already exist: created');
  });

  it('CreateFunction validates like the service: InvalidParameterValueException', async () => {
    const base = { Runtime: 'nodejs22.x' as const, Role: ROLE, Handler: 'index.handler', Code: { ZipFile: handlerZip(1) } };
    const memory = await rejection(client.send(new CreateFunctionCommand({ ...base, FunctionName: 'bad-memory', MemorySize: 64 })));
    assert.equal(memory.name, 'InvalidParameterValueException');
    assert.equal(memory.$metadata?.httpStatusCode, 400);
    const zip = await rejection(client.send(new CreateFunctionCommand({ ...base, FunctionName: 'bad-zip', Code: { ZipFile: Buffer.from('not a zip') } })));
    assert.equal(zip.message, 'Could not unzip uploaded file. Please check your file, then try to upload again.');
    const reserved = await rejection(client.send(new CreateFunctionCommand({ ...base, FunctionName: 'bad-env', Environment: { Variables: { AWS_REGION: 'x' } } })));
    assert.match(reserved.message, /Reserved keys used in this request: AWS_REGION/);
    // A runtime Lambda blocks for new functions (nodejs20.x since 2026-08-31) is refused in the service's words.
    const blocked = await rejection(client.send(new CreateFunctionCommand({ ...base, FunctionName: 'old-runtime', Runtime: 'nodejs20.x' })));
    assert.equal(blocked.name, 'InvalidParameterValueException');
    assert.equal(blocked.message, 'The runtime parameter of nodejs20.x is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.');
  });

  it('UpdateFunctionCode: LastUpdateStatus InProgress then Successful, and Invoke runs the new code', async () => {
    env.lambda.addFunction({ FunctionName: 'updated', zip: handlerZip(1) });
    const before = await client.send(new InvokeCommand({ FunctionName: 'updated', Payload: Buffer.from('{}') }));
    assert.equal((JSON.parse(text(before.Payload)) as { version: number }).version, 1);

    const update = await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'updated', ZipFile: handlerZip(2) }));
    assert.equal(update.LastUpdateStatus, 'InProgress');
    assert.equal(update.CodeSha256, createHash('sha256').update(handlerZip(2)).digest('base64'));
    const conflict = await rejection(client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'updated', MemorySize: 512 })));
    assert.equal(conflict.name, 'ResourceConflictException');
    assert.match(conflict.message, /An update is in progress for resource: arn:aws:lambda:eu-west-1:123456789012:function:updated/);
    const during = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'updated' }));
    assert.equal(during.LastUpdateStatus, 'InProgress');
    const old = await client.send(new InvokeCommand({ FunctionName: 'updated', Payload: Buffer.from('{}') }));
    assert.equal((JSON.parse(text(old.Payload)) as { version: number }).version, 1, 'the previous code runs until the update is done');

    const waited = await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 10, minDelay: 1, maxDelay: 1 }, { FunctionName: 'updated' });
    assert.equal(waited.state, 'SUCCESS');
    const after = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'updated' }));
    assert.equal(after.LastUpdateStatus, 'Successful');
    const out = await client.send(new InvokeCommand({ FunctionName: 'updated', Payload: Buffer.from('{}') }));
    assert.equal((JSON.parse(text(out.Payload)) as { version: number }).version, 2);

    const reconfigured = await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'updated', Environment: { Variables: { B: '2' } } }));
    assert.equal(reconfigured.LastUpdateStatus, 'InProgress');
    assert.deepEqual(reconfigured.Environment, { Variables: { B: '2' } });
    env.lambda.settle();
    assert.equal((await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'updated' }))).LastUpdateStatus, 'Successful');
  });

  it('Invoke: LogType Tail, function errors, Event and DryRun, and a payload over 6 MB', async () => {
    env.lambda.addFunction({
      FunctionName: 'invoked',
      zip: { 'index.mjs': "export const handler = async (event) => { if (event.fail) throw new TypeError('asked to fail'); console.log('hello log'); return 'ok'; };\n" },
    });
    const tail = await client.send(new InvokeCommand({ FunctionName: 'invoked', Payload: Buffer.from('{}'), LogType: 'Tail' }));
    const log = Buffer.from(tail.LogResult ?? '', 'base64').toString('utf8');
    assert.match(log, /^START RequestId: /m);
    assert.match(log, /\tINFO\thello log/);
    assert.match(log, /^REPORT RequestId: /m);

    const failed = await client.send(new InvokeCommand({ FunctionName: 'invoked', Payload: Buffer.from('{"fail":true}') }));
    assert.equal(failed.FunctionError, 'Unhandled');
    assert.equal((JSON.parse(text(failed.Payload)) as { errorType: string }).errorType, 'TypeError');

    const event = await client.send(new InvokeCommand({ FunctionName: 'invoked', InvocationType: 'Event', Payload: Buffer.from('{}') }));
    assert.equal(event.StatusCode, 202);
    const dry = await client.send(new InvokeCommand({ FunctionName: 'invoked', InvocationType: 'DryRun' }));
    assert.equal(dry.StatusCode, 204);

    const large = await rejection(client.send(new InvokeCommand({ FunctionName: 'invoked', Payload: Buffer.alloc(6 * 1024 * 1024 + 1, 0x20) })));
    assert.equal(large.name, 'RequestTooLargeException');
    assert.equal(large.$metadata?.httpStatusCode, 413);
  });

  it('DeleteFunction: 204, then GetFunction rejects with ResourceNotFoundException', async () => {
    env.lambda.addFunction({ FunctionName: 'deleted' });
    const out = await client.send(new DeleteFunctionCommand({ FunctionName: 'deleted' }));
    assert.equal(out.$metadata.httpStatusCode, 204);
    const error = await rejection(client.send(new GetFunctionCommand({ FunctionName: 'deleted' })));
    assert.equal(error.name, 'ResourceNotFoundException');
    assert.equal(error.$metadata?.httpStatusCode, 404);
    assert.equal(error.message, 'Function not found: arn:aws:lambda:eu-west-1:123456789012:function:deleted');
  });

  describe('faults', () => {
    before(() => env.lambda.addFunction({ FunctionName: 'faulty', zip: handlerZip(7) }));

    it('AccessDenied → AccessDeniedException with the IAM message', async () => {
      env.lambda.faults.failNext('ListFunctions', 'AccessDenied');
      const error = await rejection(client.send(new ListFunctionsCommand({})));
      assert.equal(error.name, 'AccessDeniedException');
      assert.equal(error.$metadata?.httpStatusCode, 403);
      assert.equal(error.message,
        'User: arn:aws:iam::123456789012:user/test is not authorized to perform: lambda:ListFunctions on resource: * because no identity-based policy allows the lambda:ListFunctions action');
      await client.send(new ListFunctionsCommand({ MaxItems: 1 })); // once only
    });

    it('ExpiredToken → ExpiredTokenException', async () => {
      env.lambda.faults.failNext('GetFunction', 'ExpiredToken');
      const error = await rejection(client.send(new GetFunctionCommand({ FunctionName: 'faulty' })));
      assert.equal(error.name, 'ExpiredTokenException');
      assert.equal(error.message, 'The security token included in the request is expired');
    });

    it('NotFound → ResourceNotFoundException', async () => {
      env.lambda.faults.failNext('Invoke', 'NotFound');
      const error = await rejection(client.send(new InvokeCommand({ FunctionName: 'faulty' })));
      assert.equal(error.name, 'ResourceNotFoundException');
      assert.equal(error.message, 'Function not found: arn:aws:lambda:eu-west-1:123456789012:function:faulty');
    });

    it('a throttle once is retried by a client with maxAttempts 3', async () => {
      env.lambda.faults.failNext('ListFunctions', 'Throttle');
      const retrying = newClient({ maxAttempts: 3 });
      const out = await retrying.send(new ListFunctionsCommand({ MaxItems: 5 }));
      assert.equal(out.Functions?.length, 5);
      assert.ok((out.$metadata.attempts ?? 0) > 1, `attempts: ${out.$metadata.attempts}`);
      assert.deepEqual(env.lambda.faults.applied.at(-1), { operation: 'ListFunctions', fault: 'Throttle' });
    });

    it('a throttle with maxAttempts 1 → TooManyRequestsException with its Reason', async () => {
      env.lambda.faults.failNext('Invoke', 'Throttle');
      const error = await rejection(client.send(new InvokeCommand({ FunctionName: 'faulty' })));
      assert.equal(error.name, 'TooManyRequestsException');
      assert.equal(error.$metadata?.httpStatusCode, 429);
      assert.equal(error.Reason, 'ConcurrentInvocationLimitExceeded');
    });

    it('a slow page still succeeds, later', async () => {
      env.lambda.faults.slow('ListFunctions', 300);
      const started = Date.now();
      const out = await client.send(new ListFunctionsCommand({ MaxItems: 3 }));
      assert.equal(out.Functions?.length, 3);
      assert.ok(Date.now() - started >= 290, `took ${Date.now() - started} ms`);
    });

    it('a dropped connection rejects the call (maxAttempts 1); the next call works', async () => {
      env.lambda.faults.drop('GetFunctionConfiguration');
      const error = await rejection(client.send(new GetFunctionConfigurationCommand({ FunctionName: 'faulty' })));
      assert.ok(error instanceof Error);
      const out = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'faulty' }));
      assert.equal(out.FunctionName, 'faulty');
    });
  });
});
