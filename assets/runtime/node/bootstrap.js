// Lambda Workbench's Node.js runtime: the program an environment runs. It speaks the Lambda Runtime API at
// $AWS_LAMBDA_RUNTIME_API and follows AWS's Node.js runtime interface client: how the handler is loaded
// (handlerLoader.js), how results and errors are shaped (errors.js), how console output is written (logging.js),
// response streaming (responseStream.js), and when an invocation is over — an async handler when its promise
// settles, a callback handler when it calls back (and, with context.callbackWaitsForEmptyEventLoop, once the event
// loop is empty), any other handler once the event loop is empty. Plain CommonJS, no dependencies.
'use strict';
const fs = require('node:fs');
const { awaitFunction } = require('./earlyStart');
const { writeMarks, END_MARKS_HEADER } = require('./outputMarks');
const { RuntimeApi } = require('./runtimeApi');
const { patchConsole } = require('./logging');
const { loadHandler, handlerShape } = require('./handlerLoader');
const { installGlobal, streamingOf, createResponseStream } = require('./responseStream');
const { RuntimeError, runtimeMajor, errorBody, CALLBACK_REMOVED, CALLBACK_DEPRECATED, NODE_EXIT } = require('./errors');

// Started early (before the CLI knew the function): wait for it here, after our own modules have loaded.
awaitFunction();

const BASE = '/2018-06-01/runtime';
const NEXT = ['GET', `${BASE}/invocation/next`];
const THEN_NEXT_HEADER = 'lambda-workbench-then-next';
const MAX_RSS_HEADER = 'lambda-workbench-max-rss-kb';
const api = new RuntimeApi(process.env.AWS_LAMBDA_RUNTIME_API);
// The Runtime API gone means the runner is (a SIGKILL'd CLI never stops its environments): nothing will end this
// runtime, or what its handler started, but the runtime itself. Spawned detached on POSIX, it leads its own group.
api.onClose = () => {
  if (process.platform !== 'win32') {
    try { process.kill(-process.pid, 'SIGKILL'); } catch { /* not a group leader after all */ }
  }
  process.exit(1);
};
const nodeMajor = runtimeMajor();

let current; // the invocation in progress: { requestId, fail(error, exitCode) }
// The request id of log lines: the latest invocation's, kept after it ends (a late timer's line, a crash between
// calls), as both AWS clients keep it; before the first one undefined in 3.x and "-" in 4.x.
let logRequestId = nodeMajor >= 24 ? '-' : undefined;
const logError = patchConsole(() => logRequestId);

/** Both end marks, whatever was written (a crash, a streamed response: the runner expects both). */
function flushMarks(requestId) {
  writeMarks(requestId, true);
}

// Our own peak resident memory (KiB), so the host's REPORT is exact whatever its sampling saw (not an AWS header).
// On Linux VmHWM: ru_maxrss there keeps the forking parent's size across exec, so it would report the host's. The
// peak only grows when pages are faulted in, so /proc is read again only after new page faults (most warm calls
// have none), from an open file re-read from its start (a read of /proc regenerates it).
let statusFd;
let faultsAtRead = -1;
let peakKb = '0';
const statusBuffer = Buffer.alloc(4096);
function peakMemory() {
  const usage = process.resourceUsage();
  if (process.platform !== 'linux') return String(usage.maxRSS);
  const faults = usage.minorPageFault + usage.majorPageFault;
  if (faults === faultsAtRead) return peakKb;
  faultsAtRead = faults;
  try {
    statusFd ??= fs.openSync('/proc/self/status', 'r');
    const length = fs.readSync(statusFd, statusBuffer, 0, statusBuffer.length, 0);
    peakKb = /VmHWM:\s+(\d+) kB/.exec(statusBuffer.toString('latin1', 0, length))?.[1] ?? String(usage.maxRSS);
  } catch {
    peakKb = String(usage.maxRSS);
  }
  return peakKb;
}

/** Posts an invocation's outcome with the end marks it needs and asks for the next event in the same request (our
 *  extension of the Runtime API, THEN_NEXT_HEADER): one round trip per warm call instead of two. Resolves with the
 *  next event; anything but one (the service refused the outcome) is followed by a plain GET /next. */
function postOutcome(path, body, headers, requestId) {
  headers[END_MARKS_HEADER] = writeMarks(requestId);
  headers[MAX_RSS_HEADER] = peakMemory();
  headers[THEN_NEXT_HEADER] = '1';
  return api.request('POST', path, body, headers).then((reply) => (reply.status === 200 ? reply : api.request(...NEXT)));
}

function errorHeaders(body) {
  return { 'content-type': 'application/json', 'lambda-runtime-function-error-type': body.errorType };
}

/** An invocation's error, asking for the next event with it (see postOutcome). */
function postFailure(requestId, error) {
  const body = errorBody(error);
  return postOutcome(`${BASE}/invocation/${requestId}/error`, JSON.stringify(body), errorHeaders(body), requestId);
}

function postError(path, error) {
  const body = errorBody(error);
  return api.request('POST', path, JSON.stringify(body), { ...errorHeaders(body), [MAX_RSS_HEADER]: peakMemory() });
}

/** A result as the response body, or the error AWS's client meets posting it: JSON.stringify throwing, or giving no
 *  string at all (a function, a Symbol), which its native client refuses with "Wrong arguments". */
function responseBody(result) {
  let body;
  try {
    body = JSON.stringify(result === undefined ? null : result);
  } catch {
    throw nodeMajor >= 24 ? new RuntimeError('JSONStringifyError', 'Unable to stringify response body') : new Error('Unable to stringify response body');
  }
  if (typeof body !== 'string') throw new TypeError('Wrong arguments');
  return body;
}

// The hook `beforeExit` runs: it fires when the event loop is empty, which is how AWS's runtime ends callback
// handlers that wait for it and handlers that neither return a promise nor call back.
let onEmptyLoop = () => undefined;
process.on('beforeExit', () => onEmptyLoop());

process.on('uncaughtException', (error) => crash('Uncaught Exception', error, 129));
const noop = () => undefined;
process.on('unhandledRejection', (reason) => {
  const error = new RuntimeError('UnhandledPromiseRejection', String(reason));
  // AWS's trace shows only its own frames; the rejected Error's frames say where it came from.
  if (reason instanceof Error && typeof reason.stack === 'string') error.stack = `${error.name}: ${error.message}\n${reason.stack.split('\n').slice(1).join('\n')}`;
  crash('Unhandled Promise Rejection', error, 128);
});

/** An error nobody caught: logged (unless `title` is undefined), reported for the invocation in progress (or as the
 *  init error), then the runtime exits as AWS's does and the environment is replaced. Between invocations there is
 *  nothing to report it for. */
function crash(title, error, exitCode) {
  if (title !== undefined) logError(title, error);
  const invocation = current;
  current = undefined;
  if (initialized && (!invocation || invocation.done)) return process.exit(exitCode);
  const requestId = invocation ? invocation.requestId : 'init';
  let reported;
  if (invocation && invocation.fail) {
    reported = invocation.fail(error); // streaming: the error ends the upload in progress
  } else {
    flushMarks(requestId);
    reported = postError(invocation ? `${BASE}/invocation/${requestId}/error` : `${BASE}/init/error`, error);
  }
  reported.finally(() => process.exit(exitCode));
}

let initialized = false;
async function init() {
  installGlobal();
  const handler = await loadHandler();
  const streaming = streamingOf(handler);
  const shape = handlerShape(handler);
  if (!streaming && shape.argsNum >= 3) {
    if (nodeMajor >= 24) throw new RuntimeError('CallbackHandlerDeprecated', CALLBACK_REMOVED);
    if (!shape.isAsync && process.env.AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING === undefined) console.warn(CALLBACK_DEPRECATED);
  }
  return { handler, streaming, shape };
}

function contextFor(headers, extra) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  const parse = (h) => (headers[h] ? JSON.parse(headers[h]) : undefined);
  return Object.assign(extra, {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: parse('lambda-runtime-cognito-identity'),
    clientContext: parse('lambda-runtime-client-context'),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  });
}

const isPromise = (value) => value && typeof value.then === 'function';

/** One buffered invocation; resolves once the outcome is posted, with `{ next }`: the promise of the next event,
 *  which the outcome's request asked for. */
function invokeBuffered(fn, event, headers) {
  const requestId = headers['lambda-runtime-aws-request-id'];
  const invocation = current;
  // The handler runs outside this promise's executor, so that no trace shows a frame of ours (`at new Promise`).
  let resolve;
  const outcome = new Promise((r) => { resolve = r; });
  const end = (next) => {
    onEmptyLoop = noop;
    invocation.done = true;
    resolve({ next });
  };
  // Either throws before anything is posted (a result that cannot be posted, an error that cannot be logged): the
  // caller's next move reports that error instead, as with AWS's client.
  const succeed = (result) => {
    const body = responseBody(result);
    end(postOutcome(`${BASE}/invocation/${requestId}/response`, body, { 'content-type': 'application/json' }, requestId));
  };
  const fail = (error) => {
    logError('Invoke Error', error);
    end(postFailure(requestId, error));
  };
  const done = (error, result) => (error !== undefined && error !== null ? fail(error) : succeed(result));
  // The first of callback, succeed, fail, done and the promise's settlement wins; a call counts once it has returned
  // (CallbackContext.js), so one that threw leaves the next to report.
  let finished = false;
  const once = (f) => (...args) => {
    if (finished) return;
    f(...args);
    finished = true;
  };
  let waitsForEmptyLoop = true;
  const callback = once((error, result) => {
    onEmptyLoop = noop;
    if (error !== undefined && error !== null) return fail(error);
    if (!waitsForEmptyLoop) return succeed(result);
    onEmptyLoop = () => setImmediate(() => succeed(result));
  });
  const extra = {};
  if (nodeMajor < 24) {
    Object.defineProperty(extra, 'callbackWaitsForEmptyEventLoop', {
      get: () => waitsForEmptyLoop, set: (value) => { waitsForEmptyLoop = value; }, enumerable: true,
    });
    Object.assign(extra, {
      succeed: once(succeed),
      fail: once((error) => (error === undefined || error === null ? fail('handled') : fail(error))),
      done: once(done),
    });
  }
  const context = contextFor(headers, extra);
  // Neither a promise nor a callback: the event loop running dry ends it, with null for a plain handler and an
  // error for an async one (its promise can never settle then).
  onEmptyLoop = () => {
    finished = true;
    if (fn.shape.isAsync) fail(new RuntimeError('NodeJsExit', NODE_EXIT));
    else succeed(null);
  };
  // 3.x settles through context.succeed / context.fail; 4.x passes a rejection's reason as it is.
  const resolved = once(succeed);
  const rejected = once((error) => fail(nodeMajor < 24 && (error === undefined || error === null) ? 'handled' : error));
  let returned;
  try {
    returned = fn.handler(event, context, callback);
  } catch (error) {
    try {
      callback(error);
    } catch (unloggable) {
      // The thrown value cannot even be logged: AWS's runtime loop fails with that error and the runtime exits.
      console.log(`Unexpected Top Level Error: ${unloggable}`);
      crash(undefined, unloggable, 129);
    }
    return outcome;
  }
  if (isPromise(returned)) returned.then(resolved, rejected).catch(rejected);
  return outcome;
}

/** One streaming invocation (`awslambda.streamifyResponse`); resolves once the response is complete. */
async function invokeStreaming(fn, event, headers) {
  const requestId = headers['lambda-runtime-aws-request-id'];
  // The peak goes with the upload's headers, and again in its trailers once the body is written.
  const response = createResponseStream(api, `${BASE}/invocation/${requestId}/response`, fn.streaming, () => flushMarks(requestId),
    () => ({ [MAX_RSS_HEADER]: peakMemory() }));
  const invocation = current;
  const fail = (error) => {
    invocation.done = true;
    logError('Invoke Error', error);
    return response.fail(error);
  };
  invocation.fail = (error) => { invocation.done = true; return response.fail(error); }; // a crash: logged already
  onEmptyLoop = () => fail(new RuntimeError('NodeJsExit', NODE_EXIT));
  try {
    const context = contextFor(headers, {});
    const returned = fn.handler(event, response.stream, context);
    if (!isPromise(returned)) return await fail('Streaming does not support non-async handlers.');
    const result = await returned;
    if (result !== undefined) console.warn('Streaming handlers ignore return values.');
    if (!response.ended) return await fail('Response stream is not finished.');
    await response.finished;
  } catch (error) {
    await fail(error);
  } finally {
    onEmptyLoop = () => undefined;
  }
}

async function main() {
  let fn;
  // Under the editor's debugger: its breakpoints are set before the handler's module (init code) loads.
  if (process.env.LWB_DEBUG_GATE) await api.request('GET', `${BASE}/lambda-workbench/debugger-ready`).catch(() => undefined);
  // Connected while the handler's module loads, so the first GET /next goes out at once (~1.5 ms of a cold start).
  // Unreferenced, as between requests: the connection alone never keeps the process alive.
  else api.connection().unref();
  try {
    fn = await init();
  } catch (error) {
    return crash(nodeMajor >= 24 ? 'Init Error' : 'Uncaught Exception', error, 129); // 4.x's title for it
  }
  initialized = true;
  // With what init used: a handler that exits in its first call posts no other figure for its REPORT.
  let upcoming = api.request(...NEXT, undefined, { [MAX_RSS_HEADER]: peakMemory() });
  for (;;) {
    const next = await upcoming;
    const headers = next.headers;
    current = { requestId: headers['lambda-runtime-aws-request-id'], done: false };
    logRequestId = current.requestId;
    if (headers['lambda-runtime-trace-id']) process.env._X_AMZN_TRACE_ID = headers['lambda-runtime-trace-id'];
    else delete process.env._X_AMZN_TRACE_ID;
    let event;
    try {
      event = JSON.parse(next.body);
    } catch (error) {
      logError('Invoke Error', error);
      upcoming = postFailure(current.requestId, error);
      continue;
    }
    if (fn.streaming) {
      await invokeStreaming(fn, event, headers);
      upcoming = api.request(...NEXT);
    } else {
      upcoming = (await invokeBuffered(fn, event, headers)).next;
    }
    current = undefined;
  }
}

main();
