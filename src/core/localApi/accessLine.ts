import type { AccessEntry } from './localApiServer';

/** How a caller colours parts of an access line (the editor's terminal does; the CLI prints plain text). */
export interface AccessPaint {
  status(status: number): string;
  note(text: string): string;
}

const PLAIN: AccessPaint = { status: String, note: (t) => t };

/** `GET /users/7 200 3.1 ms cold (code changed) UsersFunction 1a2b3c4d — why`, one line per request. */
export function accessLine(e: AccessEntry, paint: AccessPaint = PLAIN): string {
  const temperature = e.cold === undefined ? '' : e.cold ? ` cold${e.coldReason ? ` (${e.coldReason})` : ''}` : ' warm';
  const fn = e.functionId ? ` ${e.functionId}` : '';
  const id = e.requestId ? ` ${e.requestId.slice(0, 8)}` : '';
  return `${e.method} ${e.path} ${paint.status(e.status)} ${e.durationMs.toFixed(1)} ms${temperature}${fn}${id}${e.problem ? paint.note(` — ${e.problem}`) : ''}`;
}
