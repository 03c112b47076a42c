import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { insightsViewData, type InsightsViewData } from '../../core/insights/insightsView';
import { InvocationStore, RECORD_FILE, loadRecords } from '../../core/insights/invocationStore';
import { createLogsClient } from '../../core/aws/awsContext';
import { AwsProblemError } from '../../core/aws/awsErrors';
import { readReportRecords } from '../../core/logs/logsInsights';
import { EXIT_FAILED, EXIT_OK, type CliCommand, type CliIO } from '../cliCommand';
import { printAwsProblem } from '../printAwsProblem';
import { deployedLogTarget } from './logs';
import { insightsHtml, insightsText } from '../insightsText';
import { awsContextOf, durationOption, parseOptions } from '../parseOptions';

const HELP = `Usage:
  lambda-workbench insights [function ...] [options]

  lambda-workbench insights --deployed <function> [options]

Cold starts, durations (p50/p90/p99, cold and warm apart), Max Memory Used with a right-size
suggestion, and cost per call and per 1 M calls (today, at the suggested size, on arm64 / x86_64),
from the invocation records that --record wrote (invoke, serve, start; every function in the
file unless some are named), or from a deployed function's REPORT lines in CloudWatch Logs
(Logs Insights; FilterLogEvents where the credentials may not use it).

Options:
      --file <file>          the record file (default: ${RECORD_FILE})
      --since <age>          only calls newer than this: 15m, 1h, 24h, 7d (deployed: default 1h)
      --deployed <function>  a deployed function (or a log group path) instead of local records
      --profile, --region, --endpoint   with --deployed, as for 'functions'
      --json                 the numbers as JSON
      --html <file>          a self-contained report with the editor panel's charts and tables

Exit codes: 0 success, 1 nothing to show (or the AWS call failed), 2 bad usage.
`;

/** `--since`: `15m`, `1h`, `24h`, `7d` in milliseconds. */
function parseAge(text: string): number {
  return durationOption(text, 'since', { units: ['s', 'm', 'h', 'd'], takes: 'an age such as 15m, 1h, 24h or 7d', spaced: true });
}

export const insightsCommand: CliCommand = {
  help: HELP,
  async run(args, io) {
    const { values: v, positionals } = parseOptions(args, {
      file: { type: 'string' }, since: { type: 'string' }, json: { type: 'boolean' }, html: { type: 'string' },
      deployed: { type: 'string' }, profile: { type: 'string' }, region: { type: 'string' }, endpoint: { type: 'string' },
    });
    if (v.deployed !== undefined) return deployed(v, io);
    // Checked first: a bad option is the usage error whether or not anything was recorded.
    const since = v.since === undefined ? undefined : Date.now() - parseAge(v.since as string);
    const file = resolve(io.cwd, (v.file as string | undefined) ?? RECORD_FILE);
    if (!existsSync(file)) {
      io.err(`lambda-workbench insights: no records at ${file}. Record some first: lambda-workbench invoke <handler> --record (or serve / start --record).\n`);
      return 1;
    }
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
    return output(pages, v, io);
  },
};

/** Prints the pages (text or --json) and writes --html. */
async function output(pages: InsightsViewData[], v: Record<string, unknown>, io: CliIO): Promise<number> {
  if (v.html) {
    const out = resolve(io.cwd, v.html as string);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, insightsHtml(pages));
    io.err(`wrote ${out}\n`);
  }
  if (v.json) io.out(`${JSON.stringify(pages.map((p) => ({ function: p.function, message: p.message, ...p.summary, ...(p.totals ? { totals: p.totals } : {}) })), null, 2)}\n`);
  else for (const page of pages) io.out(`${insightsText(page)}\n`);
  return pages.some((p) => !p.message) ? EXIT_OK : 1;
}

/** `--deployed <function>`: the REPORT lines of the range, read from CloudWatch Logs. */
async function deployed(v: Record<string, unknown>, io: CliIO): Promise<number> {
  const name = v.deployed as string;
  const ctx = await awsContextOf(v, io);
  const profile = ctx.profile;
  const endTime = Date.now();
  const startTime = endTime - (v.since === undefined ? 3_600_000 : parseAge(v.since as string));
  const client = createLogsClient(ctx);
  try {
    const target = await deployedLogTarget(name, ctx);
    const fn = name.startsWith('/') ? name.split('/').pop()! : name;
    const read = await readReportRecords(client, {
      fn, logGroup: target.logGroup, startTime, endTime, signal: io.signal, profile, region: ctx.region,
      architecture: target.architecture === 'arm64' ? 'arm64' : 'x86_64', onProgress: (status) => io.err(`(${status})\n`),
    });
    if (read.note) io.err(`note: ${read.note}\n`);
    const origin = `CloudWatch Logs ${target.logGroup} (${ctx.region}) since ${new Date(startTime).toISOString()}, via ${read.via}`;
    return await output([insightsViewData(fn, read.records, origin, read.records.length === 0 ? `No REPORT lines of ${fn} in that range.` : undefined, read.totals)], v, io);
  } catch (error) {
    if (error instanceof AwsProblemError) {
      printAwsProblem(io, 'insights', error);
      return EXIT_FAILED;
    }
    if ((error as Error)?.name === 'AbortError') return EXIT_FAILED;
    throw error;
  } finally {
    client.destroy();
  }
}
