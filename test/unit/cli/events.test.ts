import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cliHarness';

describe('CLI: events', () => {
  it("generate takes sam's form of parameters too: --bucket b --queue-name q (kebab case is the catalog's camelCase)", async () => {
    const s3 = await cli(['events', 'generate', 's3', 'put', '--bucket', 'photos', '--key=cats/tom.jpg']);
    assert.equal(s3.code, 0, s3.err);
    const record = (JSON.parse(s3.out) as { Records: { s3: { bucket: { name: string }; object: { key: string } } }[] }).Records[0].s3;
    assert.deepEqual([record.bucket.name, record.object.key], ['photos', 'cats/tom.jpg']);
    const sqs = await cli(['events', 'generate', 'sqs', 'receive-message', '--queue-name', 'jobs', '--param', 'body=hi']);
    assert.equal(sqs.code, 0, sqs.err);
    const message = (JSON.parse(sqs.out) as { Records: { body: string; eventSourceARN: string }[] }).Records[0];
    assert.deepEqual([message.body, message.eventSourceARN.split(':').pop()], ['hi', 'jobs']);
  });

  it('an unknown parameter lists the ones there are; a parameter without its value says how to give it', async () => {
    const unknown = await cli(['events', 'generate', 's3', 'put', '--buckets', 'x']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /s3 put has no parameter 'buckets'\. Parameters: .*bucket, key/);
    const bare = await cli(['events', 'generate', 's3', 'put', '--bucket']);
    assert.equal(bare.code, 2);
    assert.match(bare.err, /--bucket needs a value \(an event parameter: --bucket <value>, or --param bucket=<value>\)/);
  });
  it('--out creates the folder it names when it is not there yet; a folder as --out says to name a file', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'lwb-cli-events-'));
    const r = await cli(['events', 'generate', 's3', 'put', '--out', 'missing/dir/x.json'], { cwd });
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, `wrote ${join(cwd, 'missing', 'dir', 'x.json')}\n`);
    assert.equal((JSON.parse(readFileSync(join(cwd, 'missing', 'dir', 'x.json'), 'utf8')) as { Records: unknown[] }).Records.length, 1);
    const folder = await cli(['events', 'generate', 's3', 'put', '--out', 'missing'], { cwd });
    assert.equal(folder.code, 2);
    assert.match(folder.err, /--out missing is a folder: name the file, e\.g\. --out missing\/s3-put\.json/);
  });
});
