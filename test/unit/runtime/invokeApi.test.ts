import * as assert from 'node:assert/strict';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { request } from 'node:http';
import { functionNameFrom, startInvokeApi, type InvokeApi } from '../../../src/core/runtime/invokeApiServer';
import { LocalLambda } from '../../../src/core/runtime/localLambda';
import type { FunctionConfig } from '../../../src/core/runtime/types';
import { fnConfig, languages } from '../support/runtimeFixtures';

const [nodeLang, pythonLang] = languages;
const text = (bytes?: Uint8Array): string => Buffer.from(bytes ?? []).toString('utf8');

describe('Invoke API (serve) driven by @aws-sdk/client-lambda', function () {
  this.timeout(30_000);
  let lambda: LocalLambda;
  let api: InvokeApi;
  let client: LambdaClient;
  const results: string[] = [];

  before(async () => {
    lambda = new LocalLambda({ maxEnvironments: 1 });
    const functions = new Map<string, FunctionConfig>([
      ['echo', fnConfig(nodeLang, 'echo', { name: 'echo' })],
      ['py-boom', fnConfig(pythonLang, 'boom', { name: 'py-boom' })],
      ['slow', fnConfig(nodeLang, 'sleep', { name: 'slow' })],
      ['logs', fnConfig(nodeLang, 'logs', { name: 'logs' })],
      ['ctx', fnConfig(nodeLang, 'context', { name: 'ctx' })],
    ]);
    api = await startInvokeApi({ lambda, functions, port: 0, onResult: (name) => results.push(name) });
    client = new LambdaClient({
      endpoint: api.url, region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
      maxAttempts: 1,
    });
  });
  after(async () => {
    client.destroy();
    await api.close();
    await lambda.dispose();
  });

  it('binds to 127.0.0.1', () => {
    assert.match(api.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses a foreign Host (DNS rebinding) and a cross-origin browser request with 403; its own origin passes', async () => {
    const post = (headers: Record<string, string>): Promise<{ status?: number; body: string }> => new Promise((resolve, reject) => {
      const req = request(new URL(`${api.url}/2015-03-31/functions/echo/invocations`), { method: 'POST', headers }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => { body += c.toString(); });
        res.on('end', () => resolve({ status: res.statusCode, body }));
      });
      req.on('error', reject);
      req.end('{"hello":"door"}');
    });
    const port = new URL(api.url).port;
    const before = results.length;
    const rebound = await post({ Host: `evil.example:${port}` });
    assert.equal(rebound.status, 403);
    assert.match(rebound.body, /Host 'evil\.example:\d+' is not this local server/);
    const page = await post({ Origin: 'http://evil.example' });
    assert.equal(page.status, 403);
    assert.match(page.body, /Origin 'http:\/\/evil\.example' may not call this local server/);
    assert.equal(results.length, before, 'neither ran the function');
    const own = await post({ Host: `localhost:${port}`, Origin: `http://localhost:${port}` });
    assert.equal(own.status, 200);
    assert.deepEqual(JSON.parse(own.body), { hello: 'door' });
  });

  it('RequestResponse returns the payload', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{"hello":"sdk"}') }));
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, undefined);
    assert.equal(out.ExecutedVersion, '$LATEST');
    assert.deepEqual(JSON.parse(text(out.Payload)), { hello: 'sdk' });
  });

  it('accepts a full ARN as the function name', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:echo', Payload: Buffer.from('[1]') }));
    assert.deepEqual(JSON.parse(text(out.Payload)), [1]);
  });

  it('sets X-Amz-Function-Error on a function error and returns the error document', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'py-boom', Payload: Buffer.from('{}') }));
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, 'Unhandled');
    const error = JSON.parse(text(out.Payload)) as { errorType: string; errorMessage: string };
    assert.equal(error.errorType, 'ValidationError');
    assert.equal(error.errorMessage, 'order id is missing');
  });

  it('LogType Tail returns the last 4 KB of the log, base64, in X-Amz-Log-Result', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'logs', Payload: Buffer.from('{}'), LogType: 'Tail' }));
    const tail = Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');
    assert.match(tail, /^START RequestId: /m);
    assert.match(tail, /\tINFO\tinfo line/);
    assert.match(tail, /^REPORT RequestId: /m);
    assert.doesNotMatch(tail, /^ESTIMATE/m, 'our own cost line is not part of the CloudWatch tail');
  });

  it('passes a base64 ClientContext through to the function', async () => {
    const context = Buffer.from(JSON.stringify({ custom: { k: 'v' } })).toString('base64');
    const out = await client.send(new InvokeCommand({ FunctionName: 'ctx', Payload: Buffer.from('{}'), ClientContext: context }));
    assert.deepEqual((JSON.parse(text(out.Payload)) as { clientContext: unknown }).clientContext, { custom: { k: 'v' } });
  });

  it('refuses a ClientContext Lambda refuses: over 3 583 bytes of base64, or not a JSON object', async () => {
    const big = Buffer.from(JSON.stringify({ custom: { a: 'z'.repeat(3000) } })).toString('base64');
    for (const ClientContext of [big, Buffer.from('5').toString('base64'), Buffer.from('[1]').toString('base64'), 'not base64!']) {
      await assert.rejects(client.send(new InvokeCommand({ FunctionName: 'ctx', Payload: Buffer.from('{}'), ClientContext })),
        (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.name === 'InvalidRequestContentException' && e.$metadata?.httpStatusCode === 400, ClientContext.slice(0, 20));
    }
  });

  it('an operation it does not serve is named as such, not as a missing function; a LogType other than None or Tail is refused', async () => {
    const { GetFunctionCommand } = await import('@aws-sdk/client-lambda');
    await assert.rejects(client.send(new GetFunctionCommand({ FunctionName: 'echo' })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(e.name, 'UnknownOperationException');
      assert.equal(e.$metadata?.httpStatusCode, 400);
      assert.match(e.message, /serves Invoke and InvokeWithResponseStream only, not GetFunction \(GET \/2015-03-31\/functions\/echo\)/);
      return true;
    });
    await assert.rejects(client.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{}'), LogType: 'Foo' as 'Tail' })),
      (e: Error) => e.name === 'InvalidRequestContentException' && /Value 'Foo' at 'logType'/.test(e.message));
  });

  it('Event returns 202 and runs in the background', async () => {
    const before = results.length;
    const out = await client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: Buffer.from('{}') }));
    assert.equal(out.StatusCode, 202);
    const deadline = Date.now() + 5000;
    while (results.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(results.length, before + 1, 'the asynchronous invocation ran');
  });

  it('DryRun returns 204 without running, after the checks a call would make', async () => {
    const before = results.length;
    const out = await client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'DryRun' }));
    assert.equal(out.StatusCode, 204);
    assert.equal(results.length, before);
    await assert.rejects(client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'DryRun', Payload: Buffer.from('{bad') })),
      (e: Error) => e.name === 'InvalidRequestContentException' && /malformed JSON/.test(e.message));
  });

  it('an unknown function is ResourceNotFoundException (404) naming the local functions', async () => {
    await assert.rejects(client.send(new InvokeCommand({ FunctionName: 'nope', Payload: Buffer.from('{}') })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(e.name, 'ResourceNotFoundException');
      assert.equal(e.$metadata?.httpStatusCode, 404);
      assert.match(e.message, /Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope/);
      assert.match(e.message, /Local functions: echo, py-boom/);
      return true;
    });
  });

  it('a payload over 6 MB is RequestTooLargeException (413); over 1 MB for Event too', async () => {
    await assert.rejects(client.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from(`"${'x'.repeat(6 * 1024 * 1024)}"`) })),
      (e: Error) => e.name === 'RequestTooLargeException' && /6291456 bytes/.test(e.message));
    await assert.rejects(client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: Buffer.from(`"${'x'.repeat(1024 * 1024)}"`) })),
      (e: Error) => e.name === 'RequestTooLargeException' && /1048576 bytes/.test(e.message));
  });

  it('malformed JSON is InvalidRequestContentException with line and column', async () => {
    await assert.rejects(client.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{\n  "a": 1,\n  oops\n}') })),
      (e: Error) => e.name === 'InvalidRequestContentException' && /event:3:3: malformed JSON/.test(e.message));
  });

  it('beyond the concurrency limit: TooManyRequestsException (429) with Retry-After, which the SDK retries', async () => {
    const busy = client.send(new InvokeCommand({ FunctionName: 'slow', Payload: Buffer.from('{"ms": 400}') }));
    await new Promise((r) => setTimeout(r, 150));
    const raw = await new Promise<{ status?: number; type?: string; retry?: string; reason?: string }>((resolve, reject) => {
      const url = new URL(`${api.url}/2015-03-31/functions/slow/invocations`);
      const req = request(url, { method: 'POST' }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => { body += c.toString(); });
        res.on('end', () => resolve({ status: res.statusCode, type: res.headers['x-amzn-errortype'] as string, retry: res.headers['retry-after'] as string,
          reason: (JSON.parse(body) as { Reason?: string }).Reason }));
      });
      req.on('error', reject);
      req.end('{"ms": 1}');
    });
    // The local limit is the function's own (--max-concurrency), as reserved concurrency is on Lambda.
    assert.deepEqual(raw, { status: 429, type: 'TooManyRequestsException', retry: '1', reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
    const retrying = new LambdaClient({ endpoint: api.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 5 });
    try {
      const out = await retrying.send(new InvokeCommand({ FunctionName: 'slow', Payload: Buffer.from('{"ms": 1}') }));
      assert.deepEqual(JSON.parse(text(out.Payload)), { slept: 1 }, 'succeeded after the SDK retried the throttle');
      assert.ok((out.$metadata.attempts ?? 1) > 1, `retried (${out.$metadata.attempts} attempts)`);
    } finally {
      retrying.destroy();
    }
    await busy;
  });

  it('extracts function names from ARNs and partial ARNs', () => {
    assert.deepEqual(functionNameFrom('my-fn'), { name: 'my-fn', qualifier: undefined });
    assert.deepEqual(functionNameFrom('my-fn:$LATEST'), { name: 'my-fn', qualifier: '$LATEST' });
    assert.deepEqual(functionNameFrom('arn:aws:lambda:eu-west-1:111122223333:function:my-fn:prod'), { name: 'my-fn', qualifier: 'prod' });
    assert.deepEqual(functionNameFrom('111122223333:function:my-fn'), { name: 'my-fn', qualifier: undefined });
    assert.deepEqual(functionNameFrom('111122223333:function:my-fn:live'), { name: 'my-fn', qualifier: 'live' });
    assert.deepEqual(functionNameFrom('arn:aws:lambda:eu-west-1:111122223333:function:my-fn'), { name: 'my-fn', qualifier: undefined });
  });

  it('every name form Lambda takes reaches the function; a partial ARN with an alias is not the function "123456789012"', async () => {
    for (const name of ['echo', 'echo:$LATEST', '123456789012:function:echo', '123456789012:function:echo:$LATEST', 'arn:aws:lambda:us-east-1:123456789012:function:echo']) {
      const out = await client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"n":1}') }));
      assert.deepEqual(JSON.parse(text(out.Payload)), { n: 1 }, name);
    }
    await assert.rejects(client.send(new InvokeCommand({ FunctionName: '123456789012:function:echo:live', Payload: Buffer.from('{}') })),
      (e: Error) => e.name === 'ResourceNotFoundException' && /function:echo:live/.test(e.message));
  });

  it('a function name that is not valid percent-encoding (%ZZ) is a 400, and the server keeps answering', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(new URL(`${api.url}/2015-03-31/functions/%ZZ/invocations`), { method: 'POST' }, (res) => { res.resume(); resolve(res.statusCode); });
      req.on('error', reject);
      req.end('{}');
    });
    assert.equal(status, 400);
    const out = await client.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{"still":true}') }));
    assert.deepEqual(JSON.parse(text(out.Payload)), { still: true });
  });
});
