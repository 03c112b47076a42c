#!/usr/bin/env node
// A stand-in for the VS Code executable that @vscode/test-electron's runTests() launches. It accepts the same
// arguments (--extensionDevelopmentPath, --extensionTestsPath, a folder, --user-data-dir, --extensions-dir) and runs
// the suites in a real VS Code extension host: code-server's VS Code server (on Node 24) with headless Debian
// Chromium as the window. It exits with the test runner's exit code, so runTests resolves on pass and rejects on fail.
//
//   LWB_TEST_TOOLS           tools folder made by install-tools.sh (installed on first use when missing)
//   LWB_TEST_TIMEOUT_MS      whole-run bound (default 15 minutes)
//   LWB_WORKSPACE_TRUST=1    keep Workspace Trust on (for the trust suite; runTests always disables it)
//   LWB_TEST_SCREENSHOT=path save a screenshot of the window when the run ends
//   LWB_INSTALL_VSIX=path    install this VSIX into the extensions folder first (code-server --install-extension)
//
// Pages: POST <LWB_SCREENSHOT_URL>page {url, waitFor} opens a loopback page in a new tab and answers its text.
// Screenshots: the extension host gets LWB_SCREENSHOT_URL, a loopback endpoint of this script; a test POSTs
// {"name": "...", "part": "window" | "sidebar" | "editor"} and this script saves test-results/screens/<name>.png
// from the Chromium window and answers {file, stdev}: the PNG's pixel spread (0 means a blank picture).
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const repo = path.resolve(__dirname, '..', '..');
const tools = process.env.LWB_TEST_TOOLS || path.join(repo, '.vscode-test', 'tools');
const timeoutMs = Number(process.env.LWB_TEST_TIMEOUT_MS || 15 * 60 * 1000);
const say = (m) => process.stdout.write(`[code-host] ${m}\n`);

function parseArgs(argv) {
  const opts = { devPaths: [], testsPath: undefined, folder: undefined, userDataDir: undefined, extensionsDir: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') ? [arg.split('=')[0], arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : undefined] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--extensionDevelopmentPath') opts.devPaths.push(path.resolve(value()));
    else if (flag === '--extensionTestsPath') opts.testsPath = path.resolve(value());
    else if (flag === '--user-data-dir') opts.userDataDir = path.resolve(value());
    else if (flag === '--extensions-dir') opts.extensionsDir = path.resolve(value());
    else if (!arg.startsWith('-')) opts.folder = path.resolve(arg);
    // Other desktop flags (--no-sandbox, --disable-updates, …) mean nothing to the server.
  }
  if (!opts.testsPath || opts.devPaths.length === 0) throw new Error('expected --extensionDevelopmentPath and --extensionTestsPath');
  return opts;
}

function ensureTools() {
  const envFile = path.join(tools, 'env.json');
  if (!fs.existsSync(envFile)) {
    say(`test-host tools missing in ${tools}; installing them`);
    const r = spawnSync('bash', [path.join(__dirname, 'install-tools.sh')], { stdio: 'inherit', env: { ...process.env, LWB_TEST_TOOLS: tools } });
    if (r.status !== 0) throw new Error('installing the test-host tools failed (see above)');
  }
  return JSON.parse(fs.readFileSync(envFile, 'utf8'));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(port, child, deadline) {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited early with code ${child.exitCode}`);
    const ok = await new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (res) => { res.resume(); resolve(res.statusCode === 200); });
      req.on('error', () => resolve(false));
      req.on('timeout', () => { req.destroy(); resolve(false); });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error('code-server did not become healthy in time');
}

function killGroup(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
  setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 3000).unref();
}

const screensDir = path.join(repo, 'test-results', 'screens');
const PARTS = { window: undefined, sidebar: '[id="workbench.parts.sidebar"]', editor: '[id="workbench.parts.editor"]', panel: '[id="workbench.parts.panel"]' };

/** The loopback endpoint tests ask for screenshots through (the page is only reachable from this process). */
function startScreenshotServer(getPage) {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', async () => {
      if (req.url === '/page') return void readPage(getPage(), body, res);
      try {
        const { name, part = 'window' } = JSON.parse(body || '{}');
        if (!/^[\w.-]+$/.test(name ?? '') || !(part in PARTS)) throw new Error(`bad screenshot request ${body}`);
        const page = getPage();
        if (!page) throw new Error('no window yet');
        fs.mkdirSync(screensDir, { recursive: true });
        const file = path.join(screensDir, `${name}.png`);
        const png = PARTS[part] ? await page.locator(PARTS[part]).screenshot({ path: file }) : await page.screenshot({ path: file });
        // sharp (a devDependency) measures the spread of the pixels: a blank picture has none.
        const stats = await require('sharp')(png).stats();
        const stdev = Math.max(...stats.channels.slice(0, 3).map((c) => c.stdev));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ file, stdev }));
      } catch (error) {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error && error.message || error) }));
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * Opens a loopback URL in a new tab of the same browser, waits until its text contains `waitFor`, and answers with
 * the text: host tests read what a page served by a local API rendered (its scripts calling that API included).
 */
async function readPage(page, body, res) {
  let tab;
  let context;
  try {
    const { url, waitFor } = JSON.parse(body || '{}');
    if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(url ?? '')) throw new Error(`only loopback pages: ${url}`);
    if (!page) throw new Error('no window yet');
    // A context of its own: the window's was made by browser.newPage(), which takes no second tab.
    context = await page.context().browser().newContext();
    tab = await context.newPage();
    await tab.goto(url);
    // Run in the page: `globalThis.document` is the page's.
    await tab.waitForFunction((text) => globalThis.document.body?.innerText.includes(text), waitFor, { timeout: 10_000 });
    const text = await tab.evaluate(() => globalThis.document.body.innerText);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ text }));
  } catch (error) {
    res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error && error.message || error) }));
  } finally {
    if (context) await context.close().catch(() => undefined);
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const env = ensureTools();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lwb-host-'));
  const userDataDir = opts.userDataDir ?? path.join(scratch, 'user-data');
  const extensionsDir = opts.extensionsDir ?? path.join(scratch, 'extensions');
  for (const d of ['home', 'config', 'data', 'tmp', 'cache']) fs.mkdirSync(path.join(scratch, d), { recursive: true });
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  // Quiet, deterministic editor: no telemetry, no update checks, no welcome tabs. Written on every run because the
  // user-data folder is shared between suites and only some of them keep Workspace Trust on.
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  const trust = process.env.LWB_WORKSPACE_TRUST === '1';
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  fs.writeFileSync(settingsFile, JSON.stringify({
    'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'update.mode': 'none',
    'extensions.autoUpdate': false, 'extensions.autoCheckUpdates': false, 'workbench.enableExperiments': false,
    'security.workspace.trust.enabled': trust,
    // With trust on, open the folder in Restricted Mode without asking (a modal would block the run).
    'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never',
    // The screenshots show the editor as a user without AI features sees it (no chat panel beside it).
    'chat.disableAIFeatures': true, 'workbench.secondarySideBar.defaultVisibility': 'hidden',
  }, null, 2));

  const port = await freePort();
  let page;
  const screenshots = await startScreenshotServer(() => page);
  const serverEnv = {
    LWB_SCREENSHOT_URL: `http://127.0.0.1:${screenshots.address().port}/`,
    ...process.env,
    HOME: path.join(scratch, 'home'), XDG_CONFIG_HOME: path.join(scratch, 'config'), XDG_DATA_HOME: path.join(scratch, 'data'),
    XDG_CACHE_HOME: path.join(scratch, 'cache'), TMPDIR: path.join(scratch, 'tmp'),
    PATH: `${path.dirname(env.node)}:${process.env.PATH}`,
    LWB_REAL_HOME: process.env.HOME ?? '',
  };
  const serverArgs = [
    env.codeServer, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--vscode-option', 'enable-smoke-test-driver', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
  ];
  if (process.env.LWB_WORKSPACE_TRUST !== '1') serverArgs.push('--disable-workspace-trust');
  if (process.env.LWB_INSTALL_VSIX) {
    // VS Code's own installer: it checks the VSIX's target platform and unpacks it as a user's editor would.
    const installed = spawnSync(env.node, [env.codeServer, '--install-extension', process.env.LWB_INSTALL_VSIX,
      '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir], { env: serverEnv, encoding: 'utf8' });
    if (installed.status !== 0) throw new Error(`installing ${process.env.LWB_INSTALL_VSIX} failed: ${installed.stderr || installed.stdout}`);
    say(installed.stdout.trim().split('\n').at(-1));
  }
  const serverLog = fs.openSync(path.join(scratch, 'code-server.log'), 'a');
  const server = spawn(env.node, serverArgs, { env: serverEnv, detached: true, stdio: ['ignore', serverLog, serverLog] });
  let browser;
  let code = 1;
  const cleanup = () => { killGroup(server); };
  process.on('exit', cleanup);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { cleanup(); process.exit(130); });

  try {
    await waitForHealth(port, server, Date.now() + 60_000);
    const { chromium } = require('playwright-core');
    browser = await chromium.launch({
      executablePath: env.chromium, headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const exitCode = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code))));
    page.on('pageerror', (e) => { if (process.env.LWB_TEST_VERBOSE) say(`page error: ${e.message}`); });
    const remote = (p) => `vscode-remote://remote${p}`;
    const payload = [
      ...opts.devPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
      ['extensionTestsPath', remote(opts.testsPath)],
    ];
    const query = new URLSearchParams();
    if (opts.folder) query.set('folder', opts.folder); else query.set('ew', 'true');
    query.set('payload', JSON.stringify(payload));
    await page.goto(`http://127.0.0.1:${port}/?${query}`);
    let timer;
    const timedOut = new Promise((resolve) => { timer = setTimeout(() => { say(`no result after ${timeoutMs} ms`); resolve(124); }, timeoutMs); });
    code = await Promise.race([exitCode, timedOut]);
    clearTimeout(timer);
    if (process.env.LWB_TEST_SCREENSHOT) await page.screenshot({ path: process.env.LWB_TEST_SCREENSHOT }).catch(() => undefined);
    if (code !== 0 || process.env.LWB_TEST_VERBOSE) say(`code-server log: ${path.join(scratch, 'code-server.log')}`);
    return code;
  } finally {
    screenshots.close();
    if (browser) await browser.close().catch(() => undefined);
    const exited = server.exitCode !== null ? Promise.resolve() : new Promise((r) => server.once('exit', r));
    cleanup();
    // Keep the scratch folder (with code-server.log) only when something went wrong.
    if (code === 0 && !process.env.LWB_TEST_VERBOSE) {
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error) => { say(error && error.stack ? error.stack : String(error)); process.exit(1); },
);
