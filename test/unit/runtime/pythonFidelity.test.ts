import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { assetPath } from '../../../src/core/packageInfo';
import { resolvePython } from '../../../src/core/runtime/interpreters';
import type { FunctionConfig, InvokeResult } from '../../../src/core/runtime/types';
import { fixtures, noneLeft, processesWith, suiteLambda } from '../support/runtimeFixtures';

// What AWS's Python runtime interface client (awslambdaric: bootstrap.py, lambda_runtime_marshaller.py,
// lambda_runtime_log_utils.py, lambda_literals.py) answers, checked field by field against our Python runtime.

const codeDir = join(fixtures, 'python-fidelity');
const fixtureFile = (module: string): string => join(codeDir, `${module}.py`);
let counter = 0;
const py = (handler: string, extra: Partial<FunctionConfig> = {}): FunctionConfig =>
  ({ name: `py-fidelity-${++counter}`, runtime: 'python3.11', handler, codeDir, ...extra });
const jsonLogs = (applicationLogLevel?: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL'): Partial<FunctionConfig> =>
  ({ logging: { format: 'JSON', ...(applicationLogLevel ? { applicationLogLevel } : {}) } });

/** One `traceback.format_list` entry for the fixture line that contains `marker`, as Python formats a
 *  (file, line, function, text) tuple: no column carets. */
function frame(module: string, fn: string, marker: string): string {
  const lines = readFileSync(fixtureFile(module), 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(marker));
  assert.ok(index >= 0, `${marker} is in ${module}.py`);
  return `  File "${fixtureFile(module)}", line ${index + 1}, in ${fn}\n    ${lines[index].trim()}\n`;
}

/** The posted error document: exactly make_error's keys, in its order. */
function errorDoc(r: InvokeResult): { errorMessage: string; errorType: string; requestId: string; stackTrace: string[] } {
  const doc = JSON.parse(r.payload) as { errorMessage: string; errorType: string; requestId: string; stackTrace: string[] };
  assert.deepEqual(Object.keys(doc), ['errorMessage', 'errorType', 'requestId', 'stackTrace'], r.payload);
  return doc;
}

/** A platform record of Lambda's JSON log format ({"time", "type": "platform.start", "record"}), not the function's. */
function isPlatformRecord(line: string): boolean {
  if (!line.startsWith('{"time"')) return false;
  try {
    return String((JSON.parse(line) as { type?: unknown }).type).startsWith('platform.');
  } catch {
    return false;
  }
}

/** The function's own output lines (the platform's START/END/REPORT/ESTIMATE, error and timeout lines left out). */
function output(r: InvokeResult): string[] {
  return r.logs.filter((l) => !/^(START|END|REPORT|ESTIMATE) RequestId: |^HINT /.test(l) && !/^\d{4}-\d{2}-\d{2}T[\d:.]+Z [0-9a-f-]{36} /.test(l) &&
    !isPlatformRecord(l));
}

function jsonRecords(r: InvokeResult): Record<string, unknown>[] {
  return output(r).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

interface FakeRequest { readonly line: string; readonly headers: Record<string, string>; readonly body: string }

/** A Runtime API of our own on a socket, for what the runner never does: each request of the runtime is handed to
 *  `answer`, which writes the reply on the socket (or closes it). */
async function fakeRuntimeApi(answer: (request: FakeRequest, socket: Socket) => void): Promise<{ address: string; close(): void }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const [line, ...rest] = buffer.subarray(0, end).toString('latin1').split('\r\n');
        const headers = Object.fromEntries(rest.map((h) => [h.slice(0, h.indexOf(':')).toLowerCase(), h.slice(h.indexOf(':') + 1).trim()]));
        const size = Number(headers['content-length'] ?? 0);
        if (buffer.length < end + 4 + size) return;
        const body = buffer.subarray(end + 4, end + 4 + size).toString('utf8');
        buffer = buffer.subarray(end + 4 + size);
        answer({ line, headers, body }, socket);
      }
    });
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => { for (const socket of sockets) socket.destroy(); server.close(); },
  };
}

const reply = (socket: Socket, status: string, headers: Record<string, string>, body = ''): void => {
  const head = Object.entries({ ...headers, 'Content-Length': String(Buffer.byteLength(body)) }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.write(`HTTP/1.1 ${status}\r\n${head}\r\n${body}`);
};

/** Our runtime, spawned as the runner spawns it (detached: a process group of its own), against `api`. */
async function spawnRuntime(api: string, handler: string, mark: string, extraEnv: Record<string, string> = {}) {
  const python = await resolvePython();
  return spawn(python.path, ['-u', assetPath('runtime', 'python', 'bootstrap.py')], {
    cwd: codeDir, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', AWS_LAMBDA_RUNTIME_API: api, _HANDLER: handler, LAMBDA_TASK_ROOT: codeDir, LWB_TEST_MARK: mark, ...extraEnv },
  });
}

const event = (requestId: string, extra: Record<string, string> = {}): [string, Record<string, string>, string] =>
  ['200 OK', { 'Lambda-Runtime-Aws-Request-Id': requestId, 'Lambda-Runtime-Deadline-Ms': String(Date.now() + 60_000), ...extra }, '{}'];

const TEXT_TIME = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';
const JSON_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const NBSP = '\u00a0';
// lambda_literals.lambda_unhandled_exception_warning_message, as AWS's client logs it (ends with a carriage return).
const UNHANDLED_WARNING = 'LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. However, in rare cases, ' +
  'a Lambda runtime update can cause unexpected function behavior. For functions using managed runtimes, runtime updates can be triggered ' +
  'by a function change, or can be applied automatically. To determine if the runtime has been updated, check the runtime version in the ' +
  'INIT_START log entry. If this error correlates with a change in the runtime version, you may be able to mitigate this error by ' +
  'temporarily rolling back to the previous runtime version. For more information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html\r';

describe('Python fidelity: answers as AWS\'s Python runtime interface client', function () {
  this.timeout(30_000);
  const lambda = suiteLambda();

  describe('loading the handler', () => {
    it('a handler module whose first part is a built-in module is Runtime.BuiltInModuleConflict', async () => {
      for (const [handler, module] of [['sys.hello', 'sys'], ['time.sub.handler', 'time.sub']]) {
        const r = await lambda.invoke(py(handler), '{}');
        assert.equal(r.error?.errorType, 'Runtime.BuiltInModuleConflict', r.payload);
        assert.deepEqual(errorDoc(r), {
          errorMessage: `Cannot use built-in module ${module} as a handler module`, errorType: 'Runtime.BuiltInModuleConflict', requestId: '', stackTrace: [],
        });
      }
    });

    it('handler strings as AWS reads them: no dot is malformed, a missing name is HandlerNotFound, a None attribute loads', async () => {
      const malformed = await lambda.invoke(py('nodot'), '{}');
      assert.deepEqual(errorDoc(malformed), {
        errorMessage: "Bad handler 'nodot': not enough values to unpack (expected 2, got 1)", errorType: 'Runtime.MalformedHandlerName', requestId: '', stackTrace: [],
      });
      const missing = await lambda.invoke(py('fidelity.nope'), '{}');
      assert.deepEqual(errorDoc(missing), {
        errorMessage: "Handler 'nope' missing on module 'fidelity'", errorType: 'Runtime.HandlerNotFound', requestId: '', stackTrace: [],
      });
      // getattr finds the attribute, so init succeeds; calling None fails the invocation.
      const none = await lambda.invoke(py('fidelity.handler_is_none'), '{}');
      const doc = errorDoc(none);
      assert.equal(doc.errorType, 'TypeError');
      assert.equal(doc.errorMessage, "'NoneType' object is not callable");
      assert.equal(doc.requestId, none.requestId);
    });

    it('an import error is Runtime.ImportModuleError with no stack trace', async () => {
      const r = await lambda.invoke(py('imports_missing.handler'), '{}');
      assert.deepEqual(errorDoc(r), {
        errorMessage: "Unable to import module 'imports_missing': No module named 'a_dependency_that_is_not_installed'",
        errorType: 'Runtime.ImportModuleError', requestId: '', stackTrace: [],
      });
    });

    it('a syntax error is Runtime.UserCodeSyntaxError with AWS\'s one-entry trace (file, line, raw source text)', async () => {
      const file = fixtureFile('broken_syntax');
      // Python itself says what the SyntaxError is: the oracle for str(e), filename, lineno and text.
      const python = await resolvePython();
      const oracle = JSON.parse(execFileSync(python.path, ['-c',
        'import json,sys\ntry:\n compile(open(sys.argv[1],"rb").read(), sys.argv[1], "exec")\nexcept SyntaxError as e:\n print(json.dumps([str(e), e.filename, e.lineno, e.text]))',
        file], { encoding: 'utf8' })) as [string, string, number, string];
      const r = await lambda.invoke(py('broken_syntax.handler'), '{}');
      assert.deepEqual(errorDoc(r), {
        errorMessage: `Syntax error in module 'broken_syntax': ${oracle[0]}`, errorType: 'Runtime.UserCodeSyntaxError', requestId: '',
        stackTrace: [`  File "${oracle[1]}" Line ${oracle[2]}\n    ${oracle[3]}`],
      });
      assert.equal(oracle[1], file);
      assert.match(oracle[3], /^def handler\(event, context\)\n$/, 'the raw line, newline included');
    });

    it('an error raised by module code keeps the importlib frames and none of the bootstrap\'s', async () => {
      const r = await lambda.invoke(py('init_raises.handler'), '{}');
      const doc = errorDoc(r);
      assert.equal(doc.errorType, 'RuntimeError');
      assert.equal(doc.errorMessage, 'configuration missing');
      assert.equal(doc.requestId, '');
      assert.match(doc.stackTrace[0], /^ {2}File ".*importlib[/\\]__init__\.py", line \d+, in import_module\n/);
      assert.ok(doc.stackTrace.every((entry) => entry.endsWith('\n') && !entry.includes('bootstrap.py')), doc.stackTrace.join(''));
      assert.deepEqual(doc.stackTrace.slice(-2), [frame('init_raises', '<module>', '# at import'), frame('init_raises', '_configure', 'raise RuntimeError')]);
    });
  });

  describe('errors of an invocation', () => {
    it('carry the request id, and format_list frames (no carets) from the handler down', async () => {
      const r = await lambda.invoke(py('fidelity.fails'), '{"order":"o-9"}');
      assert.deepEqual(errorDoc(r), {
        errorMessage: 'order o-9 rejected', errorType: 'OrderError', requestId: r.requestId,
        stackTrace: [frame('fidelity', 'fails', 'return _check(event["order"])'), frame('fidelity', '_check', 'raise OrderError("order {}')],
      });
    });

    it('an unserialisable result is Runtime.MarshalError with the request id, and is logged', async () => {
      const r = await lambda.invoke(py('fidelity.unserializable'), '{}');
      assert.deepEqual(errorDoc(r), {
        errorMessage: 'Unable to marshal response: Object of type set is not JSON serializable', errorType: 'Runtime.MarshalError',
        requestId: r.requestId, stackTrace: [],
      });
      assert.deepEqual(output(r), ['[ERROR] Runtime.MarshalError: Unable to marshal response: Object of type set is not JSON serializable',
        'Traceback (most recent call last):']);
    });

    it('text format: logged as "[ERROR] Type: message" and the traceback, indented with no-break spaces', async () => {
      const r = await lambda.invoke(py('fidelity.fails'), '{"order":"o-3"}');
      const frames = errorDoc(r).stackTrace.flatMap((entry) => entry.split('\n').filter(Boolean))
        .map((line) => line.replace(/^ +/, (spaces) => NBSP.repeat(spaces.length)));
      assert.equal(frames.length, 4);
      assert.deepEqual(output(r), ['[ERROR] OrderError: order o-3 rejected', 'Traceback (most recent call last):', ...frames]);
      assert.ok(frames[0].startsWith(`${NBSP}${NBSP}File "`) && frames[1].startsWith(`${NBSP.repeat(4)}return _check(`));
    });

    it('JSON format: logged as one JSON object with log_level ERROR and the posted fields', async () => {
      const r = await lambda.invoke(py('fidelity.fails', jsonLogs()), '{"order":"o-4"}');
      const posted = errorDoc(r);
      const logged = output(r);
      assert.equal(logged.length, 1, logged.join('\n'));
      const record = JSON.parse(logged[0]) as Record<string, unknown>;
      assert.deepEqual(Object.keys(record), ['timestamp', 'log_level', 'errorMessage', 'errorType', 'requestId', 'stackTrace']);
      assert.match(String(record.timestamp), JSON_TIME);
      assert.equal(record.log_level, 'ERROR');
      assert.deepEqual({ ...record, timestamp: undefined, log_level: undefined }, { ...posted, timestamp: undefined, log_level: undefined });
    });
  });

  describe('the context object (lambda_context.py)', () => {
    const clientContext = {
      client: { installation_id: 'inst-1', app_title: 'Orders', app_version_name: '1.2', app_version_code: '12', app_package_name: 'com.example.orders' },
      custom: { tier: 'gold' }, env: { platform: 'Android' },
    };

    it('client_context.client is an object with the five Client fields; ClientContext, Client and CognitoIdentity have __slots__', async () => {
      const r = await lambda.invoke(py('context_object.client_fields'), '{}', { clientContext });
      assert.equal(r.error, undefined, r.payload);
      assert.deepEqual(JSON.parse(r.payload), {
        client_type: 'Client', ...clientContext.client, custom: { tier: 'gold' }, env: { platform: 'Android' }, slots: [true, true, true],
        repr: "ClientContext([custom={'tier': 'gold'},env={'platform': 'Android'},client=Client([installation_id=inst-1,app_title=Orders," +
          'app_version_name=1.2,app_version_code=12,app_package_name=com.example.orders])])',
      });
      // A client context without a client: None there, as make_obj_from_dict gives for None.
      const bare = await lambda.invoke(py('context_object.described'), '{}', { clientContext: { custom: { a: 1 } } });
      assert.equal(JSON.parse(bare.payload).client_context, "ClientContext([custom={'a': 1},env=None,client=None])");
    });

    it('repr lists every field as AWS\'s __repr__ does; the attributes are AWS\'s, in its order; tenant_id is None without the header', async () => {
      const r = await lambda.invoke(py('context_object.described'), '{}', { identity: { cognitoIdentityId: 'id-1', cognitoIdentityPoolId: 'pool-1' } });
      assert.equal(r.error, undefined, r.payload);
      const doc = JSON.parse(r.payload) as { repr: string; identity: string; tenant_id: unknown; client_context: string; attributes: string[] };
      assert.deepEqual(doc.attributes, ['aws_request_id', 'log_group_name', 'log_stream_name', 'function_name', 'memory_limit_in_mb', 'function_version',
        'invoked_function_arn', 'tenant_id', 'client_context', 'identity', '_epoch_deadline_time_in_ms']);
      assert.equal(doc.identity, 'CognitoIdentity([cognito_identity_id=id-1,cognito_identity_pool_id=pool-1])');
      assert.equal(doc.tenant_id, null);
      assert.equal(doc.client_context, 'None');
      const match = /^LambdaContext\(\[aws_request_id=([^,]+),log_group_name=([^,]+),log_stream_name=([^,]+),function_name=([^,]+),memory_limit_in_mb=(\d+),function_version=([^,]+),invoked_function_arn=([^,]+),client_context=None,identity=CognitoIdentity\(\[cognito_identity_id=id-1,cognito_identity_pool_id=pool-1\]\),tenant_id=None\]\)$/.exec(doc.repr);
      assert.ok(match, doc.repr);
      assert.equal(match[1], r.requestId);
      assert.equal(match[2], `/aws/lambda/${match[4]}`);
      assert.match(match[4], /^py-fidelity-\d+$/);
      assert.equal(match[6], '$LATEST');
      assert.match(match[7], new RegExp(`^arn:aws:lambda:[^:]+:\\d+:function:${match[4]}$`));
    });

    it('log() writes str(msg) as one record through Lambda\'s handler, and as it is on sys.stdout once the handler is gone', async () => {
      const r = await lambda.invoke(py('context_object.logs'), '{}');
      assert.equal(r.error, undefined, r.payload);
      assert.deepEqual(output(r), ['first without a newline', 'second', '42', 'then print']);
      const dropped = await lambda.invoke(py('context_object.logs'), '{"drop_handler":true}');
      assert.deepEqual(output(dropped), ['first without a newline', 'second', '42', 'then print', 'raw text']);
      // JSON format: the message goes as plain text (LogSink.log), not as a JSON record.
      const json = await lambda.invoke(py('context_object.logs_json', jsonLogs()), '{}');
      const lines = output(json);
      assert.equal(lines.length, 2, lines.join('\n'));
      assert.equal((JSON.parse(lines[0]) as { message: string }).message, 'through logging');
      assert.equal(lines[1], 'plain text even in JSON format');
    });
  });

  describe('the runtime and its runner', () => {
    it('the Runtime API connection closing while it waits for the next event ends the runtime, its child processes and threads', async () => {
      const mark = `lwb-runner-gone-${process.pid}-${Date.now()}`;
      const responses: string[] = [];
      let nextCalls = 0;
      const api = await fakeRuntimeApi((request, socket) => {
        if (request.line.startsWith('GET /2018-06-01/runtime/invocation/next ')) {
          // The second wait for an event: the runner is gone (as when it is killed), its socket closed.
          if (++nextCalls === 1) reply(socket, ...event('req-1'));
          else socket.destroy();
        } else {
          responses.push(request.body);
          reply(socket, '202 Accepted', {}); // not the next event: the runtime asks for it with GET /next
        }
      });
      const child = await spawnRuntime(api.address, 'runner_gone.leaves_work', mark);
      child.stdout.resume();
      child.stderr.resume();
      try {
        // Bounded only so that, should it stay, the finally below still ends what it left (a hang guard, below the
        // test's timeout; not a measure of how fast it ends).
        let guard: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([once(child, 'exit'), new Promise((resolve) => { guard = setTimeout(resolve, 20_000, 'still running'); })]);
        clearTimeout(guard);
        assert.deepEqual(responses.map((body) => Object.keys(JSON.parse(body) as object)), [['child']], 'the one call was answered');
        assert.equal(nextCalls, 2);
        assert.notEqual(outcome, 'still running', `the runtime is still running: ${JSON.stringify(processesWith(mark))}`);
        assert.deepEqual(await noneLeft(mark), [], 'no process of the runtime\'s tree is left');
      } finally {
        for (const pid of processesWith(mark)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
        api.close();
      }
    });

    it('tenant_id is the Lambda-Runtime-Aws-Tenant-Id header, in the context and as tenantId in JSON log records', async () => {
      const mark = `lwb-tenant-${process.pid}-${Date.now()}`;
      const responses: string[] = [];
      const api = await fakeRuntimeApi((request, socket) => {
        if (request.line.startsWith('GET ')) reply(socket, ...event('req-7', { 'Lambda-Runtime-Aws-Tenant-Id': 'tenant-7' }));
        else { responses.push(request.body); socket.destroy(); }
      });
      const child = await spawnRuntime(api.address, 'runner_gone.tenant', mark, { AWS_LAMBDA_LOG_FORMAT: 'JSON' });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
      child.stderr.resume();
      try {
        await once(child, 'exit');
        assert.deepEqual(responses.map((body) => JSON.parse(body) as unknown), [{ tenant_id: 'tenant-7', repr_end: 'tenant_id=tenant-7])' }]);
        const record = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>)[0];
        assert.deepEqual({ ...record, timestamp: 'x' }, { timestamp: 'x', level: 'WARNING', message: 'for tenant', logger: 'root', requestId: 'req-7', tenantId: 'tenant-7' });
      } finally {
        for (const pid of processesWith(mark)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
        api.close();
      }
    });
  });

  describe('marshalling the result', () => {
    it('writes Decimal as a JSON number with its exact digits, at any depth (NaN as NaN)', async () => {
      const r = await lambda.invoke(py('fidelity.decimals'), '{}');
      assert.equal(r.error, undefined, r.payload);
      assert.equal(r.payload, '{"price": 1.10, "items": [{"qty": 3}, -0.000, 1E+2], "nan": NaN, "inf": -Infinity, "plain": 2.5}');
    });

    it('posts a bytes result as it is; bytes inside a result are UTF-8 text', async () => {
      const raw = await lambda.invoke(py('fidelity.raw_bytes'), '{}');
      assert.equal(raw.error, undefined, raw.payload);
      assert.equal(raw.payload, 'not json, sent as is');
      const nested = await lambda.invoke(py('fidelity.nested_bytes'), '{}');
      assert.equal(nested.payload, '{"data": "caf\\u00e9"}');
    });

    it('writes a namedtuple as an object (namedtuple_as_object), at any depth, and a tuple as an array', async () => {
      const top = await lambda.invoke(py('fidelity.named_tuple'), '{}');
      assert.equal(top.error, undefined, top.payload);
      assert.equal(top.payload, '{"x": 1, "y": 2}');
      const nested = await lambda.invoke(py('fidelity.named_tuples_nested'), '{}');
      assert.equal(nested.payload, '{"path": [{"x": {"x": 0, "y": 0}, "y": 1.50}], "pair": [{"x": "a", "y": null}]}');
      // simplejson's own error for an _asdict() that returns no dict.
      assert.deepEqual(errorDoc(await lambda.invoke(py('fidelity.asdict_not_a_dict'), '{}')).errorMessage,
        'Unable to marshal response: _asdict() must return a dict, not list');
    });

    it('writes bytes keys as UTF-8 text, as bytes values (not a MarshalError)', async () => {
      const r = await lambda.invoke(py('fidelity.bytes_keys'), '{}');
      assert.equal(r.error, undefined, r.payload);
      assert.equal(r.payload, '{"k": 1, "nested": [{"caf\\u00e9": "v"}], "same": 2, "same": 3}');
    });

    it('escapes non-ASCII up to python3.11 and writes UTF-8 from python3.12 on, in results and error payloads', async () => {
      const escaped = await lambda.invoke(py('fidelity.non_ascii'), '{}');
      assert.equal(escaped.payload, '{"name": "caf\\u00e9 \\u2603"}');
      const utf8 = await lambda.invoke(py('fidelity.non_ascii', { runtime: 'python3.12' }), '{}');
      assert.equal(utf8.error, undefined, utf8.payload);
      assert.equal(utf8.payload, '{"name": "café ☃"}');
      const error311 = await lambda.invoke(py('fidelity.fails_unicode'), '{}');
      assert.match(error311.payload, /^\{"errorMessage": "caf\\u00e9 refus\\u00e9", /);
      const error312 = await lambda.invoke(py('fidelity.fails_unicode', { runtime: 'python3.12' }), '{}');
      assert.match(error312.payload, /^\{"errorMessage": "café refusé", /);
    });
  });

  describe('logging', () => {
    it('JSON format: one object per record with AWS\'s fields, extras, exception fields; print() stays text', async () => {
      const r = await lambda.invoke(py('fidelity.json_logs', jsonLogs('DEBUG')), '{}');
      assert.equal(r.error, undefined, r.payload);
      const lines = output(r);
      assert.equal(lines[lines.length - 1], 'plain print');
      const records = jsonRecords(r);
      assert.equal(records.length, 5, lines.join('\n'));
      for (const record of records) {
        assert.match(String(record.timestamp), JSON_TIME);
        assert.equal(record.requestId, r.requestId);
      }
      const base = (level: string, message: string, logger: string) => ({ level, message, logger, requestId: r.requestId });
      const strip = ({ timestamp: _t, ...rest }: Record<string, unknown>) => rest;
      assert.deepEqual(strip(records[0]), base('DEBUG', 'debug line', 'app.orders'));
      assert.deepEqual(Object.keys(records[1]), ['timestamp', 'level', 'message', 'logger', 'requestId', 'orderId', 'count']);
      assert.deepEqual(strip(records[1]), { ...base('INFO', 'info line 7', 'app.orders'), orderId: 'o-1', count: 2 });
      assert.deepEqual(strip(records[2]), base('WARNING', 'root warning', 'root'));
      assert.deepEqual(Object.keys(records[3]), ['timestamp', 'level', 'message', 'logger', 'stackTrace', 'errorType', 'errorMessage', 'requestId', 'location']);
      const marker = readFileSync(fixtureFile('fidelity'), 'utf8').split('\n').findIndex((l) => l.includes('# the exception line')) + 1;
      // traceback.format_tb here (FrameSummary objects): Python 3.13 adds its column markers even under a whole line.
      const stack = records[3].stackTrace as string[];
      const expectedFrames = [frame('fidelity', 'json_logs', '_check("o-2")'), frame('fidelity', '_check', 'raise OrderError("order {}')];
      assert.equal(stack.length, 2);
      stack.forEach((entry, i) => {
        assert.ok(entry.startsWith(expectedFrames[i]), entry);
        assert.match(entry.slice(expectedFrames[i].length), /^( *[~^]+\n)?$/, 'at most a line of column markers follows');
      });
      assert.deepEqual(strip({ ...records[3], stackTrace: undefined }), {
        level: 'ERROR', message: 'could not place the order', logger: 'app.orders', stackTrace: undefined,
        errorType: 'OrderError', errorMessage: 'order o-2 rejected', requestId: r.requestId,
        location: `${fixtureFile('fidelity')}:json_logs:${marker}`,
      });
      assert.deepEqual(strip(records[4]), base('CRITICAL', 'critical line', 'app.orders'));
    });

    it('JSON format: the application log level sets the root level (INFO by default, TRACE is DEBUG, FATAL is CRITICAL)', async () => {
      const levels = async (level?: 'TRACE' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL'): Promise<unknown[]> =>
        jsonRecords(await lambda.invoke(py('fidelity.json_logs', jsonLogs(level)), '{}')).map((rec) => rec.level);
      assert.deepEqual(await levels('TRACE'), ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL']);
      assert.deepEqual(await levels(), ['INFO', 'WARNING', 'ERROR', 'CRITICAL']);
      assert.deepEqual(await levels('WARN'), ['WARNING', 'ERROR', 'CRITICAL']);
      assert.deepEqual(await levels('ERROR'), ['ERROR', 'CRITICAL']);
      assert.deepEqual(await levels('FATAL'), ['CRITICAL']);
    });

    it('text format: "[LEVEL]\\t<time>\\t<request id>\\t<message>" records at WARNING and above', async () => {
      const r = await lambda.invoke(py('fidelity.json_logs'), '{}');
      const lines = output(r);
      const id = r.requestId;
      assert.match(lines[0], new RegExp(`^\\[WARNING\\]\\t${TEXT_TIME}\\t${id}\\troot warning$`));
      assert.match(lines[1], new RegExp(`^\\[ERROR\\]\\t${TEXT_TIME}\\t${id}\\tcould not place the order$`));
      assert.equal(lines[2], 'Traceback (most recent call last):');
      assert.ok(lines.some((l) => new RegExp(`^\\[CRITICAL\\]\\t${TEXT_TIME}\\t${id}\\tcritical line$`).test(l)));
      assert.equal(lines[lines.length - 1], 'plain print');
    });

    it('an init error is preceded by AWS\'s LAMBDA_WARNING through logging, in text and in JSON', async () => {
      const text = output(await lambda.invoke(py('imports_missing.handler'), '{}'));
      assert.match(text[0], new RegExp(`^\\[WARNING\\]\\t${TEXT_TIME}\\t\\tLAMBDA_WARNING: Unhandled exception\\. `));
      assert.equal(text[0].slice(text[0].indexOf('LAMBDA_WARNING')), UNHANDLED_WARNING.replace(/\r$/, ''), 'the line ends with \\r\\n; the host drops the \\r');
      assert.deepEqual(text.slice(1), ["[ERROR] Runtime.ImportModuleError: Unable to import module 'imports_missing': No module named 'a_dependency_that_is_not_installed'",
        'Traceback (most recent call last):']);

      const json = await lambda.invoke(py('imports_missing.handler', jsonLogs()), '{}');
      const [warning, error] = jsonRecords(json);
      assert.deepEqual(Object.keys(warning), ['timestamp', 'level', 'message', 'logger', 'requestId']);
      assert.deepEqual({ ...warning, timestamp: 'x' }, { timestamp: 'x', level: 'WARNING', message: UNHANDLED_WARNING, logger: 'root', requestId: '' });
      assert.deepEqual(Object.keys(error), ['timestamp', 'log_level', 'errorMessage', 'errorType', 'requestId', 'stackTrace']);
      assert.deepEqual({ ...error, timestamp: 'x' }, { timestamp: 'x', log_level: 'ERROR', ...errorDoc(json) });
    });

    it('output without a final newline is its own line; a closed or replaced sys.stdout does not break the call', async () => {
      const ragged = await lambda.invoke(py('streams.no_newline'), '{}');
      assert.equal(ragged.payload, '"ok"');
      assert.deepEqual(output(ragged).sort(), ['stderr without one either', 'stdout without a newline']);
      const closed = await lambda.invoke(py('streams.closes_stdout'), '{}');
      assert.equal(closed.error, undefined, closed.payload);
      assert.equal(closed.payload, '2');
      assert.deepEqual(output(closed), ['before closing']);
      const replaced = await lambda.invoke(py('streams.replaces_stdout'), '{}');
      assert.equal(replaced.payload, '3');
      assert.deepEqual(output(replaced), []);
    });

    it('a function that never logs or fails imports neither logging, traceback nor decimal (cold-start cost)', async () => {
      for (const extra of [{}, jsonLogs('DEBUG')]) {
        const r = await lambda.invoke(py('quiet.modules_loaded', extra), '{}');
        assert.deepEqual(JSON.parse(r.payload), { 'logging': false, 'traceback': false, 'decimal': false, 'http.client': false });
      }
    });
  });
});
