import { createLambdaClient, createLogsClient, type AwsContext } from '../../core/aws/awsContext';
import { AwsProblemError } from '../../core/aws/awsErrors';
import { getFunction } from '../../core/aws/lambdaFunctions';
import { formatEventLines } from '../../core/logs/logFormat';
import { functionLogGroup, searchLogGroup } from '../../core/logs/logGroups';
import { liveTail, resolveLogGroupArn } from '../../core/logs/liveTail';
import { pollTail, type TailEvent } from '../../core/logs/pollingTail';
import { EXIT_FAILED, EXIT_OK, UsageError, type CliCommand, type CliIO } from '../cliCommand';
import { awsContextOf, durationOption, parseOptions } from '../parseOptions';
import { printAwsProblem } from '../printAwsProblem';

const HELP = `Usage:
  lambda-workbench logs tail <function | /log/group> [--filter <pattern>] [--since 5m] [--live]
  lambda-workbench logs search <function | /log/group> [--filter <pattern>] [--since 1h] [--until <ISO time>]

CloudWatch Logs of a function (its LoggingConfig.LogGroup, else /aws/lambda/<name>) or of any log group, formatted:
REPORT figures aligned, JSON and Powertools lines as "time level message", stack traces indented.
The tail polls FilterLogEvents about once a second (free; backs off when idle or throttled) until Ctrl+C;
with --live it uses CloudWatch Live Tail instead (streams as it happens; billed per minute of session).

Options:
      --filter <pattern>   a CloudWatch filter pattern, e.g. ERROR or '{ $.level = "ERROR" }'
      --since <duration>   how far back to start: 30s, 15m, 3h, 2d (tail: 1m, search: 1h)
      --until <time>       search: end of the range (ISO time; default now)
      --live               tail with CloudWatch Live Tail (billed per minute while it runs)
      --local-time         show local time instead of UTC
      --profile, --region, --endpoint   as for 'functions'
`;

function duration(text: string | undefined, fallbackMs: number): number {
  if (!text) return fallbackMs;
  return durationOption(text, 'since', { units: ['s', 'm', 'h', 'd', 'w'], takes: 'a duration such as 30s, 15m, 3h, 2d or 1w' });
}

/** A function's log group and architecture (a log group path is taken as given). Without access to the function's
 *  configuration, its default group is assumed. */
export async function deployedLogTarget(target: string, ctx: AwsContext): Promise<{ logGroup: string; architecture?: string }> {
  if (target.startsWith('/')) return { logGroup: target };
  const lambda = createLambdaClient(ctx);
  try {
    // The function may log to a custom group (LoggingConfig).
    const { summary } = await getFunction(lambda, target, { profile: ctx.profile });
    return { logGroup: summary.logGroup, architecture: summary.architecture };
  } catch {
    return { logGroup: functionLogGroup(target) };
  } finally {
    lambda.destroy();
  }
}

function printer(io: CliIO, localTime: boolean): (events: TailEvent[]) => void {
  // The event's time once, in the zone asked for, as the editor's documents show it (a record's own time is the same).
  return (events) => io.out(formatEventLines(events, localTime ? 'local' : 'utc'));
}

export const logsCommand: CliCommand = {
  help: HELP,
  async run(args, io) {
    const { values: v, positionals } = parseOptions(args, {
      filter: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' }, 'local-time': { type: 'boolean' }, live: { type: 'boolean' },
      profile: { type: 'string' }, region: { type: 'string' }, endpoint: { type: 'string' },
    });
    const [action, target] = positionals;
    if (action !== 'tail' && action !== 'search') throw new UsageError(action ? `unknown logs action '${action}' (tail, search)` : 'logs needs an action: tail or search');
    if (!target) throw new UsageError(`logs ${action} needs a function name or a log group`);
    if (action === 'tail' && v.until !== undefined) throw new UsageError('--until is for search: a tail follows new events until Ctrl+C (use --since for where it starts)');
    const ctx = await awsContextOf(v, io);
    const profile = ctx.profile;
    const client = createLogsClient(ctx);
    const print = printer(io, v['local-time'] === true);
    let group: string | undefined;
    try {
      group = (await deployedLogTarget(target, ctx)).logGroup;
      if (action === 'search') {
        const until = v.until ? Date.parse(v.until as string) : Date.now();
        if (Number.isNaN(until)) throw new UsageError(`--until takes an ISO time (got '${String(v.until)}')`);
        const total = await searchLogGroup(client, group, { pattern: v.filter as string | undefined, startTime: until - duration(v.since as string | undefined, 3_600_000), endTime: until, signal: io.signal, profile, onPage: print });
        io.err(`${total} event(s) in ${group}\n`);
        return EXIT_OK;
      }
      if (action === 'tail' && v.live) {
        io.err(`Live Tail of ${group}${v.filter ? ` (filter: ${String(v.filter)})` : ''} — billed per minute of session; Ctrl+C to stop\n`);
        const arn = await resolveLogGroupArn(client, group, io.signal);
        await liveTail({ client, logGroupArns: [arn], filterPattern: v.filter as string | undefined, signal: io.signal, onEvents: print,
          onStatus: (s) => { if (s.kind !== 'started') io.err(`(${s.message})\n`); } });
        return EXIT_OK;
      }
      io.err(`Tailing ${group}${v.filter ? ` (filter: ${String(v.filter)})` : ''} — Ctrl+C to stop\n`);
      await pollTail({ client, logGroup: group, filterPattern: v.filter as string | undefined, startTime: Date.now() - duration(v.since as string | undefined, 60_000), signal: io.signal, onEvents: print,
        onStatus: (s) => { if (s.kind === 'throttled' || s.kind === 'error') io.err(`(${s.message ?? s.kind}; next poll in ${(s.intervalMs / 1000).toFixed(1)} s)\n`); } });
      return EXIT_OK;
    } catch (error) {
      const notFound = error instanceof AwsProblemError ? error.problem.kind === 'not-found' : (error as Error)?.name === 'ResourceNotFoundException';
      if (notFound && group) {
        // Lambda makes a function's group at its first invocation: the usual reason, said with the group's name.
        io.err(`lambda-workbench logs: there is no log group ${group} in ${ctx.region}: ${target === group ? 'check the name' : `${target} has not been invoked yet`}, or it logs to another group, region or account.\n`);
        return EXIT_FAILED;
      }
      if (error instanceof AwsProblemError) {
        printAwsProblem(io, 'logs', error);
        return EXIT_FAILED;
      }
      throw error;
    } finally {
      client.destroy();
    }
  },
};
