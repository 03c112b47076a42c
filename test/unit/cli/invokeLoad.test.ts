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
});
