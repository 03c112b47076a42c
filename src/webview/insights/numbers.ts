import { formatUsd as usd, STATUS_NAME, TABLE_ROWS, type InsightsViewData } from '../../core/insights/insightsView';
import type { Stats } from '../../core/insights/insightsSummary';


const ms = (v: number): string => v.toFixed(2);
const pct = (v: number): string => `${(v * 100).toFixed(1)} %`;


function cell(tag: 'td' | 'th', text: string, probe?: string): HTMLElement {
  const e = document.createElement(tag);
  e.textContent = text;
  if (tag === 'th') e.setAttribute('scope', 'row');
  if (probe) e.dataset.probe = probe;
  return e;
}

function table(caption: string, head: string[], rows: Array<Array<string | [string, string]>>, className = ''): HTMLTableElement {
  const t = document.createElement('table');
  if (className) t.className = className;
  t.createCaption().textContent = caption;
  const hr = t.createTHead().insertRow();
  for (const h of head) { const th = document.createElement('th'); th.scope = 'col'; th.textContent = h; hr.append(th); }
  const body = t.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    row.forEach((value, i) => {
      const [text, probe] = Array.isArray(value) ? value : [value, undefined];
      tr.append(cell(i === 0 ? 'th' : 'td', text, probe));
    });
  }
  return t;
}

function card(label: string, value: string, probe: string, detail = ''): HTMLElement {
  const e = document.createElement('div');
  e.className = 'card';
  const v = document.createElement('div');
  v.className = 'value';
  v.textContent = value;
  v.dataset.probe = probe;
  const l = document.createElement('div');
  l.className = 'label';
  l.textContent = detail ? `${label} · ${detail}` : label;
  e.append(v, l);
  return e;
}

function statsRow(name: string, s: Stats, key: string): Array<string | [string, string]> {
  if (s.count === 0) return [name, '0', '–', '–', '–', '–'];
  return [name, String(s.count), [ms(s.p50), `${key}.p50`], [ms(s.p90), `${key}.p90`], [ms(s.p99), `${key}.p99`], ms(s.max)];
}

/** The figures: cards, percentiles cold and warm apart, memory advice and cost. */
export function numbers(data: InsightsViewData): HTMLElement {
  const s = data.summary;
  const section = document.createElement('section');
  section.className = 'numbers';
  const cards = document.createElement('div');
  cards.className = 'cards';
  cards.append(
    card('calls', String(s.count), 'calls', `${s.errors} errors, ${s.timeouts} timeouts`),
    card('cold starts', String(s.coldStarts), 'coldStarts', pct(s.coldStartRate)),
    card('p50 warm ms', s.duration.warm.count ? ms(s.duration.warm.p50) : '–', 'warmP50'),
    card('init p50 ms', s.init.count ? ms(s.init.p50) : '–', 'initP50'),
    card('environments', String(s.environments), 'environments'),
  );
  section.append(cards);
  const tables = document.createElement('div');
  tables.className = 'tables';
  tables.append(table('Duration (ms)', ['', 'calls', 'p50', 'p90', 'p99', 'max'], [
    statsRow('all', s.duration.all, 'all'), statsRow('warm', s.duration.warm, 'warm'), statsRow('cold', s.duration.cold, 'cold'), statsRow('init', s.init, 'init'),
  ]));
  const m = s.memory;
  const advice = !m ? 'no memory figures'
    : m.change === 'keep' ? `keep ${m.memorySizeMb} MB`
      : `${m.change === 'lower' ? 'lower' : 'raise'} to ${m.suggestedMb} MB`;
  tables.append(table('Memory (MB)', ['', 'value'], [
    ['Memory Size', m ? String(m.memorySizeMb) : '–'], ['p99 Max Memory Used', m ? String(m.p99UsedMb) : '–'], ['max', m ? String(m.maxUsedMb) : '–'],
    ['suggestion (p99 + 25 %)', [advice, 'memoryAdvice']],
  ]));
  tables.append(table(`Cost (${s.priceRegion} list prices${s.pricesExact ? '' : ': this region is not in the table'})`, ['', 'per call', 'per 1 M calls'],
    s.cost.map((c, i) => [`${c.label}: ${c.memorySizeMb} MB ${c.architecture}`, usd(c.perCallUsd), [usd(c.perMillionUsd), `cost.${i}`]])));
  const t = data.totals;
  if (t) {
    tables.append(table(`Whole range: all ${t.calls} calls (Logs Insights stats)`, ['', 'value'], [
      ['calls', [String(t.calls), 'totals.calls']], ['cold starts', [`${t.coldStarts} (${pct(t.coldStarts / t.calls)})`, 'totals.coldStarts']],
      ['duration p50 / p90 / p99 ms', [`${ms(t.p50Ms)} / ${ms(t.p90Ms)} / ${ms(t.p99Ms)}`, 'totals.duration']], ['duration max ms', ms(t.maxMs)],
      ['Max Memory Used p99 / max MB', `${t.usedP99Mb} / ${t.usedMaxMb} of ${t.sizeMb}`], ['cost of the range', [usd(t.costUsd), 'totals.cost']],
    ]));
  }
  section.append(tables);
  const note = document.createElement('p');
  note.className = 'note';
  note.textContent = `Cost at another size assumes the same billed durations (CPU scales with memory, so they may change). Prices: ${data.pricesSource}. Estimates, not a bill.`;
  section.append(note);
  return section;
}

/** The newest TABLE_ROWS invocations, newest first. */
export function callsTable(data: InsightsViewData): HTMLTableElement {
  const c = data.recent;
  const rows: string[][] = [];
  for (let i = c.durationMs.length - 1; i >= 0; i--) {
    rows.push([new Date(c.firstTime + c.startMs[i]).toISOString().replace('T', ' ').slice(0, 23), ms(c.durationMs[i]), c.initMs[i] === null ? '' : ms(c.initMs[i]!),
      String(c.usedMb[i]), String(c.sizeMb[i]), STATUS_NAME[c.status[i]], c.requestId[i]]);
  }
  const count = data.summary.count;
  const more = count > TABLE_ROWS ? ` (newest ${TABLE_ROWS} of ${count}; Copy as CSV has all)` : '';
  return table(`Invocations${more}`, ['started', 'duration ms', 'init ms', 'used MB', 'size MB', 'status', 'request id'], rows, 'calls');
}
