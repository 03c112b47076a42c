import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { AwsProblemError, describeAwsError } from '../../../src/core/aws/awsErrors';
import { pollTail, type TailEvent, type TailStatus } from '../../../src/core/logs/pollingTail';
import { compileFilterPattern, LogsService } from '../../support/awsEmulator/logs';
import type { AwsEmulator } from '../../support/awsEmulator/server';
import { startLogsEmulator, stopLogsEmulator } from '../../support/awsEmulator/logsEmulator';

describe('Polling tail (FilterLogEvents) against the Logs emulator', function () {
  this.timeout(30_000);
  let emulator: AwsEmulator;
  let logs: LogsService;
  let client: CloudWatchLogsClient;

  beforeEach(async () => { ({ logs, emulator, client } = await startLogsEmulator()); });
  afterEach(() => stopLogsEmulator({ emulator, client }));

  /** Runs the tail for `polls` polls (no real waiting), calling `between` before each poll after the first. */
  async function tail(polls: number, between: (poll: number) => void, extra: { filterPattern?: string } = {}): Promise<{ events: TailEvent[]; statuses: TailStatus[] }> {
    const events: TailEvent[] = [];
    const statuses: TailStatus[] = [];
    const controller = new AbortController();
    let poll = 0;
    await pollTail({
      client, logGroup: '/aws/lambda/orders', startTime: 0, lateWindowMs: 60_000, signal: controller.signal, ...extra,
      onEvents: (e) => events.push(...e), onStatus: (s) => statuses.push(s),
      sleep: async () => {
        poll++;
        if (poll >= polls) controller.abort();
        else between(poll);
      },
    });
    return { events, statuses };
  }

  it('reads every page of a poll, in order, with no duplicates across polls', async () => {
    logs.pageSize = 3;
    const base = Date.now() - 10_000;
    for (let i = 0; i < 10; i++) logs.put('/aws/lambda/orders', 's1', `event ${i}`, base + i);
    const { events } = await tail(3, (poll) => {
      if (poll === 1) for (let i = 10; i < 14; i++) logs.put('/aws/lambda/orders', 's2', `event ${i}`, base + i);
    });
    assert.deepEqual(events.map((e) => e.message), Array.from({ length: 14 }, (_, i) => `event ${i}`));
    assert.equal(new Set(events.map((e) => e.id)).size, 14);
  });

  it('picks up late-arriving events (older timestamps ingested later) without repeating the others', async () => {
    const base = Date.now() - 5_000;
    logs.put('/aws/lambda/orders', 's1', 'first', base + 10);
    logs.put('/aws/lambda/orders', 's1', 'third', base + 30);
    const { events } = await tail(3, (poll) => {
      if (poll === 1) logs.put('/aws/lambda/orders', 's2', 'second (late)', base + 20);
    });
    assert.deepEqual(events.map((e) => e.message), ['first', 'third', 'second (late)']);
  });

  it('backs off when idle and when throttled, and keeps going', async () => {
    logs.put('/aws/lambda/orders', 's1', 'only', Date.now() - 1000);
    const { events, statuses } = await tail(5, (poll) => {
      if (poll === 2) logs.throttleNext();
      if (poll === 3) logs.put('/aws/lambda/orders', 's1', 'after throttling', Date.now());
    });
    assert.deepEqual(events.map((e) => e.message), ['only', 'after throttling']);
    const kinds = statuses.map((s) => s.kind);
    assert.deepEqual(kinds.slice(0, 4), ['polling', 'idle', 'throttled', 'polling']);
    assert.ok(statuses[1].intervalMs > statuses[0].intervalMs, 'idle polls slow down');
    assert.ok(statuses[2].intervalMs > statuses[1].intervalMs, 'throttling slows down more');
    assert.equal(statuses[3].intervalMs, 1000, 'new events bring the interval back');
  });

  it('applies the filter pattern', async () => {
    logs.put('/aws/lambda/orders', 's1', 'ERROR payment failed', Date.now() - 10);
    logs.put('/aws/lambda/orders', 's1', 'INFO all fine', Date.now() - 5);
    const { events } = await tail(1, () => undefined, { filterPattern: 'ERROR' });
    assert.deepEqual(events.map((e) => e.message), ['ERROR payment failed']);
  });

  it('stops on a missing log group with a message saying so', async () => {
    await assert.rejects(pollTail({ client, logGroup: '/aws/lambda/missing', signal: new AbortController().signal, onEvents: () => undefined, sleep: async () => undefined }),
      (e: AwsProblemError) => e.name === 'AwsProblemError' && e.problem.kind === 'not-found');
  });

  it('a throttled second page loses nothing: the first page is shown, and the rest comes on the next poll', async () => {
    logs.pageSize = 3;
    const base = Date.now() - 10_000;
    for (let i = 0; i < 7; i++) logs.put('/aws/lambda/orders', 's1', `event ${i}`, base + i);
    logs.throttleNextPage();
    const { events, statuses } = await tail(3, () => undefined);
    assert.deepEqual(events.map((e) => e.message), Array.from({ length: 7 }, (_, i) => `event ${i}`));
    assert.equal(statuses[0].kind, 'throttled');
  });

  it('no credentials end the tail at once with the message functions list gives, not retries', async () => {
    const noCredentials = new CloudWatchLogsClient({ endpoint: emulator.endpoint, region: 'us-east-1', maxAttempts: 1,
      credentials: () => Promise.reject(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' })) });
    let sleeps = 0;
    try {
      await assert.rejects(pollTail({ client: noCredentials, logGroup: '/aws/lambda/orders', signal: new AbortController().signal, onEvents: () => undefined, sleep: async () => { sleeps++; } }),
        (e: AwsProblemError) => e.problem.kind === 'no-credentials' && e.message === describeAwsError(e.cause, 'list functions').message);
      assert.equal(sleeps, 0, 'no retry');
    } finally {
      noCredentials.destroy();
    }
  });

  it('waiting between polls leaves no abort listener behind', async () => {
    const controller = new AbortController();
    const listeners: number[] = [];
    logs.put('/aws/lambda/orders', 's1', 'x', Date.now());
    setTimeout(() => controller.abort(), 400);
    await pollTail({
      client, logGroup: '/aws/lambda/orders', intervalMs: 1, maxIntervalMs: 1, signal: controller.signal, onEvents: () => undefined,
      onStatus: () => listeners.push(getEventListeners(controller.signal, 'abort').length),
    });
    assert.ok(listeners.length > 10, `${listeners.length} polls`);
    assert.ok(listeners.at(-1)! <= listeners[0] + 1, `abort listeners grew poll by poll: ${listeners.slice(0, 5).join(', ')} … ${listeners.at(-1)}`);
  });
});

describe('The Logs emulator filter patterns (what search and tail send)', () => {
  it('supports terms, quoted phrases, ? alternatives and JSON equality', () => {
    const lines = ['ERROR payment failed', 'WARN slow call', 'INFO Task timed out after 3.00 seconds', '{"level":"ERROR","message":"m"}', '{"level":"INFO"}'];
    const run = (p: string): string[] => lines.filter(compileFilterPattern(p));
    assert.deepEqual(run('ERROR payment'), ['ERROR payment failed']);
    assert.deepEqual(run('"Task timed out"'), ['INFO Task timed out after 3.00 seconds']);
    assert.deepEqual(run('?ERROR ?WARN'), ['ERROR payment failed', 'WARN slow call', '{"level":"ERROR","message":"m"}']);
    assert.deepEqual(run('{ $.level = "ERROR" }'), ['{"level":"ERROR","message":"m"}']);
    assert.deepEqual(run('{ $.level != "ERROR" }'), ['{"level":"INFO"}']);
    assert.deepEqual(run(''), lines);
  });
});
