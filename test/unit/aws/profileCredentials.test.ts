import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { resolveProfileCredentials } from '../../../src/core/aws/credentials';

describe('resolveProfileCredentials: plain keys read as the SDK reads them', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-creds-'));
    writeFileSync(join(dir, 'credentials'), [
      '[default]', 'aws_access_key_id = AKIDDEFAULT', 'aws_secret_access_key = s1',
      '[temp]', 'aws_access_key_id = AKIDTEMP', 'aws_secret_access_key = s2', 'aws_session_token = token2',
      '[both]', 'aws_secret_access_key = fromCredentials', '',
    ].join('\n'));
    writeFileSync(join(dir, 'config'), [
      '[profile both]', 'aws_access_key_id = AKIDBOTH', 'aws_secret_access_key = fromConfig',
      '[profile onlyconfig]', 'aws_access_key_id = AKIDCONFIG', 'aws_secret_access_key = s3', '',
    ].join('\n'));
    env = { AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config') };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const profile of ['default', 'temp', 'both', 'onlyconfig']) {
    it(`profile '${profile}' gives what the SDK's ini provider gives`, async () => {
      const ours = await resolveProfileCredentials({ profile, env });
      const sdk = await fromIni({ profile, filepath: env.AWS_SHARED_CREDENTIALS_FILE, configFilepath: env.AWS_CONFIG_FILE, ignoreCache: true })();
      assert.deepEqual({ ...ours }, { accessKeyId: sdk.accessKeyId, secretAccessKey: sdk.secretAccessKey, sessionToken: sdk.sessionToken });
    });
  }

  it('no profile named and no default one: no credentials; a named profile that does not exist: the SDK\'s error', async () => {
    const empty = { AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'), AWS_CONFIG_FILE: join(dir, 'none-either') };
    assert.equal(await resolveProfileCredentials({ env: empty }), undefined);
    await assert.rejects(resolveProfileCredentials({ profile: 'missing', env }), /missing/);
  });
});
