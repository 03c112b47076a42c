import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../../src/core/packageInfo';
import { LocalLambda } from '../../../src/core/runtime/localLambda';
import type { FunctionConfig } from '../../../src/core/runtime/types';
import { fixtures, waitForNoChildren } from '../support/runtimeFixtures';

// AWS's own Node.js Runtime Interface Client (npm aws-lambda-ric), unmodified, as a provided.al2023 bootstrap: if it
// runs against our Runtime API emulator, the emulator speaks the protocol as Lambda does, not only as our runtimes do.
describe('Custom runtime: the official aws-lambda-ric', function () {
  const tools = process.env.LWB_TEST_TOOLS ?? join(packageRoot(), '.vscode-test', 'tools');
  const ricEntry = join(tools, 'aws-lambda-ric-4.0.2', 'node_modules', 'aws-lambda-ric', 'index.mjs');
  const ric = (name: string, handler: string): FunctionConfig => ({
    name, runtime: 'provided.al2023', handler, codeDir: join(fixtures, 'ric'),
    // The RIC loads a native addon before the first /next; allow for a slow machine (Lambda's init limit is 10 s).
    timeout: 10, environment: { LWB_RIC_ENTRY: ricEntry },
  });
  let lambda: LocalLambda;

  before(function () {
    this.timeout(5 * 60_000);
    // Cached after the first run; the first builds native code (about a minute).
    execFileSync('bash', [join(packageRoot(), 'scripts', 'test-host', 'install-ric.sh')], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 5 * 60_000 });
    lambda = new LocalLambda();
  });
  after(async () => { await lambda?.dispose(); });

  it('returns the handler result, with the request id and function name the RIC read from the Runtime API', async function () {
    this.timeout(30_000);
    const r = await lambda.invoke(ric('ric-fn', 'index.handler'), '{"order":7}');
    assert.equal(r.functionError, undefined, r.payload);
    assert.deepEqual(JSON.parse(r.payload), { ric: true, got: { order: 7 }, requestId: r.requestId, fn: 'ric-fn', remaining: true });
    assert.equal(r.coldStart, true);
    assert.ok(r.initDurationMs !== undefined);
    assert.match(r.logs.find((l) => l.startsWith('REPORT')) ?? '', new RegExp(`^REPORT RequestId: ${r.requestId}\\t.*Init Duration`));
  });

  it("stays warm: the second call is served by the same RIC's loop", async function () {
    this.timeout(30_000);
    const first = await lambda.invoke(ric('ric-fn', 'index.handler'), '{"n":1}');
    const second = await lambda.invoke(ric('ric-fn', 'index.handler'), '{"n":2}');
    assert.equal(second.coldStart, false);
    assert.equal(second.environmentId, first.environmentId);
    assert.equal(second.initDurationMs, undefined);
    assert.doesNotMatch(second.logs.find((l) => l.startsWith('REPORT')) ?? '', /Init Duration/);
    assert.deepEqual(JSON.parse(second.payload), { ric: true, got: { n: 2 }, requestId: second.requestId, fn: 'ric-fn', remaining: true });
  });

  it('reports a thrown error as Unhandled with the type and message the RIC posts', async function () {
    this.timeout(30_000);
    const r = await lambda.invoke(ric('ric-fails', 'index.fails'), '{"orderId":"o-7"}');
    assert.equal(r.functionError, 'Unhandled');
    // The RIC posts { errorType: error.name, errorMessage, trace: stack lines } to /invocation/{id}/error.
    assert.equal(r.error?.errorType, 'OrderRejectedError');
    assert.equal(r.error?.errorMessage, 'order o-7 rejected');
    const payload = JSON.parse(r.payload) as { errorType: string; errorMessage: string; trace?: string[] };
    assert.equal(payload.errorType, 'OrderRejectedError');
    assert.equal(payload.errorMessage, 'order o-7 rejected');
    assert.equal(payload.trace?.[0], 'OrderRejectedError: order o-7 rejected');
    assert.ok(r.logs.some((l) => l.includes('\tERROR\tInvoke Error \t') && l.includes('OrderRejectedError')), r.logs.join('\n'));
  });

  it('leaves no process behind after dispose', async function () {
    this.timeout(30_000);
    await lambda.dispose();
    assert.deepEqual(await waitForNoChildren(), []);
  });
});
