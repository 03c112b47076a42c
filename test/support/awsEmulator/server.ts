import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One AWS service's wire protocol, mounted on the emulator. Returns false when the request is not for it. */
export interface ServiceHandler {
  handle(req: IncomingMessage, body: Buffer, res: ServerResponse): boolean | Promise<boolean>;
}

/**
 * A loopback HTTP server that speaks AWS wire protocols (S3 REST-XML, DynamoDB JSON 1.0, …) for the tests, so they
 * use the real AWS SDK clients over real HTTP. Binds 127.0.0.1 only. Services are mounted by the tests that need them.
 */
export class AwsEmulator {
  private readonly server: Server;
  private readonly services: ServiceHandler[] = [];
  readonly requests: { method: string; url: string; target?: string }[] = [];

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        this.requests.push({ method: req.method ?? '', url: req.url ?? '', target: req.headers['x-amz-target'] as string | undefined });
        void this.dispatch(req, body, res);
      });
    });
  }

  static async start(...services: ServiceHandler[]): Promise<AwsEmulator> {
    const emulator = new AwsEmulator();
    emulator.services.push(...services);
    await new Promise<void>((resolve) => emulator.server.listen(0, '127.0.0.1', () => resolve()));
    return emulator;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async dispatch(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    try {
      for (const service of this.services) if (await service.handle(req, body, res)) return;
      sendJsonError(res, 400, 'UnknownOperationException', `The emulator has no handler for ${req.method} ${req.url}`);
    } catch (error) {
      sendJsonError(res, 500, 'InternalFailure', error instanceof Error ? error.message : String(error));
    }
  }
}

export function sendJsonError(res: ServerResponse, status: number, type: string, message: string): void {
  const body = JSON.stringify({ __type: type, message });
  res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': randomUUID(), 'x-amzn-ErrorType': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Decodes `Content-Encoding: aws-chunked` bodies (streaming uploads with signed chunks or trailing checksums). */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = parseInt(body.subarray(offset, lineEnd).toString().split(';')[0], 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
