import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { insightsViewData, type InsightsViewData } from '../../core/insights/insightsView';
import { InvocationStore, RECORD_FILE, loadRecords } from '../../core/insights/invocationStore';
import { EXIT_OK, UsageError, type CliCommand } from '../cliCommand';
import { insightsHtml, insightsText } from '../insightsText';
import { parseOptions } from '../parseOptions';

const HELP = `Usage:
  lambda-workbench insights [function ...] [options]

Cold starts, durations (p50/p90/p99, cold and warm apart), Max Memory Used with a right-size
suggestion, and cost per call and per 1 M calls (today, at the suggested size, on arm64 / x86_64),
from the invocation records that --record wrote (invoke, serve, start). Every function in the
file unless some are named.

Options:
      --file <file>          the record file (default: ${RECORD_FILE})
      --since <age>          only calls newer than this: 15m, 1h, 24h, 7d
      --json                 the numbers as JSON
      --html <file>          a self-contained report with the editor panel's charts and tables

Exit codes: 0 success, 1 nothing to show, 2 bad usage.
`;

/** `15m`, `1h`, `24h`, `7d` in milliseconds. */
export function parseAge(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(text.trim());
  if (!match) throw new UsageError(`--since takes an age such as 15m, 1h, 24h or 7d (got '${text}')`);
  return Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
}

export const insightsCommand: CliCommand = {
  name: 'insights',
  summary: 'cold starts, durations, memory and cost of recorded invocations',
  help: HELP,
  async run(args, io) {
    const { values: v, positionals } = parseOptions(args, {
      file: { type: 'string' }, since: { type: 'string' }, json: { type: 'boolean' }, html: { type: 'string' },
    });
    const file = resolve(io.cwd, (v.file as string | undefined) ?? RECORD_FILE);
    if (!existsSync(file)) {
      io.err(`lambda-workbench insights: no records at ${file}. Record some first: lambda-workbench invoke <handler> --record (or serve / start --record).\n`);
      return 1;
    }
    const since = v.since === undefined ? undefined : Date.now() - parseAge(v.since as string);
    const store = new InvocationStore();
    const { skipped } = await loadRecords(file, store);
    if (skipped) io.err(`warning: ${skipped} lines of ${file} are not invocation records (skipped)\n`);
    const names = positionals.length ? positionals : store.functions();
    const origin = `${file}${since ? `, since ${new Date(since).toISOString()}` : ''}`;
    const pages: InsightsViewData[] = names.map((fn) => {
      const records = store.records(fn).filter((r) => since === undefined || r.time >= since).sort((a, b) => a.time - b.time);
      return insightsViewData(fn, records, origin, records.length === 0 ? `No recorded invocations of ${fn}${since ? ' in that range' : ''}.` : undefined);
    });
    if (pages.length === 0) {
      io.err(`lambda-workbench insights: ${file} holds no invocation records.\n`);
      return 1;
    }
    if (v.html) {
      const out = resolve(io.cwd, v.html as string);
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, insightsHtml(pages));
      io.err(`wrote ${out}\n`);
    }
    if (v.json) io.out(`${JSON.stringify(pages.map((p) => ({ function: p.function, message: p.message, ...p.summary })), null, 2)}\n`);
    else for (const page of pages) io.out(`${insightsText(page)}\n`);
    return pages.some((p) => !p.message) ? EXIT_OK : 1;
  },
};
