// `npm test`: test tools, type check, lint, build, unit tests (plain Node), packages (a VSIX per platform and the CLI
// tarball) and their tests, then integration tests (a real VS Code host). A failed step does not hide the others
// (see test-steps.mjs): a failed tool install still leaves the type check, lint and unit tests run and reported.
import { runSteps } from './test-steps.mjs';

const tools = process.env.LWB_TEST_TOOLS || '.vscode-test/tools';
const steps = [
  // Python packages, the official runtime interface client and the VS Code test host: installed once, then reused.
  { name: 'test tools', cmd: 'bash', args: ['scripts/test-host/install-tools.sh'],
    fix: `fix the cause above, then \`npm run test-host:install\` (tools folder: ${tools}; LWB_TEST_TOOLS moves it)` },
  { name: 'type check', cmd: 'npx', args: ['tsc', '--noEmit', '-p', '.'], fix: 'fix the type errors above' },
  { name: 'type check (webview pages)', cmd: 'npx', args: ['tsc', '--noEmit', '-p', 'src/webview'], fix: 'fix the type errors above' },
  { name: 'lint', cmd: 'npx', args: ['eslint', '.'], fix: 'fix the lint errors above (`npx eslint . --fix` mends some)' },
  { name: 'build', cmd: 'node', args: ['scripts/build.mjs'], fix: 'fix the build errors above' },
  { name: 'build tests', cmd: 'node', args: ['scripts/build-tests.mjs'], fix: 'fix the build errors above' },
  { name: 'unit tests', cmd: 'node', args: ['--enable-source-maps', 'scripts/run-mocha.mjs', 'unit'], needs: ['build', 'build tests'],
    report: 'unit', fix: 'the failing tests are listed above; `npm run test:unit -- <grep>` reruns some' },
  { name: 'packages', cmd: 'node', args: ['scripts/package.mjs'], needs: ['build'],
    fix: 'see the packaging error above; `npm run package` reruns it' },
  { name: 'packaging tests', cmd: 'node', args: ['--enable-source-maps', 'scripts/run-mocha.mjs', 'packaging'],
    needs: ['packages', 'build tests'], report: 'packaging', fix: 'the failing tests are listed above' },
  { name: 'integration tests', cmd: 'node', args: ['out/test/integration/runTests.js'],
    needs: ['test tools', 'build', 'build tests', 'packages'], report: 'integration-',
    fix: 'the failing tests are listed above; `npm run test:integration` reruns them (LWB_TEST_GREP=<pattern> picks some)' },
];

process.exitCode = await runSteps(steps);
