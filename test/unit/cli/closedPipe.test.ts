import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../../src/core/packageInfo';
import { noneLeft } from '../support/runtimeFixtures';

const root = packageRoot();
const cliJs = join(root, 'dist', 'cli.js');

/** Runs the built CLI with its stdout's reader gone before the first write, as `| head` does to a slow writer. */
function runWithClosedStdout(args: string[], cwd = root): Promise<{ code: number | null; signal: string | null; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliJs, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    child.on('close', (code, signal) => resolve({ code, signal, err }));
  });
}

describe('CLI: a closed stdout (`| head`) is a clean end', function () {
  this.timeout(30_000);

  it('`events list | head` prints ten lines and exits 0 with no stack trace', () => {
    const r = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${cliJs}" events list | head`], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trimEnd().split('\n').length, 10);
    assert.equal(r.stderr, '');
  });

  for (const args of [['events', 'list'], ['events', 'generate', 's3', 'put']]) {
    it(`\`${args.join(' ')}\` with its reader gone exits 0, silently`, async () => {
      const r = await runWithClosedStdout(args);
      assert.deepEqual({ code: r.code, signal: r.signal }, { code: 0, signal: null });
      assert.doesNotMatch(r.err, /EPIPE|Error|at /);
    });
  }

  it('`invoke --repeat` with its reader gone stops, exits 0 and leaves no environment running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-pipe-'));
    cpSync(join(root, 'examples', 'hello-node'), dir, { recursive: true });
    const r = await runWithClosedStdout(['invoke', 'app.handler', '--event', 'events/greeting.json', '--repeat', '200'], dir);
    assert.deepEqual({ code: r.code, signal: r.signal }, { code: 0, signal: null });
    assert.doesNotMatch(r.err, /EPIPE|Error: write|at Socket/);
    assert.deepEqual(await noneLeft(dir, 0), [], 'no process of the function is left');
  });
});
