import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { packageRoot } from '../../src/core/packageInfo';

const root = packageRoot();
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

describe('the CLI installs like a tool: npm install -g of the packed tarball', function () {
  this.timeout(240_000);
  const prefix = mkdtempSync(join(tmpdir(), 'lwb-global-'));
  const bin = process.platform === 'win32' ? prefix : join(prefix, 'bin');
  // Outside the repository, so nothing resolves from its node_modules.
  const project = mkdtempSync(join(tmpdir(), 'lwb-user-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}` };
  for (const name of Object.keys(env)) if (/^npm_/i.test(name)) delete env[name];
  const sh = (command: string) => spawnSync('bash', ['-c', command], { cwd: project, env, encoding: 'utf8' });

  before(() => {
    const tarball = readdirSync(join(root, 'artifacts')).find((f) => f === `lambda-workbench-${version}.tgz`);
    assert.ok(tarball, 'npm run package made the tarball');
    const r = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', join(root, 'artifacts', tarball)], { env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('carries the production CLI bundle and the runtime files, nothing of the extension or the tests', () => {
    const tarball = join(root, 'artifacts', `lambda-workbench-${version}.tgz`);
    const files = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).stdout.trim().split('\n');
    assert.ok(files.includes('package/dist/cli.js') && files.includes('package/dist/cli-main.js') && files.includes('package/dist/vendor/aws-sdk.js') && files.includes('package/assets/runtime/node/bootstrap.js') && files.includes('package/assets/runtime/node/esmSearchPathsHooks.mjs'));
    assert.ok(files.includes('package/dist/webview/insights.js') && files.includes('package/dist/webview/insights.css'), 'insights --html inlines the page');
    assert.deepEqual(files.filter((f) => /dist\/extension|\.map$|__pycache__|\.pyc$|^package\/(src|test|scripts|out)\//.test(f)), []);
    const cli = spawnSync('tar', ['-xzOf', tarball, 'package/dist/cli-main.js'], { encoding: 'utf8', maxBuffer: 8 * 1024 * 1024 }).stdout;
    assert.doesNotMatch(cli, /sourceMappingURL/, 'the minified production build (prepack), not the development one');
  });

  it('puts lambda-workbench on PATH', () => {
    const r = sh('command -v lambda-workbench && lambda-workbench --version');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').at(-1), version);
    assert.ok(r.stdout.startsWith(bin));
  });

  it('a scaffolded project\'s "Try it" line works as printed', () => {
    const created = sh('lambda-workbench new plain --name hello --language javascript');
    assert.equal(created.status, 0, created.stderr);
    const tryIt = /^Try it: {2}(.+)$/m.exec(created.stdout)?.[1];
    assert.ok(tryIt, created.stdout);
    const r = sh(tryIt);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^REPORT RequestId: /m);
  });

  it('runs a TypeScript handler with the esbuild it installed', () => {
    writeFileSync(join(project, 'greet.ts'), 'export const handler = async (e: { name: string }): Promise<string> => `hi ${e.name}`;\n');
    const r = sh('lambda-workbench invoke greet.handler --event \'{"name":"ts"}\'');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout), 'hi ts');
  });

  it('`events list | head` prints ten lines and exits 0', () => {
    const r = sh('set -o pipefail; lambda-workbench events list | head');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trimEnd().split('\n').length, 10);
    assert.equal(r.stderr, '');
  });
});
