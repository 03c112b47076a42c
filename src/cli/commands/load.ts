import { UsageError, type CliCommand } from '../cliCommand';
import { intOption } from '../parseOptions';
import { invokeCommand } from './invoke';

const HELP = `Usage:
  lambda-workbench load <handler | file | template.yaml [resource] | folder> [options]

"What happens when 1 000 users call it": sends --requests invocations with --concurrency in flight
(never more), through the same environment pool as Lambda (busy environments make new ones, each a
cold start, up to --max-concurrency; calls beyond it are throttled). Prints progress each second and
a summary: cold starts, environments, latency and duration percentiles, errors, throttles.
Ctrl+C stops it and prints what ran.

Options:
  -n, --requests <n>         invocations in all (default 1000)
  -c, --concurrency <c>      calls in flight at once (default 50)
      --max-concurrency <n>  environments before calls are throttled (default: --concurrency),
                             like a function's reserved concurrency
      --ramp <duration>      callers join over this long (10s, 500ms) instead of all at once
  -e, --event <event>        JSON file, '-', inline JSON or a sample event (default: {})
      --record               append each call's REPORT figures for \`lambda-workbench insights\`
      --json                 the summary (with the per-second samples) as JSON
  Every option of \`lambda-workbench invoke\` (runtime, memory, timeout, env-file, profile...) applies too.
`;

/** `load` is `invoke --repeat` with load-test names and defaults (one implementation for both). */
export const loadCommand: CliCommand = {
  help: HELP,
  run(args, io) {
    const rest: string[] = [];
    let requests = '1000';
    let concurrency = '50';
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
      if (name === '--requests' || name === '-n' || name === '--concurrency' || name === '-c') {
        const value = inline ?? args[++i];
        if (value === undefined) throw new UsageError(`${name} needs a value`);
        if (name === '--requests' || name === '-n') requests = value; else concurrency = value;
      } else if (name === '--repeat') {
        throw new UsageError('load takes --requests (invoke takes --repeat)');
      } else rest.push(arg);
    }
    // Checked under load's own names (invoke would say --repeat); `=` keeps a value such as -5 from reading as an option.
    const total = intOption(requests, 'requests', 1, 1_000_000)!;
    const inFlight = intOption(concurrency, 'concurrency', 1, 1000)!;
    return invokeCommand.run([...rest, `--repeat=${total}`, `--concurrency=${inFlight}`], io);
  },
};
