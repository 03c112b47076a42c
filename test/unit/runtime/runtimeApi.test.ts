import * as assert from 'node:assert/strict';
import { request } from 'node:http';
import { RuntimeApiServer, type RuntimeReply } from '../../../src/core/runtime/runtimeApiServer';
import { waitFor } from '../../support/waitFor';

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function call(address: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Reply> {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const req = request({ host, port, method, path, headers }, (res) => {
      let data = '';
      res.on('data', (c: Buffer) => { data += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('Runtime API server (wire level)', () => {
  let api: RuntimeApiServer;
  const replies: RuntimeReply[] = [];
  let nexts = 0;
  beforeEach(async () => {
    replies.length = 0;
    nexts = 0;
    api = await RuntimeApiServer.start({ onNext: () => { nexts++; }, onReply: (r) => replies.push(r) });
  });
  afterEach(() => api.close());

  it('listens on 127.0.0.1 only', () => {
    assert.match(api.address, /^127\.0\.0\.1:\d+$/);
  });

  it('blocks GET /next until an event exists, then sends it with every header of the reference', async () => {
    let answered = false;
    const pending = call(api.address, 'GET', '/2018-06-01/runtime/invocation/next').finally(() => { answered = true; });
    // Until the server has seen the poll (a busy machine may take longer than any fixed wait), then a while more.
    await waitFor('the /next poll to arrive', () => nexts === 1);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(answered, false, 'the poll waits while there is no event');
    assert.equal(nexts, 1);
    api.deliver({ requestId: 'req-1', event: '{"a":1}', deadlineMs: 1700000000000, functionArn: 'arn:aws:lambda:us-east-1:1:function:f', traceId: 'Root=1-x', clientContext: '{"c":1}', cognitoIdentity: '{"i":1}' });
    const next = await pending;
    assert.equal(next.status, 200);
    assert.equal(next.body, '{"a":1}');
    assert.equal(next.headers['lambda-runtime-aws-request-id'], 'req-1');
    assert.equal(next.headers['lambda-runtime-deadline-ms'], '1700000000000');
    assert.equal(next.headers['lambda-runtime-invoked-function-arn'], 'arn:aws:lambda:us-east-1:1:function:f');
    assert.equal(next.headers['lambda-runtime-trace-id'], 'Root=1-x');
    assert.equal(next.headers['lambda-runtime-client-context'], '{"c":1}');
    assert.equal(next.headers['lambda-runtime-cognito-identity'], '{"i":1}');
  });

  it('an event with a value no header can carry is reported as undeliverable, and the waiting runtime gets the next one', async () => {
    const undeliverable: string[] = [];
    const own = await RuntimeApiServer.start({ onNext: () => { nexts++; }, onReply: () => undefined, onUndeliverable: (id, error) => undeliverable.push(`${id}: ${error.message}`) });
    try {
      const pending = call(own.address, 'GET', '/2018-06-01/runtime/invocation/next');
      await waitFor('the /next poll to arrive', () => nexts === 1);
      own.deliver({ requestId: 'req-bad', event: '{}', deadlineMs: 1, functionArn: 'arn:aws:lambda:us-east-1:1:function:x€', traceId: 'Root=1-x' });
      assert.equal(undeliverable.length, 1);
      assert.match(undeliverable[0], /^req-bad: .*Lambda-Runtime-Invoked-Function-Arn/i);
      own.deliver({ requestId: 'req-good', event: '{"ok":1}', deadlineMs: 1, functionArn: 'arn:aws:lambda:us-east-1:1:function:x', traceId: 'Root=1-x' });
      const next = await pending;
      assert.equal(next.headers['lambda-runtime-aws-request-id'], 'req-good');
      assert.equal(next.body, '{"ok":1}');
    } finally {
      own.close();
    }
  });

  it('accepts a response with 202 and rejects an unknown request id with 400', async () => {
    const pending = call(api.address, 'GET', '/2018-06-01/runtime/invocation/next');
    api.deliver({ requestId: 'req-2', event: '{}', deadlineMs: 0, functionArn: 'a', traceId: 't' });
    await pending;
    const wrong = await call(api.address, 'POST', '/2018-06-01/runtime/invocation/other/response', '{}');
    assert.equal(wrong.status, 400);
    assert.equal(JSON.parse(wrong.body).errorType, 'InvalidRequestID');
    const ok = await call(api.address, 'POST', '/2018-06-01/runtime/invocation/req-2/response', '"done"');
    assert.equal(ok.status, 202);
    assert.deepEqual(JSON.parse(ok.body), { status: 'OK' });
    assert.equal(replies.length, 1);
    assert.equal(replies[0].kind, 'response');
    assert.equal((replies[0] as { body: Buffer }).body.toString(), '"done"');
  });

  it('takes /error with Lambda-Runtime-Function-Error-Type and /init/error', async () => {
    const pending = call(api.address, 'GET', '/2018-06-01/runtime/invocation/next');
    api.deliver({ requestId: 'req-3', event: '{}', deadlineMs: 0, functionArn: 'a', traceId: 't' });
    await pending;
    const body = JSON.stringify({ errorMessage: 'm', errorType: 'E', stackTrace: [] });
    assert.equal((await call(api.address, 'POST', '/2018-06-01/runtime/invocation/req-3/error', body, { 'Lambda-Runtime-Function-Error-Type': 'Unhandled' })).status, 202);
    assert.equal((await call(api.address, 'POST', '/2018-06-01/runtime/init/error', body, { 'Lambda-Runtime-Function-Error-Type': 'Runtime.X' })).status, 202);
    assert.deepEqual(replies.map((r) => [r.kind, 'errorType' in r ? r.errorType : undefined]), [['error', 'Unhandled'], ['init-error', 'Runtime.X']]);
  });

  it('refuses a response over 6 291 556 bytes with 413', async () => {
    const pending = call(api.address, 'GET', '/2018-06-01/runtime/invocation/next');
    api.deliver({ requestId: 'req-4', event: '{}', deadlineMs: 0, functionArn: 'a', traceId: 't' });
    await pending;
    const r = await call(api.address, 'POST', '/2018-06-01/runtime/invocation/req-4/response', 'x'.repeat(6_291_557));
    assert.equal(r.status, 413);
    assert.equal(replies[0].kind, 'response-too-large');
  });

  it('answers unknown paths with 404', async () => {
    assert.equal((await call(api.address, 'POST', '/2018-06-01/runtime/nothing', '{}')).status, 404);
  });

  it('a request id that is not valid percent-encoding (%ZZ) is 400 InvalidRequestID (a 4xx, never a throw in the host), and the server keeps working', async () => {
    const pending = call(api.address, 'GET', '/2018-06-01/runtime/invocation/next');
    api.deliver({ requestId: 'req-z', event: '{}', deadlineMs: 0, functionArn: 'a', traceId: 't' });
    await pending;
    const bad = await call(api.address, 'POST', '/2018-06-01/runtime/invocation/%ZZ/response', '{}');
    assert.equal(bad.status, 400);
    assert.equal(JSON.parse(bad.body).errorType, 'InvalidRequestID');
    const ok = await call(api.address, 'POST', '/2018-06-01/runtime/invocation/req-z/response', '"fine"', { 'Lambda-Workbench-Max-Rss-Kb': '51234' });
    assert.equal(ok.status, 202);
    assert.equal((replies.at(-1) as { maxRssKb?: number }).maxRssKb, 51234, 'the runtime\'s own peak memory is passed on');
  });

  it('an outcome that asks for the next event (our bootstraps\' header) is answered with that event, not 202', async () => {
    const first = call(api.address, 'GET', '/2018-06-01/runtime/invocation/next');
    api.deliver({ requestId: 'req-a', event: '{"n":1}', deadlineMs: 0, functionArn: 'a', traceId: 't' });
    await first;
    const second = call(api.address, 'POST', '/2018-06-01/runtime/invocation/req-a/response', '"one"',
      { 'Lambda-Workbench-Then-Next': '1', 'Lambda-Workbench-End-Marks': 'out' });
    await waitFor('the outcome to arrive', () => replies.length === 1 && nexts === 2);
    assert.equal(replies.length, 1, 'the outcome is taken before the next event exists');
    assert.deepEqual((replies[0] as { endMarks?: unknown }).endMarks, { out: true, err: false });
    assert.equal(nexts, 2, 'the request waits as a GET /next does');
    api.deliver({ requestId: 'req-b', event: '{"n":2}', deadlineMs: 0, functionArn: 'a', traceId: 't' });
    const next = await second;
    assert.equal(next.status, 200);
    assert.equal(next.body, '{"n":2}');
    assert.equal(next.headers['lambda-runtime-aws-request-id'], 'req-b');
    // An outcome the service refuses is still answered at once (the bootstrap then asks with GET /next).
    const refused = await call(api.address, 'POST', '/2018-06-01/runtime/invocation/other/response', '{}', { 'Lambda-Workbench-Then-Next': '1' });
    assert.equal(refused.status, 400);
  });

  it('under a debugger, the bootstraps\' debugger-ready request waits until the debugger set its breakpoints (or opens at once once it has)', async () => {
    let answered = false;
    const waiting = call(api.address, 'GET', '/2018-06-01/runtime/lambda-workbench/debugger-ready').then((r) => { answered = true; return r; });
    // Still held while the debugger has not said so (a round trip that would have been answered has passed).
    await call(api.address, 'GET', '/2018-06-01/runtime/lambda-workbench/unknown').catch(() => undefined);
    assert.equal(answered, false, 'held until the breakpoints are set');
    api.openDebugGate();
    assert.equal((await waiting).status, 204);
    assert.equal((await call(api.address, 'GET', '/2018-06-01/runtime/lambda-workbench/debugger-ready')).status, 204, 'answered at once afterwards');
  });

  it('a debugger that never says its breakpoints are set only delays the runtime: the gate opens by itself', async () => {
    // A second, not 50 ms: a loaded machine's round trip below must not outlast the wait and fail "held at first".
    const gated = await RuntimeApiServer.start({ onNext: () => undefined, onReply: () => undefined }, { debugGateMs: 1000 });
    try {
      let answered = false;
      const waiting = call(gated.address, 'GET', '/2018-06-01/runtime/lambda-workbench/debugger-ready').then((r) => { answered = true; return r; });
      await call(gated.address, 'GET', '/2018-06-01/runtime/lambda-workbench/unknown').catch(() => undefined);
      assert.equal(answered, false, 'held at first');
      // Bounded, so a gate that never opens fails here (and close() below lets go of the request) instead of hanging.
      const never = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the gate never opened by itself')), 5000).unref());
      assert.equal((await Promise.race([waiting, never])).status, 204, 'answered without openDebugGate');
    } finally {
      gated.close();
    }
  });
});
