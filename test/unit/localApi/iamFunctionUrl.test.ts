import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { startLocalCloud, type LocalCloud } from '../../../src/core/localApi/localCloud';
import { LocalLambda } from '../../../src/core/runtime/localLambda';
import { waitForNoChildren } from '../support/runtimeFixtures';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Private:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: nodejs20.x
      CodeUri: .
      FunctionUrlConfig: { AuthType: AWS_IAM }
`;
const HANDLER = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ accountId: event.requestContext.accountId, authorizer: event.requestContext.authorizer ?? null, body: event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString() : event.body ?? null }) });
`;

const LOCAL = { accessKeyId: 'AKIDLOCALEXAMPLE', secretAccessKey: 'local-secret-key' };

/** curl as a second, independent SigV4 signer (`--aws-sigv4`, curl 7.75+). */
function curl(args: string[]): Promise<{ status: number; body: string; sent: string }> {
  return new Promise((resolve, reject) => {
    execFile('curl', ['-s', '-w', '\n%{http_code}', ...args], (error, stdout, stderr) => {
      if (error) return reject(error);
      const cut = stdout.lastIndexOf('\n');
      resolve({ status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut), sent: stderr });
    });
  });
}

describe('local API: an AWS_IAM function URL checks SigV4 against the local credentials', function () {
  this.timeout(60_000);
  let dir: string;
  let lambda: LocalLambda;
  let cloud: LocalCloud;
  let url: string;
  const sdk = (credentials: { accessKeyId: string; secretAccessKey: string }, region = 'us-east-1'): LambdaClient =>
    new LambdaClient({ endpoint: url, region, credentials, maxAttempts: 1 });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-iam-url-'));
    writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
    writeFileSync(join(dir, 'app.js'), HANDLER);
    lambda = new LocalLambda({ credentials: async () => LOCAL });
    cloud = await startLocalCloud({ template: join(dir, 'template.yaml'), lambda, port: 0, invokePort: 0, target: { cwd: dir, region: 'us-east-1' }, hotReload: false });
    url = cloud.api.functionUrls.get('Private')!;
  });
  after(async () => {
    await cloud?.close();
    await lambda?.dispose();
    await waitForNoChildren();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the start banner says requests must be signed', () => {
    assert.match(cloud.model.notes.join('\n'), /Private's URL has AuthType AWS_IAM: requests must be SigV4-signed \(service lambda\) with the local profile's keys/);
  });

  it('an unsigned request is 403 Forbidden, as Lambda answers it, and runs nothing', async () => {
    const res = await fetch(`${url}/orders`);
    assert.equal(res.status, 403);
    assert.deepEqual(await res.json(), { Message: 'Forbidden' });
  });

  it('a request the AWS SDK signed with the local keys runs, with the signer in requestContext.authorizer.iam', async () => {
    const client = sdk(LOCAL);
    try {
      // Qualifier travels in the query (?Qualifier=%24LATEST): percent-encoded, as signed.
      const out = await client.send(new InvokeCommand({ FunctionName: 'Private', Qualifier: '$LATEST', Payload: Buffer.from('{"n":1}') }));
      const answer = JSON.parse(Buffer.from(out.Payload!).toString('utf8'));
      assert.equal(answer.accountId, '123456789012', 'a signed caller has an account, not anonymous');
      assert.equal(answer.authorizer.iam.accessKey, LOCAL.accessKeyId);
      assert.equal(answer.body, '{"n":1}');
    } finally {
      client.destroy();
    }
  });

  it('curl --aws-sigv4 (another signer) gets in too, GET with a query and POST with a body', async () => {
    const auth = ['--aws-sigv4', 'aws:amz:us-east-1:lambda', '--user', `${LOCAL.accessKeyId}:${LOCAL.secretAccessKey}`];
    // curl before 8.1 signs the query as written, unsorted (AWS refuses that too): this one is in canonical order.
    const get = await curl([...auth, `${url}/orders/7?b=2&expand=items`]);
    assert.equal(get.status, 200, get.body);
    // A parameter named like an Object member is signed and checked like any other.
    const named = await curl([...auth, `${url}/orders?constructor=1&hasOwnProperty=2`]);
    assert.equal(named.status, 200, named.body);
    const post = await curl([...auth, '-X', 'POST', '-H', 'content-type: application/json', '--data', '{"a":1}', `${url}/orders`]);
    assert.equal(post.status, 200, post.body);
    assert.equal(JSON.parse(post.body).body, '{"a":1}');
  });

  it('a wrong secret, another access key, another region or service, or a request changed after signing: 403 saying which', async () => {
    const refused = async (client: LambdaClient): Promise<string> => {
      try {
        await client.send(new InvokeCommand({ FunctionName: 'Private', Payload: Buffer.from('{}') }));
        return 'let in';
      } catch (error) {
        return `${(error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode} ${(error as Error).message}`;
      } finally {
        client.destroy();
      }
    };
    assert.match(await refused(sdk({ ...LOCAL, secretAccessKey: 'not-the-secret' })), /^403 The request signature we calculated does not match/);
    assert.match(await refused(sdk({ accessKeyId: 'AKIDSOMEONEELSE', secretAccessKey: 'x' })), /^403 The security token included in the request is invalid/);
    assert.match(await refused(sdk(LOCAL, 'eu-west-1')), /^403 Credential should be scoped to a valid region/);
    const s3 = await curl(['--aws-sigv4', 'aws:amz:us-east-1:s3', '--user', `${LOCAL.accessKeyId}:${LOCAL.secretAccessKey}`, `${url}/x`]);
    assert.equal(s3.status, 403);
    assert.match(s3.body, /scoped to correct service: 'lambda'/);
    // curl's signed request sent again with another body: the signature covers the body.
    const signed = await curl(['--aws-sigv4', 'aws:amz:us-east-1:lambda', '--user', `${LOCAL.accessKeyId}:${LOCAL.secretAccessKey}`, '-v', '--data', 'original', `${url}/x`]);
    assert.equal(signed.status, 200);
    const header = (name: string): string => new RegExp(`^> ${name}: (.*)$`, 'im').exec(signed.sent)?.[1]?.trim() ?? '';
    const replay = await fetch(`${url}/x`, { method: 'POST', body: 'tampered', headers: { authorization: header('Authorization'), 'x-amz-date': header('X-Amz-Date'), 'content-type': header('Content-Type') } });
    assert.equal(replay.status, 403);
    assert.match((await replay.json() as { message: string }).message, /signature we calculated does not match/);
  });

  it('the access log says why a request was refused', async () => {
    const problems: string[] = [];
    const own = await startLocalCloud({ template: join(dir, 'template.yaml'), lambda, port: 0, invokePort: 0, target: { cwd: dir, region: 'us-east-1' }, hotReload: false,
      onAccess: (entry) => { if (entry.problem) problems.push(entry.problem); } });
    try {
      await fetch(`${own.api.functionUrls.get('Private')}/`);
      const client = new LambdaClient({ endpoint: own.api.functionUrls.get('Private'), region: 'us-east-1', credentials: { ...LOCAL, secretAccessKey: 'wrong' }, maxAttempts: 1 });
      await client.send(new InvokeCommand({ FunctionName: 'Private' })).catch(() => undefined);
      client.destroy();
      assert.deepEqual(problems, ['AWS_IAM: the request is not SigV4-signed (no Authorization header)', 'AWS_IAM: the signature does not match (another secret key, or the request changed after signing)']);
    } finally {
      await own.close();
    }
  });
});
