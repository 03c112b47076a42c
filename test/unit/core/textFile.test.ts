import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSavedEvent } from '../../../src/core/events/savedEvents';
import { readDotEnv } from '../../../src/core/project/dotenv';
import { decodeText } from '../../../src/core/textFile';

/** The bytes Windows tools write: Notepad's UTF-8 with a mark, Windows PowerShell's UTF-16 LE, and UTF-16 BE. */
const encodings = (text: string): [string, Buffer][] => [
  ['UTF-8', Buffer.from(text, 'utf8')],
  ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
  ['UTF-16 LE', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
  ['UTF-16 BE', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])],
];

describe('text files as Windows editors save them', () => {
  it('decodes UTF-8 with or without its mark and UTF-16 with one, to the same text', () => {
    for (const [name, bytes] of encodings('{"city": "Zürich"}\r\n')) assert.equal(decodeText(bytes), '{"city": "Zürich"}\r\n', name);
  });

  it('a saved event and a .env file read the same in every encoding', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-text-'));
    for (const [name, bytes] of encodings('{"a": 1}')) {
      writeFileSync(join(dir, 'e.json'), bytes);
      assert.deepEqual(readSavedEvent(join(dir, 'e.json')).value, { a: 1 }, name);
    }
    for (const [name, bytes] of encodings('TABLE=orders\r\nMODE="fast"\r\n')) {
      writeFileSync(join(dir, '.env'), bytes);
      assert.deepEqual(await readDotEnv(join(dir, '.env')), { TABLE: 'orders', MODE: 'fast' }, name);
    }
  });
});
