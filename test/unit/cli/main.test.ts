import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../../src/core/packageInfo';
import { cli } from '../support/cliHarness';

const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };

describe('CLI entry', () => {
  it('--version prints the package version', async () => {
    const r = await cli(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.out, `${manifest.version}\n`);
  });

  it('--help lists usage and exits 0', async () => {
    const r = await cli(['--help']);
    assert.equal(r.code, 0);
    assert.ok(r.out.includes('Usage:\n  lambda-workbench <command> [options]'));
    assert.match(r.out, /-v, --version/);
  });

  it('no arguments prints the help to stderr and exits 2', async () => {
    const r = await cli([]);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /Usage:/);
  });

  it('an unknown command is a usage error with exit code 2', async () => {
    const r = await cli(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown command 'frobnicate'/);
    assert.match(r.err, /lambda-workbench --help/);
  });

  it('an unknown option is a usage error with exit code 2', async () => {
    const r = await cli(['--frob']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown option '--frob'/);
  });

  describe('the built bin', () => {
    const bin = join(packageRoot(), manifest.bin['lambda-workbench']);
    before(function () {
      if (!existsSync(bin)) this.skip(); // `npm test` builds first; a lone unit run may not have
    });

    it('runs as an executable script with a node shebang', () => {
      assert.ok(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n'));
      const r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
      assert.equal(r.status, 0);
      assert.equal(r.stdout.trim(), manifest.version);
    });

    it('exits 2 on an unknown command', () => {
      const r = spawnSync(process.execPath, [bin, 'nope'], { encoding: 'utf8' });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /unknown command 'nope'/);
    });
  });
});
