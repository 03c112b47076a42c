import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { packageRoot } from '../../../src/core/packageInfo';
import { resolveTarget } from '../../../src/core/project/functionTarget';
import { LocalLambda } from '../../../src/core/runtime/localLambda';
import type { InvokeResult } from '../../../src/core/runtime/types';
import { listTemplates, scaffold, type Language } from '../../../src/core/scaffold/scaffolder';
import { DynamoDbService } from '../../support/awsEmulator/dynamodb';
import { S3Service } from '../../support/awsEmulator/s3';
import { AwsEmulator } from '../../support/awsEmulator/server';
import { waitForNoChildren } from '../support/runtimeFixtures';

// Scaffolded inside the repository so Node resolves the AWS SDK clients and sharp from its node_modules, as a
// user's project resolves them from its own after `npm install`.
const root = join(packageRoot(), 'out', 'scaffold-runs');
const languages: Language[] = ['python', 'javascript', 'typescript'];
// Debian's python3 carries boto3 and Pillow (python3-boto3, python3-pil: installed by the test-host script).
const PYTHON = '/usr/bin/python3';
// Credentials reach the function the way Lambda hands it its role's: through the runtime, not user variables.
const CREDENTIALS = { accessKeyId: 'AKIDTEMPLATETEST', secretAccessKey: 'template-test-secret' };

function body(result: InvokeResult): { statusCode?: number; body?: string; [k: string]: unknown } {
  assert.equal(result.functionError, undefined, `no crash: ${result.payload}\n${result.logs.join('\n')}`);
  return JSON.parse(result.payload) as { statusCode?: number; body?: string };
}

describe('Scaffolded templates run in the local runtime against their own events', function () {
  this.timeout(120_000);
  let lambda: LocalLambda;
  let emulator: AwsEmulator;
  const s3 = new S3Service();
  const dynamodb = new DynamoDbService();
  let closedPort: string;

  before(async () => {
    execFileSync(PYTHON, ['-c', 'import boto3, PIL']); // fails loudly when the Python packages are missing
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    lambda = new LocalLambda({ settings: { pythonPath: PYTHON }, credentials: async () => CREDENTIALS });
    emulator = await AwsEmulator.start(s3, dynamodb);
    const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 200, g: 80, b: 40 } } }).png().toBuffer();
    s3.putObject('my-uploads', 'photos/cat.jpg', png, 'image/png');
    dynamodb.createTable('items', [{ id: { S: '42' }, name: { S: 'the answer' }, price: { N: '4.2' } }]);
    const closed = await AwsEmulator.start();
    closedPort = closed.endpoint;
    await closed.close(); // nothing listens there any more: "AWS is unreachable"
  });
  after(async () => {
    await lambda.dispose();
    await emulator.close();
    assert.deepEqual(await waitForNoChildren(), []);
  });

  const templates = listTemplates();
  it('has the twelve trigger templates, each in three languages', () => {
    assert.deepEqual(templates.map((t) => t.id).sort(), ['api-http', 'api-rest', 'api-router', 'connection-reuse', 'dynamodb-stream', 'eventbridge-schedule',
      'kinesis', 'plain', 's3-metadata', 's3-thumbnail', 'sns', 'sqs-batch']);
    for (const t of templates) assert.deepEqual(Object.keys(t.languages).sort(), ['javascript', 'python', 'typescript'], t.id);
  });

  for (const template of listTemplates()) {
    for (const language of languages) {
      describe(`${template.id} (${language})`, () => {
        let run: (env: Record<string, string>) => Promise<InvokeResult>;
        before(async () => {
          const result = await scaffold({ templateId: template.id, language, name: `${template.id}-${language}`, parentDir: root, workspaceRoot: root, launchConfig: false });
          const config = await resolveTarget({ spec: join(result.functionDir, result.handler), cwd: result.functionDir, pythonPath: PYTHON, name: `${template.id}-${language}` });
          const event = readFileSync(result.eventFile, 'utf8');
          run = (env) => lambda.invoke({ ...config, memorySize: template.memorySize, timeout: template.timeout, environment: { ...template.environment, AWS_MAX_ATTEMPTS: '1', ...env } }, event, { cold: true });
        });

        if (!template.callsAws) {
          it('succeeds against its sample event', async () => {
            const out = body(await run({}));
            if (out.statusCode !== undefined) assert.equal(out.statusCode, 200, JSON.stringify(out));
            if (Array.isArray(out.batchItemFailures)) assert.deepEqual(out.batchItemFailures, [], 'no record failed');
          });
          return;
        }

        it('returns a handled error, not a crash, when AWS cannot be reached', async () => {
          const out = body(await run({ AWS_ENDPOINT_URL: closedPort }));
          if (out.statusCode !== undefined) assert.equal(out.statusCode, 500, JSON.stringify(out));
          else assert.ok(JSON.stringify(out).toLowerCase().includes('error'), `reports the error: ${JSON.stringify(out)}`);
        });

        if (template.id === 's3-metadata') {
          it('prints and returns the object metadata from a local S3 endpoint', async () => {
            const result = await run({ AWS_ENDPOINT_URL: emulator.endpoint });
            const out = body(result);
            assert.equal(out.statusCode, 200);
            const metadata = JSON.parse(out.body ?? '{}') as Record<string, unknown>;
            assert.equal(metadata.ContentType, 'image/png');
            assert.ok(Number(metadata.ContentLength) > 0);
            assert.ok(metadata.LastModified);
            assert.ok(result.logs.some((l) => l.includes('image/png')), 'the metadata is printed');
          });
        }
        if (template.id === 's3-thumbnail') {
          it('writes a thumbnail to a local S3 endpoint', async () => {
            const out = body(await run({ AWS_ENDPOINT_URL: emulator.endpoint }));
            assert.equal(out.statusCode, 200, JSON.stringify(out));
            const thumbnail = s3.buckets.get('my-uploads')?.get('thumbnails/photos/cat.jpg');
            assert.ok(thumbnail, `a thumbnail in ${[...(s3.buckets.get('my-uploads')?.keys() ?? [])].join(', ')}`);
            const meta = await sharp(thumbnail.body).metadata();
            assert.ok(Math.max(meta.width ?? 0, meta.height ?? 0) <= 200, `${meta.width}x${meta.height}`);
            s3.buckets.get('my-uploads')?.delete('thumbnails/photos/cat.jpg');
          });
        }
        if (template.id === 'connection-reuse') {
          it('reads the item from a local DynamoDB endpoint and reuses the client when warm', async () => {
            const out = body(await run({ AWS_ENDPOINT_URL: emulator.endpoint }));
            assert.equal(out.statusCode, 200, JSON.stringify(out));
            assert.match(out.body ?? '', /the answer/);
          });
        }
      });
    }
  }
});
