import uPlot from 'uplot';
import type { InsightsViewData } from '../../core/insights/insightsView';

/** Theme colours: VS Code's chart palette in a webview, fixed ones in a standalone report. */
function colour(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(`--vscode-charts-${name}`).trim() || fallback;
}

function foreground(): string {
  return getComputedStyle(document.body).getPropertyValue('--vscode-foreground').trim() || '#333';
}

export interface Palette { blue: string; orange: string; red: string; green: string; purple: string; yellow: string; fg: string; grid: string }

export function palette(): Palette {
  return {
    blue: colour('blue', '#3794ff'), orange: colour('orange', '#d18616'), red: colour('red', '#f14c4c'), green: colour('green', '#89d185'),
    purple: colour('purple', '#b180d7'), yellow: colour('yellow', '#cca700'), fg: foreground(), grid: 'rgba(128,128,128,0.18)',
  };
}

function axes(p: Palette, xLabel: string, yLabel: string, xValues?: uPlot.Axis['values']): uPlot.Axis[] {
  const axis = { stroke: p.fg, grid: { stroke: p.grid, width: 1 }, ticks: { stroke: p.grid, width: 1 } };
  return [{ ...axis, label: xLabel, values: xValues }, { ...axis, label: yLabel, size: 60 }];
}

const bars = (): uPlot.Series.PathBuilder => uPlot.paths.bars!({ size: [0.85, 24], gap: 0 });

/** One chart on the page: a name (the tests read it), its uPlot, and how to take it down. */
export interface Chart { readonly name: string; readonly plot: uPlot; destroy(): void }

const HEIGHT = 220;

function chart(name: string, host: HTMLElement, title: string, options: Omit<uPlot.Options, 'width' | 'height' | 'title'>, data: uPlot.AlignedData): Chart {
  const box = document.createElement('figure');
  box.className = 'chart';
  box.dataset.chart = name;
  host.append(box);
  // A legend of labels only: live values under each chart repeat what the table says and crowd the page.
  const plot = new uPlot({ ...options, legend: { live: false }, title, width: cellWidth(host), height: HEIGHT }, data, box);
  // The chart follows its grid cell when the panel's width changes.
  const sizer = new ResizeObserver(([entry]) => {
    const width = Math.floor(entry.contentRect.width);
    if (width > 0 && Math.abs(width - plot.width) > 1) plot.setSize({ width, height: HEIGHT });
  });
  sizer.observe(box);
  return { name, plot, destroy: () => { sizer.disconnect(); plot.destroy(); } };
}

/** A cell of the charts grid (`repeat(auto-fill, minmax(360px, 1fr))`, 12 px gaps) as wide as the page makes it:
 *  known before the cell is laid out, so each chart is drawn once, at its size. */
function cellWidth(host: HTMLElement): number {
  const width = host.closest('main')?.clientWidth || document.documentElement.clientWidth - 32;
  const columns = Math.max(1, Math.floor((width + 12) / (360 + 12)));
  return Math.max(320, Math.floor((width - 12 * (columns - 1)) / columns));
}

/**
 * Draws the four pictures into `charts` — the invocation timeline now, the duration histogram, memory over time
 * and environments in the next frames, so the first appears without waiting for the others. Returns a function
 * that stops drawing the rest (the page is being redrawn).
 */
export function drawCharts(host: HTMLElement, data: InsightsViewData, charts: Chart[]): () => void {
  const steps: Array<() => void> = [];
  let stopped = false;
  // Each after the frame before it was painted: in a frame callback it would delay that paint (rAF callbacks run
  // before the frame is produced), so the first chart would appear only with the second.
  const afterPaint = (f: () => void): void => { requestAnimationFrame(() => setTimeout(f, 0)); };
  const later = (): void => {
    const next = steps.shift();
    if (!next || stopped) return;
    next();
    if (steps.length) afterPaint(later);
  };
  const p = palette();
  const { series: calls, summary } = data;
  const n = calls.call.length;
  const index = calls.call;
  // Past MAX_POINTS calls each point is the largest of a few: the axis says so.
  const per = calls.bucket > 1 ? ` (each point the largest of ${calls.bucket} calls)` : '';
  charts.push(chart('timeline', host, `Invocations: init + duration (ms)${per}`, {
    scales: { x: { time: false } }, axes: axes(p, 'call', 'ms'),
    series: [
      { label: 'call' },
      { label: 'init + duration', stroke: p.blue, fill: p.blue, paths: bars(), points: { show: false } },
      { label: 'init (cold start)', stroke: p.orange, fill: p.orange, paths: bars(), points: { show: false } },
      { label: 'error / timeout', stroke: p.red, paths: () => null, points: { show: true, size: 7, fill: p.red, stroke: p.red } },
    ],
  }, [index, calls.totalMs, calls.initMs, calls.failedMs]));

  steps.push(() => {
    const h = summary.histogram;
    const centres = h.edgesMs.slice(0, -1).map((e, i) => (e + h.edgesMs[i + 1]) / 2);
    charts.push(chart('histogram', host, 'Duration histogram (calls per bin)', {
      scales: { x: { time: false } }, axes: axes(p, 'duration ms', 'calls', (_u, ticks) => ticks.map((t) => t.toFixed(1))),
      series: [
        { label: 'ms' },
        { label: 'warm + cold', stroke: p.blue, fill: p.blue, paths: bars(), points: { show: false } },
        { label: 'cold', stroke: p.orange, fill: p.orange, paths: bars(), points: { show: false } },
      ],
    }, [centres, h.warm.map((w, i) => w + h.cold[i]), h.cold.map((c) => c || null)]));
  });

  steps.push(() => {
    const suggested = summary.memory?.suggestedMb;
    const largest = calls.sizeMb.reduce((a, b) => Math.max(a, b), 0);
    charts.push(chart('memory', host, 'Max Memory Used against Memory Size (MB)', {
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(max, largest) * 1.1] } }, axes: axes(p, 'call', 'MB'),
      series: [
        { label: 'call' },
        { label: 'Max Memory Used', stroke: p.green, width: 2, points: { show: n < 60 } },
        { label: 'Memory Size', stroke: p.fg, dash: [6, 4], width: 1, points: { show: false } },
        { label: `suggested ${suggested ?? '–'} MB`, stroke: p.purple, dash: [2, 3], width: 1, points: { show: false } },
      ],
    }, [index, calls.usedMb, calls.sizeMb, calls.usedMb.map(() => suggested ?? null)]));
  });

  // Environments are known for local runs and from a deployed function's log streams (one per environment).
  if (calls.environments.some((e) => e > 0)) {
    steps.push(() => charts.push(chart('environments', host, 'Environments in use', {
      scales: { x: { time: false } }, axes: axes(p, 'call', 'environments'),
      series: [
        { label: 'call' },
        { label: 'environments', stroke: p.yellow, fill: 'rgba(204,167,0,0.15)', width: 2, paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } },
      ],
    }, [index, calls.environments])));
  }
  afterPaint(later);
  return () => { stopped = true; };
}

/** How many pixels of a chart's canvas are drawn on (the tests check pictures are not blank). */
export function inkedPixels(c: Chart): number {
  const canvas = c.plot.ctx.canvas;
  const pixels = c.plot.ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
  return inked;
}
