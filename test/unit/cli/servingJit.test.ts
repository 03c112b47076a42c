import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { servingJitFlags } from '../../../src/cli/servingJit';
import { packageRoot } from '../../../src/core/packageInfo';

describe('CLI: serving commands tune V8 tiering for themselves', function () {
  this.timeout(30_000);

  it('serve, start and load lower the interrupt budget on V8 10–11 (Node 18, 20); nothing else does', () => {
    for (const command of ['serve', 'start', 'load']) {
      assert.deepEqual(servingJitFlags(command, '11.3.244.8-node.33'), ['--interrupt-budget=8448'], command);
      assert.deepEqual(servingJitFlags(command, '10.2.154.26-node.26'), ['--interrupt-budget=8448'], command);
    }
    for (const command of ['invoke', 'functions', 'logs', 'insights', 'events', '--version', undefined]) {
      assert.deepEqual(servingJitFlags(command, '11.3.244.8-node.33'), [], String(command));
    }
    // Node 22 and later tier up through Maglev and have no flag of that name: left alone.
    assert.deepEqual(servingJitFlags('start', '12.4.254.21-node.33'), []);
    assert.deepEqual(servingJitFlags('start', '13.6.233.17-node.41'), []);
  });

  it('the CLI sets those flags before the command runs, through V8, and only for a serving command', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-jit-'));
    const preload = join(dir, 'preload.js');
    const report = join(dir, 'flags.json');
    // Records every flag the process sets, then sets it (an unknown one would print V8's error on stderr).
    writeFileSync(preload, `const v8 = require('node:v8'); const set = v8.setFlagsFromString; const seen = [];
v8.setFlagsFromString = (f) => { seen.push(f); set(f); };
process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify(seen)));`);
    const flagsOf = (args: string[]): string[] => {
      const r = spawnSync(process.execPath, ['-r', preload, join(packageRoot(), 'dist', 'cli.js'), ...args], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /unrecognized flag/);
      return JSON.parse(readFileSync(report, 'utf8')) as string[];
    };
    try {
      const expected = servingJitFlags('start', process.versions.v8);
      if (Number.parseInt(process.versions.v8, 10) <= 11) assert.ok(expected.length > 0, 'this Node is one the flag is for');
      assert.deepEqual(flagsOf(['start', '--help']), expected);
      assert.deepEqual(flagsOf(['serve', '--help']), expected);
      assert.deepEqual(flagsOf(['invoke', '--help']), []);
      assert.deepEqual(flagsOf(['--version']), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
