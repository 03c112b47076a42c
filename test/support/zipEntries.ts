import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  readonly name: string;
  readonly size: number;
  /** Bytes the entry takes in the archive. */
  readonly compressedSize: number;
  /** Unix mode bits (0 when the archive was written without them). */
  readonly mode: number;
  /** The first bytes of the file, uncompressed. */
  head(bytes: number): Buffer;
  text(): string;
  data(): Buffer;
}

/**
 * Every entry of a zip (a VSIX), read from its central directory, duplicates included — unlike a name-keyed
 * unzip, which would fold two entries of one name into one.
 */
export function zipEntries(file: string): ZipEntry[] {
  const zip = readFileSync(file);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${file} is not a zip`);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${i}`);
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const external = zip.readUInt32LE(at + 38);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const data = () => {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const raw = zip.subarray(start, start + compressed);
      return method === 0 ? raw : inflateRawSync(raw);
    };
    entries.push({ name, size, compressedSize: compressed, mode: (external >>> 16) & 0o7777, head: (bytes) => data().subarray(0, bytes), text: () => data().toString('utf8'), data });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

