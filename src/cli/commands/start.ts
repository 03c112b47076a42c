import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startLocalCloud } from '../../core/localApi/localCloud';
import { accessLine } from '../../core/localApi/accessLine';
import { TargetError } from '../../core/project/functionTarget';
import { untilAborted, UsageError, type CliCommand } from '../cliCommand';
import { intOption, parameterOverridesOption, parseOptions } from '../parseOptions';
import { batchedOutput } from '../batchedOutput';
import { commandLogger, servingLambda } from '../servingLambda';
import { invocationRecorder, RECORD_HELP, RECORD_OPTIONS } from '../invocationRecorder';

const HELP = `Usage:
  lambda-workbench start [template.yaml | serverless.yml] [options]

Runs the template's APIs on 127.0.0.1 without Docker: API Gateway REST APIs (payload 1.0, under
their stage /Prod/… and at the root), HTTP APIs (payload 1.0 or 2.0) and function URLs (each on a
port of its own, RESPONSE_STREAM streamed), with CORS, Lambda, JWT and Cognito authorizers, API keys, and the
Invoke API beside them. Saving a file of a function's code folder makes its next request run the
new code. One line per request: method, path, status, duration, cold/warm, function.

Options:
  -p, --port <port>          port of the APIs (default 3000; 0 picks a free one)
      --invoke-port <port>   port of the Invoke API (default: the APIs' port + 1)
      --env-file <file>      variables for every function (over the template's)
  -t, --template <file>      the template (sam's -t; as the first argument otherwise); --env-vars is --env-file
  -s, --stage <name>         serverless.yml: the stage (the framework's --stage and opt:stage)
      --parameter-overrides <Name=Value ...>  template parameters over their defaults and samconfig's
      --profile <name>       AWS profile whose credentials the functions get
      --region <region>      AWS_REGION the functions see (default: us-east-1)
      --jwks <file>          keys for JWT authorizers instead of the issuer's published ones
      --max-concurrency <n>  environments per function before requests get 429 (default 10)
      --no-reload            do not reload code on save
      --python <path>        Python interpreter (default: python3)
      --interpreter <runtime>=<path>  the interpreter for one runtime (repeatable)
      --node <path>          Node.js (default: node on PATH)
${RECORD_HELP}      --quiet                do not print the functions' log lines
`;

export const startCommand: CliCommand = {
  help: HELP,
  async run(args, io) {
    const { values: v, positionals } = parseOptions(args, { ...RECORD_OPTIONS,
      port: { type: 'string', short: 'p' }, 'invoke-port': { type: 'string' }, 'env-file': { type: 'string' }, profile: { type: 'string' }, 'parameter-overrides': { type: 'string', multiple: true }, template: { type: 'string', short: 't' }, 'env-vars': { type: 'string' }, stage: { type: 'string', short: 's' },
      region: { type: 'string' }, jwks: { type: 'string' }, 'max-concurrency': { type: 'string' }, 'no-reload': { type: 'boolean' },
      python: { type: 'string' }, node: { type: 'string' }, quiet: { type: 'boolean' }, interpreter: { type: 'string', multiple: true },
    });
    if (typeof v.template === 'string' && positionals.length) throw new UsageError(`give the template once: --template ${String(v.template)} or ${positionals[0]}`);
    const given = (v.template as string | undefined) ?? positionals[0] ?? ['template.yaml', 'template.yml', 'serverless.yml', 'serverless.yaml'].find((f) => existsSync(resolve(io.cwd, f)));
    if (!given) throw new UsageError('no template.yaml or serverless.yml here: name the template to start');
    const template = resolve(io.cwd, given);
    if (!existsSync(template)) throw new UsageError(`${given} does not exist`);
    const region = (v.region as string | undefined) ?? io.env.AWS_REGION;
    const recorder = invocationRecorder(v, io, 'start');
    const lambda = servingLambda(v, io, recorder.onInvoked);
    const access = batchedOutput(io.out);
    const functionLog = batchedOutput(io.err);
    let cloud;
    try {
      cloud = await startLocalCloud({
        template, lambda, port: intOption(v.port, 'port', 0, 65535) ?? 3000, invokePort: intOption(v['invoke-port'], 'invoke-port', 0, 65535),
        target: { cwd: io.cwd, region, envFile: (v['env-file'] ?? v['env-vars']) as string | undefined, parameterOverrides: parameterOverridesOption(v), nodePath: v.node as string | undefined, pythonPath: v.python as string | undefined },
        jwksFile: v.jwks ? resolve(io.cwd, v.jwks as string) : undefined, stage: v.stage as string | undefined, hotReload: !v['no-reload'], outputFiles: io.outputFiles?.(),
        onAccess: (e) => access.write(`${accessLine(e)}\n`),
        onLog: v.quiet ? undefined : (id, line) => functionLog.write(`[${id}] ${line}\n`),
        onReload: (ids, file) => io.err(`[start] ${file} changed: ${ids.join(', ')} will start fresh on the next request\n`),
        onRoutesChanged: (routes) => io.out(`[start] the routes are now:\n${routes.map((r) => `  ${r.text}\n`).join('') || '  (none: only the Invoke API is served)\n'}`),
        onDefinitionError: (file, message) => io.err(`[start] ${file} changed but cannot be read, so the last good version keeps serving: ${message}\n`),
        logger: commandLogger('start', io),
      });
    } catch (error) {
      await lambda.dispose();
      if (error instanceof TargetError) throw new UsageError(error.message);
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UsageError(`port ${(error as { port?: number }).port ?? ''} is in use: pass --port (and --invoke-port) to pick others`);
      throw error;
    }
    io.out(`Local API on ${cloud.api.url} for ${cloud.functions.size} function(s) of ${given}\n`);
    for (const line of cloud.routes) io.out(`  ${line.text}\n`);
    if (cloud.routes.length === 0) io.out('  (the template declares no Api, HttpApi events or FunctionUrlConfig: only the Invoke API is served)\n');
    for (const note of cloud.model.notes) io.out(`  note: ${note}\n`);
    io.out(`Invoke API on ${cloud.invoke.url}. Press Ctrl+C to stop.\n`);
    await untilAborted(io.signal);
    await cloud.close();
    await lambda.dispose();
    await recorder.close();
    access.flush();
    functionLog.flush();
    io.out(`stopped${recorder.file ? `; invocations recorded in ${recorder.file}` : ''}\n`);
    return 0;
  },
};
