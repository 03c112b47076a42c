// Transpiles src/, test/ and bench/ file by file into out/ (no bundling) so mocha runs plain CommonJS and the
// integration suites can `require('vscode')` inside the extension host. Type checking is `tsc --noEmit`, not this.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

function tsFiles(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'fixtures' || name === 'node_modules') continue;
    if (statSync(path).isDirectory()) found.push(...tsFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

rmSync('out', { recursive: true, force: true });
const entryPoints = ['src', 'test', 'bench'].flatMap((d) => { try { return tsFiles(d); } catch { return []; } });
await esbuild.build({
  entryPoints,
  outdir: 'out',
  outbase: '.',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
});
