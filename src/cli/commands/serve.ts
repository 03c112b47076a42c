import { readSamTemplate } from '../../core/project/samTemplate';
import { samConfigParameters } from '../../core/project/samConfig';
import { isTemplateFile, resolveTarget, TargetError } from '../../core/project/functionTarget';
import { isServerlessFile } from '../../core/project/handlerDiscovery';
import { readServerlessApi } from '../../core/localApi/serverlessRoutes';
import { startInvokeApi } from '../../core/runtime/invokeApiServer';
import type { FunctionConfig } from '../../core/runtime/types';
import { untilAborted, UsageError, type CliCommand } from '../cliCommand';
import { intOption, parameterOverridesOption, parseOptions } from '../parseOptions';
import { batchedOutput } from '../batchedOutput';
import { commandLogger, servingLambda } from '../servingLambda';
import { invocationRecorder, RECORD_HELP, RECORD_OPTIONS } from '../invocationRecorder';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const HELP = `Usage:
  lambda-workbench serve [template.yaml | folder | file.function …] [options]

Serves Lambda's Invoke API on 127.0.0.1 for local functions, so the AWS SDK, the AWS CLI
(aws lambda invoke --endpoint-url http://127.0.0.1:3001 …) and tests can call local code.
Every function of a template is served; a handler is served under its folder's name (or --name).
With no target, ./template.yaml is used.

Options:
  -p, --port <port>          port on 127.0.0.1 (default 3001; 0 picks a free one)
      --name <name>          function name for a single handler target (letters, digits, '-', '_')
      --env-file <file>      variables for every function (over the template's)
  -t, --template <file>      the template (sam's -t; as the first argument otherwise); --env-vars is --env-file
      --parameter-overrides <Name=Value ...>  template parameters over their defaults and samconfig's
      --profile <name>       AWS profile whose credentials the functions get
      --region <region>      AWS_REGION the functions see (default: us-east-1)
      --max-concurrency <n>  environments per function before calls are throttled (default 10)
      --python <path>        Python interpreter (default: python3)
      --interpreter <runtime>=<path>  the interpreter for one runtime (repeatable)
      --node <path>          Node.js (default: node on PATH)
${RECORD_HELP}      --quiet                do not print each invocation's logs
`;

export const serveCommand: CliCommand = {
  help: HELP,
  async run(args, io) {
    const { values: v, positionals } = parseOptions(args, { ...RECORD_OPTIONS,
      port: { type: 'string', short: 'p' }, name: { type: 'string' }, 'env-file': { type: 'string' }, profile: { type: 'string' }, 'parameter-overrides': { type: 'string', multiple: true }, template: { type: 'string', short: 't' }, 'env-vars': { type: 'string' },
      region: { type: 'string' }, 'max-concurrency': { type: 'string' }, python: { type: 'string' }, node: { type: 'string' }, quiet: { type: 'boolean' },
      interpreter: { type: 'string', multiple: true },
    });
    const port = intOption(v.port, 'port', 0, 65535) ?? 3001;
    const region = (v.region as string | undefined) ?? io.env.AWS_REGION;
    const targets = typeof v.template === 'string' ? [v.template, ...positionals] : positionals.length ? positionals : ['template.yaml'];
    const functions = new Map<string, FunctionConfig>();
    for (const spec of targets) {
      const full = resolve(io.cwd, spec);
      const serverless = isServerlessFile(full) && existsSync(full);
      const template = serverless ? undefined : await isTemplateFile(full) ? full : existsSync(join(full, 'template.yaml')) && statSync(full).isDirectory() ? join(full, 'template.yaml') : undefined;
      const common = { cwd: io.cwd, region, envFile: (v['env-file'] ?? v['env-vars']) as string | undefined, parameterOverrides: parameterOverridesOption(v), nodePath: v.node as string | undefined, pythonPath: v.python as string | undefined };
      try {
        if (serverless) {
          const service = readServerlessApi(readFileSync(full, 'utf8'), full, io.env, undefined, region);
          for (const fn of service.functions) functions.set(fn.name, await resolveTarget({ ...common, spec: full, resource: fn.id, service }));
        } else if (template) {
          const parameters = { ...await samConfigParameters(template, 'local_start_lambda'), ...common.parameterOverrides };
          const parsed = await readSamTemplate(template, { region, parameters });
          for (const fn of parsed.functions) {
            functions.set(fn.name, await resolveTarget({ ...common, spec: template, resource: fn.logicalId, template: parsed }));
          }
        } else {
          if (!existsSync(full) && spec === 'template.yaml' && positionals.length === 0) throw new UsageError('no ./template.yaml here: name a template, a folder or a handler to serve');
          const config = await resolveTarget({ ...common, spec, name: targets.length === 1 ? (v.name as string | undefined) : undefined });
          functions.set(config.name, config);
        }
      } catch (error) {
        if (error instanceof TargetError) throw new UsageError(error.message);
        throw error;
      }
    }
    if (functions.size === 0) throw new UsageError(`${targets.join(', ')} declares no function to serve`);
    const recorder = invocationRecorder(v, io, 'serve');
    const lambda = servingLambda(v, io, recorder.onInvoked);
    const functionLog = batchedOutput(io.err);
    const api = await startInvokeApi({
      lambda, functions, port, logger: commandLogger('serve', io),
      onResult: v.quiet ? undefined : (name, result) => functionLog.write(`${result.logs.map((l) => `[${name}] ${l}`).join('\n')}\n`),
    });
    io.out(`Invoke API on ${api.url} for ${functions.size} function(s): ${[...functions.keys()].join(', ')}\n`);
    io.out(`Try: aws lambda invoke --endpoint-url ${api.url} --function-name ${[...functions.keys()][0]} --payload '{}' --cli-binary-format raw-in-base64-out out.json\n`);
    io.out('Press Ctrl+C to stop.\n');
    await untilAborted(io.signal);
    await api.close();
    await lambda.dispose();
    await recorder.close();
    functionLog.flush();
    io.out(`stopped${recorder.file ? `; invocations recorded in ${recorder.file}` : ''}\n`);
    return 0;
  },
};
