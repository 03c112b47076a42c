// Lambda Workbench's Node.js runtime: the program an environment runs. It speaks the Lambda Runtime API at
// $AWS_LAMBDA_RUNTIME_API exactly as AWS's Node.js runtime does (init, next, response, error), loads the handler
// named by $_HANDLER from $LAMBDA_TASK_ROOT (CommonJS, ESM, async or callback style), formats console output as
// CloudWatch shows it, and keeps module state between invocations (warm reuse). Plain CommonJS, no dependencies.
'use strict';
const net = require('node:net');
const path = require('node:path');
const fs = require('node:fs');
const util = require('node:util');

const API = process.env.AWS_LAMBDA_RUNTIME_API;
const [API_HOST, API_PORT] = API.split(':');
const BASE = '/2018-06-01/runtime';
// Written on stdout and stderr after each invocation's output so the runner can emit END only after every line
// the handler printed has arrived (a pipe and an HTTP socket are not ordered with each other).
const END_MARK = '\u0000lwb-end ';

let currentRequestId; // undefined outside an invocation, as AWS prints it

// ---- console, as CloudWatch shows it ---------------------------------------------------------------------------
const rawOut = process.stdout.write.bind(process.stdout);
const rawErr = process.stderr.write.bind(process.stderr);
function logLine(level, args) {
  const message = util.format(...args);
  rawOut(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${message}\n`);
}
console.log = (...a) => logLine('INFO', a);
console.info = (...a) => logLine('INFO', a);
console.warn = (...a) => logLine('WARN', a);
console.error = (...a) => logLine('ERROR', a);
console.debug = (...a) => logLine('DEBUG', a);
console.trace = (...a) => logLine('TRACE', [util.format(...a), new Error().stack.split('\n').slice(2).join('\n')]);

// ---- Runtime API client ----------------------------------------------------------------------------------------
// A minimal HTTP/1.1 client over one keep-alive TCP connection: node:http's client costs ~5 ms of every cold start,
// and the Runtime API needs only sequential requests with Content-Length or chunked bodies.
let socket;
let inbox = Buffer.alloc(0);
let waiter;

function connection() {
  if (socket && !socket.destroyed) return socket;
  socket = net.connect(Number(API_PORT), API_HOST);
  socket.setNoDelay(true);
  socket.on('data', (chunk) => { inbox = inbox.length ? Buffer.concat([inbox, chunk]) : chunk; tryParse(); });
  socket.on('error', (error) => { const w = waiter; waiter = undefined; if (w) w.reject(error); });
  socket.on('close', () => { const w = waiter; waiter = undefined; if (w) w.reject(new Error('Runtime API connection closed')); });
  return socket;
}

function tryParse() {
  if (!waiter) return;
  const headEnd = inbox.indexOf('\r\n\r\n');
  if (headEnd < 0) return;
  const lines = inbox.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(lines[0].split(' ')[1]);
  const headers = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body;
  let consumed;
  const start = headEnd + 4;
  if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (inbox.length < start + length) return;
    body = inbox.subarray(start, start + length);
    consumed = start + length;
  } else if (/chunked/i.test(headers['transfer-encoding'] || '')) {
    const parts = [];
    let offset = start;
    for (;;) {
      const lineEnd = inbox.indexOf('\r\n', offset);
      if (lineEnd < 0) return;
      const size = parseInt(inbox.subarray(offset, lineEnd).toString('latin1'), 16);
      if (inbox.length < lineEnd + 2 + size + 2) return;
      if (size === 0) { consumed = lineEnd + 4; break; }
      parts.push(inbox.subarray(lineEnd + 2, lineEnd + 2 + size));
      offset = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  } else {
    body = Buffer.alloc(0);
    consumed = start;
  }
  inbox = inbox.subarray(consumed);
  const w = waiter;
  waiter = undefined;
  w.resolve({ status, headers, body: body.toString('utf8') });
}

function request(method, urlPath, body, headers = {}) {
  return new Promise((resolve, reject) => {
    waiter = { resolve, reject };
    const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
    let head = `${method} ${urlPath} HTTP/1.1\r\nHost: ${API}\r\n`;
    for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
    if (payload) head += `content-length: ${payload.length}\r\n`;
    const conn = connection();
    conn.write(`${head}\r\n`);
    if (payload) conn.write(payload);
  });
}

function toErrorResponse(error, fallbackType) {
  if (!(error instanceof Error)) {
    // AWS reports non-Error throws with the value as message.
    return { errorType: fallbackType || 'Error', errorMessage: typeof error === 'string' ? error : safeStringify(error), trace: [] };
  }
  const trace = typeof error.stack === 'string' ? error.stack.split('\n') : [];
  return { errorType: error.name || fallbackType || 'Error', errorMessage: error.message, trace };
}

function safeStringify(value) {
  try { return JSON.stringify(value); } catch { return String(value); }
}

class RuntimeError extends Error {
  constructor(name, message, cause) {
    super(message);
    this.name = name;
    if (cause && cause.stack) this.stack = `${name}: ${message}\n${cause.stack.split('\n').slice(1).join('\n')}`;
  }
}

async function postError(urlPath, error, fallbackType) {
  const body = JSON.stringify(toErrorResponse(error, fallbackType));
  const type = error instanceof Error ? error.name : fallbackType || 'Error';
  await request('POST', urlPath, body, { 'content-type': 'application/json', 'lambda-runtime-function-error-type': type, ...peakMemory() });
}

// Our own peak resident memory (KiB), so the host's REPORT is exact whatever its sampling saw (not an AWS header).
// On Linux VmHWM: ru_maxrss there keeps the forking parent's size across exec, so it would report the host's.
function peakMemory() {
  let kb = 0;
  if (process.platform === 'linux') {
    try { kb = Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0); } catch { kb = 0; }
  }
  return { 'lambda-workbench-max-rss-kb': String(kb || process.resourceUsage().maxRSS) };
}

function flushMarks(requestId) {
  rawOut(`${END_MARK}${requestId}\n`);
  rawErr(`${END_MARK}${requestId}\n`);
}

// ---- loading the handler ---------------------------------------------------------------------------------------
function isEsm(file) {
  if (!path.extname(file)) return false; // an extensionless handler file is CommonJS, as AWS's client requires it
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs')) return false;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try { return JSON.parse(fs.readFileSync(manifest, 'utf8')).type === 'module'; } catch { return false; }
    }
    if (path.dirname(dir) === dir) return false;
  }
}

function findModuleFile(root, modulePath) {
  // AWS's order: the path as given if it is a file (an extensionless handler), then .js, .mjs, .cjs.
  // LWB_HANDLER_FILE names a transpiled TypeScript output instead.
  if (process.env.LWB_HANDLER_FILE) return process.env.LWB_HANDLER_FILE;
  for (const ext of ['', '.js', '.mjs', '.cjs']) {
    const candidate = path.resolve(root, modulePath + ext);
    try { if (fs.statSync(candidate).isFile()) return candidate; } catch { /* next */ }
  }
  return undefined;
}

async function loadHandler() {
  const handlerSpec = process.env._HANDLER || '';
  const root = process.env.LAMBDA_TASK_ROOT || process.cwd();
  if (handlerSpec.includes('..')) {
    throw new RuntimeError('Runtime.MalformedHandlerName', `'${handlerSpec}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  // As AWS's client reads it: the module is the last path segment up to its first dot; the rest is a property path.
  const slash = handlerSpec.lastIndexOf('/');
  const match = /^([^.]*)\.(.*)$/.exec(handlerSpec.slice(slash + 1));
  if (!match || !match[1] || !match[2]) throw new RuntimeError('Runtime.MalformedHandlerName', 'Bad handler');
  const modulePath = handlerSpec.slice(0, slash + 1) + match[1];
  const functionPath = match[2];
  const file = findModuleFile(root, modulePath);
  if (!file) {
    throw new RuntimeError('Runtime.ImportModuleError', `Error: Cannot find module '${modulePath}'\nRequire stack:\n- ${__filename}`);
  }
  let mod;
  try {
    mod = isEsm(file) ? await import(require('node:url').pathToFileURL(file).href) : require(file);
  } catch (error) {
    if (error instanceof SyntaxError) throw new RuntimeError('Runtime.UserCodeSyntaxError', `${error.name}: ${error.message}`, error);
    if (error && (error.code === 'MODULE_NOT_FOUND' || error.code === 'ERR_MODULE_NOT_FOUND')) {
      throw new RuntimeError('Runtime.ImportModuleError', `Error: ${error.message}`, error);
    }
    throw error; // an exception thrown by the module's own init code keeps its own type
  }
  let fn = mod;
  for (const part of functionPath.split('.')) fn = fn == null ? undefined : fn[part];
  // ESM namespace of a CommonJS module puts exports under `default`.
  if (typeof fn !== 'function' && mod && mod.default && typeof mod.default[functionPath] === 'function') fn = mod.default[functionPath];
  if (typeof fn !== 'function') {
    throw new RuntimeError('Runtime.HandlerNotFound', `${modulePath}.${functionPath} is undefined or not exported`);
  }
  return fn;
}

// ---- invoking --------------------------------------------------------------------------------------------------
function makeContext(headers, done) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  const parse = (h) => (headers[h] ? JSON.parse(headers[h]) : undefined);
  const context = {
    callbackWaitsForEmptyEventLoop: true,
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
    // Legacy context methods some older handlers still call.
    succeed: (result) => done(null, result),
    fail: (error) => done(error || new Error('handled')),
    done: (error, result) => done(error, result),
  };
  return context;
}

function runHandler(handler, event, context, settle) {
  let settled = false;
  const done = (error, result) => {
    if (settled) return;
    settled = true;
    settle(error, result);
  };
  const ctx = makeContext(context, done);
  try {
    const returned = handler.length >= 3 ? handler(event, ctx, (err, res) => done(err == null ? null : err, res)) : handler(event, ctx);
    if (returned && typeof returned.then === 'function') {
      returned.then((res) => done(null, res), (err) => done(err === undefined || err === null ? new Error(String(err)) : err));
    } else if (handler.length < 3) {
      done(null, returned);
    }
  } catch (error) {
    done(error);
  }
  return done;
}

async function invokeLoop(handler) {
  for (;;) {
    const next = await request('GET', `${BASE}/invocation/next`);
    const requestId = next.headers['lambda-runtime-aws-request-id'];
    currentRequestId = requestId;
    if (next.headers['lambda-runtime-trace-id']) process.env._X_AMZN_TRACE_ID = next.headers['lambda-runtime-trace-id'];
    else delete process.env._X_AMZN_TRACE_ID;
    let event;
    try {
      event = JSON.parse(next.body);
    } catch (error) {
      flushMarks(requestId);
      await postError(`${BASE}/invocation/${requestId}/error`, new RuntimeError('Runtime.UnmarshalError', `Unable to parse event: ${error.message}`));
      continue;
    }
    const outcome = await new Promise((resolve) => {
      activeSettle = runHandler(handler, event, next.headers, (error, result) => resolve({ error, result }));
    });
    activeSettle = undefined;
    if (outcome.error) {
      const err = outcome.error;
      rawOut(`${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${safeStringify(toErrorResponse(err))}\n`);
      flushMarks(requestId);
      await postError(`${BASE}/invocation/${requestId}/error`, err);
      continue;
    }
    let body;
    try {
      body = outcome.result === undefined ? 'null' : JSON.stringify(outcome.result);
      if (body === undefined) body = 'null';
    } catch (error) {
      flushMarks(requestId);
      await postError(`${BASE}/invocation/${requestId}/error`, new RuntimeError('Runtime.MarshalError', `Unable to stringify response body: ${error.message}`, error));
      continue;
    }
    flushMarks(requestId);
    await request('POST', `${BASE}/invocation/${requestId}/response`, body, { 'content-type': 'application/json', ...peakMemory() });
  }
}

let activeSettle;
function fatal(error, kind) {
  // An exception nobody caught: AWS logs it, fails the invocation with it, and the runtime exits.
  rawOut(`${new Date().toISOString()}\t${currentRequestId}\tERROR\t${kind} \t${safeStringify(toErrorResponse(error))}\n`);
  if (activeSettle) {
    const settle = activeSettle;
    activeSettle = undefined;
    flushMarks(currentRequestId);
    postError(`${BASE}/invocation/${currentRequestId}/error`, error, kind === 'Unhandled Promise Rejection' ? 'Runtime.UnhandledPromiseRejection' : undefined)
      .finally(() => process.exit(129));
    settle.exited = true;
  } else {
    process.exit(129);
  }
}
process.on('uncaughtException', (e) => fatal(e, 'Uncaught Exception'));
process.on('unhandledRejection', (reason) => fatal(reason instanceof Error ? reason : new RuntimeError('Runtime.UnhandledPromiseRejection', String(reason)), 'Unhandled Promise Rejection'));

(async () => {
  let handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    rawOut(`${new Date().toISOString()}\tundefined\tERROR\tUncaught Exception \t${safeStringify(toErrorResponse(error))}\n`);
    flushMarks('init');
    await postError(`${BASE}/init/error`, error).catch(() => undefined);
    process.exit(1);
  }
  await invokeLoop(handler);
})();
