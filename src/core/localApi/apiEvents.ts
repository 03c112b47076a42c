import { keyedRecord } from '../json/keyedRecord';
import type { ApiDefinition, ApiRoute } from './apiRoutes';
import { routeKey } from './apiRouter';

/** What the server knows about one HTTP request, in the shape the event builders need. */
export interface ApiRequest {
  readonly method: string;
  /** The path as the function sees it (REST: without the stage), still percent-encoded. */
  readonly path: string;
  /** The query string without `?`, as sent. */
  readonly rawQuery: string;
  /** Header pairs in the order received, names as sent (`IncomingMessage.rawHeaders`). */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly requestId: string;
  /** REST's `extendedRequestId`. */
  readonly extendedRequestId: string;
  readonly time: Date;
  readonly protocol: string;
  readonly accountId: string;
  readonly region: string;
}

export interface EventContext {
  readonly api: ApiDefinition;
  readonly route: ApiRoute;
  readonly pathParameters: Record<string, string>;
  /** What an authorizer returned for the request (`requestContext.authorizer`). */
  readonly authorizer?: Record<string, unknown>;
  /** The API key the request gave a route that needs one (`requestContext.identity.apiKey`, `apiKeyId`). */
  readonly apiKey?: { readonly id: string; readonly value: string };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');
/** `09/Apr/2015:12:34:56 +0000`, the format of `requestTime` and `time`. */
export function clfTime(d: Date): string {
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** The first value of a request header, whatever the case of its name as sent. */
export function requestHeader(req: Pick<ApiRequest, 'rawHeaders'>, name: string): string | undefined {
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) if (req.rawHeaders[i].toLowerCase() === name) return req.rawHeaders[i + 1];
  return undefined;
}

function headerPairs(raw: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i], raw[i + 1]]);
  return pairs;
}

export function queryPairs(rawQuery: string): [string, string][] {
  return rawQuery ? [...new URLSearchParams(rawQuery)] : [];
}

/** Payload 1.0: the last value of a repeated name in the single-value map, every value in the multi-value one. */
function singleAndMulti(pairs: [string, string][]): { single: Record<string, string> | null; multi: Record<string, string[]> | null } {
  if (pairs.length === 0) return { single: null, multi: null };
  const single = keyedRecord<string>();
  const multi = keyedRecord<string[]>();
  for (const [k, v] of pairs) {
    single[k] = v;
    (multi[k] ??= []).push(v);
  }
  return { single, multi };
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|[\w.+-]+\+(json|xml)))|^$/i;

/** Whether a REST API's binary media types (`image/png`, a type with a wildcard subtype, or any type) name a media
 *  type (its parameters ignored). */
export function isBinaryType(api: ApiDefinition, mediaType: string): boolean {
  const type = mediaType.split(';')[0].trim().toLowerCase();
  if (!type) return false;
  return api.binaryMediaTypes.some((m) => m === '*/*' || m.toLowerCase() === type || (m.endsWith('/*') && type.startsWith(m.slice(0, -1).toLowerCase())));
}

/** Whether the body reaches the function base64-encoded: REST for the API's binary media types, HTTP APIs and
 *  function URLs for anything that is not text. */
export function isBinaryBody(api: ApiDefinition, contentType: string, body: Buffer): boolean {
  if (body.length === 0) return false;
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (api.kind === 'rest') return isBinaryType(api, type);
  return !TEXT_TYPES.test(type);
}

const domainOf = (ctx: EventContext, req: ApiRequest): string => (ctx.api.kind === 'url'
  ? `${ctx.api.id.toLowerCase()}.lambda-url.${req.region}.on.aws`
  : `${ctx.api.id.toLowerCase()}.execute-api.${req.region}.amazonaws.com`);

function bodyOf(ctx: EventContext, req: ApiRequest): { body: string | null; isBase64Encoded: boolean } {
  if (req.body.length === 0) return { body: null, isBase64Encoded: false };
  const contentType = requestHeader(req, 'content-type') ?? '';
  const binary = isBinaryBody(ctx.api, contentType, req.body);
  return { body: binary ? req.body.toString('base64') : req.body.toString('utf8'), isBase64Encoded: binary };
}

/** Payload format 1.0: REST proxy integrations and HTTP API routes with PayloadFormatVersion 1.0. */
export function eventV1(ctx: EventContext, req: ApiRequest): Record<string, unknown> {
  const headers = headerPairs(req.rawHeaders);
  const h = singleAndMulti(headers);
  const q = singleAndMulti(queryPairs(req.rawQuery));
  const userAgent = requestHeader(req, 'user-agent') ?? null;
  const domainName = domainOf(ctx, req);
  const stagePath = ctx.api.kind === 'rest' ? `/${ctx.api.stage}${req.path}` : req.path;
  const { body, isBase64Encoded } = bodyOf(ctx, req);
  return {
    ...(ctx.api.kind === 'http' ? { version: '1.0' } : {}),
    resource: ctx.route.path === '$default' ? '$default' : ctx.route.path,
    path: req.path,
    httpMethod: req.method,
    headers: h.single ?? {},
    multiValueHeaders: h.multi ?? {},
    queryStringParameters: q.single,
    multiValueQueryStringParameters: q.multi,
    pathParameters: Object.keys(ctx.pathParameters).length ? ctx.pathParameters : null,
    stageVariables: ctx.api.stageVariables ?? null,
    requestContext: {
      accountId: req.accountId, apiId: ctx.api.id.toLowerCase(), authorizer: ctx.authorizer ?? null, domainName, domainPrefix: domainName.split('.')[0],
      extendedRequestId: req.extendedRequestId, httpMethod: req.method,
      identity: {
        accessKey: null, accountId: null, apiKey: ctx.apiKey?.value ?? null, apiKeyId: ctx.apiKey?.id ?? null, caller: null, clientCert: null, cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null, cognitoIdentityId: null, cognitoIdentityPoolId: null, principalOrgId: null, sourceIp: req.sourceIp, user: null, userAgent, userArn: null,
      },
      path: stagePath, protocol: req.protocol, requestId: req.requestId, requestTime: clfTime(req.time), requestTimeEpoch: req.time.getTime(),
      resourceId: 'local', resourcePath: ctx.route.path, stage: ctx.api.stage,
      ...(ctx.api.kind === 'http' ? { routeKey: routeKey(ctx.route) } : {}),
    },
    body,
    isBase64Encoded,
  };
}

/** Payload format 2.0: HTTP API routes (the default) and function URLs. Repeated headers and query parameters are
 *  comma-joined, cookies move to `cookies`, header names are lower case; absent parts are left out. */
export function eventV2(ctx: EventContext, req: ApiRequest): Record<string, unknown> {
  const pairs = headerPairs(req.rawHeaders);
  const headers = keyedRecord<string>();
  const cookies: string[] = [];
  for (const [k, v] of pairs) {
    const name = k.toLowerCase();
    if (name === 'cookie') cookies.push(...v.split(/;\s*/).filter(Boolean));
    else headers[name] = headers[name] === undefined ? v : `${headers[name]},${v}`;
  }
  const query = keyedRecord<string>();
  for (const [k, v] of queryPairs(req.rawQuery)) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const domainName = domainOf(ctx, req);
  const url = ctx.api.kind === 'url';
  const key = url ? '$default' : routeKey(ctx.route);
  const { body, isBase64Encoded } = bodyOf(ctx, req);
  return {
    version: '2.0',
    routeKey: key,
    rawPath: req.path,
    rawQueryString: req.rawQuery,
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      // A function URL's caller is anonymous unless it signed (AWS_IAM): then its account.
      accountId: url && !ctx.authorizer ? 'anonymous' : req.accountId, apiId: url ? domainName.split('.')[0] : ctx.api.id.toLowerCase(),
      ...(ctx.authorizer ? { authorizer: ctx.authorizer } : {}),
      domainName, domainPrefix: domainName.split('.')[0],
      http: { method: req.method, path: req.path, protocol: req.protocol, sourceIp: req.sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId: req.requestId, routeKey: key, stage: ctx.api.stage, time: clfTime(req.time), timeEpoch: req.time.getTime(),
    },
    ...(Object.keys(ctx.pathParameters).length && !url ? { pathParameters: ctx.pathParameters } : {}),
    ...(ctx.api.stageVariables && !url ? { stageVariables: ctx.api.stageVariables } : {}),
    ...(body === null ? {} : { body }),
    isBase64Encoded,
  };
}

export function apiEvent(ctx: EventContext, req: ApiRequest): Record<string, unknown> {
  return ctx.route.payloadVersion === '1.0' ? eventV1(ctx, req) : eventV2(ctx, req);
}
