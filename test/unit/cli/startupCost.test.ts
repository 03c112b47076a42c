import * as assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../../src/core/packageInfo';
import { startLambdaEmulator, type LambdaEmulator } from '../../support/awsEmulator/lambda';

const root = packageRoot();
const execFileAsync = promisify(execFile);

/** Runs dist/cli.js with a preload that prints, at exit, every file of ours the process loaded (paths under dist/),
 *  every module loaded from node_modules and the built-in modules loaded after the preload's start. */
function loadedBy(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stderr: string; ours: string[]; packages: string[]; builtins: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'lwb-loaded-'));
  const preload = join(dir, 'preload.js');
  const report = join(dir, 'loaded.json');
  writeFileSync(preload, `const before = new Set(process.moduleLoadList);
process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify({ files: Object.keys(require.cache), builtins: process.moduleLoadList.filter((m) => !before.has(m)) })));`);
  try {
    const r = spawnSync(process.execPath, ['-r', preload, join(root, 'dist', 'cli.js'), ...args], {
      cwd: root, encoding: 'utf8', env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', ...env },
    });
    const { files, builtins } = JSON.parse(readFileSync(report, 'utf8')) as { files: string[]; builtins: string[] };
    const dist = join(root, 'dist');
    return {
      status: r.status,
      stderr: r.stderr,
      ours: files.filter((f) => f.startsWith(dist)).map((f) => f.slice(dist.length + 1).replace(/\\/g, '/')).sort(),
      packages: files.filter((f) => /[/\\]node_modules[/\\]/.test(f)),
      builtins: builtins.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('CLI start-up: each command loads what it needs', function () {
  this.timeout(60_000);

  it('--version is answered by the entry file alone; any other command loads the bundle', () => {
    for (const flag of ['--version', '-v']) {
      const r = loadedBy([flag]);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(r.ours, ['cli.js'], flag);
      assert.deepEqual(r.packages, []);
      // Nor a built-in a command needs first: the early runtime's child_process, the code cache's vm, and net,
      // which process.stdout loads on a pipe (the version is written to fd 1 directly).
      assert.deepEqual(r.builtins.filter((m) => ['child_process', 'vm', 'net'].includes(m)), [], flag);
    }
    const help = loadedBy(['--help']);
    assert.equal(help.status, 0, help.stderr);
    assert.deepEqual(help.ours, ['cli-main.js', 'cli.js']);
  });

  it('--version printed by the entry file is the package\'s, and a reader that closed early is no error', () => {
    const bin = join(root, 'dist', 'cli.js');
    const r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    assert.equal(r.stdout, `${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}\n`);
    if (process.platform === 'win32') return;
    // `true` reads nothing and exits at once, long before Node has started: the write meets a closed pipe.
    const piped = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" --version | true`], { encoding: 'utf8' });
    assert.doesNotMatch(piped.stderr, /EPIPE|Unhandled/, piped.stderr);
  });

  it('a local invoke loads no vendor file: credentials from the environment, or none on a machine without AWS files', () => {
    const r = loadedBy(['invoke', 'examples/hello-node/app.handler', '--event', '{}']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.ours.filter((f) => f.startsWith('vendor/')), []);
    assert.deepEqual(r.packages, []);
    // Built-ins it has no use for (each 1–2 ms to load): zlib is for gzipped sample events, v8 for serving commands.
    assert.ok(r.builtins.includes('child_process'), 'the check sees built-ins');
    assert.deepEqual(r.builtins.filter((m) => ['zlib', 'v8', 'http', 'https'].includes(m)), []);
    const home = mkdtempSync(join(tmpdir(), 'lwb-home-'));
    try {
      const bare = loadedBy(['invoke', 'examples/hello-node/app.handler', '--event', '{}'],
        { HOME: home, USERPROFILE: home, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', AWS_SHARED_CREDENTIALS_FILE: '', AWS_CONFIG_FILE: '' });
      assert.equal(bare.status, 0, bare.stderr);
      assert.deepEqual(bare.ours.filter((f) => f.startsWith('vendor/')), [], 'no ~/.aws files: nothing to read');
      // With a config file there, the shared-config reader reads it.
      mkdirSync(join(home, '.aws'));
      writeFileSync(join(home, '.aws', 'config'), '[default]\nregion = eu-west-1\n');
      const withConfig = loadedBy(['invoke', 'examples/hello-node/app.handler', '--event', '{}'],
        { HOME: home, USERPROFILE: home, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', AWS_SHARED_CREDENTIALS_FILE: '', AWS_CONFIG_FILE: '' });
      assert.equal(withConfig.status, 0, withConfig.stderr);
      assert.deepEqual(withConfig.ours.filter((f) => f.startsWith('vendor/')), ['vendor/aws-config.js']);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('a profile with plain keys in the credentials file is read without the SDK\'s ini provider', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-profile-'));
    try {
      writeFileSync(join(dir, 'credentials'), '[dev]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = fromfile\n');
      const r = loadedBy(['invoke', 'examples/hello-node/app.handler', '--profile', 'dev'], { AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config') });
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /no credentials/);
      assert.deepEqual(r.ours.filter((f) => f.startsWith('vendor/')), ['vendor/aws-config.js']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the AWS commands do load the SDK (the check above can see it)', () => {
    const r = loadedBy(['functions', 'list', '--region', 'us-east-1', '--endpoint', 'http://127.0.0.1:9']);
    assert.ok(r.ours.includes('vendor/aws-sdk.js'), r.ours.join(', '));
  });
});

describe('CLI start-up: the interpreter probe is remembered between runs', function () {
  this.timeout(60_000);
  let dir: string;
  let log: string;
  let wrapper: string;
  const run = (cwd = root) => {
    const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'invoke', join(root, 'examples/hello-node/app.handler'), '--node', wrapper], {
      cwd, encoding: 'utf8', env: { ...process.env, LAMBDA_WORKBENCH_CACHE_DIR: join(dir, 'cache') },
    });
    assert.equal(r.status, 0, r.stderr);
    return readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-probe-'));
    log = join(dir, 'starts.log');
    writeFileSync(log, '');
    // A shim-like wrapper (a script, as pyenv's and asdf's are) that notes each start: only the probe runs through
    // it, the function's process starts the real executable the probe named.
    wrapper = join(dir, 'node-wrapper');
    writeFileSync(wrapper, `#!/bin/sh\necho start >> "${log}"\nexec "${process.execPath}" "$@"\n`);
    chmodSync(wrapper, 0o755);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the second run starts no probe; a changed wrapper, or a version file that steers a shim, is probed again', function () {
    if (process.platform === 'win32') this.skip();
    assert.equal(run(), 1, 'the first run probes once');
    assert.equal(run(), 1, 'the second run starts no interpreter but the function\'s');
    const later = new Date(Date.now() + 5000);
    utimesSync(wrapper, later, later);
    assert.equal(run(), 2, 'a wrapper changed in place is probed again');
    const project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, '.node-version'), '20\n');
    assert.equal(run(project), 3, 'a .node-version file above the working folder can change what the shim runs');
    assert.equal(run(project), 3);
  });

  it('a damaged cache file is a miss, not an error: the run probes, works and writes the file anew', function () {
    if (process.platform === 'win32') this.skip();
    assert.equal(run(), 1);
    const file = join(dir, 'cache', 'interpreters', 'interpreters.json');
    writeFileSync(file, '{"half a file');
    assert.equal(run(), 2, 'probed again');
    assert.doesNotThrow(() => JSON.parse(readFileSync(file, 'utf8')), 'rewritten whole');
    assert.equal(run(), 2, 'and used again');
  });

  it('an entry whose real executable changed since the probe is not used', function () {
    if (process.platform === 'win32') this.skip();
    assert.equal(run(), 1);
    const file = join(dir, 'cache', 'interpreters', 'interpreters.json');
    const entries = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { real: string }>;
    // As if the interpreter had been upgraded in place: the size and mtime the probe saw are no longer the file's.
    for (const entry of Object.values(entries)) entry.real = `0:${entry.real}`;
    writeFileSync(file, JSON.stringify(entries));
    assert.equal(run(), 2, 'probed again');
  });
});

describe('CLI start-up: compiled code is kept between runs', function () {
  this.timeout(60_000);
  let dir: string;
  let emu: LambdaEmulator;
  before(async () => {
    emu = await startLambdaEmulator({ region: 'eu-west-1' });
    emu.lambda.seed(3, 'cached');
  });
  after(() => emu.close());
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'lwb-codecache-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // Async: the emulator answers in this process.
  const list = async () => {
    const r = await execFileAsync(process.execPath, [join(root, 'dist', 'cli.js'), 'functions', 'list', '--endpoint', emu.endpoint, '--region', 'eu-west-1', '--json'], {
      encoding: 'utf8', env: { ...process.env, LAMBDA_WORKBENCH_CACHE_DIR: dir, AWS_ACCESS_KEY_ID: 'AKIDCACHE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_PROFILE: '' },
    });
    return (JSON.parse(r.stdout) as Array<{ name: string }>).map((f) => f.name);
  };
  const cacheFiles = () => {
    try {
      return readdirSync(join(dir, 'compile-cache', 'v8')).map((name) => {
        const stats = statSync(join(dir, 'compile-cache', 'v8', name));
        return { name, size: stats.size, ino: stats.ino, mtimeMs: stats.mtimeMs, mode: stats.mode & 0o777 };
      });
    } catch {
      return [];
    }
  };

  it('on a Node without a compile cache, each bundle an AWS command loads is cached, and the next run uses it', async function () {
    if ((nodeModule as { enableCompileCache?: unknown }).enableCompileCache) {
      // Node 22.1+: its own compile cache serves (src/cli/bin.ts); ours is not made.
      assert.deepEqual(await list(), ['cached-0', 'cached-1', 'cached-2']);
      assert.deepEqual(cacheFiles(), []);
      assert.ok(readdirSync(join(dir, 'compile-cache')).length > 0, 'Node\'s compile cache is on');
      return;
    }
    assert.deepEqual(await list(), ['cached-0', 'cached-1', 'cached-2']);
    const first = cacheFiles();
    // cli-main.js, the shared-config reader and the SDK's clients: three bundles, each with its compiled code.
    assert.equal(first.length, 3, JSON.stringify(first));
    for (const file of first) {
      assert.ok(file.size > 10_000, `${file.name}: ${file.size} bytes`);
      if (process.platform !== 'win32') assert.equal(file.mode, 0o600);
    }
    // Second run: the same answer from the cached code (the SDK's import() of node:http compiled as require), and
    // no file written again, which a cache V8 rejected would be.
    assert.deepEqual(await list(), ['cached-0', 'cached-1', 'cached-2']);
    assert.deepEqual(cacheFiles(), first);
  });

  it('a damaged cache file is rejected and written anew, and the command works', async function () {
    if ((nodeModule as { enableCompileCache?: unknown }).enableCompileCache) this.skip();
    await list();
    const [file] = cacheFiles().sort((a, b) => b.size - a.size);
    writeFileSync(join(dir, 'compile-cache', 'v8', file!.name), Buffer.alloc(file!.size, 7));
    assert.deepEqual(await list(), ['cached-0', 'cached-1', 'cached-2']);
    const after = cacheFiles().find((f) => f.name === file!.name)!;
    assert.notEqual(after.ino, file!.ino, 'replaced');
    assert.notDeepEqual(readFileSync(join(dir, 'compile-cache', 'v8', file!.name)), Buffer.alloc(file!.size, 7));
  });
});
