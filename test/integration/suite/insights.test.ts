import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { summarize } from '../../../src/core/insights/insightsSummary';
import type { ToInsightsPage } from '../../../src/core/insights/insightsView';
import { REPORT_QUERY, REPORT_STATS_QUERY } from '../../../src/core/logs/logsInsights';
import { localFeed } from '../../../src/insights/insightsFeeds';
import type { InsightsLoadRuns } from '../../../src/insights/insightsLoadRuns';
import { INSIGHTS_VIEW_TYPE, InsightsPanel } from '../../../src/insights/insightsPanel';
import type { OutputLog } from '../../../src/output/outputLog';
import type { RunOutcome } from '../../../src/localHandlers/localRunner';
import { extensionApi, workspaceRoot } from '../support/api';
import { canScreenshot, screenshot } from '../support/screens';
import { LogsService } from '../../support/awsEmulator/logs';
import { AwsEmulator } from '../../support/awsEmulator/server';
import { waitFor } from '../../support/waitFor';

describe('Lambda Insights panel (real host)', function () {
  this.timeout(120_000);

  it('after 20 local runs the panel shows the store\'s numbers (read back from the page) and four drawn charts', async () => {
    const api = await extensionApi();
    await api.localHandlers.index.whenReady();
    const orders = api.localHandlers.index.all().find((h) => h.name === 'OrdersFunction');
    assert.ok(orders);
    await vscode.commands.executeCommand('lambdaWorkbench.chooseEvent', orders.id, { kind: 'file', label: 'order.json', file: join(workspaceRoot(), 'events', 'order.json') });
    for (let i = 0; i < 20; i++) {
      const outcome = await vscode.commands.executeCommand<RunOutcome>('lambdaWorkbench.runHandler', orders.id);
      assert.ok(outcome.result, outcome.problem);
    }
    const fn = 'OrdersFunction';
    await waitFor('the 20 runs in the store', () => api.insights.store.records(fn).length >= 20);
    await vscode.commands.executeCommand('lambdaWorkbench.showInsights', orders.id);
    const panel = await waitFor('the panel', () => api.insights.panels.get(`local:${fn}`));
    const records = api.insights.store.records(fn);
    await waitFor('the page to have the data', async () => (await panel.probe()).shown.calls === String(records.length));
    const page = await panel.probe();
    const expected = summarize(records);
    assert.equal(page.shown.calls, String(expected.count));
    assert.equal(page.shown.coldStarts, String(expected.coldStarts));
    assert.equal(page.shown.warmP50, expected.duration.warm.p50.toFixed(2));
    assert.equal(page.shown['warm.p99'], expected.duration.warm.p99.toFixed(2));
    assert.equal(page.shown.environments, String(expected.environments));
    assert.match(page.shown.memoryAdvice, new RegExp(`${expected.memory!.change === 'keep' ? 'keep' : expected.memory!.change} .*${expected.memory!.change === 'keep' ? expected.memory!.memorySizeMb : expected.memory!.suggestedMb} MB`));
    assert.equal(page.shown['cost.0'], `$${expected.cost[0].perMillionUsd.toFixed(2)}`);
    // A strict Content-Security-Policy: one nonce'd script, nothing remote, no inline styles or eval.
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(panel.panel.webview.html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'; script-src 'nonce-[A-Za-z0-9+/=]{20,}'; style-src [^;]+;/);
    assert.doesNotMatch(csp, /unsafe|https?:\/\/(?!\S*vscode)/);
    assert.equal((panel.panel.webview.html.match(/<script nonce=/g) ?? []).length, 1, 'one script; the first data travels as a JSON data block');
    assert.equal((panel.panel.webview.html.match(/<script/g) ?? []).length, 2);
    assert.equal(page.rows, 0, 'the table is built when its tab is first shown');
    await panel.click('vscode-tab-header:nth-of-type(2)');
    assert.equal(await waitFor('the table', async () => (await panel.probe()).rows || undefined), records.length, 'one table row per invocation');
    await panel.click('vscode-tab-header:nth-of-type(1)');
    // The first chart is drawn with the numbers, the others in the next frames.
    const drawn = await waitFor('the four charts', async () => { const p = await panel.probe(); return p.charts.length === 4 ? p.charts : undefined; });
    assert.deepEqual(drawn.map((c) => c.name), ['timeline', 'histogram', 'memory', 'environments']);
    for (const c of drawn) assert.ok(c.inked > 500, `${c.name} is drawn (${c.inked} pixels inked)`);

    // A new invocation reaches the open panel while it stays open (through the runner's LocalLambda, which F5 and
    // Run use too, so that no run document covers the panel).
    const runner = api.localHandlers.runner;
    await runner.local.invoke(await runner.configFor(orders), readFileSync(join(workspaceRoot(), 'events', 'order.json'), 'utf8'));
    assert.ok(panel.panel.visible);
    let seen = '';
    await waitFor('the live update', async () => (seen = (await panel.probe()).shown.calls) === String(records.length + 1))
      .catch((error: Error) => { throw new Error(`${error.message}: the page shows ${seen} calls, the store has ${api.insights.store.records(fn).length}`); });
    // Hidden (its page is discarded) while a call finishes, then shown: the new page has the new call, not the
    // data its first HTML carried.
    // A saved file covers it: a dirty untitled one would make later debug sessions wait on a Save As (saveBeforeStart).
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(join(workspaceRoot(), 'README.md')), vscode.ViewColumn.Active);
    await waitFor('the panel hidden', () => !panel.panel.visible);
    await runner.local.invoke(await runner.configFor(orders), readFileSync(join(workspaceRoot(), 'events', 'order.json'), 'utf8'));
    panel.panel.reveal();
    await waitFor('the call made while hidden', async () => (seen = (await panel.probe()).shown.calls) === String(records.length + 2))
      .catch((error: Error) => { throw new Error(`${error.message}: the page shows ${seen} calls`); });
    if (canScreenshot()) assert.ok((await screenshot('insights')).stdev > 2, 'the panel is on screen');
  });

  it('a load run of 200 requests at concurrency 20 from the panel: its environments and cold starts are the runtime\'s', async () => {
    const api = await extensionApi();
    const fn = 'OrdersFunction';
    const panel = api.insights.open(fn);
    await waitFor('the load form', async () => (await panel.probe()).shown.loadStatus?.startsWith('Calls go through a fresh pool'));
    const before = api.insights.store.records(fn).length;
    await panel.click('[data-action="start-load"]');
    let status = '';
    await waitFor('the load run to finish', async () => /^200 calls in /.test(status = (await panel.probe()).shown.loadStatus ?? ''), 60_000);
    const m = /: (\d+) environments, (\d+) cold starts, (\d+) throttled, (\d+) errors/.exec(status);
    assert.ok(m, status);
    await waitFor('the 200 records', () => api.insights.store.records(fn).slice(before).filter((r) => r.source === 'load').length === 200);
    const records = api.insights.store.records(fn).slice(before).filter((r) => r.source === 'load');
    const environments = new Set(records.map((r) => r.environmentId)).size;
    const coldStarts = records.filter((r) => r.initDurationMs !== undefined).length;
    assert.deepEqual([Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])], [environments, coldStarts, 0, 0]);
    assert.ok(environments >= 2 && environments <= 20, `20 callers at once need several environments, never more than 20 (${environments})`);
    assert.equal(coldStarts, environments, 'a fresh pool: each environment began with a cold start');
    if (canScreenshot()) {
      await panel.click('vscode-tab-header:nth-of-type(3)');
      assert.ok((await screenshot('insights-load-run')).stdev > 2);
    }
  });

  it('a panel brought back after a reload (the serializer, with the state its page kept) shows its function again; a state without one closes it', async () => {
    const api = await extensionApi();
    for (const p of [...api.insights.panels.values()]) p.panel.dispose();
    // Figures to show even when this test runs alone (the first test's runs are there otherwise).
    api.insights.store.add({ function: 'OrdersFunction', time: Date.now() - 1000, requestId: 'restore-1', durationMs: 12.5, billedDurationMs: 13,
      memorySizeMb: 128, maxMemoryUsedMb: 60, status: 'ok', architecture: 'x86_64', source: 'run' });
    // What the page keeps (vscode.setState) is what VS Code hands the serializer after a reload: read it from a live page.
    const live = api.insights.open('OrdersFunction');
    const kept = await waitFor('the state the page kept', async () => (await live.probe()).state as { tab?: number; panel?: unknown } | undefined, 20_000);
    assert.deepEqual(kept.panel, { function: 'OrdersFunction' });
    live.panel.dispose();
    const panel = vscode.window.createWebviewPanel('lambdaWorkbench.insights', 'restored', vscode.ViewColumn.Active, { enableScripts: true });
    await api.insights.restore(panel, kept);
    const restored = api.insights.panels.get('local:OrdersFunction');
    assert.equal(restored?.panel, panel);
    const expected = String(api.insights.store.records('OrdersFunction').length);
    await waitFor('its figures', async () => (await restored.probe()).shown.calls === expected, 20_000);
    assert.equal(panel.title, 'Insights: OrdersFunction');
    const empty = vscode.window.createWebviewPanel('lambdaWorkbench.insights', 'restored', vscode.ViewColumn.Active, { enableScripts: true });
    let closed = false;
    empty.onDidDispose(() => { closed = true; });
    await api.insights.restore(empty, undefined);
    assert.equal(closed, true);
    panel.dispose();
  });

  it('the first chart does not wait for whether a load run can start (the handler index); the Load run tab then joins the drawn page', async () => {
    const api = await extensionApi();
    for (const p of [...api.insights.panels.values()]) p.panel.dispose();
    api.insights.store.add({ function: 'SlowIndexFunction', time: Date.now() - 1000, requestId: 'slow-1', durationMs: 7, billedDurationMs: 7,
      memorySizeMb: 128, maxMemoryUsedMb: 55, status: 'ok', architecture: 'x86_64', source: 'run' });
    let release: (message: Extract<ToInsightsPage, { type: 'load-ready' }>) => void = () => undefined;
    const loads: InsightsLoadRuns = { ready: () => new Promise((resolve) => { release = resolve; }), run: async () => undefined };
    const channel = vscode.window.createOutputChannel('Insights test', { log: true });
    const log: OutputLog = Object.assign(channel, { channel, showError: (m: string) => channel.error(m) });
    const webview = vscode.window.createWebviewPanel(INSIGHTS_VIEW_TYPE, 'slow index', vscode.ViewColumn.Active, { enableScripts: true });
    const panel = new InsightsPanel(webview, localFeed('SlowIndexFunction', api.insights.store, async () => undefined), loads, log, vscode.extensions.getExtension('lambda-workbench.lambda-workbench')!.extensionUri, () => undefined);
    try {
      const first = await waitFor('the figures while the index is still scanning', async () => { const p = await panel.probe(); return p.shown.calls === '1' ? p : undefined; }, 20_000);
      assert.deepEqual(first.tabs, ['Charts', 'Table']);
      release({ type: 'load-ready', enabled: true, defaults: { requests: 10, concurrency: 2, maxEnvironments: 2, rampSeconds: 0 } });
      const after = await waitFor('the Load run tab', async () => { const p = await panel.probe(); return p.tabs?.includes('Load run') ? p : undefined; }, 20_000);
      assert.deepEqual(after.tabs, ['Charts', 'Table', 'Load run']);
      assert.equal(after.renders, first.renders, 'the page was not drawn again for it');
    } finally {
      panel.dispose();
      webview.dispose();
      channel.dispose();
    }
  });

  it('a function whose every call timed out says so above its figures', async () => {
    const api = await extensionApi();
    for (let i = 0; i < 3; i++) {
      api.insights.store.add({ function: 'AlwaysTimesOut', time: Date.now() - 10_000 + i * 1000, requestId: `t-${i}`, durationMs: 3000, billedDurationMs: 3000,
        memorySizeMb: 128, maxMemoryUsedMb: 50, status: 'timeout', architecture: 'x86_64', source: 'run' });
    }
    const panel = api.insights.open('AlwaysTimesOut');
    const page = await waitFor('the notice', async () => { const p = await panel.probe(); return p.shown.notice ? p : undefined; });
    assert.match(page.shown.notice, /^Every call timed out \(after 3\.00 s\): these durations are the timeout's, not the function's/);
    assert.equal(page.shown.calls, '3');
    panel.panel.dispose();
  });

  it('a function with no runs yet gets a message that says how to get data, not an empty chart', async () => {
    const api = await extensionApi();
    const panel = api.insights.open('NeverRunFunction');
    const page = await waitFor('the message', async () => {
      const p = await panel.probe();
      return p.shown.message ? p : undefined;
    });
    assert.match(page.shown.message, /No invocations of NeverRunFunction yet\. Run it/);
    assert.deepEqual(page.charts, []);
    panel.panel.dispose();
    assert.equal(api.insights.panels.has('local:NeverRunFunction'), false, 'a closed panel is forgotten');
  });

  describe('a deployed function, from CloudWatch Logs (emulator)', () => {
    let emulator: AwsEmulator;
    const logs = new LogsService();
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('lambdaWorkbench');
    const item = { region: 'us-east-1', fn: { name: 'checkout', logGroup: '/aws/lambda/checkout', architecture: 'arm64' } };
    /** The raw-rows queries (each read also runs the range's stats query beside them). */
    const rowQueries = (): typeof logs.startedQueries => logs.startedQueries.filter((q) => q.queryString === REPORT_QUERY);

    before(async () => {
      emulator = await AwsEmulator.start(logs);
      const now = Date.now();
      const stream = '2026/12/03/[$LATEST]feed';
      const report = (id: string, ms: number, used: number, extra = ''): string => `REPORT RequestId: ${id}\tDuration: ${ms.toFixed(2)} ms\tBilled Duration: ${Math.ceil(ms)} ms\tMemory Size: 512 MB\tMax Memory Used: ${used} MB${extra}`;
      logs.put(item.fn.logGroup, stream, report('c-1', 40, 90, '\tInit Duration: 310.50 ms'), now - 50_000);
      for (let i = 2; i <= 6; i++) logs.put(item.fn.logGroup, stream, report(`c-${i}`, 10 + i, 92), now - 50_000 + i * 1000);
      logs.put(item.fn.logGroup, stream, 'START RequestId: c-7 Version: $LATEST', now - 30_000);
      process.env.AWS_ACCESS_KEY_ID = 'AKIDINSIGHTS';
      process.env.AWS_SECRET_ACCESS_KEY = 'insights-host';
      await settings().update('aws.endpoint', emulator.endpoint, vscode.ConfigurationTarget.Global);
      const api = await extensionApi();
      await waitFor('credentials', async () => { await api.functions.session.reload(); return api.functions.session.hasCredentials; }, 20_000);
    });
    after(async () => {
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID; else process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY; else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
      await settings().update('aws.endpoint', undefined, vscode.ConfigurationTarget.Global);
      await emulator.close();
    });

    it('Show Insights on a Functions view item reads its REPORT lines with Logs Insights and draws them; the range picker reads again', async () => {
      const api = await extensionApi();
      await vscode.commands.executeCommand('lambdaWorkbench.showInsights', item);
      const panel = await waitFor('the deployed panel', () => api.insights.panels.get('deployed:us-east-1:checkout'));
      const page = await waitFor('the figures', async () => { const p = await panel.probe(); return p.shown.calls ? p : undefined; }, 20_000);
      assert.equal(page.shown.calls, '6');
      assert.equal(page.shown.coldStarts, '1');
      assert.equal(page.shown.initP50, '310.50');
      assert.match(page.shown.origin, /CloudWatch Logs \/aws\/lambda\/checkout \(us-east-1\), last hour, via Logs Insights/);
      assert.match(page.shown.memoryAdvice, /lower to 128 MB/);
      assert.ok(rowQueries().length === 1 && logs.startedQueries.some((q) => q.queryString === REPORT_STATS_QUERY), 'the rows and the stats of the range');
      assert.equal(page.shown['totals.calls'], undefined, 'no Whole range table when the rows hold every call');
      assert.equal((await waitFor('the four charts', async () => { const p = await panel.probe(); return p.charts.length === 4 ? p : undefined; })).charts.length, 4, 'environments too: each log stream is one');
      assert.equal(page.shown.environments, '1');
      const queries = rowQueries().length;
      // The range picker: "Last 24 hours" chosen as the element reports a user's choice (its change event).
      await panel.pick('vscode-single-select', '86400000');
      await waitFor('a second query for the new range', () => rowQueries().length > queries, 20_000);
      await waitFor('the new range drawn', async () => /last 24 hours/.test((await panel.probe()).shown.origin ?? ''), 20_000);
      const range = rowQueries().at(-1)!;
      assert.equal(range.endTime - range.startTime >= 86_400 - 2 && range.endTime - range.startTime <= 86_400 + 2, true, 'the last 24 hours');
      // Refresh reads the chosen range again.
      const before = rowQueries().length;
      await panel.click('[data-action="refresh"]');
      await waitFor('a query for the refresh', () => rowQueries().length === before + 1, 20_000);
      await waitFor('the refreshed figures', async () => (await panel.probe()).shown.calls === '6', 20_000);
      // Covered by another tab and shown again, the page gets what was read: no new query.
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(join(workspaceRoot(), 'README.md')), vscode.ViewColumn.Active);
      await waitFor('the panel hidden', () => !panel.panel.visible);
      panel.panel.reveal();
      await waitFor('the figures again', async () => (await panel.probe()).shown.calls === '6', 20_000);
      assert.equal(rowQueries().length, before + 1, 'no query for showing the panel again');
      if (canScreenshot()) assert.ok((await screenshot('insights-deployed')).stdev > 2);
      panel.panel.dispose();
    });

    it('a range with more calls than the rows hold shows the Whole range table from the stats query', async () => {
      const api = await extensionApi();
      const group = '/aws/lambda/busy';
      const now = Date.now();
      for (let i = 0; i < 10_010; i++) {
        logs.put(group, 's', `REPORT RequestId: b-${i}\tDuration: ${i === 10_009 ? '750.00' : '4.00'} ms\tBilled Duration: 5 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB${i % 1000 === 0 ? '\tInit Duration: 200.00 ms' : ''}`, now - 600_000 + i * 10);
      }
      const panel = api.insights.openDeployed({ name: 'busy', region: 'us-east-1', logGroup: group });
      const page = await waitFor('the whole range', async () => { const p = await panel.probe(); return p.shown['totals.calls'] ? p : undefined; }, 30_000);
      assert.equal(page.shown.calls, '10000', 'the rows: the first 10 000');
      assert.equal(page.shown['totals.calls'], '10010');
      assert.match(page.shown['totals.coldStarts'], /^11 \(/);
      assert.match(page.shown['totals.duration'], /^4\.00 \/ 4\.00 \/ 4\.00$/);
      assert.match(page.shown.origin, /first 10,000 of the range's 10,010 invocations are drawn/);
      if (canScreenshot()) assert.ok((await screenshot('insights-whole-range')).stdev > 2);
      panel.panel.dispose();
    });

    it('a query that fails shows a message saying so, not an empty chart; where Insights is denied, FilterLogEvents is used and the panel says so', async () => {
      const api = await extensionApi();
      logs.insightsOutcome = 'Failed';
      try {
        const panel = api.insights.openDeployed({ name: 'checkout', region: 'us-east-1', logGroup: '/aws/lambda/checkout' });
        const page = await waitFor('the message', async () => { const p = await panel.probe(); return p.shown.message ? p : undefined; }, 20_000);
        assert.match(page.shown.message, /^Could not read the invocations: .*Failed/);
        assert.deepEqual(page.charts, []);
        panel.panel.dispose();
      } finally {
        logs.insightsOutcome = 'Complete';
      }
      logs.denyInsights = true;
      try {
        const panel = api.insights.openDeployed({ name: 'checkout', region: 'us-east-1', logGroup: '/aws/lambda/checkout' });
        const page = await waitFor('the figures', async () => { const p = await panel.probe(); return p.shown.calls ? p : undefined; }, 20_000);
        assert.equal(page.shown.calls, '6');
        assert.match(page.shown.origin, /via FilterLogEvents — .*logs:StartQuery/);
        panel.panel.dispose();
      } finally {
        logs.denyInsights = false;
      }
    });
  });
});
