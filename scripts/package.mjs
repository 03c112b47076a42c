// `npm run package`: the production bundles, then one VSIX per platform (`vsce package --target`, made offline by
// @vscode/vsce) and a universal one, and the CLI's npm tarball, all in artifacts/. Prints each file's size.
//
// A platform VSIX carries exactly one esbuild binary, its own platform's: the `@esbuild/<platform>` package is
// fetched from the npm registry (`npm pack`, cached in artifacts/.cache) and staged with esbuild's JavaScript API.
// The universal VSIX carries none: TypeScript handlers then use the workspace's own esbuild (see esbuildLoader.ts).
//
//   node scripts/package.mjs [--targets linux-x64,win32-x64,…|universal] [--no-cli]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { recompressZip } from './recompress-zip.mjs';

const platformTargets = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'];
const out = resolve('artifacts');
const cache = join(out, '.cache');
const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const esbuildVersion = JSON.parse(readFileSync('node_modules/esbuild/package.json', 'utf8')).version;

const argv = process.argv.slice(2);
const targetsArg = argv.includes('--targets') ? argv[argv.indexOf('--targets') + 1] : undefined;
const targets = targetsArg ? targetsArg.split(',') : ['universal', ...platformTargets];
const withCli = !argv.includes('--no-cli');

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
  if (r.status !== 0) {
    process.stderr.write(r.stdout ?? '');
    process.stderr.write(r.stderr ?? '');
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  }
  return r.stdout;
}

const size = (file) => `${(statSync(file).size / 1024 / 1024).toFixed(2)} MiB`.padStart(10);

/** The files of the extension itself, without build droppings (`__pycache__`, `.pyc`). */
function copyExtensionFiles(stage) {
  for (const item of ['README.md', 'LICENSE', '.vscodeignore', 'media', 'assets', 'snippets', 'syntaxes']) {
    cpSync(item, join(stage, item), { recursive: true, filter: (src) => !/(^|[/\\])__pycache__$|\.py[co]$/.test(src) });
  }
  cpSync(join(out, 'bundles'), join(stage, 'dist'), { recursive: true });
}

/** `node_modules/@esbuild/<target>` from the registry (cached), unpacked under `dir`. */
function esbuildBinaryPackage(target, dir) {
  mkdirSync(cache, { recursive: true });
  const tgz = join(cache, `esbuild-${target}-${esbuildVersion}.tgz`);
  if (!existsSync(tgz)) {
    const name = run('npm', ['pack', '--silent', '--pack-destination', cache, `@esbuild/${target}@${esbuildVersion}`]).trim().split('\n').at(-1);
    renameSync(join(cache, name), tgz);
  }
  const into = join(dir, 'node_modules', '@esbuild', target);
  mkdirSync(into, { recursive: true });
  run('tar', ['-xzf', tgz, '-C', into, '--strip-components=1']);
}

function packageVsix(target) {
  const stage = join(out, 'stage', target);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  copyExtensionFiles(stage);
  // The VSIX's manifest: no scripts (the bundles are built already) and no development dependencies.
  const { scripts: _scripts, devDependencies: _dev, dependencies: _deps, ...shipped } = manifest;
  if (target !== 'universal') {
    shipped.dependencies = { esbuild: esbuildVersion };
    const api = join(stage, 'node_modules', 'esbuild');
    mkdirSync(join(api, 'lib'), { recursive: true });
    cpSync('node_modules/esbuild/package.json', join(api, 'package.json'));
    // Its JavaScript API as published (a minified copy broke its exports under our bundle's interop).
    cpSync('node_modules/esbuild/lib/main.js', join(api, 'lib', 'main.js'));
    esbuildBinaryPackage(target, stage);
  }
  writeFileSync(join(stage, 'package.json'), JSON.stringify(shipped, null, 2));
  const vsix = join(out, `${manifest.name}-${manifest.version}${target === 'universal' ? '' : `-${target}`}.vsix`);
  const vsce = resolve('node_modules', '@vscode', 'vsce', 'vsce');
  const targetArgs = target === 'universal' ? [] : ['--target', target];
  run(process.execPath, [vsce, 'package', ...targetArgs, '--no-update-package-json', '--allow-missing-repository', '--skip-license', '--out', vsix], { cwd: stage });
  recompressZip(vsix);
  return vsix;
}

/** The CLI as an npm package: `npm install -g ./lambda-workbench-<version>.tgz` puts `lambda-workbench` on PATH. */
function packageCli() {
  const tgzName = run('npm', ['pack', '--silent', '--pack-destination', out]).trim().split('\n').at(-1);
  return join(out, tgzName);
}

rmSync(join(out, 'stage'), { recursive: true, force: true });
for (const f of existsSync(out) ? readdirSync(out) : []) if (/\.(vsix|tgz)$/.test(f)) rmSync(join(out, f));
run(process.execPath, ['scripts/build.mjs', '--production', '--outdir', join(out, 'bundles')], { stdio: 'inherit' });
const made = [];
for (const target of targets) made.push(packageVsix(target));
if (withCli) made.push(packageCli());
rmSync(join(out, 'stage'), { recursive: true, force: true });
for (const file of made) console.log(`${size(file)}  ${file.slice(process.cwd().length + 1)}`);
