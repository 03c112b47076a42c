/**
 * The door of every local server: it binds 127.0.0.1, and that is not enough — a web page the user visits can send
 * requests to 127.0.0.1 (a cross-origin POST needs no preflight), and DNS rebinding lets a page read the answers
 * under its own host name. So a request must name a loopback Host with the server's port, and a browser's request
 * (one with an Origin) must come from an origin the server was told to allow (its own by default).
 */
export interface LoopbackGuardOptions {
  /** Origins allowed besides the server's own (e.g. a local web app's `http://localhost:5173`). */
  readonly allowedOrigins?: readonly string[];
}

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/** A request as the guard reads it: node:http's IncomingMessage and MinimalHttpServer's request both are one. */
export interface GuardedRequest { readonly headers: { readonly host?: string; readonly origin?: string } }

/** Why the request is refused, or undefined when it may pass. */
export function foreignRequest(req: GuardedRequest, port: number, options: LoopbackGuardOptions = {}): string | undefined {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!LOOPBACK_HOSTS.some((name) => host === `${name}:${port}`)) {
    return `Host '${req.headers.host ?? ''}' is not this local server (127.0.0.1:${port}): refused, so a web page cannot reach it through a DNS name.`;
  }
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  const own = LOOPBACK_HOSTS.map((name) => `http://${name}:${port}`);
  if (own.includes(origin.toLowerCase()) || options.allowedOrigins?.includes(origin)) return undefined;
  return `Origin '${origin}' may not call this local server: refused, so a web page you visit cannot run your functions.`;
}

/** Answers a foreign request with 403 and returns true; false lets it through. */
export function refuseForeign(req: GuardedRequest, res: { send(status: number, headers: Record<string, string>, body: string): void }, port: number, options?: LoopbackGuardOptions): boolean {
  const reason = foreignRequest(req, port, options);
  if (!reason) return false;
  res.send(403, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'AccessDeniedException' }, JSON.stringify({ message: reason }));
  return true;
}
