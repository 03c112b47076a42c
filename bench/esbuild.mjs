// Which esbuild compiles TypeScript handlers when a VSIX carries no native binary (the universal VSIX)?
// `node bench/esbuild.mjs`: a TypeScript handler's cold-start build — a fresh Node process that loads the compiler,
// builds the handler (bundle, packages external, source map, as typescriptBuild.ts does) and stops it — timed for
//   native        the esbuild platform binary (what each platform VSIX ships; also a project's own `esbuild`)
//   esbuild-wasm  the same version compiled to WebAssembly (the fallback the universal VSIX could have shipped)
// against a bare `node -e` start of the same process as the baseline. Ratios only: absolute times vary by machine.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 15);
const require = createRequire(import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'lwb-bench-esbuild-'));
writeFileSync(join(dir, 'util.ts'), 'export const greet = (name: string): string => `hello ${name}`;\n');
writeFileSync(join(dir, 'app.ts'), "import { greet } from './util';\ninterface E { name?: string }\nexport const handler = async (e: E) => ({ message: greet(e.name ?? 'world') });\n");

const buildScript = (module) => `
const esbuild = require(${JSON.stringify(require.resolve(module))});
esbuild.build({ entryPoints: [${JSON.stringify(join(dir, 'app.ts'))}], outfile: ${JSON.stringify(join(dir, 'out', module, 'app.js'))},
  bundle: true, packages: 'external', platform: 'node', format: 'cjs', target: 'node20', sourcemap: 'linked', logLevel: 'silent' })
  .then(() => esbuild.stop?.());`;

const variants = [
  ['bare node -e (baseline)', ''],
  ['native esbuild', buildScript('esbuild')],
  ['esbuild-wasm', buildScript('esbuild-wasm')],
];

function timeOnce(script) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const samples = variants.map(() => []);
// Interleaved, so drift in the machine's load falls on every variant alike.
for (let i = 0; i < SAMPLES; i++) variants.forEach(([, script], v) => samples[v].push(timeOnce(script)));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const medians = samples.map(median);
console.log(`TypeScript handler cold-start build, median of ${SAMPLES} interleaved runs (esbuild ${require('esbuild/package.json').version})`);
console.log(`${'variant'.padEnd(26)} ${'median'.padStart(9)}  ×baseline  ×native`);
variants.forEach(([name], v) => {
  console.log(`${name.padEnd(26)} ${`${medians[v].toFixed(0)} ms`.padStart(9)}  ${(medians[v] / medians[0]).toFixed(2).padStart(8)}×  ${(medians[v] / medians[1]).toFixed(2).padStart(6)}×`);
});
