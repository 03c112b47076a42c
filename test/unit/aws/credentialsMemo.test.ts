import * as assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoizeCredentials, resolveProfileCredentials, type ExpiringCredentials } from '../../../src/core/aws/credentials';
import { LocalLambda } from '../../../src/core/runtime/localLambda';
import { fnConfig, languages } from '../support/runtimeFixtures';

describe('Credentials once per expiry', function () {
  this.timeout(30_000);

  it('a credential_process profile runs its process once for many calls, not once per call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-cred-'));
    const count = join(dir, 'count');
    const script = join(dir, 'creds.sh');
    const expiration = new Date(Date.now() + 3600_000).toISOString();
    writeFileSync(script, `#!/bin/sh\necho run >> "${count}"\necho '{"Version":1,"AccessKeyId":"ASIAPROCESS","SecretAccessKey":"s","SessionToken":"t","Expiration":"${expiration}"}'\n`);
    chmodSync(script, 0o755);
    writeFileSync(join(dir, 'config'), `[profile proc]\ncredential_process = ${script}\n`);
    const env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') };
    const source = memoizeCredentials(() => resolveProfileCredentials({ profile: 'proc', env }));
    const got = await Promise.all([source(), source(), source()]);
    got.push(await source());
    assert.deepEqual(got.map((c) => c?.accessKeyId), ['ASIAPROCESS', 'ASIAPROCESS', 'ASIAPROCESS', 'ASIAPROCESS']);
    assert.equal(readFileSync(count, 'utf8').trim().split('\n').length, 1);
  });

  it('fetches again within five minutes of expiry, and keeps static keys', async () => {
    let clock = 0;
    let fetches = 0;
    const expiring = memoizeCredentials(async (): Promise<ExpiringCredentials> => ({ accessKeyId: `K${++fetches}`, secretAccessKey: 's', expiration: new Date(clock + 10 * 60_000) }), () => clock);
    assert.equal((await expiring())?.accessKeyId, 'K1');
    clock = 4 * 60_000;
    assert.equal((await expiring())?.accessKeyId, 'K1', 'six minutes left: still good');
    clock = 6 * 60_000;
    assert.equal((await expiring())?.accessKeyId, 'K2', 'four minutes left: refreshed');
    let staticFetches = 0;
    const fixed = memoizeCredentials(async () => ({ accessKeyId: `S${++staticFetches}`, secretAccessKey: 's' }), () => clock);
    await fixed();
    clock = 1e12;
    assert.equal((await fixed())?.accessKeyId, 'S1');
  });

  it('rotating credentials keep one warm environment (4 calls, 1 cold start); new environments get the new ones', async () => {
    let n = 0;
    const lambda = new LocalLambda({ credentials: async () => ({ accessKeyId: `AKIAROTATE${++n}`, secretAccessKey: 's' }) });
    try {
      const config = fnConfig(languages[0], 'counter');
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await lambda.invoke(config, '{}'));
      assert.deepEqual(results.map((r) => r.coldStart), [true, false, false, false]);
      assert.deepEqual(results.map((r) => (JSON.parse(r.payload) as { count: number }).count), [1, 2, 3, 4], 'module state kept');
      assert.equal(lambda.stats(config.name).environments, 1);
      const keys = fnConfig(languages[0], 'accessKey');
      const warm = [await lambda.invoke(keys, '{}'), await lambda.invoke(keys, '{}')].map((r) => JSON.parse(r.payload) as string);
      assert.deepEqual(warm, ['AKIAROTATE5', 'AKIAROTATE5'], 'a warm environment keeps the credentials it started with');
      const fresh = await lambda.invoke(keys, '{}', { cold: true });
      assert.equal(JSON.parse(fresh.payload), 'AKIAROTATE7', 'a new environment gets the latest');
    } finally {
      await lambda.dispose();
    }
  });
});
