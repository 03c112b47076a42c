// `npm test`: type check, lint, build, unit tests (plain Node) and integration tests (a real VS Code host), in that
// order, then one closing line with the counts of both suites. Exits non-zero if any step fails.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';

const steps = [
  // Python packages, the official runtime interface client and the VS Code test host: installed once, then reused.
  ['test tools', 'bash', ['scripts/test-host/install-tools.sh']],
  ['type check', 'npx', ['tsc', '--noEmit', '-p', '.']],
  ['lint', 'npx', ['eslint', '.']],
  ['build', 'node', ['scripts/build.mjs']],
  ['build tests', 'node', ['scripts/build-tests.mjs']],
  ['unit tests', 'node', ['--enable-source-maps', 'scripts/run-unit.mjs']],
  ['integration tests', 'node', ['out/test/integration/runTests.js']],
];

rmSync('test-results', { recursive: true, force: true });
const failedSteps = [];
let passed = 0;
let failed = 0;
for (const [name, cmd, args] of steps) {
  console.log(`\n── ${name} ${'─'.repeat(Math.max(0, 70 - name.length))}`);
  const started = Date.now();
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  const ok = result.status === 0;
  console.log(`── ${name}: ${ok ? 'ok' : `FAILED (exit ${result.status ?? result.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (!ok) failedSteps.push(name);
  // Compiling is a prerequisite of everything after it.
  if (!ok && (name === 'build' || name === 'build tests' || name === 'test tools')) break;
}

const reports = existsSync('test-results') ? readdirSync('test-results').filter((f) => f.endsWith('.json')) : [];
for (const file of reports) {
  const report = JSON.parse(readFileSync(`test-results/${file}`, 'utf8'));
  passed += report.passed;
  failed += report.failed;
}
if (failedSteps.length) console.log(`\nfailed steps: ${failedSteps.join(', ')}`);
// A failed step without failed tests (type errors, lint) still counts as one failure in the closing line.
if (failedSteps.length && failed === 0) failed = failedSteps.length;
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failedSteps.length || failed ? 1 : 0;

