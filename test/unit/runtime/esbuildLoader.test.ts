import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../../src/core/packageInfo';
import { loadEsbuild } from '../../../src/core/runtime/esbuildLoader';

// The universal VSIX ships no esbuild: loading our own copy fails there, as `missing` does here.
const missing = () => Promise.reject(Object.assign(new Error("Cannot find module 'esbuild'"), { code: 'MODULE_NOT_FOUND' }));

describe('loadEsbuild: our esbuild, else the project\'s', () => {
  it('uses the copy shipped with us when there is one', async () => {
    const esbuild = await loadEsbuild(tmpdir());
    assert.equal(typeof esbuild.build, 'function');
  });

  it('without one, uses the project\'s own esbuild (resolved from the code folder up) and it builds', async () => {
    const project = mkdtempSync(join(tmpdir(), 'lwb-esb-'));
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(join(packageRoot(), 'node_modules', 'esbuild'), join(project, 'node_modules', 'esbuild'));
    mkdirSync(join(project, 'src'));
    const esbuild = await loadEsbuild(join(project, 'src'), missing);
    const out = await esbuild.transform('const x: number = 1; export { x };', { loader: 'ts' });
    assert.match(out.code, /const x = 1/);
    await esbuild.stop();
  });

  it('without any, says what to install', async () => {
    const project = mkdtempSync(join(tmpdir(), 'lwb-esb-'));
    await assert.rejects(loadEsbuild(project, missing), (e: Error) => e.name === 'EsbuildMissing'
      && /install the VSIX for your platform, or add esbuild to your project \(npm install --save-dev esbuild\)/.test(e.message));
  });
});
