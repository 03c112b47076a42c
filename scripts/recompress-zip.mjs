// Rewrites a zip (a VSIX made by vsce) with its large entries deflated harder. vsce deflates at zlib's default
// level; GNU gzip's deflate at -9 makes the esbuild binary, most of a platform VSIX, ~90 KB smaller (zlib's own
// level 9 gains ~6 KB), which keeps every platform VSIX under its 5 MiB budget. Entries keep their order, names,
// times, modes and CRCs; only the compressed data, the offsets and where the sizes are written change. Without
// gzip on PATH, the zip is left as vsce made it.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

/** A raw deflate stream of `data` from `gzip -9 -n` (its 10-byte header and 8-byte trailer cut), or undefined. */
function gzipDeflate(data) {
  const r = spawnSync('gzip', ['-9', '-n', '-c'], { input: data, maxBuffer: 64 * 1024 * 1024 });
  return r.status === 0 ? r.stdout.subarray(10, r.stdout.length - 8) : undefined;
}

export function recompressZip(file, { minBytes = 256 * 1024 } = {}) {
  const zip = readFileSync(file);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const parts = [];
  const centrals = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const central = Buffer.from(zip.subarray(at, at + 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32)));
    const local = zip.readUInt32LE(at + 42);
    const headerLength = 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const header = Buffer.from(zip.subarray(local, local + headerLength));
    let data = zip.subarray(local + headerLength, local + headerLength + central.readUInt32LE(20));
    if (central.readUInt16LE(10) === 8 && central.readUInt32LE(24) >= minBytes) {
      const smaller = gzipDeflate(inflateRawSync(data));
      if (smaller && smaller.length < data.length) data = smaller;
    }
    // yazl streams files, so their sizes follow the data (a data descriptor): write them into the header instead.
    header.writeUInt16LE(header.readUInt16LE(6) & ~0x8, 6);
    central.writeUInt16LE(central.readUInt16LE(8) & ~0x8, 8);
    header.writeUInt32LE(central.readUInt32LE(16), 14);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(central.readUInt32LE(24), 22);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(offset, 42);
    parts.push(header, data);
    centrals.push(central);
    offset += header.length + data.length;
    at += central.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.from(zip.subarray(eocd, eocd + 22 + zip.readUInt16LE(eocd + 20)));
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(file, Buffer.concat([...parts, directory, end]));
}
