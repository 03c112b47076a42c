import * as assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/core/packageInfo';
import { zipEntries, type ZipEntry } from '../support/zipEntries';

const root = packageRoot();
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
const vsixOf = (target?: string) => join(root, 'artifacts', `${name}-${version}${target ? `-${target}` : ''}.vsix`);
const MiB = 1024 * 1024;

/** What an executable's header says it runs on, as a `vsce --target` name. */
function binaryTarget(head: Buffer): string {
  if (head.readUInt32BE(0) === 0x7f454c46) {
    const machine = head.readUInt16LE(18);
    return `linux-${machine === 0x3e ? 'x64' : machine === 0xb7 ? 'arm64' : `machine-${machine}`}`;
  }
  if (head.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = head.readUInt32LE(4);
    return `darwin-${cpu === 0x01000007 ? 'x64' : cpu === 0x0100000c ? 'arm64' : `cpu-${cpu}`}`;
  }
  if (head.toString('latin1', 0, 2) === 'MZ') {
    const pe = head.readUInt32LE(0x3c);
    assert.equal(head.toString('latin1', pe, pe + 4), 'PE\0\0');
    const machine = head.readUInt16LE(pe + 4);
    return `win32-${machine === 0x8664 ? 'x64' : machine === 0xaa64 ? 'arm64' : `machine-${machine}`}`;
  }
  return 'unknown';
}

const isEsbuildBinary = (e: ZipEntry) => /\/@esbuild\/[^/]+\/(bin\/esbuild|esbuild\.exe)$/.test(e.name);
const targets = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'];

describe('VSIX packages: one per platform with its own esbuild, and a universal one', () => {
  for (const target of [...targets, undefined]) {
    describe(target ?? 'universal', () => {
      const file = vsixOf(target);
      const entries = () => zipEntries(file);

      // The budget is for what we ship: a platform's esbuild binary (4–4.6 MiB compressed) is not ours to shrink, so
      // everything else in a platform VSIX has the universal one's 1.5 MiB.
      it(target ? 'is within 1.5 MiB besides its esbuild binary' : 'is within 1.5 MiB', () => {
        const size = statSync(file).size;
        const binary = entries().filter(isEsbuildBinary).reduce((sum, e) => sum + e.compressedSize, 0);
        console.log(`      ${(size / MiB).toFixed(2)} MiB  ${file.slice(root.length + 1)}${target ? ` (${((size - binary) / MiB).toFixed(2)} MiB besides esbuild)` : ''}`);
        assert.ok(size - binary <= 1.5 * MiB, `${((size - binary) / MiB).toFixed(2)} MiB`);
      });

      it('lists no file twice', () => {
        const names = entries().map((e) => e.name);
        assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), []);
      });

      it(target ? `carries exactly one esbuild binary, built for ${target}, executable` : 'carries no native binary', () => {
        const binaries = entries().filter(isEsbuildBinary);
        if (!target) return assert.deepEqual(binaries.map((b) => b.name), []);
        assert.equal(binaries.length, 1, binaries.map((b) => b.name).join(', '));
        assert.equal(binaries[0].name, `extension/node_modules/@esbuild/${target}/${target.startsWith('win32') ? 'esbuild.exe' : 'bin/esbuild'}`);
        assert.equal(binaryTarget(binaries[0].head(4096)), target);
        if (!target.startsWith('win32')) assert.equal(binaries[0].mode & 0o111, 0o111, 'executable once unpacked');
        const manifest = entries().find((e) => e.name === 'extension.vsixmanifest')!.text();
        assert.match(manifest, new RegExp(`TargetPlatform="${target}"`));
      });

      it('ships the runtime and bundles, and no build droppings, sources or development files', () => {
        const names = entries().map((e) => e.name);
        for (const needed of ['extension/dist/extension.js', 'extension/assets/runtime/node/bootstrap.js', 'extension/assets/runtime/node/esmSearchPathsHooks.mjs', 'extension/assets/runtime/python/bootstrap.py', 'extension/assets/runtime/python/_lambda_workbench_runtime.py', 'extension/package.json']) {
          assert.ok(names.includes(needed), needed);
        }
        // The libraries the bundle loads on first use (scripts/vendorSplit.mjs) ship beside it, each one it names.
        const bundle = entries().find((e) => e.name === 'extension/dist/extension.js')!.text();
        const vendor = [...new Set([...bundle.matchAll(/require\("\.\/vendor\/([\w.-]+\.js)"\)/g)].map((m) => m[1]))];
        assert.ok(vendor.includes('aws-sdk.js') && vendor.includes('yaml.js'), vendor.join(', '));
        for (const file of vendor) assert.ok(names.includes(`extension/dist/vendor/${file}`), `dist/vendor/${file} is in the VSIX`);
        // (TypeScript files are shipped only as templates.)
        assert.deepEqual(names.filter((n) => /__pycache__|\.py[co]$|\.map$/.test(n) || (/\.ts$|\/(src|test|out|scripts)\//.test(n) && !n.includes('/assets/templates/'))), []);
        const shipped = JSON.parse(entries().find((e) => e.name === 'extension/package.json')!.text()) as Record<string, unknown>;
        assert.equal(shipped.scripts, undefined);
        assert.equal(shipped.devDependencies, undefined);
        assert.deepEqual(shipped.dependencies, target ? { esbuild: JSON.parse(readFileSync(join(root, 'node_modules', 'esbuild', 'package.json'), 'utf8')).version } : undefined);
      });
    });
  }

  it('every line of .vscodeignore\'s allowlist matches a file of some VSIX', () => {
    const shipped = new Set([...targets, undefined].flatMap((t) => zipEntries(vsixOf(t)).map((e) => e.name.replace(/^extension\//, '')
      // vsce renames the licence file.
      .replace(/^LICENSE\.txt$/, 'LICENSE'))));
    const patterns = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n').filter((l) => l.startsWith('!')).map((l) => l.slice(1));
    const asRegExp = (glob: string) => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').split('**').map((part) => part.replace(/\*/g, '[^/]*')).join('.*')}$`);
    const unmatched = patterns.filter((p) => ![...shipped].some((f) => asRegExp(p).test(f) || f.toLowerCase() === p.toLowerCase()));
    assert.deepEqual(unmatched, []);
  });
});
