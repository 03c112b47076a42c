import type { MinimalRequest } from './minimalHttpServer';

/**
 * Reads a MinimalHttpServer request's whole body, then calls `done` with it — or with undefined when it was over
 * `limit` bytes (the rest is counted, not kept, so an oversized upload costs no memory) — and its size. Call it in
 * the request handler, synchronously: a body-less request ends with its head.
 */
export function readRequestBody(req: MinimalRequest, limit: number, done: (body: Buffer | undefined, size: number) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.onData = (chunk) => {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  };
  req.onEnd = () => done(size > limit ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), size);
}
