// Response streaming as Lambda's Node.js runtimes offer it: the global `awslambda.streamifyResponse(handler)` marks a
// handler `(event, responseStream, context)`, whose writes go to the Runtime API as a chunked upload
// (`Lambda-Runtime-Function-Response-Mode: streaming`); an error ends the upload with error trailers.
// `awslambda.HttpResponseStream.from(stream, { statusCode, headers, cookies })` starts the body with the JSON prelude
// and 8 NUL bytes that function URLs and API Gateway read as the HTTP status and headers.
'use strict';
const { Writable } = require('node:stream');
const { errorBody, RuntimeError } = require('./errors');

const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const HTTP_INTEGRATION = 'application/vnd.awslambda.http-integration-response';

class HttpResponseStream {
  static from(stream, prelude) {
    stream.setContentType(HTTP_INTEGRATION);
    const metadata = JSON.stringify(prelude);
    stream._onBeforeFirstWrite = (write) => {
      write(Buffer.from(metadata));
      write(Buffer.alloc(8));
    };
    return stream;
  }
}

function installGlobal() {
  const off = process.env.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA;
  if (off === '1' || off === 'true') return;
  globalThis.awslambda = {
    streamifyResponse(handler, options) {
      handler[STREAMING] = 'response';
      if (typeof options?.highWaterMark === 'number') handler[HIGH_WATER_MARK] = parseInt(options.highWaterMark, 10);
      return handler;
    },
    HttpResponseStream,
  };
}

/** Whether a handler streams its response (only `response` is a valid mark, as AWS's client checks). */
function streamingOf(handler) {
  const mark = handler[STREAMING];
  if (mark === undefined || mark === null || mark === false) return false;
  if (mark !== 'response') throw new RuntimeError('MalformedStreamingHandler', 'Only response streaming is supported.');
  return { highWaterMark: Number.isNaN(parseInt(handler[HIGH_WATER_MARK], 10)) ? undefined : parseInt(handler[HIGH_WATER_MARK], 10) };
}

/** The stream a streaming handler writes to, over one upload to `path`. `beforeEnd()` runs right before the upload
 *  ends (the end marks of the log: everything printed before it belongs to this invocation); `moreHeaders()` gives
 *  headers of ours for the upload as it starts. */
function createResponseStream(api, path, options, beforeEnd, moreHeaders = () => ({})) {
  let contentType = 'application/octet-stream';
  let upload;
  let ended = false;
  const open = () => {
    if (upload) return upload;
    upload = api.upload(path, {
      'lambda-runtime-function-response-mode': 'streaming',
      trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body, Lambda-Workbench-Max-Rss-Kb',
      'content-type': contentType,
      ...moreHeaders(),
    });
    return upload;
  };
  // The upload, with the HTTP prelude (HttpResponseStream.from) written first, once.
  const started = () => {
    const target = open();
    const first = stream._onBeforeFirstWrite;
    if (typeof first === 'function') {
      stream._onBeforeFirstWrite = undefined;
      first((part) => target.write(Buffer.from(part), () => undefined));
    }
    return target;
  };
  let answered;
  const finished = new Promise((resolve) => { answered = resolve; });
  const stream = new Writable({
    highWaterMark: options.highWaterMark,
    write(chunk, _encoding, done) {
      started().write(chunk, (error) => done(error));
    },
    final(done) {
      const target = started();
      ended = true;
      beforeEnd();
      // moreHeaders again as trailers: the peak after the whole body was written.
      target.end(moreHeaders()).then((reply) => { answered(reply); done(); }, done);
    },
  });
  const write = stream.write.bind(stream);
  // Objects are written as their JSON, as AWS's stream does. Writing after end() fails that write only (its
  // callback gets the error), as on Lambda: the response is already complete.
  stream.write = (chunk, encoding, callback) => {
    if (stream.writableEnded) {
      const done = typeof encoding === 'function' ? encoding : callback;
      const error = Object.assign(new Error('write after end'), { code: 'ERR_STREAM_WRITE_AFTER_END' });
      if (typeof done === 'function') process.nextTick(done, error);
      return false;
    }
    return writeValue(chunk, encoding, callback);
  };
  const writeValue = (chunk, encoding, callback) => write(
    typeof chunk === 'string' || Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? chunk : JSON.stringify(chunk), encoding, callback);
  stream.setContentType = (type) => {
    if (upload) throw new RuntimeError('InvalidStreamingOperation', 'Cannot set content-type, too late.');
    contentType = type;
  };
  stream.on('error', () => undefined);
  return {
    stream,
    /** Resolves once the service has the whole response. */
    finished,
    get ended() { return ended || stream.writableEnded; },
    /** Ends the response with the error in trailers (what the Invoke API reports as the invocation's error). */
    fail(error) {
      if (ended) return finished;
      ended = true;
      const body = errorBody(error);
      const target = open();
      stream.destroy();
      beforeEnd();
      return target.end({
        'Lambda-Runtime-Function-Error-Type': body.errorType,
        'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(body)).toString('base64'),
        ...moreHeaders(),
      }).then(answered);
    },
  };
}

module.exports = { installGlobal, streamingOf, createResponseStream };
