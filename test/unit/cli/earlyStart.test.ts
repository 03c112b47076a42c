import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../../src/core/packageInfo';
import { adoptableEnv, EARLY_START_VARIABLE } from '../../../src/core/runtime/earlyStart';
import { noneLeft, processesWith } from '../support/runtimeFixtures';

const bin = join(packageRoot(), 'dist', 'cli.js');
const hasPython = spawnSync('python3', ['--version']).status === 0;

interface Seen {
  /** The process's environment as it was started (/proc/self/environ): names the early start's variable. */
  startedEarly: boolean;
  env: Record<string, string>;
  cwd: string;
  argv?: string[];
  execArgv?: string[];
  path?: string[];
  fromNodePath?: string;
  noDeprecation?: boolean;
  zone: string;
}

/** Runs `lambda-workbench invoke` as a user does (node dist/cli.js), in `cwd` with its own cache folder; returns
 *  what the handler saw and the CLI's pid (the early process carries it in EARLY_START_VARIABLE). */
function invoke(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, cli = bin): Promise<{ code: number | null; seen?: Seen; err: string; pid: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'invoke', ...args], { cwd, env: { ...process.env, LAMBDA_WORKBENCH_CACHE_DIR: join(cwd, '.cache'), ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    child.once('error', reject);
    child.once('close', (code) => {
      let seen: Seen | undefined;
      try { seen = JSON.parse(out) as Seen; } catch { /* a usage error prints no result */ }
      resolve({ code, seen, err, pid: child.pid! });
    });
  });
}

/** Variables that differ between any two calls, early or not. */
const PER_RUN = new Set(['AWS_LAMBDA_RUNTIME_API', 'AWS_LAMBDA_LOG_STREAM_NAME', '_X_AMZN_TRACE_ID']);
const stable = (env: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(env).filter(([key]) => !PER_RUN.has(key)));

describe('CLI: invoke starts the runtime early (while its own code loads) and adopts it', function () {
  this.timeout(60_000);
  let dir: string;
  before(function () {
    if (process.platform !== 'linux') this.skip(); // /proc/self/environ shows how a process was started
  });
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'lwb-early-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('Node: the second run of a command line adopts the early process, which sees what a fresh spawn gives it', async () => {
    mkdirSync(join(dir, 'shared', 'greeting'), { recursive: true });
    writeFileSync(join(dir, 'shared', 'greeting', 'index.js'), 'module.exports = "from NODE_PATH";');
    writeFileSync(join(dir, '.env'), `NODE_PATH=${join(dir, 'shared')}\nTABLE_NAME=orders\n`);
    writeFileSync(join(dir, 'app.js'), `exports.handler = async () => ({
      startedEarly: require('fs').readFileSync('/proc/self/environ', 'latin1').includes(${JSON.stringify(EARLY_START_VARIABLE)}),
      env: { ...process.env }, cwd: process.cwd(), argv: process.argv, execArgv: process.execArgv,
      fromNodePath: require('greeting'), zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    });`);
    const first = await invoke(dir, ['app.handler']);
    assert.equal(first.code, 0, first.err);
    assert.equal(first.seen!.startedEarly, false, 'nothing is known of this command line yet');
    const second = await invoke(dir, ['app.handler']);
    assert.equal(second.code, 0, second.err);
    assert.equal(second.seen!.startedEarly, true, 'the runtime this command line launched last time was started early');
    assert.equal(second.seen!.env[EARLY_START_VARIABLE], undefined);
    assert.deepEqual(stable(second.seen!.env), stable(first.seen!.env));
    for (const key of ['cwd', 'argv', 'execArgv', 'fromNodePath', 'zone'] as const) assert.deepEqual(second.seen![key], first.seen![key], key);
    assert.equal(second.seen!.fromNodePath, 'from NODE_PATH');
    assert.match(second.err, /^REPORT RequestId: .*\tInit Duration: [\d.]+ ms/m);
    const off = await invoke(dir, ['app.handler'], { LAMBDA_WORKBENCH_NO_EARLY_START: '1' });
    assert.equal(off.seen!.startedEarly, false, 'LAMBDA_WORKBENCH_NO_EARLY_START turns it off');
    for (const run of [first, second, off]) assert.deepEqual(processesWith(`${EARLY_START_VARIABLE}=${run.pid}`), []);
  });

  it('Python: the adopted process has the same environment, folder and module path (PYTHONPATH placed as Python places it)', async function () {
    if (!hasPython) this.skip();
    writeFileSync(join(dir, '.env'), 'PYTHONPATH=lib:/opt/extra\nTABLE_NAME=orders\n');
    writeFileSync(join(dir, 'app.py'), `import os, sys, time
def handler(event, context):
    started = open('/proc/self/environ', 'rb').read().decode('latin-1')
    return {"startedEarly": ${JSON.stringify(EARLY_START_VARIABLE)} in started, "env": dict(os.environ), "cwd": os.getcwd(),
            "path": sys.path, "zone": time.strftime("%Z"), "bytecode": sys.dont_write_bytecode}
`);
    const first = await invoke(dir, ['app.handler']);
    assert.equal(first.code, 0, first.err);
    const second = await invoke(dir, ['app.handler']);
    assert.equal(second.code, 0, second.err);
    assert.deepEqual([first.seen!.startedEarly, second.seen!.startedEarly], [false, true]);
    assert.deepEqual(stable(second.seen!.env), stable(first.seen!.env));
    for (const key of ['cwd', 'path', 'zone', 'bytecode'] as const) assert.deepEqual(second.seen![key as keyof Seen], first.seen![key as keyof Seen], key);
    assert.ok(second.seen!.path!.includes(join(dir, 'lib')), 'PYTHONPATH is on the module path');
    for (const run of [first, second]) assert.deepEqual(processesWith(`${EARLY_START_VARIABLE}=${run.pid}`), []);
  });

  it('a function that sets a variable read at start is spawned fresh, and the early process is stopped', async () => {
    writeFileSync(join(dir, 'app.js'), `exports.handler = async () => ({
      startedEarly: require('fs').readFileSync('/proc/self/environ', 'latin1').includes(${JSON.stringify(EARLY_START_VARIABLE)}),
      env: {}, cwd: process.cwd(), noDeprecation: process.noDeprecation === true, zone: '',
    });`);
    assert.equal((await invoke(dir, ['app.handler'])).code, 0);
    // NODE_OPTIONS is read as Node starts: a process already running cannot take it.
    // (An option the runtime's own command line does not set: that one would win, as on Lambda.)
    writeFileSync(join(dir, '.env'), 'NODE_OPTIONS=--no-deprecation\n');
    const fresh = await invoke(dir, ['app.handler']);
    assert.equal(fresh.code, 0, fresh.err);
    assert.equal(fresh.seen!.startedEarly, false);
    assert.equal(fresh.seen!.noDeprecation, true, 'NODE_OPTIONS took effect');
    assert.deepEqual(processesWith(`${EARLY_START_VARIABLE}=${fresh.pid}`), [], 'the early process did not outlive the CLI');
  });

  it('the launch memory holds no argument of the command line (an inline event may carry a token)', async () => {
    writeFileSync(join(dir, 'app.js'), 'exports.handler = async (event) => ({ n: event.n });');
    const args = ['app.handler', '--event', '{"n":1,"token":"tok-7f3a91"}'];
    assert.equal((await invoke(dir, args)).code, 0);
    const memory = readFileSync(join(dir, '.cache', 'launches', 'launches.json'), 'utf8');
    assert.match(memory, /bootstrap\.js/, 'the launch is remembered');
    for (const secret of ['tok-7f3a91', 'app.handler', dir]) assert.ok(!memory.includes(secret), `${secret} is not in ${memory}`);
    const again = await invoke(dir, args);
    assert.equal(again.code, 0, again.err);
    assert.deepEqual(processesWith(`${EARLY_START_VARIABLE}=${again.pid}`), []);
  });

  it('a damaged launch memory starts nothing early and is written anew', async () => {
    writeFileSync(join(dir, 'app.js'), 'exports.handler = async () => ({ ok: true });');
    mkdirSync(join(dir, '.cache', 'launches'), { recursive: true });
    const file = join(dir, '.cache', 'launches', 'launches.json');
    writeFileSync(file, '{"half": {"command": "/bin/');
    const r = await invoke(dir, ['app.handler']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.seen, { ok: true });
    const entries = Object.values(JSON.parse(readFileSync(file, 'utf8')) as Record<string, { args: string[] }>);
    assert.equal(entries.length, 1);
    assert.match(entries[0].args.join(' '), /bootstrap\.js/);
  });

  it('two installs used in one folder each keep their own launch (neither replaces the other\'s on every run)', async () => {
    writeFileSync(join(dir, 'app.js'), `exports.handler = async () => ({
      startedEarly: require('fs').readFileSync('/proc/self/environ', 'latin1').includes(${JSON.stringify(EARLY_START_VARIABLE)}),
    });`);
    // A second install of the same version (a global one beside a project's npx one): its own bootstrap path.
    const other = join(dir, 'other-install');
    for (const part of ['dist', 'assets', 'package.json']) cpSync(join(packageRoot(), part), join(other, part), { recursive: true });
    const otherBin = join(other, 'dist', 'cli.js');
    const runs = [];
    for (const cli of [bin, otherBin, bin, otherBin]) {
      const run = await invoke(dir, ['app.handler'], {}, cli);
      assert.equal(run.code, 0, run.err);
      runs.push(run.seen!.startedEarly);
    }
    assert.deepEqual(runs, [false, false, true, true], 'each install started early what it launched itself last time');
  });

  it('a command that ends before any environment (a usage error) stops the early process and exits', async () => {
    writeFileSync(join(dir, 'app.js'), 'exports.handler = async () => ({});');
    assert.equal((await invoke(dir, ['app.handler'])).code, 0);
    rmSync(join(dir, 'app.js'));
    const gone = await invoke(dir, ['app.handler']);
    assert.equal(gone.code, 2, gone.err);
    // Killed with SIGKILL as the CLI exits (it does not wait for that): on a busy machine the kernel may take a moment.
    assert.deepEqual(await noneLeft(`${EARLY_START_VARIABLE}=${gone.pid}`), []);
  });
});

describe('early start: which variables an early process can still take', () => {
  const started = { PATH: '/usr/bin', LANG: 'C.UTF-8', [EARLY_START_VARIABLE]: '1' };
  it('takes what the runtime reads later: Lambda variables, user variables, PATH, the module search paths', () => {
    assert.ok(adoptableEnv(started, { PATH: '/opt/bin:/usr/bin', LANG: 'C.UTF-8', TABLE_NAME: 'x', AWS_REGION: 'eu-west-1', TZ: ':UTC', NODE_PATH: '/opt/nodejs' }, 'nodejs'));
    assert.ok(adoptableEnv(started, { ...started, PYTHONPATH: '/opt/python', PYTHONDONTWRITEBYTECODE: '1' }, 'python'));
  });
  it('refuses what an interpreter reads only as it starts', () => {
    for (const [key, family] of [['NODE_OPTIONS', 'nodejs'], ['NODE_EXTRA_CA_CERTS', 'nodejs'], ['UV_THREADPOOL_SIZE', 'nodejs'], ['PYTHONHASHSEED', 'python'],
      ['PYTHONHOME', 'python'], ['LD_LIBRARY_PATH', 'python'], ['LD_PRELOAD', 'nodejs'], ['LC_ALL', 'python'], ['HOME', 'python']] as const) {
      assert.equal(adoptableEnv(started, { ...started, [key]: 'x' }, family), false, key);
    }
    assert.equal(adoptableEnv(started, { ...started, LANG: 'de_DE.UTF-8' }, 'nodejs'), false, 'a different LANG');
    assert.equal(adoptableEnv(started, { ...started, PATH: undefined }, 'nodejs'), true, 'PATH is read when a command runs');
  });
});
