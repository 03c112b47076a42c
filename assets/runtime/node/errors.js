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

function looksLikeError(value) {
  return util.types.isNativeError(value)
    || (value && typeof value.name === 'string' && typeof value.message === 'string' && typeof value.stack === 'string');
}

/** The body posted to /error: Errors keep name, message and stack lines; anything else is typed by `typeof`. */
function errorBody(error) {
  try {
    if (looksLikeError(error)) {
      return { errorType: error.name, errorMessage: error.message, trace: userStack(error.stack) };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return { errorType: 'handled', errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack' };
  }
}

/** A thrown value as an Error (for the log line), as AWS's client wraps non-Errors. */
function asError(value) {
  return value instanceof Error ? value : new Error(value);
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

module.exports = { RuntimeError, errorBody, asError, errorLogJson, CALLBACK_REMOVED, CALLBACK_DEPRECATED, NODE_EXIT };
