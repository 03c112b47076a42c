import type { ApiKind, PayloadVersion } from './apiRoutes';

/** An HTTP answer: header pairs (Set-Cookie may repeat), the body, and — for a 5xx of the gateway — why, as API
 *  Gateway's execution log would say it. */
export interface HttpReply {
  readonly status: number;
  readonly headers: [string, string][];
  readonly body: Buffer;
  readonly problem?: string;
}

const json = (status: number, message: string | null, problem?: string, extra: [string, string][] = []): HttpReply => {
  const body = Buffer.from(JSON.stringify({ message }));
  return { status, headers: [['content-type', 'application/json'], ...extra], body, problem };
};

/** The gateway's own answers, with the bodies API Gateway sends. */
export const gatewayReply = {
  internalError: (problem: string): HttpReply => json(502, 'Internal server error', problem),
  timeout: (problem: string): HttpReply => json(504, 'Endpoint request timed out', problem),
  throttled: (problem: string): HttpReply => json(429, 'Too Many Requests', problem),
  tooLarge: (): HttpReply => json(413, 'Request Entity Too Large', 'the request body is over API Gateway\'s 10 MB limit'),
  unknownRoute: (kind: ApiKind): HttpReply => (kind === 'rest' ? json(403, 'Missing Authentication Token') : json(404, 'Not Found')),
  unauthorized: (): HttpReply => json(401, 'Unauthorized'),
  /** A Lambda authorizer that failed (threw, returned no policy, a context a REST API refuses): the gateway's
   *  AUTHORIZER_FAILURE / AUTHORIZER_CONFIGURATION_ERROR answer, 500 ({"message": null} from a REST API). */
  authorizerFailure: (kind: ApiKind, problem: string): HttpReply => (kind === 'rest'
    ? json(500, null, problem, [['x-amzn-ErrorType', 'AuthorizerConfigurationException']])
    : json(500, 'Internal Server Error', problem)),
  /** A REST route that needs an API key, without a valid one. */
  apiKeyForbidden: (): HttpReply => json(403, 'Forbidden'),
  forbidden: (kind: ApiKind): HttpReply => json(403, kind === 'rest' ? 'User is not authorized to access this resource with an explicit deny' : 'Forbidden'),
};

const PROXY_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded', 'cookies']);

function headerList(value: unknown, multi: unknown): [string, string][] | string {
  const out: [string, string][] = [];
  if (value !== undefined && value !== null) {
    if (typeof value !== 'object' || Array.isArray(value)) return 'headers must be an object of strings';
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out.push([k, String(v)]);
  }
  if (multi !== undefined && multi !== null) {
    if (typeof multi !== 'object' || Array.isArray(multi)) return 'multiValueHeaders must be an object of string lists';
    for (const [k, v] of Object.entries(multi as Record<string, unknown>)) {
      if (!Array.isArray(v)) return `multiValueHeaders.${k} must be a list`;
      // The multi-value list replaces a single value of the same name, as API Gateway merges them.
      for (let i = out.length - 1; i >= 0; i--) if (out[i][0].toLowerCase() === k.toLowerCase()) out.splice(i, 1);
      for (const item of v) out.push([k, String(item)]);
    }
  }
  return out;
}

/** A proxy response object → HTTP; a string says what is malformed. `binary`: an isBase64Encoded body is decoded
 *  (else it goes out as the base64 text, as a REST API sends it to a client that did not ask for binary). */
function proxyReply(result: Record<string, unknown>, strict: boolean, binary: boolean): HttpReply | string {
  if (strict) {
    const extra = Object.keys(result).filter((k) => !PROXY_KEYS.has(k) || k === 'cookies');
    if (extra.length) return `unexpected field(s) ${extra.join(', ')} (a proxy response has statusCode, headers, multiValueHeaders, body, isBase64Encoded)`;
  }
  const status = typeof result.statusCode === 'string' && /^\d+$/.test(result.statusCode) ? Number(result.statusCode) : result.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return `statusCode ${JSON.stringify(result.statusCode)} is not an HTTP status code`;
  const headers = headerList(result.headers, result.multiValueHeaders);
  if (typeof headers === 'string') return headers;
  if (result.body !== undefined && result.body !== null && typeof result.body !== 'string') {
    if (strict) return `body must be a string (got ${Array.isArray(result.body) ? 'a list' : typeof result.body}): JSON.stringify it`;
  }
  if (result.cookies !== undefined) {
    if (!Array.isArray(result.cookies)) return 'cookies must be a list of strings';
    for (const c of result.cookies) headers.push(['set-cookie', String(c)]);
  }
  const text = result.body === undefined || result.body === null ? '' : typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
  const body = result.isBase64Encoded === true && binary ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { status, headers, body };
}

/**
 * The function's answer as API Gateway (or a function URL) returns it to the client. Payload 1.0 must be a proxy
 * response: anything else is a 502 (`Malformed Lambda proxy response`). Payload 2.0 and function URLs take a proxy
 * response when it has a statusCode; otherwise the returned JSON is the body of a 200 `application/json` answer.
 */
export function replyFromPayload(kind: ApiKind, version: PayloadVersion, payload: string, binary = true): HttpReply {
  let result: unknown;
  try {
    result = payload === '' ? null : JSON.parse(payload);
  } catch {
    return gatewayReply.internalError('Execution failed due to configuration error: Malformed Lambda proxy response (not JSON)');
  }
  const isProxy = typeof result === 'object' && result !== null && !Array.isArray(result) && 'statusCode' in result;
  if (version === '1.0') {
    if (!isProxy) return gatewayReply.internalError(`Execution failed due to configuration error: Malformed Lambda proxy response (no statusCode in ${payload.slice(0, 120) || 'an empty response'})`);
    const reply = proxyReply(result as Record<string, unknown>, kind === 'rest', binary);
    return typeof reply === 'string' ? gatewayReply.internalError(`Execution failed due to configuration error: Malformed Lambda proxy response: ${reply}`) : reply;
  }
  if (isProxy) {
    const reply = proxyReply(result as Record<string, unknown>, false, binary);
    return typeof reply === 'string' ? gatewayReply.internalError(`Malformed Lambda response: ${reply}`) : reply;
  }
  return { status: 200, headers: [['content-type', 'application/json']], body: Buffer.from(payload, 'utf8') };
}
