import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stats } from '../core/insights/insightsSummary';
import { escapeHtml, formatUsd as usd, jsonInHtml, type InsightsViewData } from '../core/insights/insightsView';
import { packageRoot } from '../core/packageInfo';

const ms = (v: number): string => v.toFixed(2);

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
}

function statsCells(name: string, s: Stats): string[] {
  return s.count === 0 ? [name, '0', '–', '–', '–', '–'] : [name, String(s.count), ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max)];
}

/** The numbers of one function as the terminal shows them. */
export function insightsText(data: InsightsViewData): string {
  const s = data.summary;
  const lines = [`${data.function} · ${data.origin}`];
  if (data.message) return `${lines[0]}\n  ${data.message}\n`;
  if (data.notice) lines.push(`  ${data.notice}`);
  lines.push(`  calls ${s.count}   errors ${s.errors}   timeouts ${s.timeouts}   cold starts ${s.coldStarts} (${(s.coldStartRate * 100).toFixed(1)} %)   environments ${s.environments}`);
  const w = [12, 6, 9, 9, 9, 9];
  lines.push(`  ${row(['duration ms', 'calls', 'p50', 'p90', 'p99', 'max'], w)}`);
  for (const [name, st] of [['all', s.duration.all], ['warm', s.duration.warm], ['cold', s.duration.cold], ['init', s.init]] as const) lines.push(`  ${row(statsCells(name, st), w)}`);
  const t = data.totals;
  if (t) {
    lines.push(`  whole range (Logs Insights stats, all ${t.calls} calls): cold starts ${t.coldStarts}, duration p50 ${ms(t.p50Ms)} p90 ${ms(t.p90Ms)} p99 ${ms(t.p99Ms)} max ${ms(t.maxMs)} ms, `
      + `memory used p99 ${t.usedP99Mb} / max ${t.usedMaxMb} of ${t.sizeMb} MB, cost ${usd(t.costUsd)}`);
  }
  const m = s.memory;
  lines.push(m
    ? `  memory      ${m.memorySizeMb} MB configured, p99 used ${m.p99UsedMb} MB, max ${m.maxUsedMb} MB → ${m.change === 'keep' ? `keep ${m.memorySizeMb} MB` : `${m.change} to ${m.suggestedMb} MB`} (p99 + 25 %)`
    : '  memory      no Max Memory Used figures');
  const costRows = s.cost.map((c) => [`  ${c.label}: ${c.memorySizeMb} MB ${c.architecture}`, usd(c.perCallUsd), usd(c.perMillionUsd)]);
  const costHead = [`cost (${s.priceRegion} list prices${s.pricesExact ? '' : '; region not in the table'})`, 'per call', 'per 1 M calls'];
  const cw = [0, 1, 2].map((i) => Math.max(costHead[i].length, ...costRows.map((r) => r[i].length)));
  lines.push(`  ${row(costHead, cw)}`);
  for (const r of costRows) lines.push(`  ${row(r, cw)}`);
  lines.push('  (cost at another size assumes the same billed durations; estimates, not a bill)');
  return `${lines.join('\n')}\n`;
}

/** A self-contained HTML report: the editor panel's page with its script and styles inlined and the data embedded. */
export function insightsHtml(pages: readonly InsightsViewData[]): string {
  const dir = join(packageRoot(), 'dist', 'webview');
  const script = readFileSync(join(dir, 'insights.js'), 'utf8');
  const style = readFileSync(join(dir, 'insights.css'), 'utf8');
  const title = pages.length === 1 ? `Lambda Insights: ${pages[0].function}` : `Lambda Insights: ${pages.length} functions`;
  const sections = pages.map((page, i) => `<section class="report-page"><main id="root-${i}"></main><script type="application/json" class="insights-data" data-root="root-${i}">${jsonInHtml(page)}</script></section>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title><style>${style}</style></head>
<body>${sections}
<script>${script.replace(/<\/script/gi, '<\\/script')}</script></body></html>
`;
}
