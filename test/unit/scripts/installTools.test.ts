import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../../src/core/packageInfo';

const script = join(packageRoot(), 'scripts', 'test-host', 'install-tools.sh');

/** What npm 11 on Node 20 exports to `npm test`'s children (the parent the code-server install failed under). */
const npmParent: Record<string, string> = {
  npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
  npm_config_node_gyp: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  npm_config_globalconfig: '/usr/etc/npmrc',
  npm_config_local_prefix: '/work/main',
  NPM_CONFIG_PREFIX: '/usr/local',
  npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
  npm_node_execpath: '/usr/bin/node',
  npm_lifecycle_event: 'test',
  npm_lifecycle_script: 'node scripts/test.mjs',
  npm_package_name: 'lambda-workbench',
  npm_package_json: '/work/main/package.json',
  npm_command: 'run-script',
  NODE: '/usr/bin/node',
  INIT_CWD: '/work/main',
  // How to reach the registry is kept: it names no Node version and the user may have set it only here.
  npm_config_registry: 'http://127.0.0.1:4873/',
};

describe('install-tools.sh: the inner npm runs without the npm state of its parent', () => {
  it('installs code-server through an npm that sees none of npm test\'s variables, on Node 24\'s headers', () => {
    const tools = mkdtempSync(join(tmpdir(), 'lwb-tools-'));
    // A stand-in for Node 24 that records how it was started instead of running npm.
    const nodeDir = join(tools, 'node-24');
    mkdirSync(join(nodeDir, 'bin'), { recursive: true });
    const record = join(tools, 'record');
    const csDir = join(tools, 'code-server');
    // (npm would create the prefix folder.)
    writeFileSync(join(nodeDir, 'bin', 'node'), `#!/bin/sh\nenv > "${record}.env"\necho "$@" > "${record}.args"\nmkdir -p "${csDir}"\n`);
    chmodSync(join(nodeDir, 'bin', 'node'), 0o755);
    const r = spawnSync('bash', ['-c', `source "${script}" && install_code_server "$0" "$1" "$2"`, nodeDir, csDir, join(tools, 'log')], {
      encoding: 'utf8', env: { ...process.env, ...npmParent },
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const env = Object.fromEntries(readFileSync(`${record}.env`, 'utf8').trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const inherited = Object.keys(npmParent).filter((name) => name !== 'npm_config_registry' && name in env);
    assert.deepEqual(inherited, [], 'no variable of the npm parent reaches the inner npm');
    assert.equal(env.npm_config_registry, npmParent.npm_config_registry, 'the registry setting is kept');
    assert.equal(env.npm_config_nodedir, nodeDir, 'native modules build against Node 24');
    assert.ok(env.PATH.startsWith(`${join(nodeDir, 'bin')}:`), 'Node 24 first on PATH');
    assert.match(readFileSync(`${record}.args`, 'utf8'), new RegExp(`npm-cli\\.js i -g --prefix ${csDir} code-server@\\d+\\.\\d+\\.\\d+ `));
    assert.ok(existsSync(join(csDir, '.complete')));
  });

  it('a failed install names the step and keeps its log', () => {
    const tools = mkdtempSync(join(tmpdir(), 'lwb-tools-'));
    const nodeDir = join(tools, 'node-24');
    mkdirSync(join(nodeDir, 'bin'), { recursive: true });
    writeFileSync(join(nodeDir, 'bin', 'node'), '#!/bin/sh\necho "ERROR: code-server currently requires node v24." >&2\nexit 1\n');
    chmodSync(join(nodeDir, 'bin', 'node'), 0o755);
    const log = join(tools, 'log');
    const r = spawnSync('bash', ['-c', `source "${script}" && install_code_server "$0" "$1" "$2"`, nodeDir, join(tools, 'cs'), log], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /requires node v24/);
    assert.match(r.stdout, new RegExp(`\\[test-host\\] code-server did not install \\(its log: ${log}\\)`));
    assert.equal(existsSync(join(tools, 'cs', '.complete')), false, 'a failed install is redone next time');
  });
});
