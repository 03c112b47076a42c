import { createIamClient, createLambdaClient } from '../../core/aws/awsContext';
import { AwsProblemError } from '../../core/aws/awsErrors';
import { deployRequest, packageFunction } from '../../core/aws/deployPackage';
import { basicRoleName, createBasicExecutionRole } from '../../core/aws/executionRoles';
import { deployFunction, invokeFunction, listFunctionsPage, RoleRequiredError, type InvocationType } from '../../core/aws/lambdaFunctions';
import { checkFunctionName, resolveTarget, TargetError } from '../../core/project/functionTarget';
import { EXIT_FAILED, EXIT_OK, UsageError, type CliCommand } from '../cliCommand';
import { readEventArgument } from '../eventInput';
import { awsContextOf, intOption, parseOptions } from '../parseOptions';
import { printAwsProblem } from '../printAwsProblem';

const HELP = `Usage:
  lambda-workbench functions list [--filter text] [--all]
  lambda-workbench functions invoke <name> [--event <file | - | JSON | sample>] [--type RequestResponse|Event|DryRun]
  lambda-workbench functions deploy <handler | template.yaml resource> [--name <name>] [--role <arn> | --create-role] [--include-local-env]

Deployed functions, through the AWS SDK with the profile's credentials.

Options:
      --profile <name>     AWS profile (default: AWS_PROFILE, else environment variables / default)
      --region <region>    region (default: the profile's, AWS_REGION, us-east-1)
      --endpoint <url>     endpoint override (LocalStack, an emulator)
      --filter <text>      list: names containing the text
      --all                list: every page (default: the first 50 functions)
      --role <arn>         deploy: the execution role of a new function
      --create-role        deploy: create <name>-role for a new function (AWSLambdaBasicExecutionRole: its own logs only)
      --include-local-env  deploy: upload the variables of .env / --env-file too (default: only the template's)
      --json               print JSON
`;

export const functionsCommand: CliCommand = {
  help: HELP,
  async run(args, io) {
    const { values: v, positionals } = parseOptions(args, {
      profile: { type: 'string' }, region: { type: 'string' }, endpoint: { type: 'string' }, filter: { type: 'string' }, all: { type: 'boolean' },
      json: { type: 'boolean' }, event: { type: 'string', short: 'e' }, type: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' },
      'page-size': { type: 'string' }, 'include-local-env': { type: 'boolean' }, 'create-role': { type: 'boolean' },
    });
    const [action, target, resource] = positionals;
    const ctx = await awsContextOf(v, io);
    const { profile, region } = ctx;
    const client = createLambdaClient(ctx);
    try {
      if (action === 'list') {
        const filter = ((v.filter as string | undefined) ?? '').toLowerCase();
        const pageSize = intOption(v['page-size'], 'page-size', 1, 50) ?? 50;
        const names: { name: string; runtime?: string; memorySize?: number; lastModified?: string }[] = [];
        let marker: string | undefined;
        do {
          const page = await listFunctionsPage(client, { marker, pageSize, profile, signal: io.signal });
          names.push(...page.items.filter((f) => !filter || f.name.toLowerCase().includes(filter)));
          marker = page.next;
          // ListFunctions has no filter of its own: a filtered list searches every page.
        } while (marker && (v.all || filter));
        names.sort((a, b) => a.name.localeCompare(b.name));
        if (v.json) io.out(`${JSON.stringify(names, null, 2)}\n`);
        else {
          for (const f of names) io.out(`${f.name.padEnd(48)} ${(f.runtime ?? '').padEnd(14)} ${String(f.memorySize ?? '').padStart(5)} MB  ${f.lastModified ?? ''}\n`);
          io.err(`${names.length} function(s) in ${region}${marker ? ' (more exist: --all lists every page)' : ''}\n`);
        }
        return EXIT_OK;
      }
      if (action === 'invoke') {
        if (!target) throw new UsageError('functions invoke needs a function name');
        const type = ((v.type as string | undefined) ?? 'RequestResponse') as InvocationType;
        if (!['RequestResponse', 'Event', 'DryRun'].includes(type)) throw new UsageError('--type is RequestResponse, Event or DryRun');
        const event = await readEventArgument(v.event as string | undefined, io.cwd, io.stdin);
        const result = await invokeFunction(client, target, event.text, { type, profile, signal: io.signal });
        if (result.logTail) io.err(result.logTail.endsWith('\n') ? result.logTail : `${result.logTail}\n`);
        io.out(v.json ? `${JSON.stringify(result, null, 2)}\n` : `${result.payload || `(status ${result.statusCode})`}\n`);
        if (result.functionError) io.err(`The function failed (${result.functionError}).\n`);
        return result.functionError ? EXIT_FAILED : EXIT_OK;
      }
      if (action === 'deploy') {
        if (!target) throw new UsageError('functions deploy needs a handler or a template and resource');
        const config = await resolveTarget({ spec: target, resource, cwd: io.cwd, region });
        const name = (v.name as string | undefined) ?? config.name;
        checkFunctionName(name, ' (--name)'); // before packaging, not as the service's raw pattern error after it
        const pkg = await packageFunction(config, { signal: io.signal });
        const localNames = Object.keys(config.localEnvironment ?? {});
        const includeLocal = v['include-local-env'] === true;
        if (localNames.length && !includeLocal) io.err(`Not uploading ${localNames.length} local variable(s) from .env/--env-file (${localNames.join(', ')}): pass --include-local-env to upload them.\n`);
        const { request, notice } = deployRequest(config, pkg, name, includeLocal);
        const deploy = (role: string | undefined, roleIsNew = false) => deployFunction(client, { ...request, role }, { profile, signal: io.signal, roleIsNew, onStep: (step) => io.err(`${step}…\n`) });
        let summary;
        try {
          summary = await deploy(v.role as string | undefined);
        } catch (error) {
          if (!(error instanceof RoleRequiredError)) throw error;
          if (!v['create-role']) throw new UsageError(`${error.message} Pass it with --role, or --create-role to create ${basicRoleName(name)} with basic permissions.`);
          const iam = createIamClient(ctx);
          try {
            const role = await createBasicExecutionRole(iam, basicRoleName(name), region, { profile, signal: io.signal });
            io.err(`Created the execution role ${role.arn}\n`);
            summary = await deploy(role.arn, true);
          } finally {
            iam.destroy();
          }
        }
        if (notice && summary.created) io.err(`${notice}\n`);
        const changed = summary.changed.length ? `; updated ${summary.changed.join(', ')}` : '';
        io.out(`Deployed ${summary.name} (${summary.runtime}, ${summary.codeSize ?? '?'} bytes) to ${region}: ${summary.arn}${changed}\n`);
        return EXIT_OK;
      }
      throw new UsageError(action ? `unknown functions action '${action}' (list, invoke, deploy)` : 'functions needs an action: list, invoke or deploy');
    } catch (error) {
      if (error instanceof AwsProblemError) {
        printAwsProblem(io, 'functions', error);
        return EXIT_FAILED;
      }
      if (error instanceof TargetError) throw new UsageError(error.message);
      throw error;
    } finally {
      client.destroy();
    }
  },
};
