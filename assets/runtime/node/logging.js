// console.* as Lambda's Node.js runtime writes it: `<time>\t<request id>\t<LEVEL>\t<message>` lines, or with
// AWS_LAMBDA_LOG_FORMAT=JSON one JSON record per call, filtered by AWS_LAMBDA_LOG_LEVEL.
'use strict';
const util = require('node:util');
const { asError, errorLogJson } = require('./errors');

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const rawOut = process.stdout.write.bind(process.stdout);

/** An Error inside a JSON record: its type, message and stack lines, then its own fields. */
function jsonReplacer(_key, value) {
  if (!(value instanceof Error)) return value;
  return Object.assign({
    errorType: value.constructor?.name ?? 'UnknownError',
    errorMessage: value.message,
    stackTrace: typeof value.stack === 'string' ? value.stack.split('\n') : value.stack,
  }, value);
}

function jsonRecord(level, requestId, params) {
  const record = { timestamp: new Date().toISOString(), level, requestId };
  if (params.length === 1) {
    // One argument is kept as a value (an object stays an object), as Lambda writes it.
    record.message = params[0];
    try {
      return JSON.stringify(record, jsonReplacer);
    } catch {
      record.message = util.format(params[0]);
      return JSON.stringify(record);
    }
  }
  record.message = util.format(...params);
  const error = params.find((p) => p instanceof Error);
  if (error) {
    record.errorType = error.constructor?.name ?? 'UnknownError';
    record.errorMessage = error.message;
    record.stackTrace = typeof error.stack === 'string' ? error.stack.split('\n') : [];
  }
  return JSON.stringify(record);
}

/**
 * Replaces console's methods. `requestId()` names the invocation the line belongs to (see bootstrap.js).
 * Returns `logError(title, value)`, which writes an error the way the runtime reports Invoke Errors and crashes.
 */
function patchConsole(requestId, env = process.env) {
  const json = (env.AWS_LAMBDA_LOG_FORMAT || '').toUpperCase() === 'JSON';
  const threshold = Math.max(0, LEVELS.indexOf((env.AWS_LAMBDA_LOG_LEVEL || '').toUpperCase()));
  const write = json
    ? (level, params) => rawOut(`${jsonRecord(level, requestId(), params).replace(/\n/g, '\r')}\n`)
    : (level, params) => rawOut(`${new Date().toISOString()}\t${requestId()}\t${level}\t${util.format(...params)}\n`);
  // AWS's console methods take (message, ...params): a call with no arguments logs the message undefined, "undefined"
  // in text and no message field in JSON.
  const method = (level) => (LEVELS.indexOf(level) >= threshold ? (message, ...params) => write(level, [message, ...params]) : () => {});
  console.trace = method('TRACE');
  console.debug = method('DEBUG');
  console.info = method('INFO');
  console.log = console.info;
  console.warn = method('WARN');
  console.error = method('ERROR');
  console.fatal = (message, ...params) => write('FATAL', [message, ...params]);
  return json
    ? (_title, value) => console.error(asError(value))
    : (title, value) => console.error(title, `\t${errorLogJson(asError(value))}`);
}

module.exports = { patchConsole };
