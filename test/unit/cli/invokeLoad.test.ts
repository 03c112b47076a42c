import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../../src/core/packageInfo';

const root = packageRoot();
const invoke = (...args: string[]) => spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'invoke', 'examples/hello-node/app.handler', '--event', '{}', ...args], { cwd: root, encoding: 'utf8' });

describe('CLI: invoke --repeat with --concurrency', function () {
  this.timeout(60_000);

  it('--concurrency 20 with no --max-concurrency raises the limit to match: nothing throttled, no listener warning', () => {
    const r = invoke('--repeat', '60', '--concurrency', '20');
    assert.equal(r.status, 0, r.stderr.slice(-2000));
    assert.match(r.stdout, /^throttled: +0$/m);
    assert.match(r.stdout, /^errors: +0$/m);
    assert.doesNotMatch(r.stderr, /MaxListenersExceededWarning/);
  });

  it('--concurrency over an explicit --max-concurrency says what will happen, and the throttles are counted', () => {
    const r = invoke('--repeat', '40', '--concurrency', '8', '--max-concurrency', '2');
    assert.match(r.stderr, /note: --concurrency 8 is over --max-concurrency 2: calls beyond 2 in flight are throttled/);
    assert.match(r.stdout, /^environments: +[12]$/m);
    assert.match(r.stdout, /^throttled: +[1-9]\d*$/m);
  });

  it('load: --requests and --concurrency name a load run; progress lines on stderr, the summary on stdout; --repeat is refused', () => {
    const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'load', 'examples/hello-node/app.handler', '--requests', '24', '-c', '4', '--ramp', '200ms'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr.slice(-2000));
    assert.match(r.stdout, /^24 invocations \(4 at a time\)/m);
    assert.match(r.stdout, /^environments: +[1-4]$/m);
    assert.match(r.stderr, /^\[load\] +\d+\.\d s +24 done +0 in flight +[1-4] environments/m);
    const bad = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'load', 'examples/hello-node/app.handler', '--repeat', '3'], { cwd: root, encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /load takes --requests/);
  });

  it('load: its options are checked under their own names; the summary says what was sent; Ctrl+C is no clean exit', async () => {
    const load = (...args: string[]) => spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'load', 'examples/hello-node/app.handler', ...args], { cwd: root, encoding: 'utf8' });
    for (const value of ['0', '-5']) {
      const r = load('-n', value);
      assert.equal(r.status, 2, value);
      assert.match(r.stderr, new RegExp(`--requests must be a whole number from 1 to 1000000 \\(got '${value}'\\)`));
    }
    assert.match(load('-n', '3', '-c', '10').stdout, /^3 invocations \(3 at a time\)/m);
    const throttled = load('-n', '10', '-c', '5', '--max-concurrency', '2', '--event', '{"sleep": 1}');
    assert.match(throttled.stdout, /^\d+ invocations \(5 at a time; 10 sent, \d+ throttled\)/m);
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [join(root, 'dist', 'cli.js'), 'load', 'test/fixtures/runtime/node/handlers.sleep', '-n', '100000', '-c', '2', '--event', '{"ms": 20}'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let progress = '';
    child.stderr.on('data', (c: Buffer) => {
      progress += c.toString();
      if (/\[load\]/.test(progress)) child.kill('SIGINT');
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 130, 'an interrupted run does not exit 0');
    assert.match(out, /\(stopped early\)/);
  });
});
