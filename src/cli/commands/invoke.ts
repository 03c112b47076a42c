import { memoizeCredentials, resolveProfileCredentials } from '../../core/aws/credentials';
import { prettyJson, reindentJson } from '../../core/json/prettyJson';
import { JsonSyntaxError } from '../../core/json/parseJson';
import { resolveTarget, TargetError } from '../../core/project/functionTarget';
import { RuntimeSetupError } from '../../core/runtime/interpreters';
import { LocalLambda } from '../../core/runtime/localLambda';
import { runLoad, type LoadSample, type LoadSummary } from '../../core/runtime/loadRun';
import { StreamedResponseReader, type HttpPrelude } from '../../core/runtime/streamedResponse';
import { localLogLine } from '../../core/logs/logFormat';
import { APPLICATION_LOG_LEVELS, LambdaServiceError, MAX_MEMORY_MB, MAX_TIMEOUT_S, MIN_MEMORY_MB, SYSTEM_LOG_LEVELS, type InvokeResult, type LoggingConfig } from '../../core/runtime/types';
import { EXIT_FAILED, EXIT_OK, UsageError, type CliCommand, type CliIO } from '../cliCommand';
import { readEventArgument } from '../eventInput';
import { durationOption, interpreterOptions, intOption, parameterOverridesOption, parseOptions } from '../parseOptions';
import { invocationRecorder, RECORD_HELP, RECORD_OPTIONS } from '../invocationRecorder';
import { roundMs } from '../../core/runtime/logLines';

const DEFAULT_MAX_ENVIRONMENTS = 10;

const HELP = `Usage:
  lambda-workbench invoke <file.function | file | template.yaml [resource] | resource | folder> [options]

Runs a handler in a local Lambda environment (no Docker) and prints its logs (stderr) and result (stdout).

Target:
  src/app.handler            src/app.js|.mjs|.cjs|.ts exporting 'handler', or src/app.py defining it
  app.py                     a file: its function 'lambda_handler' (Python) or 'handler' (Node.js)
  template.yaml MyFunction   a function of a SAM / CloudFormation template (its CodeUri, Handler, Runtime,
                             MemorySize, Timeout, Environment)
  MyFunction                 a function of ./template.yaml, as 'sam local invoke MyFunction' takes it
  ./orders                   a function's folder: its template.yaml, its one entry file (index, app, handler,
                             lambda_function, main), or an executable 'bootstrap' (custom runtime, provided.al2023)

Options:
  -e, --event <event>        JSON file, '-' for standard input, inline JSON, or a sample event such as
                             s3/put or sqs/receive-message (default: {})
      --runtime <id>         nodejs20.x, python3.12, provided.al2023… (default: from the file / template)
      --env-file <file>      variables (.env or SAM --env-vars JSON) over the template's and ./.env
  -t, --template <file>      the template (sam's -t; as the first argument otherwise); --env-vars is --env-file
      --parameter-overrides <Name=Value ...>  template parameters over their defaults and samconfig's
      --timeout <seconds>    1–${MAX_TIMEOUT_S} (default 3)
      --memory <MB>          ${MIN_MEMORY_MB}–${MAX_MEMORY_MB} (default 128)
      --profile <name>       AWS profile whose credentials the function gets (default: AWS_PROFILE / default)
      --region <region>      AWS_REGION the function sees (default: us-east-1)
      --name <name>          function name, 1–64 letters, digits, '-' or '_' (default: the code folder's name or
                             the template's)
      --layer <folder>       a layer's content (nodejs/, python/, bin/...), as Lambda mounts it in /opt; repeatable,
                             later layers over earlier ones, after the template's own LayerVersions
      --log-format <format>  Text or JSON (Lambda's LoggingConfig; default: the template's, else Text)
      --log-level <level>    with JSON: TRACE, DEBUG, INFO, WARN, ERROR or FATAL (default INFO)
      --system-log-level <l> with JSON: DEBUG, INFO or WARN for the platform records (default INFO)
      --cold                 start a fresh environment (a cold start)
      --repeat <n>           invoke n times (warm reuse; prints cold starts, environments, p50/p99)
      --concurrency <c>      with --repeat: c calls in flight at once
      --ramp <duration>      with --repeat: callers join over this long (10s, 500ms), not all at once
      --max-concurrency <n>  environments per function before calls are throttled (default 10, or --concurrency)
      --python <path>        Python interpreter (default: python3)
      --node <path>          Node.js for Node and TypeScript handlers (default: node on PATH)
      --interpreter <runtime>=<path>
                             the interpreter for one runtime, e.g. python3.12=/usr/bin/python3.12 (repeatable)
${RECORD_HELP}      --json                 print one JSON document (result, error, logs, timings) instead

Exit codes: 0 success, 1 the function failed (or could not run), 2 bad usage.
`;

export const invokeCommand: CliCommand = {
  help: HELP,
  async run(args, io) {
    const { values: v, positionals } = parseOptions(args, { ...RECORD_OPTIONS,
      event: { type: 'string', short: 'e' }, runtime: { type: 'string' }, 'env-file': { type: 'string' }, 'parameter-overrides': { type: 'string', multiple: true }, template: { type: 'string', short: 't' }, 'env-vars': { type: 'string' },
      timeout: { type: 'string' }, memory: { type: 'string' }, profile: { type: 'string' }, region: { type: 'string' },
      name: { type: 'string' }, cold: { type: 'boolean' }, repeat: { type: 'string' }, concurrency: { type: 'string' }, ramp: { type: 'string' },
      'max-concurrency': { type: 'string' }, python: { type: 'string' }, node: { type: 'string' }, json: { type: 'boolean' },
      layer: { type: 'string', multiple: true }, interpreter: { type: 'string', multiple: true }, 'log-format': { type: 'string' }, 'log-level': { type: 'string' }, 'system-log-level': { type: 'string' },
    });
    // sam's `-t template.yaml MyFunction`: the template first, as `invoke template.yaml MyFunction` takes it.
    if (typeof v.template === 'string') positionals.unshift(v.template);
    if (positionals.length === 0) throw new UsageError('name a handler, e.g. lambda-workbench invoke src/app.handler --event event.json');
    if (positionals.length > 2) throw new UsageError(`unexpected arguments: ${positionals.slice(2).join(' ')}`);
    // Whole seconds, as Lambda's Timeout is.
    const timeout = intOption(v.timeout, 'timeout', 1, MAX_TIMEOUT_S);
    const memorySize = intOption(v.memory, 'memory', MIN_MEMORY_MB, MAX_MEMORY_MB);
    const repeat = intOption(v.repeat, 'repeat', 1, 1_000_000);
    const concurrency = intOption(v.concurrency, 'concurrency', 1, 1000);
    const maxOption = intOption(v['max-concurrency'], 'max-concurrency', 1, 1000);
    if (concurrency !== undefined && repeat === undefined) throw new UsageError('--concurrency goes with --repeat <n>');
    if (v.ramp !== undefined && repeat === undefined) throw new UsageError('--ramp goes with --repeat <n>');
    const rampMs = v.ramp === undefined ? undefined : durationOption(v.ramp as string, 'ramp', { units: ['ms', 's', 'm'], bare: 's', takes: 'a duration such as 10s, 500ms or 2m' });
    // More calls in flight than environments allowed would only measure throttling: raise the limit to match,
    // unless the user set it (then say what they will see).
    const maxEnvironments = maxOption ?? (concurrency !== undefined && concurrency > DEFAULT_MAX_ENVIRONMENTS ? concurrency : undefined);
    if (concurrency !== undefined && maxOption !== undefined && concurrency > maxOption) {
      io.err(`note: --concurrency ${concurrency} is over --max-concurrency ${maxOption}: calls beyond ${maxOption} in flight are throttled (TooManyRequestsException), as Lambda throttles at that reserved concurrency.\n`);
    }

    let event;
    try {
      event = await readEventArgument(v.event as string | undefined, io.cwd, io.stdin);
    } catch (error) {
      if (error instanceof JsonSyntaxError) throw new UsageError(`the event is not valid JSON — ${error.message}`);
      throw error;
    }
    const profile = v.profile as string | undefined;
    let config;
    try {
      config = await resolveTarget({
        spec: positionals[0], resource: positionals[1], cwd: io.cwd, name: v.name as string | undefined,
        runtime: v.runtime as string | undefined, memorySize, timeout, region: (v.region as string | undefined) ?? io.env.AWS_REGION,
        envFile: (v['env-file'] ?? v['env-vars']) as string | undefined, parameterOverrides: parameterOverridesOption(v), nodePath: v.node as string | undefined, pythonPath: v.python as string | undefined,
        layers: v.layer as string[] | undefined, logging: loggingOptions(v), onWarning: (message) => io.err(`warning: ${message}\n`),
      });
    } catch (error) {
      if (error instanceof TargetError) throw new UsageError(error.message);
      throw error;
    }
    const recorder = invocationRecorder(v, io, repeat !== undefined ? 'load' : 'invoke');
    const lambda = new LocalLambda({
      onInvoked: recorder.onInvoked,
      maxEnvironments,
      settings: {
        nodePath: v.node as string | undefined, pythonPath: v.python as string | undefined, interpreters: interpreterOptions(v.interpreter as string[] | undefined),
        earlyStart: io.earlyStart,
      },
      credentials: memoizeCredentials(() => resolveProfileCredentials({ profile, env: io.env }).catch((error: unknown) => {
        // A named profile that fails is worth a word; the function still runs, without credentials.
        io.err(`warning: no credentials from profile '${profile ?? io.env.AWS_PROFILE ?? 'default'}': ${error instanceof Error ? error.message : String(error)}\n`);
        return undefined;
      })),
    });
    try {
      if (repeat !== undefined) {
        const summary = await runLoad(lambda, config, event.text, {
          total: repeat, concurrency: concurrency ?? 1, cold: v.cold === true, signal: io.signal, rampMs, sampleMs: 1000,
          onSample: v.json ? undefined : (s) => io.err(`${sampleLine(s)}\n`),
        });
        printSummary(summary, io, v.json === true);
        // Stopped by Ctrl+C: not a finished run, whatever it counted (130, as a shell reports SIGINT).
        if (summary.cancelled) return 130;
        return summary.errors > 0 || summary.throttled > 0 ? EXIT_FAILED : EXIT_OK;
      }
      // A streaming function's chunks go to stdout as they arrive (an HTTP prelude to stderr, as a status line).
      let reader: StreamedResponseReader | undefined;
      const result = await lambda.invoke(config, event.text, {
        cold: v.cold === true, signal: io.signal, onLog: v.json ? undefined : (line) => io.err(`${localLogLine(line)}\n`),
        onResponseChunk: v.json ? undefined : (chunk, _requestId, contentType) => {
          reader ??= new StreamedResponseReader(contentType, (prelude) => io.err(`${preludeText(prelude)}\n`), (body) => io.out(body.toString('utf8')));
          reader.push(chunk);
        },
      });
      printResult(result, io, v.json === true);
      return result.functionError ? EXIT_FAILED : EXIT_OK;
    } catch (error) {
      if (error instanceof RuntimeSetupError || error instanceof LambdaServiceError) {
        io.err(`lambda-workbench invoke: ${error.message}\n`);
        return EXIT_FAILED;
      }
      throw error;
    } finally {
      await lambda.dispose();
      await recorder.close();
    }
  },
};

function preludeText(prelude: HttpPrelude): string {
  const lines = [`HTTP ${prelude.statusCode ?? 200}`];
  for (const [name, value] of Object.entries(prelude.headers ?? {})) lines.push(`${name}: ${value}`);
  for (const cookie of prelude.cookies ?? []) lines.push(`set-cookie: ${cookie}`);
  return lines.join('\n');
}

function choice<T extends string>(value: unknown, name: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const found = allowed.find((a) => a.toUpperCase() === String(value).toUpperCase());
  if (!found) throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got '${String(value)}').`);
  return found;
}

function loggingOptions(v: Record<string, unknown>): Partial<LoggingConfig> {
  const logging = {
    format: choice(v['log-format'], 'log-format', ['Text', 'JSON'] as const),
    applicationLogLevel: choice(v['log-level'], 'log-level', APPLICATION_LOG_LEVELS),
    systemLogLevel: choice(v['system-log-level'], 'system-log-level', SYSTEM_LOG_LEVELS),
  };
  if ((logging.applicationLogLevel || logging.systemLogLevel) && logging.format !== 'JSON' && v['log-format'] !== undefined) {
    throw new UsageError('log levels apply to the JSON log format only (as on Lambda): add --log-format JSON');
  }
  // A level alone means JSON, the only format that has levels.
  return logging.applicationLogLevel || logging.systemLogLevel ? { ...logging, format: logging.format ?? 'JSON' } : logging;
}

function printResult(result: InvokeResult, io: CliIO, json: boolean): void {
  if (json) {
    // The payload goes in as the function wrote it (its numbers exactly), or as a string when it is not JSON.
    const payload = reindentJson(result.payload, '  ');
    const placeholder = `\u0000payload-${result.requestId}`;
    io.out(`${JSON.stringify({
      requestId: result.requestId, payload: payload === undefined ? result.payload : placeholder, functionError: result.functionError, error: result.error, coldStart: result.coldStart,
      durationMs: roundMs(result.durationMs), billedDurationMs: result.billedDurationMs, initDurationMs: result.initDurationMs === undefined ? undefined : roundMs(result.initDurationMs),
      memorySizeMb: result.memorySizeMb, maxMemoryUsedMb: result.maxMemoryUsedMb, timedOut: result.timedOut, cost: result.cost, logs: result.logs,
    }, null, 2).replace(JSON.stringify(placeholder), () => payload ?? result.payload)}\n`);
    return;
  }
  // A streamed body was printed as it came.
  io.out(result.streamed ? '\n' : `${prettyJson(result.payload)}\n`);
  if (result.error) {
    const message = result.error.errorMessage.split('\n')[0];
    io.err(`\nThe function failed: ${result.error.errorType}${message ? `: ${message}` : ''}\n`);
  }
}

/** One progress line of a load run, each second on stderr. */
export function sampleLine(s: LoadSample): string {
  return `[load] ${(s.elapsedMs / 1000).toFixed(1).padStart(5)} s  ${String(s.completed).padStart(6)} done  ${String(s.inFlight).padStart(4)} in flight  ` +
    `${s.environments} environments  ${s.coldStarts} cold  ${s.throttled} throttled  ${s.errors} errors` +
    (s.latencyMs.p50 ? `  p50 ${s.latencyMs.p50.toFixed(2)} ms  p99 ${s.latencyMs.p99.toFixed(2)} ms` : '');
}

function printSummary(s: LoadSummary, io: CliIO, json: boolean): void {
  if (json) {
    io.out(`${JSON.stringify(s, null, 2)}\n`);
    return;
  }
  io.out([
    `${s.completed} invocations (${Math.min(s.concurrency, s.completed + s.throttled)} at a time${s.throttled ? `; ${s.completed + s.throttled} sent, ${s.throttled} throttled` : ''}) in ${(s.wallMs / 1000).toFixed(2)} s — ${s.throughputPerSecond.toFixed(0)}/s${s.cancelled ? ' (stopped early)' : ''}`,
    `cold starts:   ${s.coldStarts}`,
    `environments:  ${s.environments}`,
    `latency:       p50 ${s.latencyMs.p50.toFixed(2)} ms   p99 ${s.latencyMs.p99.toFixed(2)} ms   max ${s.latencyMs.max.toFixed(2)} ms`,
    `duration:      p50 ${s.durationMs.p50.toFixed(2)} ms   p99 ${s.durationMs.p99.toFixed(2)} ms`,
    `errors:        ${s.errors}${s.firstError ? ` (first: ${s.firstError})` : ''}`,
    `throttled:     ${s.throttled}`,
    '',
  ].join('\n'));
}


