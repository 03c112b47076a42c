import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogsService } from '../../support/awsEmulator/logs';
import { AwsEmulator } from '../../support/awsEmulator/server';
import { cli } from '../support/cliHarness';

describe('CLI: logs', function () {
  this.timeout(30_000);
  let emulator: AwsEmulator;
  const logs = new LogsService();
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDLOGS', AWS_SECRET_ACCESS_KEY: 'logs-secret', AWS_PROFILE: undefined, AWS_MAX_ATTEMPTS: '1' };
  const common = (): string[] => ['--endpoint', emulator.endpoint, '--region', 'us-east-1'];

  before(async () => {
    emulator = await AwsEmulator.start(logs);
    const now = Date.now();
    logs.put('/aws/lambda/orders', '2026/11/23/[$LATEST]abc', 'START RequestId: r-1 Version: $LATEST', now - 5000);
    logs.put('/aws/lambda/orders', '2026/11/23/[$LATEST]abc', '{"level":"ERROR","message":"payment failed","orderId":7}', now - 4000);
    logs.put('/aws/lambda/orders', '2026/11/23/[$LATEST]abc', `${new Date(now - 3500).toISOString()}\tr-1\tINFO\tcharged`, now - 3500);
    logs.put('/aws/lambda/orders', '2026/11/23/[$LATEST]abc', `{"level":"INFO","message":"shipped","timestamp":"${new Date(now - 3400).toISOString()}","service":"orders"}`, now - 3400);
    logs.put('/aws/lambda/orders', '2026/11/23/[$LATEST]abc', 'REPORT RequestId: r-1\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB', now - 3000);
  });
  after(() => emulator.close());

  it('searches a group with a pattern and formats the lines', async () => {
    const all = await cli(['logs', 'search', '/aws/lambda/orders', '--since', '1h', ...common()], { env });
    assert.equal(all.code, 0, all.err);
    assert.match(all.out, /ERROR payment failed {2}\{"orderId":7\}/);
    assert.match(all.out, /REPORT r-1 {2}Duration {5}12\.34 ms/);
    assert.match(all.err, /5 event\(s\) in \/aws\/lambda\/orders/);
    // Each line shows its time once: a Node text line's and a Powertools record's own timestamp are not repeated.
    for (const line of all.out.trim().split('\n')) assert.equal(line.match(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}/g)?.length, 1, line);
    assert.match(all.out, /INFO {2}r-1 {2}charged|INFO r-1 {2}charged/);
    assert.match(all.out, /INFO {2}shipped {2}\{"service":"orders"\}/);
    const errors = await cli(['logs', 'search', '/aws/lambda/orders', '--filter', 'ERROR', ...common()], { env });
    assert.equal(errors.out.trim().split('\n').length, 1);
  });

  it('tails until stopped, printing events as they arrive', async () => {
    const controller = new AbortController();
    let seen = '';
    const running = cli(['logs', 'tail', '/aws/lambda/orders', '--since', '1m', ...common()], { env, signal: controller.signal, onOut: (t) => {
      seen += t;
      if (seen.includes('later event')) controller.abort();
      else if (seen.includes('REPORT')) logs.put('/aws/lambda/orders', 's2', 'later event', Date.now());
    } });
    const r = await running;
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /later event/);
    assert.equal(r.out.match(/payment failed/g)?.length, 1, 'no duplicates');
  });

  it('tails with Live Tail when asked (--live)', async () => {
    const controller = new AbortController();
    const running = cli(['logs', 'tail', '/aws/lambda/orders', '--live', ...common()], { env, signal: controller.signal, onOut: (t) => { if (t.includes('streamed live')) controller.abort(); } });
    const session = await logs.nextLiveSession();
    session.start();
    session.update([{ message: 'streamed live' }]);
    const r = await running;
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /billed per minute/);
    assert.match(r.out, /streamed live/);
  });

  it('tail with no credentials exits 1 at once with the message functions list gives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-nocreds-'));
    const bare = { ...process.env, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined,
      AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_EC2_METADATA_DISABLED: 'true', AWS_MAX_ATTEMPTS: '1' };
    const tail = await cli(['logs', 'tail', '/aws/lambda/orders', ...common()], { env: bare });
    const list = await cli(['functions', 'list', ...common()], { env: bare });
    assert.equal(tail.code, 1, tail.err);
    assert.equal(list.code, 1);
    assert.match(tail.err, /No AWS credentials found/);
    const reason = (text: string) => /No AWS credentials found[^\n]*/.exec(text)?.[0];
    assert.equal(reason(tail.err), reason(list.err));
  });

  it('names a missing group, and rejects a bad duration', async () => {
    for (const action of ['search', 'tail']) {
      const missing = await cli(['logs', action, 'nosuchfn', ...common()], { env });
      assert.equal(missing.code, 1, action);
      assert.match(missing.err, /^lambda-workbench logs: there is no log group \/aws\/lambda\/nosuchfn in [\w-]+: nosuchfn has not been invoked yet, or it logs to another group, region or account\.$/m, missing.err);
    }
    const group = await cli(['logs', 'search', '/aws/lambda/nope', ...common()], { env });
    assert.match(group.err, /there is no log group \/aws\/lambda\/nope in [\w-]+: check the name/);
    const bad = await cli(['logs', 'search', 'orders', '--since', 'yesterday', ...common()], { env });
    assert.equal(bad.code, 2);
    const until = await cli(['logs', 'tail', 'orders', '--until', '2026-01-01T00:00:00Z', ...common()], { env });
    assert.equal(until.code, 2, 'a tail has no end: --until is refused, not ignored');
    assert.match(until.err, /--until is for search/);
  });
});
