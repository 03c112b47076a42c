// How AWS's Node.js runtime names its own errors and turns any thrown value into the Runtime API's error body.
'use strict';
const util = require('node:util');

/** An error of the runtime itself, named `Runtime.<Kind>` as AWS's client names them. */
class RuntimeError extends Error {
  constructor(kind, message) {
    super(message);
    this.name = `Runtime.${kind}`;
  }
}

const CALLBACK_REMOVED = 'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. '
  + 'You need to modify this function to use a supported handler signature to use Node.js 24 or later. '
  + 'For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';
const CALLBACK_DEPRECATED = 'AWS Lambda plans to remove support for callback-based function handlers starting with Node.js 24. '
  + 'You will need to update this function to use an async handler to use Node.js 24 or later. For more information and '
  + 'to provide feedback on this change, see https://github.com/aws/aws-lambda-nodejs-runtime-interface-client/issues/137. '
  + 'To disable this warning, set the AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING environment variable.';
const NODE_EXIT = 'The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a '
  + 'Promise that was never settled. For more information, see https://nodejs.org/docs/latest/api/process.html#exit-codes';

/** Stack lines without the frames of this runtime's own files: on Lambda they would be /var/runtime frames the
 *  developer cannot act on; here they would be long paths into the editor's extension folder. */
const RUNTIME_DIR = __dirname;
function userStack(stack) {
  return stack.split('\n').filter((line) => !(line.trimStart().startsWith('at ') && line.includes(RUNTIME_DIR)));
}

/** The Lambda runtime's Node.js major (AWS_EXECUTION_ENV), else the local Node's. Read when asked: an environment
 *  started early gets its function's variables after this module has loaded (earlyStart.js). */
function runtimeMajor() {
  return Number(/^AWS_Lambda_nodejs(\d+)/.exec(process.env.AWS_EXECUTION_ENV || '')?.[1] ?? process.versions.node.split('.')[0]);
}

/** Whether the error body keeps a value's name, message and stack: 3.x also takes an object that has all three, each
 *  a non-empty string (Errors.js _isError); 4.x only an Error. */
function looksLikeError(value, major) {
  if (major >= 24) return value instanceof Error;
  return util.types.isNativeError(value)
    || Boolean(value && value.name && value.message && value.stack
      && typeof value.name === 'string' && typeof value.message === 'string' && typeof value.stack === 'string');
}

// DEL is the one character AWS's client escapes in an error body (a header carries the type).
const escapeDel = (text) => (typeof text === 'string' ? text.replaceAll('\x7F', '%7F') : text);

/** The body posted to /error: Errors keep name, message and stack lines; anything else is typed by `typeof`. */
function errorBody(error, major = runtimeMajor()) {
  try {
    if (looksLikeError(error, major)) {
      // 3.x reads the stack as it is (one that is no string makes the body 'handled'); 4.x takes none as [].
      const stack = escapeDel(error.stack);
      const trace = typeof stack === 'string' ? userStack(stack) : [];
      return { errorType: escapeDel(error.name), errorMessage: escapeDel(error.message), trace };
    }
    return { errorType: typeof error, errorMessage: major >= 24 ? String(error) : error.toString(), trace: [] };
  } catch {
    const body = { errorType: 'handled', errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack' };
    return major >= 24 ? { ...body, trace: [] } : body;
  }
}

/** A thrown value as an Error (for the log line), as AWS's client wraps non-Errors. Throws for a value that cannot
 *  become a string (`Object.create(null)`), as AWS's does: the runtime then reports that TypeError instead. */
function asError(value) {
  if (value instanceof Error) return value;
  return runtimeMajor() >= 24 ? new Error(String(value)) : new Error(value); // 3.x: a Symbol cannot be a message
}

/** The JSON of an error in a text-format log line: its own fields, then the stack as lines. */
function errorLogJson(error) {
  const replacer = (_key, value) => {
    if (!(value instanceof Error)) return value;
    const out = Object.assign({ errorType: value.name, errorMessage: value.message, code: value.code }, value);
    if (typeof value.stack === 'string') out.stack = userStack(value.stack);
    return out;
  };
  try {
    return JSON.stringify(error, replacer);
  } catch {
    return JSON.stringify(errorBody(error));
  }
}

module.exports = { RuntimeError, runtimeMajor, errorBody, asError, errorLogJson, CALLBACK_REMOVED, CALLBACK_DEPRECATED, NODE_EXIT };
