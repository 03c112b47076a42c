import type { Server } from 'node:net';

/** Listens on 127.0.0.1 only (`port` 0: a free one) and resolves with the port, read once here: callers keep it
 *  rather than asking server.address() (a system call) per request. Rejects with the listen error (EADDRINUSE…). */
export function listenOnLoopback(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
}
