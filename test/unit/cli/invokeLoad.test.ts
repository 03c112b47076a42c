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
});
