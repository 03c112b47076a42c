import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lambdaModuleFlags, lambdaNodeOptions } from '../../../src/core/runtime/launchPlan';
import type { FunctionConfig, InvokeResult } from '../../../src/core/runtime/types';
import { fixtures, suiteLambda } from '../support/runtimeFixtures';

// The rules of AWS's Node.js runtime interface client (src/Errors.js, Runtime.js, CallbackContext.js, LogPatch.js),
// each run through a real environment.
const fn = (handler: string, extra: Partial<FunctionConfig> = {}): FunctionConfig => ({
  name: `fidelity-${handler.replace(/[^\w-]/g, '-')}-${extra.runtime ?? 'nodejs22.x'}${extra.logging ? '-json' : ''}`,
  runtime: 'nodejs22.x', handler: `handlers.${handler}`, codeDir: join(fixtures, 'node-fidelity'), ...extra,
});
const functionLines = (r: InvokeResult): string[] => r.logs.slice(r.logs.findIndex((l) => l.startsWith('START')) + 1, r.logs.findIndex((l) => l.startsWith('END')));

describe('Node.js fidelity with AWS\'s runtime client', function () {
  this.timeout(30_000);
  const lambda = suiteLambda();

  describe('error shapes', () => {
    it('a thrown non-Error is typed by typeof, its message the value as text, with no trace', async () => {
      const text = await lambda.invoke(fn('throwString'), '{}');
      assert.deepEqual(JSON.parse(text.payload), { errorType: 'string', errorMessage: 'plain words', trace: [] });
      const object = await lambda.invoke(fn('throwObject'), '{}');
      assert.deepEqual(JSON.parse(object.payload), { errorType: 'object', errorMessage: '[object Object]', trace: [] });
      // The log line shows it as an Error, as AWS's client wraps it for logging.
      assert.ok(text.logs.some((l) => /\tERROR\tInvoke Error \t\{"errorType":"Error","errorMessage":"plain words","stack":\["Error: plain words"/.test(l)), text.logs.join('\n'));
    });

    it('a rejection with no reason is the string "handled"', async () => {
      const r = await lambda.invoke(fn('rejectUndefined'), '{}');
      assert.deepEqual(JSON.parse(r.payload), { errorType: 'string', errorMessage: 'handled', trace: [] });
    });

    it('a rejection nobody handles is Runtime.UnhandledPromiseRejection and the environment is replaced', async () => {
      const r = await lambda.invoke(fn('unhandled'), '{}');
      assert.equal(r.error?.errorType, 'Runtime.UnhandledPromiseRejection');
      assert.equal(r.error?.errorMessage, 'Error: nobody caught this');
      assert.equal(r.error?.trace?.[0], 'Runtime.UnhandledPromiseRejection: Error: nobody caught this');
      assert.ok(r.error?.trace?.some((l) => l.includes('handlers.js')), 'the trace says where the rejection came from');
      assert.ok(r.logs.some((l) => l.includes('\tERROR\tUnhandled Promise Rejection \t')));
      const next = await lambda.invoke(fn('unhandled'), '{}');
      assert.equal(next.coldStart, true, 'the runtime exited');
    });

    it('an ES module syntax error names the file and line; CommonJS too', async () => {
      const esm = await lambda.invoke({ ...fn('x'), handler: 'badesm.handler', codeDir: join(fixtures, 'node-syntax') }, '{}');
      assert.equal(esm.error?.errorType, 'Runtime.UserCodeSyntaxError');
      assert.equal(esm.error?.errorMessage, "SyntaxError: Unexpected token ';'");
      assert.match(esm.error?.trace?.join('\n') ?? '', /node-syntax[/\\]badesm\.mjs:2/);
      const cjs = await lambda.invoke({ ...fn('x'), handler: 'bad.handler', codeDir: join(fixtures, 'node-syntax') }, '{}');
      assert.equal(cjs.error?.errorType, 'Runtime.UserCodeSyntaxError');
      assert.match(cjs.error?.trace?.join('\n') ?? '', /node-syntax[/\\]bad\.js:\d+/);
    });
  });

  describe('when an invocation ends', () => {
    it('output without a final newline is its own line, not joined to the runner\'s end mark', async () => {
      const r = await lambda.invoke(fn('noNewline'), '{}');
      assert.equal(r.payload, '"ok"');
      assert.deepEqual(functionLines(r).sort(), ['stderr without one either', 'stdout without a newline']);
    });

    it('a plain handler\'s return value is ignored: null once the event loop is empty', async () => {
      const r = await lambda.invoke(fn('plain'), '{}');
      assert.equal(r.payload, 'null');
      assert.ok(functionLines(r).some((l) => l.endsWith('\tINFO\tplain timer ran')), 'its timer ran within the invocation');
      const promised = await lambda.invoke(fn('promiseReturning'), '{}');
      assert.equal(JSON.parse(promised.payload), 'from a promise');
    });

    it('an async handler whose promise can never settle fails with Runtime.NodeJsExit instead of hanging', async () => {
      const r = await lambda.invoke(fn('neverSettles'), '{}');
      assert.equal(r.timedOut, false);
      assert.equal(r.error?.errorType, 'Runtime.NodeJsExit');
      assert.match(r.error?.errorMessage ?? '', /Promise that was never settled/);
    });

    it('callbackWaitsForEmptyEventLoop true (the default): the response waits for the event loop to drain', async () => {
      const r = await lambda.invoke(fn('callbackWaits'), '{}');
      assert.equal(JSON.parse(r.payload), 'called back');
      assert.ok(functionLines(r).some((l) => l.endsWith('\tINFO\ttimer after callback')), r.logs.join('\n'));
    });

    it('callbackWaitsForEmptyEventLoop false: the response is sent at once, the timer runs in the next invocation', async () => {
      const first = await lambda.invoke(fn('callbackNoWait'), '{}');
      assert.equal(JSON.parse(first.payload), 'quick');
      assert.ok(!first.logs.some((l) => l.includes('late timer')), 'not in its own invocation');
      // The same environment, thawed: the second call sees the first one's timer run.
      const second = await lambda.invoke(fn('callbackNoWait'), '{"second":true}');
      assert.equal(second.coldStart, false);
      assert.equal(JSON.parse(second.payload), "the first call's timer ran");
      assert.ok(second.logs.some((l) => l.endsWith('\tINFO\tlate timer')), second.logs.join('\n'));
    });

    it('only the first callback counts', async () => {
      const r = await lambda.invoke(fn('callbackTwice'), '{}');
      assert.equal(JSON.parse(r.payload), 'first');
    });
  });

  describe('the first outcome wins', () => {
    it('a callback beats a later promise, succeed or fail; succeed beats a later callback', async () => {
      assert.equal(JSON.parse((await lambda.invoke(fn('callbackThenPromise'), '{}')).payload), 'from cb');
      assert.equal(JSON.parse((await lambda.invoke(fn('callbackThenSucceed'), '{}')).payload), 'from cb');
      const failLater = await lambda.invoke(fn('callbackThenFail'), '{}');
      assert.equal(failLater.error, undefined, failLater.payload);
      assert.equal(JSON.parse(failLater.payload), 'from cb');
      assert.equal(JSON.parse((await lambda.invoke(fn('succeedThenCallback'), '{}')).payload), 'from succeed');
    });
  });

  describe('results the Runtime API cannot take', () => {
    it('a function or Symbol result fails with the native client\'s TypeError "Wrong arguments" (3.x and 4.x); the environment stays', async () => {
      for (const runtime of ['nodejs22.x', 'nodejs24.x']) {
        for (const handler of ['returnFunction', 'returnSymbol']) {
          const r = await lambda.invoke(fn(handler, { runtime }), '{}');
          assert.equal(r.error?.errorType, 'TypeError', `${runtime} ${handler}: ${r.payload}`);
          assert.equal(r.error?.errorMessage, 'Wrong arguments');
          assert.ok(r.logs.some((l) => l.includes('\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"Wrong arguments"')), r.logs.join('\n'));
          const again = await lambda.invoke(fn(handler, { runtime }), '{}');
          assert.equal(again.coldStart, false, 'the runtime did not exit');
        }
      }
    });

    it('a circular result: Error "Unable to stringify response body" in 3.x, Runtime.JSONStringifyError in 4.x', async () => {
      const v22 = await lambda.invoke(fn('returnCircular'), '{}');
      assert.deepEqual([v22.error?.errorType, v22.error?.errorMessage], ['Error', 'Unable to stringify response body']);
      const v24 = await lambda.invoke(fn('returnCircular', { runtime: 'nodejs24.x' }), '{}');
      assert.deepEqual([v24.error?.errorType, v24.error?.errorMessage], ['Runtime.JSONStringifyError', 'Unable to stringify response body']);
    });
  });

  describe('thrown values of unusual shapes', () => {
    it('a value that cannot become a string is reported as the TypeError logging it raised; the environment stays', async () => {
      const r = await lambda.invoke(fn('throwNullProto'), '{}');
      assert.equal(r.error?.errorType, 'TypeError', r.payload);
      assert.equal(r.error?.errorMessage, 'Cannot convert object to primitive value');
      const again = await lambda.invoke(fn('throwNullProto'), '{}');
      assert.equal(again.coldStart, false, 'the runtime did not exit');
    });

    it('an object with an empty message is no Error to 3.x (_isError); 4.x takes only a real Error', async () => {
      const empty = await lambda.invoke(fn('throwFakeEmpty'), '{}');
      assert.deepEqual(JSON.parse(empty.payload), { errorType: 'object', errorMessage: '[object Object]', trace: [] });
      const v22 = await lambda.invoke(fn('throwFake'), '{}');
      assert.deepEqual(JSON.parse(v22.payload), { errorType: 'Fake', errorMessage: 'looks like one', trace: ['Fake: looks like one', '    at x'] });
      const v24 = await lambda.invoke(fn('throwFake', { runtime: 'nodejs24.x' }), '{}');
      assert.deepEqual(JSON.parse(v24.payload), { errorType: 'object', errorMessage: '[object Object]', trace: [] });
    });

    it('DEL (0x7F) in the type, message and trace is written %7F, in 3.x and 4.x', async () => {
      for (const runtime of ['nodejs22.x', 'nodejs24.x']) {
        const body = JSON.parse((await lambda.invoke(fn('throwDel', { runtime }), '{}')).payload) as { errorType: string; errorMessage: string; trace: string[] };
        assert.equal(body.errorType, 'Del%7FError', runtime);
        assert.equal(body.errorMessage, 'bad%7Fmessage');
        assert.equal(body.trace[0], 'Del%7FError: bad%7Fmessage');
        assert.ok(!JSON.stringify(body).includes('\x7F'));
      }
    });

    it('a handler\'s trace shows no frame of the runtime (no "at new Promise")', async () => {
      for (const handler of ['fail', 'throwSync']) {
        const r = await lambda.invoke(fn(handler), '{}');
        const trace = r.error?.trace ?? [];
        assert.ok(trace.some((l) => l.includes('handlers.js')), trace.join('\n'));
        assert.ok(!trace.some((l) => l.includes('new Promise')), trace.join('\n'));
      }
    });
  });

  describe('log lines', () => {
    it('console.log() with no arguments prints "undefined" in text and no message in JSON', async () => {
      const text = await lambda.invoke(fn('logNothing'), '{}');
      assert.ok(functionLines(text).some((l) => l.endsWith(`\t${text.requestId}\tINFO\tundefined`)), text.logs.join('\n'));
      const json = await lambda.invoke(fn('logNothing', { logging: { format: 'JSON' } }), '{}');
      const record = functionLines(json).map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.level === 'INFO');
      assert.deepEqual(Object.keys(record ?? {}), ['timestamp', 'level', 'requestId'], json.logs.join('\n'));
    });

    it('a line logged after the invocation returned keeps its request id (3.x and 4.x never clear it)', async () => {
      for (const runtime of ['nodejs22.x', 'nodejs24.x']) {
        const first = await lambda.invoke(fn('lateLog', { runtime }), '{}');
        const second = await lambda.invoke(fn('lateLog', { runtime }), '{"second":true}');
        assert.equal(second.coldStart, false);
        // Shown with the call it followed or the next one, as the output pipe's lines and the reply race.
        const lines = [...first.logs, ...second.logs];
        assert.ok(lines.some((l) => l.endsWith(`\t${first.requestId}\tINFO\tlogged late`)), `${runtime}\n${lines.join('\n')}`);
      }
    });

    it('a line logged at init has request id undefined in 3.x and "-" in 4.x', async () => {
      for (const [runtime, id] of [['nodejs22.x', 'undefined'], ['nodejs24.x', '-']]) {
        const r = await lambda.invoke({ ...fn('x', { runtime }), name: `init-log-${runtime}`, handler: 'initLog.handler' }, '{}');
        assert.ok(r.logs.some((l) => l.endsWith(`\t${id}\tINFO\tlogged at init`)), `${runtime}\n${r.logs.join('\n')}`);
      }
    });

    it('an init failure is logged as "Uncaught Exception" in 3.x and "Init Error" in 4.x', async () => {
      for (const [runtime, title] of [['nodejs22.x', 'Uncaught Exception'], ['nodejs24.x', 'Init Error']]) {
        const r = await lambda.invoke({ ...fn('x', { runtime }), name: `init-throws-${runtime}`, handler: 'initThrows.handler' }, '{}');
        assert.equal(r.error?.errorMessage, 'init broke', r.payload);
        assert.ok(r.logs.some((l) => l.includes(`\tERROR\t${title} \t{"errorType":"Error","errorMessage":"init broke"`)), `${runtime}\n${r.logs.join('\n')}`);
      }
    });
  });

  describe('nodejs24.x handler lookup', () => {
    it('finds the handler on the default export in 4.x only', async () => {
      const config = (runtime: string): FunctionConfig => ({ ...fn('x', { runtime }), name: `default-export-${runtime}`, handler: 'defaultExport.handler' });
      const v24 = await lambda.invoke(config('nodejs24.x'), '{}');
      assert.equal(v24.payload, '"from the default export"', v24.payload);
      const v22 = await lambda.invoke(config('nodejs22.x'), '{}');
      assert.equal(v22.error?.errorType, 'Runtime.HandlerNotFound');
    });
  });

  describe('response streaming', () => {
    it('reports the memory the runtime used', async () => {
      const r = await lambda.invoke(fn('streamed'), '{}');
      assert.equal(r.payload, 'streamed');
      assert.ok(r.maxMemoryUsedMb > 0, `Max Memory Used: ${r.maxMemoryUsedMb} MB`);
    });
  });

  describe('callback handlers by runtime', () => {
    it('nodejs22.x runs them and prints AWS\'s deprecation warning at init', async () => {
      const r = await lambda.invoke(fn('callbackWaits'), '{}', { cold: true });
      assert.ok(r.logs.some((l) => /\tundefined\tWARN\tAWS Lambda plans to remove support for callback-based function handlers starting with Node\.js 24\./.test(l)), r.logs.join('\n'));
      const quiet = await lambda.invoke(fn('callbackWaits', { environment: { AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING: '1' }, name: 'quiet-callback' }), '{}');
      assert.ok(!quiet.logs.some((l) => l.includes('plans to remove support')));
    });

    it('nodejs24.x refuses any handler with a callback parameter at init, async or not', async () => {
      for (const handler of ['callbackWaits', 'asyncWithThreeArgs']) {
        const r = await lambda.invoke(fn(handler, { runtime: 'nodejs24.x' }), '{}');
        assert.equal(r.error?.errorType, 'Runtime.CallbackHandlerDeprecated', handler);
        assert.match(r.error?.errorMessage ?? '', /^ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node\.js 24\./);
        assert.ok(r.initDurationMs !== undefined);
      }
    });

    it('nodejs24.x has no callback methods on the context; nodejs22.x has them', async () => {
      const v24 = await lambda.invoke(fn('contextShape', { runtime: 'nodejs24.x' }), '{}');
      assert.deepEqual(JSON.parse(v24.payload), { succeed: 'undefined', done: 'undefined', fail: 'undefined', waits: 'absent' });
      const v22 = await lambda.invoke(fn('contextShape'), '{}');
      assert.deepEqual(JSON.parse(v22.payload), { succeed: 'function', done: 'function', fail: 'function', waits: true });
    });
  });

  describe('JSON logging', () => {
    const json = { logging: { format: 'JSON', applicationLogLevel: 'DEBUG' } } as const;
    const records = (r: InvokeResult): Record<string, unknown>[] =>
      functionLines(r).filter((l) => l.startsWith('{"timestamp"')).map((l) => JSON.parse(l) as Record<string, unknown>);

    it('console.* writes Lambda\'s JSON records, below the level dropped', async () => {
      const r = await lambda.invoke(fn('logs', json), '{}');
      const got = records(r);
      assert.deepEqual(got.map((g) => g.level), ['DEBUG', 'INFO', 'INFO', 'WARN', 'ERROR'], 'TRACE is below DEBUG');
      for (const record of got) {
        assert.match(String(record.timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        assert.equal(record.requestId, r.requestId);
      }
      assert.deepEqual(Object.keys(got[0]!), ['timestamp', 'level', 'requestId', 'message']);
      assert.equal(got[0]!.message, 'a debug');
      assert.deepEqual(got[2]!.message, { kept: 'as an object' }, 'one argument stays a value');
      assert.equal(got[3]!.message, 'a warning 7', 'several arguments are formatted');
      const error = got[4]!;
      assert.deepEqual(Object.keys(error), ['timestamp', 'level', 'requestId', 'message', 'errorType', 'errorMessage', 'stackTrace']);
      assert.equal(error.errorType, 'TypeError');
      assert.equal(error.errorMessage, 'bad type');
      assert.ok(Array.isArray(error.stackTrace) && String((error.stackTrace as string[])[0]) === 'TypeError: bad type');
    });

    it('an invocation error is one JSON record of the error', async () => {
      const r = await lambda.invoke(fn('fail', json), '{}');
      const [record] = records(r);
      assert.equal(record?.level, 'ERROR');
      const message = record?.message as Record<string, unknown>;
      assert.equal(message.errorType, 'RangeError');
      assert.equal(message.errorMessage, 'out of range');
      assert.ok(Array.isArray(message.stackTrace));
    });

    it('ERROR level keeps only errors; text format ignores levels as Lambda does', async () => {
      const errorsOnly = await lambda.invoke(fn('logs', { logging: { format: 'JSON', applicationLogLevel: 'ERROR' } }), '{}');
      assert.deepEqual(records(errorsOnly).map((g) => g.level), ['ERROR']);
      const text = await lambda.invoke(fn('logs', { logging: { format: 'Text', applicationLogLevel: 'ERROR' } }), '{}');
      assert.deepEqual(functionLines(text).filter((l) => /^\d{4}-/.test(l)).map((l) => l.split('\t')[2]), ['TRACE', 'DEBUG', 'INFO', 'INFO', 'WARN', 'ERROR']);
    });
  });

  describe('Node\'s options as Lambda\'s bootstrap sets them', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'lwb-nodeopts-'));
      mkdirSync(join(dir, 'lib'));
      mkdirSync(join(dir, 'handlers'));
      writeFileSync(join(dir, 'lib', 'db.js'), 'exports.name = "db from the task root";\n');
      writeFileSync(join(dir, 'handlers', 'orders.js'), 'exports.handler = async () => require("lib/db").name;\n');
      writeFileSync(join(dir, 'opts.js'), 'const v8 = require("node:v8");\nexports.handler = async () => ({ gc: typeof global.gc, maxHeaderSize: require("node:http").maxHeaderSize, heapMb: Math.round(v8.getHeapStatistics().heap_size_limit / 1048576) });\n');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('global.gc exists, HTTP headers up to 80 KiB parse, and the heap follows the memory size', async () => {
      const run = async (memorySize: number) => JSON.parse((await lambda.invoke({ name: `nodeopts-${memorySize}`, runtime: 'nodejs22.x', handler: 'opts.handler', codeDir: dir, memorySize }, '{}')).payload) as { gc: string; maxHeaderSize: number; heapMb: number };
      const small = await run(128);
      assert.equal(small.gc, 'function');
      assert.equal(small.maxHeaderSize, 81_920);
      // Old space 116 MB plus the young generation: far below Node's own default of gigabytes.
      assert.ok(small.heapMb > 116 && small.heapMb < 160, `${small.heapMb} MB`);
      const large = await run(2048);
      assert.ok(large.heapMb > 1843 && large.heapMb < 2300, `${large.heapMb} MB`);
    });

    it('the task root is on NODE_PATH: require("lib/db") from a nested handler finds <task root>/lib/db.js', async () => {
      const r = await lambda.invoke({ name: 'nodepath-task-root', runtime: 'nodejs22.x', handler: 'handlers/orders.handler', codeDir: dir }, '{}');
      assert.equal(r.payload, '"db from the task root"', r.payload);
    });

    it('sizes: the new space a tenth of the memory, each semi-space half of it, the old space the rest', () => {
      assert.deepEqual(lambdaNodeOptions(128), ['--expose-gc', '--max-http-header-size=81920', '--max-semi-space-size=6', '--max-old-space-size=116']);
      assert.deepEqual(lambdaNodeOptions(1024).slice(2), ['--max-semi-space-size=51', '--max-old-space-size=922']);
    });
  });

  describe('module features Lambda turns off although Node has them on', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'lwb-modflags-'));
      mkdirSync(join(dir, 'node_modules', 'esm-only'), { recursive: true });
      writeFileSync(join(dir, 'node_modules', 'esm-only', 'package.json'), '{"name":"esm-only","type":"module","exports":"./index.js"}');
      writeFileSync(join(dir, 'node_modules', 'esm-only', 'index.js'), 'export const kind = "esm";\n');
      writeFileSync(join(dir, 'requires.js'), 'exports.handler = async () => require("esm-only").kind;\n');
      // ES module syntax in a .js file of no "type": "module" package.
      writeFileSync(join(dir, 'syntax.js'), 'export const handler = async () => "detected";\n');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));
    const local = (handler: string, runtime: string, environment?: Record<string, string>): FunctionConfig => ({
      name: `modflags-${handler}-${runtime}-${environment ? 'on' : 'off'}`, runtime, handler, codeDir: dir, environment,
    });

    it('require() of an ES module fails with ERR_REQUIRE_ESM on nodejs20.x and 22.x; NODE_OPTIONS turns it back on', async () => {
      for (const runtime of ['nodejs20.x', 'nodejs22.x']) {
        const r = await lambda.invoke(local('requires.handler', runtime), '{}');
        assert.equal(r.error?.errorType, 'Error', `${runtime}: ${r.payload}`);
        assert.match(r.error?.errorMessage ?? '', /require\(\) of ES Module .*esm-only.* not supported/);
        const on = await lambda.invoke(local('requires.handler', runtime, { NODE_OPTIONS: '--experimental-require-module' }), '{}');
        assert.equal(on.payload, '"esm"', `${runtime} with the flag: ${on.payload}`);
      }
    });

    it('nodejs22.x does not detect ES module syntax in a CommonJS .js file: a syntax error, as on Lambda', async () => {
      const r = await lambda.invoke(local('syntax.handler', 'nodejs22.x'), '{}');
      assert.equal(r.error?.errorType, 'Runtime.UserCodeSyntaxError', r.payload);
      assert.match(r.error?.errorMessage ?? '', /SyntaxError: Unexpected token 'export'/);
    });

    it('passes only flags the local Node knows, and none a NODE_OPTIONS already decides', () => {
      assert.deepEqual(lambdaModuleFlags('nodejs22.x', '22.12'), ['--no-experimental-require-module', '--no-experimental-detect-module']);
      assert.deepEqual(lambdaModuleFlags('nodejs20.x', '22.12'), ['--no-experimental-require-module']);
      assert.deepEqual(lambdaModuleFlags('nodejs22.x', '20.16'), ['--no-experimental-detect-module'], 'require-module came in 20.17');
      assert.deepEqual(lambdaModuleFlags('nodejs22.x', '20.9'), [], 'detect-module came in 20.10');
      assert.deepEqual(lambdaModuleFlags('nodejs24.x', '25.0'), [], 'a Node newer than 24 is not assumed to know them');
      assert.deepEqual(lambdaModuleFlags('nodejs18.x', '22.12'), []);
      assert.deepEqual(lambdaModuleFlags('nodejs22.x', '24.1', '--enable-source-maps --experimental-detect-module'), ['--no-experimental-require-module']);
    });
  });
});
