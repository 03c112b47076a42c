import { randomUUID } from 'node:crypto';
import type { HeaderPairs, MinimalResponse } from '../net/minimalHttpServer';
import { newTraceRoot, pooledRandom, traceRootOf } from '../runtime/environmentVariables';
import { requestHeader } from './apiEvents';
import type { ApiKind } from './apiRoutes';

/** The ids API Gateway (or a function URL) gives one request, and its X-Ray trace root. */
export interface GatewayIds {
  /** `requestContext.requestId`: a UUID for REST APIs and function URLs, a short id (`Rk4A1hKroAMEJpQ=`) for HTTP APIs. */
  readonly requestId: string;
  /** REST's `requestContext.extendedRequestId` (the `x-amz-apigw-id` response header). */
  readonly extendedRequestId: string;
  /** The caller's trace root when it sent a well-formed `X-Amzn-Trace-Id`, else a new one. */
  readonly traceRoot: string;
}

/** The id format of `extendedRequestId` and of HTTP APIs' request ids: 11 random bytes in base64 (from the trace
 *  ids' pool: a randomBytes call per request is a system call on every request). */
const shortId = (): string => pooledRandom(11, 'base64');

export function gatewayIds(kind: ApiKind, rawHeaders: readonly string[]): GatewayIds {
  const extendedRequestId = shortId();
  return {
    requestId: kind === 'http' ? extendedRequestId : randomUUID(),
    extendedRequestId,
    traceRoot: traceRootOf(requestHeader({ rawHeaders }, 'x-amzn-trace-id')) ?? newTraceRoot(),
  };
}

const ADDED = new Set(['x-amzn-trace-id', 'x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto']);

/**
 * The request's headers as the function sees them: API Gateway and function URLs add the trace header and the
 * X-Forwarded-* trio (REST with these capitals, the others lower case), replacing what the client sent, except that
 * X-Forwarded-For keeps the client's list and appends the caller's address. Locally the scheme is http and the port
 * is the one the client connected to, so a handler that builds its own URL from them builds a working one.
 */
export function forwardedHeaders(kind: ApiKind, rawHeaders: readonly string[], ids: GatewayIds, sourceIp: string, port: number): string[] {
  const kept: string[] = [];
  let forwardedFor: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    if (name === 'x-forwarded-for') forwardedFor = forwardedFor === undefined ? rawHeaders[i + 1] : `${forwardedFor}, ${rawHeaders[i + 1]}`;
    else if (!ADDED.has(name)) kept.push(rawHeaders[i], rawHeaders[i + 1]);
  }
  const rest = kind === 'rest';
  kept.push(
    rest ? 'X-Amzn-Trace-Id' : 'x-amzn-trace-id', `Root=${ids.traceRoot}`,
    rest ? 'X-Forwarded-For' : 'x-forwarded-for', forwardedFor ? `${forwardedFor}, ${sourceIp}` : sourceIp,
    rest ? 'X-Forwarded-Port' : 'x-forwarded-port', String(port),
    rest ? 'X-Forwarded-Proto' : 'x-forwarded-proto', 'http',
  );
  return kept;
}

/** The headers every answer to the request carries, the function's or the gateway's own: REST APIs' request ids and
 *  trace, HTTP APIs' `apigw-requestid`, a function URL's request id and trace. */
export function answerHeaders(kind: ApiKind, ids: GatewayIds): HeaderPairs {
  const trace: [string, string] = ['X-Amzn-Trace-Id', `Root=${ids.traceRoot};Sampled=0`];
  if (kind === 'rest') return [['x-amzn-RequestId', ids.requestId], ['x-amz-apigw-id', ids.extendedRequestId], trace];
  if (kind === 'http') return [['apigw-requestid', ids.requestId]];
  return [['x-amzn-RequestId', ids.requestId], trace];
}

/** `res` with `extra()` added to the head of whatever it answers; a header the answer already has is left as it is. */
export function withAnswerHeaders(res: MinimalResponse, extra: () => HeaderPairs): MinimalResponse {
  const merged = (headers: Readonly<Record<string, string | number>> | HeaderPairs): HeaderPairs => {
    const pairs: (readonly [string, string])[] = Array.isArray(headers) ? [...(headers as HeaderPairs)]
      : Object.entries(headers).map(([name, value]) => [name, String(value)] as const);
    const present = new Set(pairs.map(([name]) => name.toLowerCase()));
    for (const pair of extra()) if (!present.has(pair[0].toLowerCase())) pairs.push(pair);
    return pairs;
  };
  return {
    send: (status, headers, body) => res.send(status, merged(headers), body),
    start: (status, headers) => res.start(status, merged(headers)),
    write: (chunk) => res.write(chunk),
    end: () => res.end(),
    destroy: () => res.destroy(),
    get status() { return res.status; },
    get onClose() { return res.onClose; },
    set onClose(listener) { res.onClose = listener; },
  };
}
