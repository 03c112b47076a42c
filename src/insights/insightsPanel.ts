import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { InvocationRecord } from '../core/insights/invocationRecord';
import { insightsViewData, type FromInsightsPage, type InsightsViewData, type ToInsightsPage } from '../core/insights/insightsView';
import type { InsightsLoadRuns } from './insightsLoadRuns';

export const INSIGHTS_VIEW_TYPE = 'lambdaWorkbench.insights';

/** What a panel needs: its function's records, told when they change. */
export interface InsightsSource {
  records(fn: string): Promise<readonly InvocationRecord[]>;
  onRecord(listener: (record: InvocationRecord) => void): vscode.Disposable;
}

/** What the serializer keeps of a panel across a reload. */
export interface InsightsPanelState { readonly function: string }

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

  /** The load run under way from this panel, to stop it. */
  private load?: AbortController;

  constructor(readonly panel: vscode.WebviewPanel, readonly fn: string, private readonly source: InsightsSource, private readonly loads: InsightsLoadRuns,
    extensionUri: vscode.Uri, onDispose: () => void) {
    const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [root] };
    panel.title = `Insights: ${fn}`;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'lambda.svg');
    panel.webview.html = pageHtml(panel.webview, root, fn);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: FromInsightsPage) => this.receive(message)),
      source.onRecord((record) => { if (record.function === fn) this.schedule(); }),
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

  private receive(message: FromInsightsPage): void {
    if (message.type === 'ready') {
      this.ready = true;
      void this.send();
      void this.loads.ready(this.fn).then((m) => this.post(m));
    } else if (message.type === 'load') {
      if (this.load) return;
      const controller = (this.load = new AbortController());
      void this.loads.run(this.fn, message.request, (m) => void this.post(m), controller.signal).finally(() => { this.load = undefined; });
    } else if (message.type === 'stop-load') {
      this.load?.abort();
    } else if (message.type === 'copy') {
      void vscode.env.clipboard.writeText(message.text).then(() => vscode.window.setStatusBarMessage('Insights: copied as CSV', 3000));
    } else if (message.type === 'probe-result') {
      for (const resolve of this.probes.splice(0)) resolve(message);
    }
  }

  private schedule(): void {
    this.redraw ??= setTimeout(() => { this.redraw = undefined; void this.send(); }, REDRAW_MS);
  }

  private async send(): Promise<void> {
    if (!this.ready) return;
    const records = [...await this.source.records(this.fn)].sort((a, b) => a.time - b.time);
    this.lastData = insightsViewData(this.fn, records, `local records (Run, F5, the local API, CLI --record): ${records.length} of the last 10 000`);
    await this.post({ type: 'data', data: this.lastData });
  }

  private post(message: ToInsightsPage): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  dispose(): void {
    this.load?.abort();
    if (this.redraw) clearTimeout(this.redraw);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function pageHtml(webview: vscode.Webview, root: vscode.Uri, fn: string): string {
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
<script nonce="${nonce}" src="${script.toString()}"></script></body></html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
