import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../../src/core/packageInfo';

const runner = pathToFileURL(join(packageRoot(), 'scripts', 'test-steps.mjs')).href;

/** Runs `npm test`'s step runner on the given steps in a scratch folder; steps are `node -e` scripts. */
function runSteps(steps: { name: string; script: string; needs?: string[]; report?: string; fix: string }[]) {
  const dir = mkdtempSync(join(tmpdir(), 'lwb-steps-'));
  const list = steps.map((s) => ({ ...s, cmd: process.execPath, args: ['-e', s.script] }));
  writeFileSync(join(dir, 'run.mjs'), `import { runSteps } from '${runner}';\nprocess.exitCode = await runSteps(${JSON.stringify(list)});\n`);
  return spawnSync(process.execPath, ['run.mjs'], { cwd: dir, encoding: 'utf8' });
}

const writeReport = (name: string, passed: number, failed: number) =>
  `require('fs').mkdirSync('test-results',{recursive:true});require('fs').writeFileSync('test-results/${name}.json',JSON.stringify({passed:${passed},failed:${failed}}))`;

describe('npm test\'s steps: a failed tool install does not hide the code\'s state', () => {
  it('runs the type check, lint and unit tests after a failed install, skips only what needs the tools, exits 1', () => {
    const r = runSteps([
      { name: 'test tools', script: 'console.log("[test-host] apt-get install chromium: no network"); process.exit(1)', fix: 'run npm run test-host:install' },
      { name: 'type check', script: '', fix: 'fix the types' },
      { name: 'lint', script: '', fix: 'fix the lint' },
      { name: 'unit tests', script: writeReport('unit', 41, 0), report: 'unit', fix: 'see above' },
      { name: 'integration tests', script: writeReport('integration-main', 9, 0), needs: ['test tools'], report: 'integration-', fix: 'see above' },
    ]);
    assert.equal(r.status, 1, 'the run fails');
    assert.match(r.stdout, /── type check: ok/);
    assert.match(r.stdout, /── lint: ok/);
    assert.match(r.stdout, /── unit tests: ok/);
    assert.match(r.stdout, /── integration tests: skipped \(needs test tools\)/);
    assert.match(r.stdout, /FAILED test tools: \[test-host\] apt-get install chromium: no network\n {2}what to do: run npm run test-host:install/);
    assert.match(r.stdout, /SKIPPED integration tests: needs test tools/);
    assert.match(r.stdout, /\n41 passed, 1 failed\n$/, 'the unit tests counted, the install one failure');
  });

  it('counts failed tests from the reports, and a step that failed without a report as one', () => {
    const mochaFailure = ['  2 failing', '', '  1) Custom runtime: the official aws-lambda-ric', '       runs the handler:', '     Error: Command failed: bash install-ric.sh', '      at checkExecSyncError (node:child_process:891:11)'];
    const r = runSteps([
      { name: 'type check', script: 'console.error("src/a.ts(1,1): error TS2304: Cannot find name x"); process.exit(2)', fix: 'fix the types' },
      { name: 'unit tests', script: `console.log(${JSON.stringify(mochaFailure.join('\n'))}); ${writeReport('unit', 5, 2)}; process.exit(1)`, report: 'unit', fix: 'see above' },
    ]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /FAILED type check: src\/a\.ts\(1,1\): error TS2304/);
    assert.match(r.stdout, /FAILED unit tests: 2 failing, the first: Custom runtime: the official aws-lambda-ric runs the handler: Error: Command failed: bash install-ric\.sh\n/);
    assert.match(r.stdout, /\n5 passed, 3 failed\n$/);
  });

  it('repeats the first failure\'s whole message, without its stack, under its summary line (CI shows a run\'s end)', () => {
    const mochaFailure = ['  2 failing', '', '  1) F5: breakpoints', '       JavaScript: stops:', '     Error: no stopped event within 30000 ms; what the debug adapters sent meanwhile:',
      '  +0ms test#1 initialized', '  +40ms child#2 thread (started)', '  +41ms child#2 terminated', 'The debug output document:', '# Debugging js-handler',
      '      at Timeout._onTimeout (out/test/integration/support/debugSessions.js:79:16)', '', '  2) another test', '     Error: later'];
    const r = runSteps([{ name: 'integration tests', script: `console.log(${JSON.stringify(mochaFailure.join('\n'))}); ${writeReport('integration-main', 5, 2)}; process.exit(1)`, report: 'integration-', fix: 'rerun them' }]);
    assert.equal(r.status, 1);
    const summary = r.stdout.slice(r.stdout.indexOf('── summary'));
    assert.match(summary, /FAILED integration tests: 2 failing, the first: F5: breakpoints JavaScript: stops: Error: no stopped event within 30000 ms; what the debug adapters sent meanwhile:\n {2}the first failure, whole:\n/);
    assert.match(summary, /\n {4}\+41ms child#2 terminated\n {4}The debug output document:\n {4}# Debugging js-handler\n {2}what to do: rerun them\n/);
    assert.doesNotMatch(summary, /Timeout\._onTimeout|another test/, 'no stack, and only the first failure');
  });

  it('all green: exit 0', () => {
    const r = runSteps([{ name: 'unit tests', script: writeReport('unit', 3, 0), report: 'unit', fix: '' }]);
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, /\n3 passed, 0 failed\n$/);
  });
});
