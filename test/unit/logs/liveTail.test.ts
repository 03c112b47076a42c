import * as assert from 'node:assert/strict';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { liveTail, resolveLogGroupArn, type LiveTailStatus } from '../../../src/core/logs/liveTail';
import type { TailEvent } from '../../../src/core/logs/pollingTail';
import { LogsService } from '../../support/awsEmulator/logs';
import { AwsEmulator } from '../../support/awsEmulator/server';
import { waitFor } from '../../support/waitFor';

describe('Live Tail (StartLiveTail event stream) against the Logs emulator', function () {
  this.timeout(30_000);
  let emulator: AwsEmulator;
  let logs: LogsService;
  let client: CloudWatchLogsClient;
  let controller: AbortController;
  const events: TailEvent[] = [];
  const statuses: LiveTailStatus[] = [];
  let running: Promise<void>;
  const ARN = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders';

  beforeEach(async () => {
    logs = new LogsService();
    logs.put('/aws/lambda/orders', 's', 'old', Date.now() - 1000);
    emulator = await AwsEmulator.start(logs);
    // StartLiveTail's endpoint has a host prefix (stream-): a custom endpoint needs it off.
    client = new CloudWatchLogsClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, disableHostPrefix: true, maxAttempts: 1 });
    controller = new AbortController();
    events.length = 0;
    statuses.length = 0;
    running = liveTail({ client, logGroupArns: [ARN], filterPattern: 'ERROR', signal: controller.signal, onEvents: (e) => events.push(...e), onStatus: (s) => statuses.push(s), minBackoffMs: 10 });
  });
  afterEach(async () => {
    controller.abort();
    await running;
    client.destroy();
    await emulator.close();
  });

  it('resolves a group name to the ARN Live Tail needs', async () => {
    assert.equal(await resolveLogGroupArn(client, '/aws/lambda/orders'), ARN);
    await assert.rejects(resolveLogGroupArn(client, '/aws/lambda/none'), /does not exist/);
  });

  it('starts a session with the group and the filter, and hands on each update’s events', async () => {
    const session = await logs.nextLiveSession();
    assert.deepEqual(session.request, { logGroupIdentifiers: [ARN], logEventFilterPattern: 'ERROR' });
    session.start('s-1');
    session.update([{ message: 'ERROR one' }, { message: 'ERROR two' }]);
    session.update([{ message: 'ERROR three' }]);
    await waitFor('three events', () => (events.length === 3 ? events : undefined));
    assert.deepEqual(events.map((e) => e.message), ['ERROR one', 'ERROR two', 'ERROR three']);
    assert.equal(statuses[0].kind, 'started');
    assert.match(statuses[0].message, /s-1/);
  });

  it('says when AWS samples the stream (once, until it stops sampling)', async () => {
    const session = await logs.nextLiveSession();
    session.start();
    session.update([{ message: 'a' }], true);
    session.update([{ message: 'b' }], true);
    session.update([{ message: 'c' }], false);
    session.update([{ message: 'd' }], true);
    await waitFor('four events', () => (events.length === 4 ? events : undefined));
    assert.equal(statuses.filter((s) => s.kind === 'sampled').length, 2);
  });

  it('starts a new session after SessionTimeoutException', async () => {
    const first = await logs.nextLiveSession();
    first.start();
    first.update([{ message: 'before' }]);
    first.timeout();
    const second = await logs.nextLiveSession();
    second.start();
    second.update([{ message: 'after' }]);
    await waitFor('both events', () => (events.length === 2 ? events : undefined));
    assert.ok(statuses.some((s) => s.kind === 'restarted'));
  });

  it('reconnects with back-off after a dropped connection, and says so', async () => {
    const first = await logs.nextLiveSession();
    first.start();
    first.update([{ message: 'established' }]);
    await waitFor('the first event', () => (events.length === 1 ? events : undefined));
    first.drop();
    const second = await logs.nextLiveSession();
    second.start();
    second.update([{ message: 'back again' }]);
    await waitFor('the event after reconnecting', () => (events.length === 2 ? events : undefined));
    const reconnect = statuses.find((s) => s.kind === 'reconnecting');
    assert.ok(reconnect, statuses.map((s) => s.kind).join(','));
    assert.match(reconnect.message, /Connection lost/);
  });
});
