import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { InvocationRecord } from '../core/insights/invocationRecord';
import { escapeHtml, insightsCsv, insightsViewData, jsonInHtml, type FromInsightsPage, type InsightsViewData, type PageTiming, type ToInsightsPage } from '../core/insights/insightsView';
import type { InsightsFeed } from './insightsFeeds';
import type { InsightsLoadRuns } from './insightsLoadRuns';
import type { OutputLog } from '../output/outputLog';

export const INSIGHTS_VIEW_TYPE = 'lambdaWorkbench.insights';

/** Redraws at most this often while records arrive (a load run adds hundreds a second). */
const REDRAW_MS = 250;

/**
 * One Insights page per function: a webview whose charts and numbers are redrawn as records arrive. The page runs
 * under a strict Content-Security-Policy (a nonce for its one script, no remote loads) and loads only dist/webview.
 */
export class InsightsPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private redraw?: NodeJS.Timeout;
  private probes: Array<(result: Extract<FromInsightsPage, { type: 'probe-result' }>) => void> = [];
  private ready = false;
  /** The last data sent (tests compare it with what the page shows). */
  lastData?: InsightsViewData;
  private readonly openedAt = performance.now();
  /** Panel created → the page's first chart drawn, in ms (the benchmark reads it). */
  firstChartMs?: number;
  /** Panel created → its HTML given to the webview (the data read and built), in ms. */
  htmlSetMs?: number;
  /** The first page's load-run readiness, and whether the page's HTML carried it. */
  private loadReady?: Promise<ToInsightsPage>;
  private loadReadyEmbedded = false;
  /** The page's own marks for that first chart. */
  firstChartPage?: PageTiming;
  private lastRecords?: readonly InvocationRecord[];

  /** The load run under way from this panel, to stop it. */
  private load?: AbortController;
  /** The read under way (a deployed function's may take seconds): a newer one replaces it. */
  private reading?: AbortController;
  private rangeMs?: number;
  readonly fn: string;
  /** Records arrived while the page was loading: it is sent the data again once ready. */
  private stale = false;
  private shownBefore = false;

  constructor(readonly panel: vscode.WebviewPanel, readonly feed: InsightsFeed, private readonly loads: InsightsLoadRuns, private readonly log: OutputLog,
    extensionUri: vscode.Uri, onDispose: () => void) {
    const fn = (this.fn = feed.fn);
    this.rangeMs = feed.ranges?.[0].ms;
    const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [root] };
    panel.title = `Insights: ${fn}`;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'lambda.svg');
    void this.firstPage(root);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: FromInsightsPage) => this.receive(message)),
      ...(feed.onRecord ? [feed.onRecord(() => this.schedule())] : []),
      panel.onDidDispose(() => { this.dispose(); onDispose(); }),
      // A hidden webview loses its page (no retained context): the next page says 'ready' and gets the data again.
      panel.onDidChangeViewState(() => { if (!panel.visible) this.ready = false; }),
    );
  }

  /** Asks the page what it shows (the tests' round trip); before the page has loaded, it shows nothing yet. */
  probe(): Promise<Extract<FromInsightsPage, { type: 'probe-result' }>> {
    const nothing: Extract<FromInsightsPage, { type: 'probe-result' }> = { type: 'probe-result', shown: {}, charts: [], rows: 0 };
    if (!this.ready) return Promise.resolve(nothing);
    return new Promise((resolve) => {
      this.probes.push(resolve);
      void this.post({ type: 'probe' });
      setTimeout(() => resolve(nothing), 5000);
    });
  }

  /** Clicks an element of the page (tests press its buttons as a user would). */
  click(selector: string): Thenable<boolean> {
    return this.post({ type: 'click', selector });
  }

  /** Chooses a value of a select on the page (tests). */
  pick(selector: string, value: string): Thenable<boolean> {
    return this.post({ type: 'pick', selector, value });
  }

  /** The page with its first messages in it (state, the load form, a local function's data): it draws at once,
   *  without asking. A deployed function's read takes seconds, so its page asks as before. */
  private async firstPage(root: vscode.Uri): Promise<void> {
    const messages: ToInsightsPage[] = [{ type: 'state', state: this.feed.state }];
    // Whether a load run can start waits for the workspace's handler index (its first scan: ~250 ms): the data does
    // not wait for it. Known by then, it is in the page; otherwise it follows once the page is up.
    let loadReady: ToInsightsPage | undefined;
    this.loadReady = this.feed.loads ? this.loads.ready(this.fn).then((m) => (loadReady = m)) : undefined;
    this.loadReady?.catch((error: unknown) => this.log.warn(`Insights for ${this.fn}: ${error instanceof Error ? error.message : String(error)}`));
    try {
      if (!this.feed.ranges) {
        await this.read();
        messages.push({ type: 'data', data: this.lastData! });
      }
    } catch (error) {
      this.log.warn(`Insights for ${this.fn}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (loadReady) messages.splice(1, 0, loadReady);
    this.loadReadyEmbedded = Boolean(loadReady);
    this.panel.webview.html = pageHtml(this.panel.webview, root, this.fn, messages);
    this.htmlSetMs = performance.now() - this.openedAt;
  }

  private receive(message: FromInsightsPage): void {
    // The first page drew what its HTML carried; a page made again (shown after being hidden) carries that old data.
    if (message.type === 'ready' && message.embedded && this.lastData && !this.feed.ranges && !this.shownBefore) {
      this.ready = this.shownBefore = true;
      if (!this.loadReadyEmbedded) void this.loadReady?.then((m) => this.post(m), () => undefined);
      if (this.stale) void this.send();
      return;
    }
    if (message.type === 'ready') {
      this.ready = true;
      void this.post({ type: 'state', state: this.feed.state });
      if (this.feed.ranges) void this.post({ type: 'ranges', ranges: this.feed.ranges, selectedMs: this.rangeMs! });
      // A deployed function's page shown again gets what was read (a query costs time and money): Refresh or a
      // range reads anew. The load form goes first: arriving after the data, it would make the page draw twice.
      if (this.feed.ranges && this.lastData) void this.post({ type: 'data', data: this.lastData });
      else void (this.feed.loads ? this.loads.ready(this.fn).then((m) => this.post(m)) : Promise.resolve()).then(() => this.send());
    } else if (message.type === 'range') {
      this.rangeMs = message.ms;
      void this.send();
    } else if (message.type === 'load') {
      if (this.load) return;
      const controller = (this.load = new AbortController());
      void this.loads.run(this.fn, message.request, (m) => void this.post(m), controller.signal).finally(() => { this.load = undefined; });
    } else if (message.type === 'stop-load') {
      this.load?.abort();
    } else if (message.type === 'drawn') {
      if (message.charts > 0 && this.firstChartMs === undefined) {
        this.firstChartMs = performance.now() - this.openedAt;
        this.firstChartPage = message.page;
      }
    } else if (message.type === 'copy') {
      if (this.lastRecords) void vscode.env.clipboard.writeText(insightsCsv(this.lastRecords)).then(() => vscode.window.setStatusBarMessage(`Insights: ${this.lastRecords!.length} calls copied as CSV`, 3000));
    } else if (message.type === 'probe-result') {
      for (const resolve of this.probes.splice(0)) resolve(message);
    }
  }

  private schedule(): void {
    this.redraw ??= setTimeout(() => { this.redraw = undefined; void this.send(); }, REDRAW_MS);
  }

  private async send(): Promise<void> {
    this.stale = !this.ready;
    if (!this.ready) return;
    if (await this.read()) await this.post({ type: 'data', data: this.lastData! });
  }

  /** Reads the feed into lastData; false when a newer read replaced this one or it was cancelled. */
  private async read(): Promise<boolean> {
    this.reading?.abort();
    const controller = (this.reading = new AbortController());
    if (this.feed.ranges) void this.post({ type: 'loading', text: `Reading ${this.fn}'s REPORT lines…` });
    try {
      const read = await this.feed.read(this.rangeMs, controller.signal);
      if (controller.signal.aborted) return false;
      this.lastData = insightsViewData(this.fn, read.records, read.origin, read.message, read.totals);
      this.lastRecords = read.records;
    } catch (error) {
      if (controller.signal.aborted || (error as Error)?.name === 'AbortError') {
        if (this.reading === controller) void this.post({ type: 'loading', text: 'Cancelled. Pick a range to read again.' });
        return false;
      }
      // Bad input or a refused call: a message that says what to do, never an empty chart.
      const text = error instanceof Error ? error.message : String(error);
      this.log.warn(`Insights for ${this.fn}: ${text}`);
      this.lastData = insightsViewData(this.fn, [], this.feed.state.deployed ? 'CloudWatch Logs' : 'local records', `Could not read the invocations: ${text}`);
    }
    return true;
  }

  private post(message: ToInsightsPage): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  dispose(): void {
    this.load?.abort();
    this.reading?.abort();
    if (this.redraw) clearTimeout(this.redraw);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function pageHtml(webview: vscode.Webview, root: vscode.Uri, fn: string, messages: readonly ToInsightsPage[]): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'insights.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(root, 'insights.css'));
  // No inline styles: uPlot styles its elements through the DOM, the elements through constructed style sheets.
  const csp = [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${webview.cspSource}`, `img-src ${webview.cspSource} data:`, `font-src ${webview.cspSource}`].join('; ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Insights: ${escapeHtml(fn)}</title></head>
<body><main id="root"><p>Loading the invocations of ${escapeHtml(fn)}…</p></main>
<script type="application/json" id="initial-messages">${jsonInHtml(messages)}</script>
<script nonce="${nonce}" src="${script.toString()}"></script></body></html>`;
}
