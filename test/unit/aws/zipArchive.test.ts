import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { extractZip, zipFolder } from '../../../src/core/aws/codeZip';
import { createZip, readZip } from '../../../src/core/aws/zipArchive';

describe('deployment zips, written and read asynchronously', () => {
  it('writes a zip another reader (fflate) reads byte for byte, stored and deflated entries alike', async () => {
    const text = 'export const handler = async () => "ok";\n'.repeat(200);
    const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251));
    const zip = await createZip([{ name: 'index.mjs', data: Buffer.from(text) }, { name: 'lib/data.bin', data: random }, { name: 'empty.txt', data: Buffer.alloc(0) },
      { name: 'naïve/ü.txt', data: Buffer.from('unicode name') }]);
    const read = unzipSync(zip);
    assert.deepEqual(Object.keys(read).sort(), ['empty.txt', 'index.mjs', 'lib/data.bin', 'naïve/ü.txt']);
    assert.equal(Buffer.from(read['index.mjs']).toString(), text);
    assert.deepEqual(Buffer.from(read['lib/data.bin']), random);
    assert.ok(zip.length < text.length, 'the text was deflated');
  });

  it('reads a zip another writer (fflate) made, folders left out, and keeps the executable bit', async () => {
    const zip = zipSync({ 'bootstrap': [strToU8('#!/bin/sh\n'), { os: 3, attrs: 0o755 << 16 }], 'src/': {}, 'src/app.py': strToU8('x = 1\n') }, { level: 9 });
    const entries = readZip(zip);
    assert.deepEqual(entries.map((e) => e.name), ['bootstrap', 'src/app.py']);
    assert.equal(entries[0].mode, 0o755);
    assert.equal((await entries[1].read()).toString(), 'x = 1\n');
  });

  it('gives the same bytes for the same code (so an unchanged deploy has the same CodeSha256)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-zip-'));
    writeFileSync(join(dir, 'a.js'), 'a');
    const first = await zipFolder(dir);
    writeFileSync(join(dir, 'a.js'), 'a'); // a new modification time, same content
    assert.deepEqual(await zipFolder(dir), first);
  });

  it('round-trips a folder: contents and a bootstrap\'s mode survive zip and extract', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-zip-'));
    mkdirSync(join(dir, 'lib'));
    writeFileSync(join(dir, 'bootstrap'), '#!/bin/sh\necho hi\n');
    chmodSync(join(dir, 'bootstrap'), 0o755);
    writeFileSync(join(dir, 'lib', 'x.txt'), 'x'.repeat(100_000));
    const out = mkdtempSync(join(tmpdir(), 'lwb-unzip-'));
    const written = await extractZip(await zipFolder(dir), out);
    assert.equal(written.length, 2);
    assert.equal(readFileSync(join(out, 'lib', 'x.txt'), 'utf8').length, 100_000);
    assert.equal(statSync(join(out, 'bootstrap')).mode & 0o777, 0o755);
  });

  it('refuses a zip with a path outside the folder before writing anything', async () => {
    const zip = zipSync({ 'ok.txt': strToU8('fine'), '../escape.txt': strToU8('bad') });
    const parent = mkdtempSync(join(tmpdir(), 'lwb-unzip-'));
    const out = join(parent, 'fn');
    await assert.rejects(extractZip(zip, out), /outside its folder: \.\.\/escape\.txt\. Nothing was written/);
    assert.equal(existsSync(join(out, 'ok.txt')), false);
    assert.deepEqual(readdirSync(parent), []);
  });

  it('stops when its signal is aborted: zipping and unpacking', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-zip-'));
    for (let i = 0; i < 20; i++) writeFileSync(join(dir, `f${i}.txt`), `file ${i}`);
    const aborted = AbortSignal.abort();
    await assert.rejects(zipFolder(dir, { signal: aborted }), { name: 'AbortError' });
    const out = mkdtempSync(join(tmpdir(), 'lwb-unzip-'));
    await assert.rejects(extractZip(await zipFolder(dir), out, { signal: aborted }), /Cancelled after 0 of 20 files/);
    assert.deepEqual(readdirSync(out), []);
  });

  it('says what is wrong with something that is not a zip', () => {
    assert.throws(() => readZip(Buffer.from('hello, not a zip at all, just text')), /not a zip file/);
  });
});
