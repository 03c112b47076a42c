import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assetPath, packageRoot, packageVersion } from '../../../src/core/packageInfo';

describe('packageInfo', () => {
  it('finds the package root from a nested folder', () => {
    const root = packageRoot();
    assert.ok(existsSync(join(root, 'package.json')));
    assert.equal(packageRoot(join(root, 'src', 'core')), root);
  });

  it('skips a foreign package.json on the way up', () => {
    const root = packageRoot();
    const dir = mkdtempSync(join(tmpdir(), 'lwb-pkg-'));
    writeFileSync(join(dir, 'package.json'), '{"name":"someone-else"}');
    assert.throws(() => packageRoot(dir), /Cannot find the lambda-workbench package/);
    const foreign = join(root, 'out', 'foreign-probe');
    mkdirSync(join(foreign, 'lib'), { recursive: true });
    writeFileSync(join(foreign, 'package.json'), '{"name":"someone-else"}');
    assert.equal(packageRoot(join(foreign, 'lib')), root);
  });

  it('reads the version and resolves assets', () => {
    assert.match(packageVersion(), /^\d+\.\d+\.\d+/);
    assert.equal(assetPath('runtime'), join(packageRoot(), 'assets', 'runtime'));
  });
});
