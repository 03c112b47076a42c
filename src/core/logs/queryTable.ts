/** Widest a column other than the last gets before its values are cut (with …); the last column (usually
 *  @message) is never cut. */
const MAX_COLUMN = 48;

/**
 * Logs Insights result rows as an aligned text table: the columns in the order the query's fields name them (as
 * the rows bring them), `@ptr` left out, one line per row, newlines inside values shown as ⏎.
 */
export function queryTable(rows: readonly Record<string, string>[]): string {
  const columns: string[] = [];
  for (const row of rows) for (const name of Object.keys(row)) if (name !== '@ptr' && !columns.includes(name)) columns.push(name);
  if (columns.length === 0) return '';
  const cell = (value: string | undefined): string => (value ?? '').replace(/\r?\n/g, '⏎');
  const widths = columns.map((name, i) => (i === columns.length - 1 ? 0 : Math.min(MAX_COLUMN, Math.max(name.length, ...rows.map((r) => cell(r[name]).length)))));
  const line = (values: string[]): string => values.map((v, i) => {
    if (i === columns.length - 1) return v;
    const cut = v.length > widths[i] ? `${v.slice(0, widths[i] - 1)}…` : v;
    return cut.padEnd(widths[i]);
  }).join('  ').trimEnd();
  return [line(columns), line(widths.map((w, i) => '─'.repeat(i === columns.length - 1 ? Math.max(columns[i].length, 8) : w))), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}
