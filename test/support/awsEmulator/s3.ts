import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeAwsChunked, type ServiceHandler } from './server';

interface StoredObject { body: Buffer; contentType: string; lastModified: Date; etag: string }

/** S3's REST-XML protocol, path-style (`/bucket/key`): HeadObject, GetObject, PutObject, with NoSuchKey /
 *  NoSuchBucket errors shaped as S3 sends them. */
export class S3Service implements ServiceHandler {
  readonly buckets = new Map<string, Map<string, StoredObject>>();

  putObject(bucket: string, key: string, body: Buffer | string, contentType = 'application/octet-stream'): void {
    const data = Buffer.isBuffer(body) ? body : Buffer.from(body);
    if (!this.buckets.has(bucket)) this.buckets.set(bucket, new Map());
    this.buckets.get(bucket)!.set(key, { body: data, contentType, lastModified: new Date(Math.floor(Date.now() / 1000) * 1000), etag: `"${createHash('md5').update(data).digest('hex')}"` });
  }

  handle(req: IncomingMessage, body: Buffer, res: ServerResponse): boolean {
    if (req.headers['x-amz-target']) return false;
    const url = new URL(req.url ?? '/', 'http://s3');
    const [, bucket, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    if (!bucket || !key || url.searchParams.size > 0 && !url.searchParams.has('x-id')) return false;
    const objects = this.buckets.get(bucket);
    if (req.method === 'PUT') {
      if (!objects) return this.error(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', req.method);
      const data = String(req.headers['content-encoding'] ?? '').includes('aws-chunked') ? decodeAwsChunked(body) : body;
      this.putObject(bucket, key, data, String(req.headers['content-type'] ?? 'application/octet-stream'));
      res.writeHead(200, { ETag: objects.get(key)!.etag, 'x-amz-request-id': randomUUID(), 'Content-Length': 0 }).end();
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (!objects) return this.error(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', req.method);
    const object = objects.get(key);
    if (!object) return this.error(res, 404, 'NoSuchKey', 'The specified key does not exist.', req.method);
    res.writeHead(200, {
      'Content-Type': object.contentType, 'Content-Length': object.body.length, 'Last-Modified': object.lastModified.toUTCString(),
      ETag: object.etag, 'x-amz-request-id': randomUUID(), 'Accept-Ranges': 'bytes',
    });
    res.end(req.method === 'HEAD' ? undefined : object.body);
    return true;
  }

  private error(res: ServerResponse, status: number, code: string, message: string, method?: string): true {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${randomUUID()}</RequestId></Error>`;
    res.writeHead(status, { 'Content-Type': 'application/xml', 'x-amz-request-id': randomUUID(), 'Content-Length': method === 'HEAD' ? 0 : Buffer.byteLength(xml) });
    res.end(method === 'HEAD' ? undefined : xml);
    return true;
  }
}
