/** The content type of a streamed response that starts with an HTTP prelude (`awslambda.HttpResponseStream.from`). */
export const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';

/** The prelude of an HTTP-integration stream: what function URLs and API Gateway turn into the status line. */
export interface HttpPrelude {
  readonly statusCode?: number;
  readonly headers?: Record<string, string>;
  readonly cookies?: string[];
}

const DELIMITER = Buffer.alloc(8);

/**
 * Splits a streamed response into its prelude (JSON, then 8 NUL bytes) and body, chunk by chunk as they arrive.
 * For any other content type everything is body.
 */
export class StreamedResponseReader {
  private head = Buffer.alloc(0);
  private inBody: boolean;

  constructor(contentType: string, private readonly onPrelude: (prelude: HttpPrelude) => void, private readonly onBody: (chunk: Buffer) => void) {
    this.inBody = contentType !== HTTP_INTEGRATION_CONTENT_TYPE;
  }

  push(chunk: Buffer): void {
    if (this.inBody) {
      if (chunk.length) this.onBody(chunk);
      return;
    }
    this.head = Buffer.concat([this.head, chunk]);
    const at = this.head.indexOf(DELIMITER);
    if (at < 0) return;
    this.inBody = true;
    let prelude: HttpPrelude = {};
    try {
      prelude = JSON.parse(this.head.subarray(0, at).toString('utf8')) as HttpPrelude;
    } catch {
      // Not JSON: API Gateway answers 502 for it; here the body still shows.
    }
    this.onPrelude(prelude);
    const rest = this.head.subarray(at + DELIMITER.length);
    this.head = Buffer.alloc(0);
    if (rest.length) this.onBody(rest);
  }
}
