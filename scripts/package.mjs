// `npm run package`: production bundles, then a VSIX made offline by @vscode/vsce. Dependencies are bundled into
// dist/ by esbuild; .vscodeignore lets only esbuild itself (a native binary, used for TypeScript handlers) through
// from node_modules. Prints the VSIX size and file count.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));
const vsix = `${name}-${version}.vsix`;

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run('node', ['scripts/build.mjs', '--production']);
run('npx', ['vsce', 'package', '--no-update-package-json', '--out', vsix]);
const listing = spawnSync('npx', ['vsce', 'ls'], { encoding: 'utf8' }).stdout.trim().split('\n');
console.log(`${vsix}: ${(statSync(vsix).size / 1024).toFixed(1)} KiB, ${listing.length} files`);
