import type { MinimalResponse } from '../net/minimalHttpServer';
import { EventStreamCodec } from '@smithy/core/event-streams';
import type { InvokeResult } from './types';

// Lambda's InvokeWithResponseStream answer: an `application/vnd.amazon.eventstream` body of PayloadChunk events as
// the function writes, then one InvokeComplete (ErrorCode, ErrorDetails, LogResult). @smithy/core's codec frames the
// messages (prelude, headers, CRCs) exactly as the SDK's decoder reads them.
// Made on the first streamed answer: loading the codec is not a cost of every run.
let codec: EventStreamCodec | undefined;

function event(type: string, contentType: string, body: Uint8Array): Buffer {
  codec ??= new EventStreamCodec((bytes) => Buffer.from(bytes).toString('utf8'), (text) => new Uint8Array(Buffer.from(text, 'utf8')));
  const bytes = codec.encode({
    headers: {
      ':event-type': { type: 'string', value: type },
      ':content-type': { type: 'string', value: contentType },
      ':message-type': { type: 'string', value: 'event' },
    },
    body,
  });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** One streamed invocation's HTTP answer. The head goes out with the first chunk (or at the end), so it can carry
 *  the stream's content type, as Lambda's does. */
export class ResponseStreamWriter {
  private started = false;

  constructor(private readonly res: MinimalResponse, private readonly requestId: string) {}

  private start(contentType: string): void {
    if (this.started) return;
    this.started = true;
    // The SDK reads the function's content type from Content-Type (ResponseStreamContentType).
    this.res.start(200, [['Content-Type', contentType], ['x-amzn-RequestId', this.requestId], ['X-Amz-Executed-Version', '$LATEST']]);
  }

  chunk(chunk: Buffer, contentType = 'application/octet-stream'): void {
    if (chunk.length === 0) return;
    this.start(contentType);
    this.res.write(event('PayloadChunk', 'application/octet-stream', chunk));
  }

  /** Ends the answer: a buffered function's whole payload as one chunk, then InvokeComplete. */
  complete(result: InvokeResult, logResult?: string): void {
    if (!result.streamed && !result.error) this.chunk(Buffer.from(result.payload), 'application/json');
    this.start(result.contentType ?? 'application/json');
    const complete: Record<string, string> = {};
    if (result.error) {
      complete.ErrorCode = result.error.errorType;
      complete.ErrorDetails = result.error.errorMessage;
    }
    if (logResult) complete.LogResult = logResult;
    this.res.write(event('InvokeComplete', 'application/json', Buffer.from(JSON.stringify(complete))));
    this.res.end();
  }
}
