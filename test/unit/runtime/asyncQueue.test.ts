import * as assert from 'node:assert/strict';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Logger } from '../../../src/core/logger';
import { AsyncInvocationQueue, LAMBDA_ASYNC_DEFAULTS } from '../../../src/core/runtime/asyncQueue';
import { startInvokeApi } from '../../../src/core/runtime/invokeApiServer';
import { LocalLambda } from '../../../src/core/runtime/localLambda';
import type { InvokeResult } from '../../../src/core/runtime/types';
import { waitFor } from '../../support/waitFor';
import { fnConfig, languages } from '../support/runtimeFixtures';

const node = languages[0];

function recordingLogger(lines: string[]): Logger {
  const keep = (m: string | Error) => { lines.push(String(m)); };
  return { trace: keep, debug: keep, info: keep, warn: keep, error: keep };
}

describe('Asynchronous (Event) invocations are queued as Lambda queues them', function () {
  this.timeout(60_000);
  let lambda: LocalLambda;
  afterEach(() => lambda.dispose());

  it('50 Event calls over a concurrency limit of 4 all run (none throttled away), through the SDK', async () => {
    lambda = new LocalLambda({ maxEnvironments: 4 });
    const config = fnConfig(node, 'sleep');
    const results: InvokeResult[] = [];
    const api = await startInvokeApi({ lambda, functions: new Map([['sleeper', config]]), onResult: (_, r) => results.push(r) });
    const client = new LambdaClient({ endpoint: api.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
    try {
      const accepted = await Promise.all(Array.from({ length: 50 }, (_, i) =>
        client.send(new InvokeCommand({ FunctionName: 'sleeper', InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ ms: 20, i })) }))));
      assert.deepEqual(new Set(accepted.map((a) => a.StatusCode)), new Set([202]));
      await waitFor('all 50 to run', () => results.length === 50, 30_000);
      assert.equal(results.filter((r) => r.error).length, 0);
      assert.ok(new Set(results.map((r) => r.environmentId)).size <= 4, 'within the limit of 4 environments');
    } finally {
      client.destroy();
      await api.close();
    }
  });

  it('a failing event is retried twice with the delays, each retry and the drop logged', async () => {
    lambda = new LocalLambda();
    const lines: string[] = [];
    const attempts: InvokeResult[] = [];
    const queue = new AsyncInvocationQueue(lambda, (_, r) => attempts.push(r), recordingLogger(lines), { ...LAMBDA_ASYNC_DEFAULTS, retryDelaysMs: [50, 100] });
    queue.enqueue(fnConfig(node, 'boom'), '{}', 'req-boom');
    await waitFor('three attempts and the drop', () => lines.some((l) => /dropped/.test(l)), 20_000);
    assert.equal(attempts.length, 3);
    assert.match(lines[0], /^async event req-boom for \S+ failed \(ValidationError\): retry 1 of 2 in /);
    assert.match(lines[1], /^async event req-boom for \S+ failed \(ValidationError\): retry 2 of 2 in /);
    assert.match(lines[2], /^async event req-boom for \S+ dropped after 3 attempts: ValidationError$/);
    queue.close();
  });

  it('an event older than the maximum event age is dropped with a log line, not run', async () => {
    lambda = new LocalLambda();
    const lines: string[] = [];
    const attempts: InvokeResult[] = [];
    const queue = new AsyncInvocationQueue(lambda, (_, r) => attempts.push(r), recordingLogger(lines), { ...LAMBDA_ASYNC_DEFAULTS, retryDelaysMs: [300], maxEventAgeMs: 200 });
    queue.enqueue(fnConfig(node, 'boom'), '{}', 'req-old');
    await waitFor('the drop', () => lines.some((l) => /older than the maximum event age/.test(l)), 20_000);
    assert.equal(attempts.length, 1, 'the retry came after the event\'s age limit: not run');
    queue.close();
  });
});
