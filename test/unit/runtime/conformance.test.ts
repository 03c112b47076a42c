import * as assert from 'node:assert/strict';
import type { InvokeResult } from '../../../src/core/runtime/types';
import { fnConfig, languages, suiteLambda } from '../support/runtimeFixtures';

const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REPORT = /^REPORT RequestId: (\S+)\tDuration: (\d+\.\d{2}) ms\tBilled Duration: (\d+) ms\tMemory Size: (\d+) MB\tMax Memory Used: (\d+) MB(\tInit Duration: (\d+\.\d{2}) ms)?/;

function report(result: InvokeResult): RegExpExecArray {
  const line = result.logs.find((l) => l.startsWith('REPORT '));
  assert.ok(line, `a REPORT line in:\n${result.logs.join('\n')}`);
  const m = REPORT.exec(line);
  assert.ok(m, `REPORT line has CloudWatch's shape: ${line}`);
  return m;
}

function json(result: InvokeResult): Record<string, unknown> {
  return JSON.parse(result.payload) as Record<string, unknown>;
}

for (const lang of languages) {
  describe(`Runtime conformance: ${lang.name}`, function () {
    this.timeout(30_000);
    const lambda = suiteLambda();

    describe('environment variables', () => {
      let env: Record<string, string | null>;
      before(async () => {
        const config = fnConfig(lang, 'env', {
          name: `env-${lang.name}`, memorySize: 256, region: 'eu-west-1',
          environment: { GREETING: 'hi', AWS_REGION: 'override-attempt', AWS_LAMBDA_FUNCTION_NAME: 'nope', TZ: 'Europe/Paris' },
        });
        env = json(await lambda.invoke(config, '{}')) as Record<string, string | null>;
      });

      it('sets _HANDLER, the function name, memory, version and initialization type', () => {
        assert.equal(env._HANDLER, lang.handler('env'));
        assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, `env-${lang.name}`);
        assert.equal(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '256');
        assert.equal(env.AWS_LAMBDA_FUNCTION_VERSION, '$LATEST');
        assert.equal(env.AWS_LAMBDA_INITIALIZATION_TYPE, 'on-demand');
      });

      it('sets AWS_REGION and AWS_DEFAULT_REGION, which user variables cannot override', () => {
        assert.equal(env.AWS_REGION, 'eu-west-1');
        assert.equal(env.AWS_DEFAULT_REGION, 'eu-west-1');
      });

      it('sets AWS_EXECUTION_ENV to AWS_Lambda_<runtime>', () => {
        assert.equal(env.AWS_EXECUTION_ENV, `AWS_Lambda_${lang.runtime}`);
      });

      it('names the log group /aws/lambda/<name> and the stream YYYY/MM/DD/[$LATEST]<32 hex>', () => {
        assert.equal(env.AWS_LAMBDA_LOG_GROUP_NAME, `/aws/lambda/env-${lang.name}`);
        assert.match(env.AWS_LAMBDA_LOG_STREAM_NAME ?? '', /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
      });

      it('points AWS_LAMBDA_RUNTIME_API at a loopback address and sets the task and runtime dirs', () => {
        assert.match(env.AWS_LAMBDA_RUNTIME_API ?? '', /^127\.0\.0\.1:\d+$/);
        assert.equal(env.LAMBDA_TASK_ROOT, lang.codeDir);
        assert.ok(env.LAMBDA_RUNTIME_DIR);
      });

      it('sets _X_AMZN_TRACE_ID per invocation', () => {
        assert.match(env._X_AMZN_TRACE_ID ?? '', /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0/);
      });

      it('passes user variables, lets them override unreserved TZ, and does not leak the caller environment', () => {
        assert.equal(env.GREETING, 'hi');
        assert.equal(env.TZ, 'Europe/Paris');
        assert.equal(env.HOME, null);
      });

      it('defaults TZ to :UTC', async () => {
        const r = json(await lambda.invoke(fnConfig(lang, 'env'), '{}'));
        assert.equal(r.TZ, ':UTC');
      });
    });

    describe('context object', () => {
      it('carries every field of the reference', async () => {
        const config = fnConfig(lang, 'context', { memorySize: 512, timeout: 7 });
        const result = await lambda.invoke(config, '{}', { clientContext: { custom: { tenant: 'acme' } }, identity: { cognitoIdentityId: 'id-1', cognitoIdentityPoolId: 'pool-1' } });
        const c = json(result);
        if (lang.name === 'node') {
          assert.equal(c.functionName, config.name);
          assert.equal(c.functionVersion, '$LATEST');
          assert.equal(c.invokedFunctionArn, `arn:aws:lambda:us-east-1:123456789012:function:${config.name}`);
          assert.equal(c.memoryLimitInMB, '512');
          assert.equal(c.awsRequestId, result.requestId);
          assert.equal(c.logGroupName, `/aws/lambda/${config.name}`);
          assert.match(String(c.logStreamName), /\[\$LATEST\]/);
          assert.deepEqual(c.clientContext, { custom: { tenant: 'acme' } });
          assert.deepEqual(c.identity, { cognitoIdentityId: 'id-1', cognitoIdentityPoolId: 'pool-1' });
          assert.equal(c.callbackWaitsForEmptyEventLoop, true);
        } else {
          assert.equal(c.function_name, config.name);
          assert.equal(c.function_version, '$LATEST');
          assert.equal(c.invoked_function_arn, `arn:aws:lambda:us-east-1:123456789012:function:${config.name}`);
          assert.equal(c.memory_limit_in_mb, '512');
          assert.equal(c.aws_request_id, result.requestId);
          assert.equal(c.log_group_name, `/aws/lambda/${config.name}`);
          assert.match(String(c.log_stream_name), /\[\$LATEST\]/);
          assert.equal(c.identity_id, 'id-1');
          assert.deepEqual(c.client_context_custom, { tenant: 'acme' });
        }
        const remaining = Number(lang.name === 'node' ? c.remaining : c.remaining);
        assert.ok(remaining > 5000 && remaining <= 7000, `remaining time ${remaining} ms is within the 7 s timeout`);
        assert.match(result.requestId, REQUEST_ID);
      });
    });

    describe('context object, beyond ASCII', () => {
      it('hands on a client context and identity with any characters unchanged (HTTP headers carry them escaped)', async () => {
        const custom = { city: 'Zürich', price: '5 €', face: '😀', lines: 'a\r\nb' };
        const result = await lambda.invoke(fnConfig(lang, 'context'), '{}', { clientContext: { custom }, identity: { cognitoIdentityId: 'id-é€', cognitoIdentityPoolId: 'pool-1' } });
        assert.equal(result.functionError, undefined, result.payload);
        const c = json(result);
        if (lang.name === 'node') {
          assert.deepEqual(c.clientContext, { custom });
          assert.deepEqual(c.identity, { cognitoIdentityId: 'id-é€', cognitoIdentityPoolId: 'pool-1' });
        } else {
          assert.deepEqual(c.client_context_custom, custom);
          assert.equal(c.identity_id, 'id-é€');
        }
      });
    });

    describe('log lines', () => {
      it('writes START, the function output, END, REPORT and our ESTIMATE in order', async () => {
        const lines: string[] = [];
        const result = await lambda.invoke(fnConfig(lang, 'logs'), '{}', { onLog: (l) => lines.push(l) });
        assert.deepEqual(lines, result.logs, 'streamed live and collected alike');
        const id = result.requestId;
        assert.equal(lines[0], `START RequestId: ${id} Version: $LATEST`);
        const end = lines.indexOf(`END RequestId: ${id}`);
        assert.ok(end > 0, 'an END line');
        assert.match(lines[end + 1], new RegExp(`^REPORT RequestId: ${id}\\t`));
        assert.match(lines[end + 2], new RegExp(`^ESTIMATE RequestId: ${id}\\tBilled: [\\d.e-]+ GB-s\\tCost: \\$\\d+\\.\\d{10}\\tPer 1M calls: \\$\\d+\\.\\d{2}`));
        const body = lines.slice(1, end);
        if (lang.name === 'node') {
          const iso = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';
          assert.match(body[0], new RegExp(`^${iso}\\t${id}\\tINFO\\tinfo line { a: 1 }$`));
          assert.match(body[1], new RegExp(`^${iso}\\t${id}\\tWARN\\twarn line$`));
          assert.match(body[2], new RegExp(`^${iso}\\t${id}\\tERROR\\terror line$`));
          assert.match(body[3], new RegExp(`^${iso}\\t${id}\\tDEBUG\\tdebug line$`));
          assert.equal(body[4], 'raw stdout line');
        } else {
          assert.equal(body[0], 'print line', 'print() lines appear bare');
          assert.match(body[1], new RegExp(`^\\[WARNING\\]\\t\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z\\t${id}\\twarning via logging$`));
          assert.ok(body.includes('stderr line'));
        }
      });

      it('reports Init Duration on a cold start only, and bills duration rounded up to 1 ms (with init when cold)', async () => {
        const config = fnConfig(lang, 'echo');
        const cold = await lambda.invoke(config, '{"n":1}');
        const warm = await lambda.invoke(config, '{"n":2}');
        assert.equal(cold.coldStart, true);
        assert.equal(warm.coldStart, false);
        const c = report(cold);
        const w = report(warm);
        assert.ok(c[7], 'Init Duration on the cold start');
        assert.equal(w[6], undefined, 'no Init Duration when warm');
        assert.equal(Number(w[3]), Math.ceil(Number(w[2])), 'billed = duration rounded up to the next ms');
        assert.equal(Number(c[3]), Math.ceil(cold.durationMs + (cold.initDurationMs ?? 0)), 'a cold start bills its init phase too');
        assert.equal(Number(c[4]), 128, 'Memory Size defaults to 128 MB');
        assert.ok(Number(c[5]) > 5 && Number(c[5]) <= 128, `Max Memory Used is a measured RSS (${c[5]} MB)`);
      });
    });

    describe('lifecycle', () => {
      it('keeps module state warm and resets it on --cold', async () => {
        const config = fnConfig(lang, 'counter');
        const first = json(await lambda.invoke(config, '{}'));
        const second = json(await lambda.invoke(config, '{}'));
        assert.equal(first.count, 1);
        assert.equal(second.count, 2);
        assert.equal(second.loadedAt, first.loadedAt, 'the module was not re-imported');
        const cold = await lambda.invoke(config, '{}', { cold: true });
        assert.equal(cold.coldStart, true);
        assert.equal(json(cold).count, 1, 'a fresh environment starts from scratch');
      });

      it('times out, logs "Task timed out after N.NN seconds", destroys the environment; the next call is cold', async () => {
        const config = fnConfig(lang, 'sleep', { timeout: 1 });
        const started = Date.now();
        const result = await lambda.invoke(config, '{"ms": 5000}');
        assert.ok(Date.now() - started < 4000, 'stopped at the timeout, not after the handler finished');
        assert.equal(result.timedOut, true);
        assert.equal(result.functionError, 'Unhandled');
        assert.equal(result.error?.errorType, 'Sandbox.Timedout');
        assert.match(result.error?.errorMessage ?? '', /Task timed out after 1\.00 seconds/);
        assert.ok(result.logs.some((l) => new RegExp(`^\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z ${result.requestId} Task timed out after 1\\.00 seconds$`).test(l)));
        assert.match(result.logs.find((l) => l.startsWith('REPORT')) ?? '', /Duration: 1000\.00 ms.*Status: timeout/);
        const next = await lambda.invoke(config, '{"ms": 1}');
        assert.equal(next.coldStart, true, 'the timed-out environment was destroyed');
        assert.deepEqual(json(next), { slept: 1 });
      });

      it('kills an environment that exceeds its memory size', async () => {
        const config = fnConfig(lang, 'memory', { memorySize: 128 });
        const result = await lambda.invoke(config, '{"mb": 200}');
        assert.equal(result.functionError, 'Unhandled');
        assert.match(result.error?.errorType ?? '', /^Runtime\.(OutOfMemory|ExitError)$/);
        assert.equal(result.maxMemoryUsedMb, 128);
        const next = await lambda.invoke(config, '{"mb": 1}');
        assert.equal(next.coldStart, true);
        assert.equal(json(next).held, 1);
      });
    });

    describe('errors', () => {
      it("returns the handler's own error: its type, message and stack", async () => {
        const result = await lambda.invoke(fnConfig(lang, 'boom'), '{}');
        assert.equal(result.functionError, 'Unhandled');
        assert.equal(result.error?.errorType, 'ValidationError');
        assert.equal(result.error?.errorMessage, 'order id is missing');
        const stack = lang.name === 'node' ? result.error?.trace : result.error?.stackTrace;
        assert.ok(stack && stack.length > 0, 'a stack trace');
        assert.ok(stack.join('\n').includes('handlers.'), 'the stack names the fixture file');
        assert.deepEqual(stack.filter((l) => /assets[/\\]runtime/.test(l)), [], 'no frame of our own runtime (bootstrap) in the trace');
        assert.equal(result.coldStart, true);
        const again = await lambda.invoke(fnConfig(lang, 'echo'), '{}');
        assert.equal(again.functionError, undefined, 'the runner keeps working');
      });

      it('reports a result that cannot be serialised as the runtime does (Node: Error, Python: Runtime.MarshalError)', async () => {
        const result = await lambda.invoke(fnConfig(lang, 'unserializable'), '{}');
        // AWS's Node client throws a plain Error with this message from its serialiser; its Python client a fault.
        assert.equal(result.error?.errorType, lang.name === 'node' ? 'Error' : 'Runtime.MarshalError');
        assert.match(result.error?.errorMessage ?? '', lang.name === 'node' ? /^Unable to stringify response body$/ : /Unable to marshal response/);
      });

      it('reports a process exit as Runtime.ExitError with the exit code', async () => {
        const config = fnConfig(lang, 'exit');
        const result = await lambda.invoke(config, '{"code": 7}');
        assert.equal(result.error?.errorType, 'Runtime.ExitError');
        assert.match(result.error?.errorMessage ?? '', new RegExp(`RequestId: ${result.requestId} Error: Runtime exited with error: exit status 7`));
        assert.ok(result.logs.some((l) => l.includes('Runtime exited with error: exit status 7')));
        assert.ok(result.coldStart && result.maxMemoryUsedMb > 0, `an exit in the first call still reports its memory: ${result.maxMemoryUsedMb} MB`);
        const next = await lambda.invoke(config, '{"code": 0}').catch(() => undefined);
        assert.ok(next?.coldStart, 'the next call gets a fresh environment');
      });

      it('fails a response over Lambda\'s 6 291 556-byte limit with Lambda\'s message, and passes one just under it', async () => {
        // The payload is the JSON string: `bytes` characters plus two quotes.
        const result = await lambda.invoke(fnConfig(lang, 'big'), JSON.stringify({ bytes: 6_291_556 }));
        assert.equal(result.error?.errorType, 'Function.ResponseSizeTooLarge');
        assert.equal(result.error?.errorMessage, 'Response payload size exceeded maximum allowed payload size (6291556 bytes).');
        assert.ok(result.maxMemoryUsedMb > 0, `Max Memory Used: ${result.maxMemoryUsedMb} MB`);
        const under = await lambda.invoke(fnConfig(lang, 'big'), JSON.stringify({ bytes: 6_291_500 }));
        assert.equal(under.error, undefined, 'over 6 MiB but within the response limit');
        assert.equal(under.payload.length, 6_291_502);
      });

      it('reports a missing handler function as Runtime.HandlerNotFound', async () => {
        const result = await lambda.invoke(fnConfig(lang, 'echo', { handler: 'handlers.doesNotExist' }), '{}');
        assert.equal(result.error?.errorType, 'Runtime.HandlerNotFound');
        assert.match(result.error?.errorMessage ?? '', /doesNotExist/);
        assert.match(result.logs.find((l) => l.startsWith('REPORT')) ?? '', /Init Duration: .*Status: error\tError Type: Runtime\.HandlerNotFound/);
      });

      it('reports a missing module as Runtime.ImportModuleError', async () => {
        const result = await lambda.invoke(fnConfig(lang, 'echo', { handler: 'nowhere.handler' }), '{}');
        assert.equal(result.error?.errorType, 'Runtime.ImportModuleError');
        assert.match(result.error?.errorMessage ?? '', /nowhere/);
      });
    });
  });
}
