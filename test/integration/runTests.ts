// Runs the integration suites inside a real VS Code extension host through @vscode/test-electron's runTests().
// Which VS Code: $VSCODE_EXECUTABLE when set; a downloaded desktop build with LWB_DOWNLOAD_VSCODE=1 (needs internet);
// otherwise scripts/test-host/code-host.js, which runs code-server's VS Code server with headless Chromium offline.
import { runTests } from '@vscode/test-electron';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateLargeWorkspace } from '../support/largeWorkspace';

interface SuiteReport { passed: number; failed: number; pending: number; transcript: string }

const root = resolve(__dirname, '..', '..', '..');

export async function runSuite(name: string, workspace: string, suiteDir = 'suite', env: Record<string, string> = {}, extensionDevelopmentPath = root,
  hostArgs: string[] = ['--disable-extensions']): Promise<SuiteReport> {
  const reportDir = join(root, 'test-results');
  mkdirSync(reportDir, { recursive: true });
  const reportFile = join(reportDir, `integration-${name}.json`);
  rmSync(reportFile, { force: true });
  const useDownload = process.env.LWB_DOWNLOAD_VSCODE === '1';
  const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE ?? (useDownload ? undefined : join(root, 'scripts', 'test-host', 'code-host.js'));
  let runError: unknown;
  try {
    await runTests({
      ...(vscodeExecutablePath ? { vscodeExecutablePath } : { version: '1.95.0' }),
      extensionDevelopmentPath,
      extensionTestsPath: join(root, 'out', 'test', 'integration', suiteDir, 'index.js'),
      launchArgs: [resolve(root, workspace), ...hostArgs],
      extensionTestsEnv: { ...env, LWB_TEST_REPORT: reportFile, LWB_TEST_GREP: process.env.LWB_TEST_GREP ?? '' },
    });
  } catch (error) {
    runError = error;
  }
  if (!existsSync(reportFile)) {
    throw new Error(`the ${name} suite wrote no report (${runError instanceof Error ? runError.message : 'no error from runTests'})`);
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as SuiteReport;
  process.stdout.write(report.transcript);
  if (runError && report.failed === 0) report.failed = 1; // the host failed outside any test
  return report;
}

/** The suite of the extension as a user installs it: this platform's VSIX (made by `npm run package`) installed by
 *  VS Code's own installer into the host's extensions folder, outside the repository (so nothing resolves from the
 *  repository's node_modules), on a workspace outside it too. The development extension is only a carrier for the
 *  tests. */
async function runInstalledVsixSuite(): Promise<SuiteReport> {
  const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = join(root, 'artifacts', `${name}-${version}-${process.platform}-${process.arch}.vsix`);
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package first`);
  const carrier = mkdtempSync(join(tmpdir(), 'lwb-carrier-'));
  writeFileSync(join(carrier, 'package.json'), JSON.stringify({ name: 'test-carrier', publisher: 'lambda-workbench', version: '0.0.0', engines: { vscode: '^1.95.0' } }));
  const workspace = mkdtempSync(join(tmpdir(), 'lwb-vsix-ws-'));
  writeFileSync(join(workspace, 'greet.ts'), 'export const handler = async (event: { name?: string }): Promise<string> => `hello from the ${event.name ?? \'VSIX\'}`;\n');
  const extensionsDir = mkdtempSync(join(tmpdir(), 'lwb-extensions-'));
  try {
    // (Installed extensions stay enabled: no --disable-extensions.)
    return await runSuite('installed-vsix', workspace, 'installed', { LWB_INSTALL_VSIX: vsix, LWB_INSTALLED_EXTENSIONS: extensionsDir }, carrier,
      ['--extensions-dir', extensionsDir]);
  } finally {
    for (const dir of [carrier, workspace, extensionsDir]) rmSync(dir, { recursive: true, force: true });
  }
}

/** The main suite's workspace gets a generated 10 000-file project for the discovery tests (removed after). */
export async function runMainSuite(): Promise<SuiteReport> {
  const workspace = resolve(root, 'test/fixtures/workspace');
  const generated = join(workspace, 'generated-10k');
  rmSync(generated, { recursive: true, force: true });
  const manifest = generateLargeWorkspace(workspace);
  writeFileSync(join(generated, 'manifest.json'), JSON.stringify(manifest));
  try {
    return await runSuite('main', 'test/fixtures/workspace');
  } finally {
    rmSync(generated, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const reports = [
    await runMainSuite(),
    // A second host with Workspace Trust on, the folder opened in Restricted Mode.
    await runSuite('untrusted', 'test/fixtures/workspace', 'untrusted', { LWB_WORKSPACE_TRUST: '1' }),
    await runInstalledVsixSuite(),
  ];
  const passed = reports.reduce((n, r) => n + r.passed, 0);
  const failed = reports.reduce((n, r) => n + r.failed, 0);
  const pending = reports.reduce((n, r) => n + r.pending, 0);
  console.log(`${passed} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''}`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
  });
}
