import * as assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';

/** A raw TCP client: what went over the wire, byte for byte (as Latin-1 text). */
export function rawClient(port: number): { socket: Socket; received: () => string; closed: Promise<void> } {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (c: Buffer) => { text += c.toString('latin1'); });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return { socket, received: () => text, closed };
}

/** Polls `check` every 10 ms for up to 2 s, then asserts it. */
export async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), what);
}
