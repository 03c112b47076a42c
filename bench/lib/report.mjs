// The one table the bench prints: ratios first (against numbers measured in the same run), absolute ms second.

export function fmtMs(ms) {
  if (ms === undefined || Number.isNaN(ms)) return '-';
  const abs = Math.abs(ms);
  if (abs < 0.1) return ms.toFixed(4);
  if (abs < 10) return ms.toFixed(3);
  if (abs < 100) return ms.toFixed(1);
  return ms.toFixed(0);
}

/** A difference in ms with its sign: +0.52, -30.9. */
export function fmtDelta(ms) {
  return `${ms >= 0 ? '+' : ''}${fmtMs(ms)}`;
}

export function fmtRatio(r) {
  if (r === undefined || !Number.isFinite(r)) return '-';
  if (r >= 100) return `${r.toFixed(0)}x`;
  if (r >= 10) return `${r.toFixed(1)}x`;
  return `${r.toFixed(2)}x`;
}

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

/** rows: { label, stats?: { p50, p99, n }, na?: string } — the ratio column is p50 / floor p50. */
export function warmTable(rows, floorP50) {
  const lines = [`${pad('scenario', 42)}${lpad('p50 ratio', 10)}${lpad('p50 ms', 10)}${lpad('p99 ms', 10)}${lpad('calls', 8)}`];
  for (const row of rows) {
    if (row.na) { lines.push(`${pad(row.label, 48)}${lpad('n/a', 10)}  (${row.na})`); continue; }
    const s = row.stats;
    lines.push(`${pad(row.label, 48)}${lpad(fmtRatio(s.p50 / floorP50), 10)}${lpad(fmtMs(s.p50), 10)}${lpad(fmtMs(s.p99), 10)}${lpad(s.n, 8)}`);
  }
  return lines;
}

/** rows: { label, stats?: { p50, n }, base?: number, na?: string } — median and ratio vs the bare spawn of its language. */
export function coldTable(rows, title = 'cold start (whole call, wall time)') {
  const lines = [`${pad(title, 48)}${lpad('ratio', 10)}${lpad('median ms', 10)}${lpad('max ms', 10)}${lpad('samples', 8)}`];
  for (const row of rows) {
    if (row.na) { lines.push(`${pad(row.label, 48)}${lpad('n/a', 10)}  (${row.na})`); continue; }
    const s = row.stats;
    lines.push(`${pad(row.label, 48)}${lpad(fmtRatio(s.p50 / row.base), 10)}${lpad(fmtMs(s.p50), 10)}${lpad(fmtMs(s.max), 10)}${lpad(s.n, 8)}`);
  }
  return lines;
}

export function verdict(ok) {
  if (ok === undefined) return '[n/a ]';
  return ok ? '[MET ]' : '[MISS]';
}
