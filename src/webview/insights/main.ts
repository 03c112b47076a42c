// The Insights page: runs in a VS Code webview (data arrives as messages) or in a standalone HTML report (data
// embedded as JSON in #insights-data). Controls are @vscode-elements (the webview UI toolkit is deprecated).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import 'uplot/dist/uPlot.min.css';
import './insights.css';
import { recentCsv, type FromInsightsPage, type InsightsViewData, type PageTiming, type ToInsightsPage } from '../../core/insights/insightsView';
import { drawCharts, inkedPixels, type Chart } from './charts';
import { LoadRunView } from './loadRun';
import { callsTable, numbers } from './numbers';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';

interface VsCodeApi { postMessage(message: FromInsightsPage): void; setState(state: unknown): void; getState(): unknown }
declare function acquireVsCodeApi(): VsCodeApi;

/** After every imported module ran (the controls defined, uPlot loaded). */
const scriptEnded = performance.now();
const vscode: VsCodeApi | undefined = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
/** Each page drawn: its root element, its data and its charts (a report holds one per function). */
const pages = new Map<HTMLElement, { data: InsightsViewData; charts: Chart[]; stop?: () => void }>();
/** Deployed functions: the range picker and what is being read; kept across redraws. */
const toolbar = document.createElement('div');
toolbar.className = 'toolbar';
/** Made when ranges arrive (deployed functions only): a select's scroll machinery costs every layout of the page. */
let rangeSelect: (HTMLElement & { value: string }) | undefined;
const readingStatus = document.createElement('span');
readingStatus.className = 'reading';
readingStatus.setAttribute('role', 'status');
readingStatus.dataset.probe = 'reading';
toolbar.append(readingStatus);

/** The panel's load-run form and live chart: kept across redraws (records arrive while a run goes). */
let loadRun: LoadRunView | undefined;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Pages drawn since load (the tests see that a late Load run tab does not draw the charts again). */
let renders = 0;

function render(root: HTMLElement, data: InsightsViewData): void {
  renders++;
  readingStatus.textContent = '';
  pages.get(root)?.stop?.();
  for (const c of pages.get(root)?.charts ?? []) c.destroy();
  pages.set(root, { data, charts: [] });
  root.replaceChildren();
  const header = element('header');
  header.append(element('h1', {}, `${data.function}`), toolbar, element('p', { class: 'origin', 'data-probe': 'origin' }, data.origin));
  root.append(header);
  if (data.message) {
    root.append(element('p', { class: 'message', role: 'status', 'data-probe': 'message' }, data.message));
    if (loadRun) root.append(element('h2', {}, 'Load run'), loadRun.element);
    return;
  }
  if (data.notice) root.append(element('p', { class: 'notice', role: 'alert', 'data-probe': 'notice' }, data.notice));
  root.append(numbers(data));
  const tabs = element('vscode-tabs', { 'selected-index': String((vscode?.getState() as { tab?: number } | undefined)?.tab ?? 0) });
  tabs.append(element('vscode-tab-header', { slot: 'header' }, 'Charts'), element('vscode-tab-header', { slot: 'header' }, 'Table'));
  const chartPanel = element('vscode-tab-panel');
  const grid = element('div', { class: 'charts' });
  chartPanel.append(grid);
  const tablePanel = element('vscode-tab-panel');
  const copy = element('vscode-button', { secondary: '' }, 'Copy as CSV');
  copy.addEventListener('click', () => {
    if (vscode) vscode.postMessage({ type: 'copy' });
    else void navigator.clipboard?.writeText(recentCsv(data));
  });
  tablePanel.append(copy);
  // The table of up to 1 000 rows is built when its tab is first shown, not with the charts.
  const tabIndex = (): number => (vscode?.getState() as { tab?: number } | undefined)?.tab ?? 0;
  let tableShown = false;
  const showTable = (): void => { if (!tableShown) { tableShown = true; tablePanel.append(callsTable(data)); } };
  if (tabIndex() === 1 || !vscode) showTable();
  tabs.append(chartPanel, tablePanel);
  if (loadRun) addLoadTab(tabs, loadRun);
  tabs.addEventListener('vsc-tabs-select', (e) => {
    const tab = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
    vscode?.setState({ ...(vscode.getState() as object), tab });
    if (tab === 1) showTable();
  });
  root.append(tabs);
  const charts: Chart[] = [];
  const stop = drawCharts(grid, data, charts);
  pages.set(root, { data, charts, stop });
  // Told once the frame with the charts has been produced (the next frame's callback), not when they were built.
  const rendered = performance.now();
  requestAnimationFrame(() => setTimeout(() => vscode?.postMessage({ type: 'drawn', charts: charts.length, page: pageTiming(rendered) }), 0));
}

/** The Load run tab: drawn with the page, or added to a drawn one (the charts are not drawn again). */
function addLoadTab(tabs: HTMLElement, view: LoadRunView): void {
  const panel = element('vscode-tab-panel');
  panel.append(view.element);
  tabs.append(element('vscode-tab-header', { slot: 'header' }, 'Load run'), panel);
  // A page that was left on this tab (restored after a reload) shows it once it exists.
  if ((vscode?.getState() as { tab?: number } | undefined)?.tab === 2) (tabs as HTMLElement & { selectedIndex: number }).selectedIndex = 2;
}

function pageTiming(rendered: number): PageTiming {
  // The script's download ends where its compile starts (a report's inline script has no entry: 0).
  const script = performance.getEntriesByType('resource').find((e) => e.name.includes('insights.js')) as PerformanceResourceTiming | undefined;
  return { scriptLoaded: script?.responseEnd ?? 0, scriptEnded, rendered, drawn: performance.now() };
}

function probe(): FromInsightsPage {
  const values: Record<string, string> = {};
  for (const e of document.querySelectorAll<HTMLElement>('[data-probe]')) values[e.dataset.probe!] = e.textContent ?? '';
  const charts = [...pages.values()].flatMap((p) => p.charts);
  return { type: 'probe-result', shown: values, charts: charts.map((c) => ({ name: c.name, inked: inkedPixels(c) })), rows: document.querySelectorAll('table.calls tbody tr').length, state: vscode?.getState(),
    tabs: [...document.querySelectorAll('vscode-tab-header')].map((e) => e.textContent ?? ''), renders };
}

window.addEventListener('message', (event: MessageEvent<ToInsightsPage>) => receive(event.data));

function receive(message: ToInsightsPage): void {
  if (message.type === 'data') render(document.getElementById('root')!, message.data);
  else if (message.type === 'probe') vscode?.postMessage(probe());
  else if (message.type === 'click') document.querySelector<HTMLElement>(message.selector)?.click();
  else if (message.type === 'pick') {
    const select = document.querySelector<HTMLElement & { value: string }>(message.selector);
    if (select) { select.value = message.value; select.dispatchEvent(new Event('change')); }
  }
  // What the panel serializer restores after a reload.
  else if (message.type === 'state') vscode?.setState({ ...(vscode.getState() as object | undefined), panel: message.state });
  else if (message.type === 'ranges') {
    if (!rangeSelect) {
      const select = (rangeSelect = document.createElement('vscode-single-select') as HTMLElement & { value: string });
      select.setAttribute('aria-label', 'Time range');
      select.addEventListener('change', () => vscode?.postMessage({ type: 'range', ms: Number(select.value) }));
      const refresh = element('vscode-button', { secondary: '', 'data-action': 'refresh' }, 'Refresh');
      refresh.addEventListener('click', () => vscode?.postMessage({ type: 'range', ms: Number(select.value) }));
      toolbar.prepend(select, refresh);
    }
    rangeSelect.replaceChildren(...message.ranges.map((r) => element('vscode-option', { value: String(r.ms), ...(r.ms === message.selectedMs ? { selected: '' } : {}) }, r.label)));
    if (!document.getElementById('root')!.contains(toolbar)) document.getElementById('root')!.prepend(toolbar);
  } else if (message.type === 'loading') readingStatus.textContent = message.text;
  else {
    // Load runs are offered where the extension says they can run (local functions): the tab appears then.
    if (message.type === 'load-ready' && !loadRun && vscode) {
      loadRun = new LoadRunView((m) => vscode.postMessage(m));
      for (const [root, page] of pages) {
        const tabs = root.querySelector('vscode-tabs');
        if (tabs) addLoadTab(tabs, loadRun);
        else render(root, page.data);
      }
    }
    loadRun?.receive(message);
  }
}

// A report embeds its pages' data. The panel embeds its first messages (no round trip before the first chart), then
// says it is ready for the rest (live updates, a load run's samples).
const embedded = document.querySelectorAll<HTMLScriptElement>('script.insights-data');
for (const e of embedded) render(document.getElementById(e.dataset.root!)!, JSON.parse(e.textContent!) as InsightsViewData);
const initial = document.getElementById('initial-messages')?.textContent;
if (initial) for (const message of JSON.parse(initial) as ToInsightsPage[]) receive(message);
if (embedded.length === 0) vscode?.postMessage({ type: 'ready', embedded: Boolean(initial) });
