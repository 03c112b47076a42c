import { promisify } from 'node:util';
import { crc32, deflateRaw, inflateRaw } from 'node:zlib';

/**
 * Deployment-package zips without blocking the caller's thread: each file is deflated on libuv's thread pool
 * (zlib's async calls), so zipping 50 MB in the extension host leaves its event loop free. Entries carry a fixed
 * 1980-01-01 timestamp, so the same code gives the same zip (and the same CodeSha256 on Lambda).
 */
const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);

export interface ZipInput {
  /** Path inside the archive, with `/`. */
  readonly name: string;
  readonly data: Uint8Array;
  /** Unix permission bits (a custom runtime's `bootstrap` must stay executable). */
  readonly mode?: number;
}

export interface ZipEntry {
  readonly name: string;
  readonly size: number;
  readonly mode?: number;
  read(): Promise<Buffer>;
}

const DOS_DATE_1980 = (1 << 5) | 1; // 1980-01-01
const UTF8_NAMES = 0x0800;
const abortError = (): Error => Object.assign(new Error('The operation was cancelled.'), { name: 'AbortError' });

/** Builds a zip from the entries (in order), `parallel` files compressing at once. */
export async function createZip(entries: readonly ZipInput[], options: { signal?: AbortSignal; parallel?: number } = {}): Promise<Buffer> {
  const compressed: { method: number; data: Uint8Array }[] = new Array(entries.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      if (options.signal?.aborted) throw abortError();
      const i = next++;
      const raw = entries[i].data;
      const packed = raw.length > 0 ? await deflate(raw, { level: 6 }) : Buffer.alloc(0);
      compressed[i] = packed.length < raw.length ? { method: 8, data: packed } : { method: 0, data: raw };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.parallel ?? 8, entries.length)) }, worker));

  const parts: Uint8Array[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  entries.forEach((entry, i) => {
    const name = Buffer.from(entry.name, 'utf8');
    const { method, data } = compressed[i];
    const crc = crc32(entry.data);
    // The local header and the central directory share these fields (version needed … name length), 2 bytes apart.
    const shared = (buf: Buffer, at: number): void => {
      buf.writeUInt16LE(20, at);
      buf.writeUInt16LE(UTF8_NAMES, at + 2);
      buf.writeUInt16LE(method, at + 4);
      buf.writeUInt16LE(DOS_DATE_1980, at + 8); // time (at + 6) stays 0
      buf.writeUInt32LE(crc, at + 10);
      buf.writeUInt32LE(data.length, at + 14);
      buf.writeUInt32LE(entry.data.length, at + 18);
      buf.writeUInt16LE(name.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    shared(local, 4);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the external attributes hold the mode
    shared(header, 6);
    header.writeUInt32LE((((entry.mode ?? 0o644) & 0o777) | 0o100000) * 0x10000 >>> 0, 38);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    parts.push(local, name, data);
    offset += 30 + name.length + data.length;
  });
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  if (entries.length > 0xffff || offset > 0xffffffff) throw new Error('The package is too large for a zip without ZIP64 (over 65 535 files or 4 GB).');
  return Buffer.concat([...parts, ...central, end]);
}

/** The file entries of a zip (folders left out), read from its central directory; each inflates on demand. */
export function readZip(zip: Uint8Array): ZipEntry[] {
  const buf = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { end = i; break; }
  }
  if (end < 0) throw new Error('This is not a zip file (no end of central directory).');
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  if (count === 0xffff || at === 0xffffffff) throw new Error('ZIP64 archives are not supported.');
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error('The zip\'s central directory is damaged.');
    const madeBy = buf.readUInt16LE(at + 4) >> 8;
    const method = buf.readUInt16LE(at + 10);
    const compressedSize = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const attrs = buf.readUInt32LE(at + 38);
    const localOffset = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    if (method !== 0 && method !== 8) throw new Error(`${name} uses zip compression method ${method}; only stored and deflated files are supported.`);
    const dataStart = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    const data = buf.subarray(dataStart, dataStart + compressedSize);
    entries.push({
      name, size, mode: madeBy === 3 && attrs >>> 16 ? (attrs >>> 16) & 0o777 : undefined,
      read: async () => (method === 0 ? Buffer.from(data) : inflate(data)),
    });
  }
  return entries;
}
