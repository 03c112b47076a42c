import type { Logger } from '../logger';
import { listenOnLoopback } from '../net/listenOnLoopback';
import { CLIENT_FACING, MinimalHttpServer, type MinimalRequest, type MinimalResponse } from '../net/minimalHttpServer';
import { foreignRequest } from '../net/loopbackGuard';
import { readRequestBody } from '../net/requestBody';
import { requestTarget } from '../net/requestTarget';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, type AwsCredentials } from '../runtime/environmentVariables';
import { checkSigV4 } from './sigV4';
import type { LocalLambda } from '../runtime/localLambda';
import { StreamedResponseReader } from '../runtime/streamedResponse';
import { LambdaServiceError, type FunctionConfig, type InvokeResult } from '../runtime/types';
import { originAllowed, preflightHeaders, responseCorsHeaders } from './apiCors';
import { apiEvent, isBinaryType, requestHeader, type ApiRequest } from './apiEvents';
import { gatewayReply, replyFromPayload, type HttpReply } from './apiResponses';
import { ApiRouter, mostSpecific, type AddressedMatch, type RouteMatch } from './apiRouter';
import { stagePrefix, type ApiDefinition, type ApiKind, type ApiModel, type ApiRoute } from './apiRoutes';
import type { Authorizers } from './apiAuthorizers';
import { answerHeaders, forwardedHeaders, gatewayIds, withAnswerHeaders, type GatewayIds } from './gatewayHeaders';

/** API Gateway refuses request bodies over 10 MB. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** Integration timeouts: REST 29 s, HTTP APIs 30 s (function URLs: the function's own). */
const INTEGRATION_TIMEOUT_MS: Record<ApiKind, number> = { rest: 29_000, http: 30_000, url: 15 * 60_000 };

export interface AccessEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly durationMs: number;
  readonly functionId?: string;
  readonly requestId?: string;
  readonly cold?: boolean;
  /** Why a cold start happened, when it is worth saying (`code changed`). */
  readonly coldReason?: string;
  /** What went wrong at the gateway (a malformed response, a timeout, an unknown route). */
  readonly problem?: string;
}

export interface LocalApiOptions {
  readonly lambda: LocalLambda;
  readonly model: ApiModel;
  /** Configurations by the template's logical id. */
  readonly functions: ReadonlyMap<string, FunctionConfig>;
  /** Port of the API Gateway APIs (0: a free one). Function URLs take the ports after it in the template's order
   *  (the same addresses at every start, for a web app that calls them), skipping `reservedPorts` and any in use;
   *  with port 0 they take free ones. */
  readonly port?: number;
  /** Ports the function URLs must leave alone (the Invoke API's, started after this server). */
  readonly reservedPorts?: readonly number[];
  readonly region?: string;
  readonly accountId?: string;
  readonly authorizers?: Authorizers;
  readonly onAccess?: (entry: AccessEntry) => void;
  readonly onLog?: (functionId: string, line: string) => void;
  readonly logger?: Logger;
  /** Runs a request's invocation another way (the editor's "Debug this route": in a debug session, with no
   *  integration timeout while the debugger holds it); undefined lets the local Lambda run it. */
  readonly invokeOverride?: (functionId: string, config: FunctionConfig, event: string) => Promise<InvokeResult | undefined> | undefined;
  /** Tests shorten API Gateway's integration timeouts. */
  readonly integrationTimeoutMs?: Partial<Record<ApiKind, number>>;
  /** The local credentials (the functions'): an `AWS_IAM` function URL lets in requests signed with their keys. */
  readonly credentials?: () => Promise<AwsCredentials | undefined>;
}

export interface LocalApi {
  /** The APIs' address (`http://127.0.0.1:3000`). */
  readonly url: string;
  /** Each function URL's own address, by function logical id (a function URL owns its whole path space). */
  readonly functionUrls: ReadonlyMap<string, string>;
  /** Marks a function's code as changed: its next request starts a fresh environment, whose access line gives
   *  `reason` (default `code changed`). */
  codeChanged(functionId: string, reason?: string): void;
  /** Serves a re-read template's routes from the next request on (function URLs that stay keep their ports). */
  update(model: ApiModel): Promise<void>;
  close(): Promise<void>;
}

/** One server and the port it listens on (see listenOnLoopback). */
interface Listener { readonly server: MinimalHttpServer; routers: { api: ApiDefinition; router: ApiRouter }[]; port: number }

/**
 * A template's APIs over real HTTP on 127.0.0.1: REST APIs (payload 1.0; served under their stage, `/Prod/users`,
 * and at the root like `sam local start-api`), HTTP APIs (payload 1.0 or 2.0; at the root for the `$default` stage,
 * under a named stage and at the root like REST APIs),
 * and each function URL on a port of its own. Requests become the events API Gateway sends, answers become HTTP
 * as API Gateway makes it; CORS preflights and authorizers are answered by the gateway, not the function.
 */
export async function startLocalApi(options: LocalApiOptions): Promise<LocalApi> {
  const revisions = new Map<string, number>();
  /** Why each function's next start is fresh (`code changed`, `configuration changed`), until a request says it. */
  const changed = new Map<string, string>();
  let model = options.model;
  const byApi = (id: string): ApiRoute[] => model.routes.filter((r) => r.api === id);
  /** The routers of the main port: every API Gateway API with routes, HTTP APIs first (their `$default` stage has
   *  no prefix; a staged path is tried with and without its stage). */
  const gatewayRouters = (): Listener['routers'] => model.apis.filter((a) => a.kind !== 'url' && byApi(a.id).length > 0)
    .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'http' ? -1 : 1))
    .map((api) => ({ api, router: new ApiRouter(byApi(api.id)) }));
  const listeners: Listener[] = [];
  // The body is read first (over API Gateway's 10 MB it is counted, not kept); a GET's ends with its head.
  const handler = (listener: () => Listener) => (req: MinimalRequest, res: MinimalResponse): void => readRequestBody(req, MAX_REQUEST_BYTES, (body) => {
    void serve(listener(), req, res, body).catch((error: unknown) => {
      options.logger?.error(error instanceof Error ? error : String(error));
      if (res.status === 0) send(res, gatewayReply.internalError(String(error)));
      else res.destroy();
    });
  });

  const main: Listener = { server: new MinimalHttpServer(handler(() => main), CLIENT_FACING), routers: gatewayRouters(), port: 0 };
  main.port = await listenOnLoopback(main.server.listener, options.port ?? 3000);
  listeners.push(main);
  const functionUrls = new Map<string, string>();
  /** Function URLs by function: each on a port of its own, kept across template reloads while the URL stays. */
  const urlListeners = new Map<string, Listener>();
  async function openFunctionUrls(): Promise<void> {
    const wanted = new Map(model.apis.filter((a) => a.kind === 'url').map((api) => [api.id, api]));
    for (const [id, listener] of urlListeners) {
      if (wanted.has(id)) continue;
      urlListeners.delete(id);
      functionUrls.delete(id);
      listeners.splice(listeners.indexOf(listener), 1);
      await listener.server.close();
    }
    for (const [id, api] of wanted) {
      const routers = [{ api, router: new ApiRouter(byApi(api.id)) }];
      const known = urlListeners.get(id);
      if (known) {
        known.routers = routers;
        continue;
      }
      const listener: Listener = { server: new MinimalHttpServer(handler(() => listener), CLIENT_FACING), routers, port: 0 };
      listener.port = await listenForFunctionUrl(listener.server.listener);
      listeners.push(listener);
      urlListeners.set(id, listener);
      functionUrls.set(id, `http://127.0.0.1:${listener.port}`);
    }
  }
  /** The first of the ports after the APIs' that is neither reserved nor in use, else a free one. */
  async function listenForFunctionUrl(server: MinimalHttpServer['listener']): Promise<number> {
    if (options.port === 0) return listenOnLoopback(server);
    const held = new Set([main.port, ...(options.reservedPorts ?? []), ...listeners.map((l) => l.port)]);
    for (let port = main.port + 1, tries = 0; port <= 65535 && tries < 20; port++) {
      if (held.has(port)) continue;
      tries++;
      try {
        return await listenOnLoopback(server, port);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      }
    }
    return listenOnLoopback(server);
  }
  await openFunctionUrls();

  /** `body`: undefined when it was over API Gateway's limit. */
  async function serve(listener: Listener, req: MinimalRequest, socket: MinimalResponse, body: Buffer | undefined): Promise<void> {
    const started = performance.now();
    // Every answer carries the gateway's request ids, of the API that answers (before a route is found: the kind
    // that answers an unknown route).
    let answering: ApiKind = fallbackKind(listener);
    const idsByKind = new Map<ApiKind, GatewayIds>();
    const idsOf = (kind: ApiKind): GatewayIds => {
      let ids = idsByKind.get(kind);
      if (!ids) idsByKind.set(kind, (ids = gatewayIds(kind, req.rawHeaders)));
      return ids;
    };
    const res = withAnswerHeaders(socket, () => answerHeaders(answering, idsOf(answering)));
    const method = req.method;
    const url = requestTarget(req.url);
    const access = (reply: Pick<AccessEntry, 'status'> & Partial<AccessEntry>): void =>
      options.onAccess?.({ method, path: url.pathname, durationMs: performance.now() - started, ...reply });
    const origin = req.headers.origin;
    const corsOf = listener.routers.map((r) => r.api.cors).filter((c) => c !== undefined);
    // The loopback door: a browser origin passes when it is local and the API's CORS lets it in (a template's '*'
    // opens it to local web apps, not to every site the user visits), or when the configuration names it.
    const localOrigin = origin !== undefined && /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i.test(origin);
    const named = origin !== undefined && corsOf.some((c) => c.allowOrigins.some((o) => o !== '*' && o.toLowerCase() === origin.toLowerCase()));
    const allowed = origin !== undefined && ((localOrigin && corsOf.some((c) => originAllowed(c, origin))) || named) ? [origin] : [];
    const refusal = foreignRequest(req, listener.port, { allowedOrigins: allowed });
    if (refusal) {
      send(res, { status: 403, headers: [['content-type', 'application/json']], body: Buffer.from(JSON.stringify({ message: refusal })) });
      return access({ status: 403, problem: refusal });
    }
    if (!body) {
      send(res, gatewayReply.tooLarge());
      return access({ status: 413, problem: 'request body over 10 MB' });
    }
    const found = findRoute(listener, method, url.pathname);
    const preflightOf = method === 'OPTIONS' && origin && req.headers['access-control-request-method']
      ? (findRoute(listener, method, url.pathname, true)?.api ?? listener.routers[0]?.api) : undefined;
    if (preflightOf?.cors && origin) {
      const api = preflightOf;
      const headers = preflightHeaders(api.cors!, origin, String(req.headers['access-control-request-method']), String(req.headers['access-control-request-headers'] ?? ''));
      send(res, { status: headers ? 204 : 403, headers: headers ?? [], body: Buffer.alloc(0) });
      return access({ status: headers ? 204 : 403, problem: headers ? undefined : 'CORS preflight not allowed by the configuration' });
    }
    if (!found?.match) {
      const kind = answering;
      send(res, gatewayReply.unknownRoute(kind));
      const known = listener.routers.flatMap((r) => r.router.routes.map((x) => `${x.method} ${stagePrefix(r.api)}${x.path}`));
      return access({ status: kind === 'rest' ? 403 : 404, problem: `no route matches ${method} ${url.pathname} (routes: ${known.join(', ') || 'none'})` });
    }
    const { api, match, path } = found;
    answering = api.kind;
    const ids = idsOf(api.kind);
    const sourceIp = req.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
    const request: ApiRequest = {
      method, path, rawQuery: url.query, rawHeaders: forwardedHeaders(api.kind, req.rawHeaders, ids, sourceIp, listener.port), body, sourceIp,
      requestId: ids.requestId, extendedRequestId: ids.extendedRequestId, time: new Date(), protocol: `HTTP/${req.httpVersion}`,
      accountId: options.accountId ?? DEFAULT_ACCOUNT_ID, region: options.region ?? DEFAULT_REGION,
    };
    let authorizer: Record<string, unknown> | undefined;
    if (api.kind === 'url' && api.urlAuthType === 'AWS_IAM') {
      const check = await checkSigV4({ method, path: url.pathname, rawQuery: url.query, rawHeaders: req.rawHeaders, body }, await options.credentials?.(), request.region);
      if (!check.ok) {
        send(res, { status: 403, headers: [['content-type', 'application/json']], body: Buffer.from(check.body) });
        return access({ status: 403, problem: check.problem });
      }
      // Who signed, as far as it is known here: the access key and account (IAM's user ids are not).
      authorizer = { iam: { accessKey: check.accessKey, accountId: request.accountId, callerId: null, cognitoIdentity: null, principalOrgId: null, userArn: null, userId: null } };
    }
    let apiKey: { id: string; value: string } | undefined;
    if (match.route.apiKeyRequired) {
      // Checked before any authorizer, as API Gateway does; a key is any one when the template declares none.
      const value = requestHeader(request, 'x-api-key');
      apiKey = value ? (api.apiKeys?.length ? api.apiKeys.find((k) => k.value === value) : { id: 'local-api-key', value }) : undefined;
      if (!apiKey) {
        send(res, gatewayReply.apiKeyForbidden());
        return access({ status: 403, problem: value ? "the x-api-key is none of the template's ApiKey values" : 'the route needs an API key: the request has no x-api-key header' });
      }
    }
    if (match.route.authorizer) {
      const decision = await options.authorizers?.authorize(api, match, request);
      if (!decision) {
        send(res, gatewayReply.internalError(`authorizer ${match.route.authorizer} is not available locally`));
        return access({ status: 502, problem: `no authorizer ${match.route.authorizer}` });
      }
      if ('reply' in decision) {
        send(res, decision.reply);
        return access({ status: decision.reply.status, problem: decision.reply.problem });
      }
      authorizer = decision.context;
    }
    const config = configFor(match.route.functionId);
    if (!config) {
      send(res, gatewayReply.internalError(`the route's function ${match.route.functionId} is not run locally (see the notes at start)`));
      return access({ status: 502, problem: `${match.route.functionId} is not run locally (see the notes at start)` });
    }
    const event = JSON.stringify(apiEvent({ api, route: match.route, pathParameters: match.pathParameters, authorizer, apiKey }, request));
    const cors = api.kind === 'rest' ? [] : responseCorsHeaders(api.cors, origin);
    const coldReason = changed.get(match.route.functionId);
    changed.delete(match.route.functionId);
    const outcome = await invoke(api, match, config, event, res, cors, ids.traceRoot, req.headers.accept);
    access({ status: outcome.reply?.status ?? res.status, functionId: match.route.functionId, requestId: outcome.result?.requestId, cold: outcome.result?.coldStart, coldReason: outcome.result?.coldStart ? coldReason : undefined, problem: outcome.reply?.problem });
  }

  /** The function's configuration at its code revision (one object per revision, not per request). */
  const revised = new Map<string, FunctionConfig>();
  function configFor(functionId: string): FunctionConfig | undefined {
    const config = options.functions.get(functionId);
    const revision = revisions.get(functionId);
    if (!config || !revision) return config;
    let current = revised.get(functionId);
    if (current?.codeRevision !== revision) revised.set(functionId, (current = { ...config, codeRevision: revision }));
    return current;
  }

  /** Invokes the route's function and answers; a RESPONSE_STREAM function URL writes chunks as they come. */
  async function invoke(api: ApiDefinition, match: RouteMatch, config: FunctionConfig, event: string, res: MinimalResponse, cors: [string, string][], traceRoot: string, accept: string | undefined): Promise<{ result?: InvokeResult; reply?: HttpReply }> {
    const overridden = options.invokeOverride?.(match.route.functionId, config, event);
    if (overridden) {
      const result = await overridden;
      if (!result) return { reply: finish(res, gatewayReply.internalError('the debug session did not start (see the Lambda Workbench output)'), cors) };
      return { result, reply: finish(res, replyFor(api, match, config, result, accept), cors) };
    }
    const streaming = match.route.invokeMode === 'RESPONSE_STREAM';
    let reader: StreamedResponseReader | undefined;
    const running = options.lambda.invoke(config, event, {
      serialized: true,
      traceRoot,
      onLog: (line) => options.onLog?.(match.route.functionId, line),
      onResponseChunk: streaming ? (chunk, _id, contentType) => {
        reader ??= new StreamedResponseReader(contentType, (prelude) => {
          const headers: [string, string][] = [...Object.entries(prelude.headers ?? {}), ...(prelude.cookies ?? []).map((c): [string, string] => ['set-cookie', c]), ...cors];
          res.start(prelude.statusCode ?? 200, headers);
        }, (data) => {
          if (res.status === 0) res.start(200, [['content-type', contentType], ...cors]);
          res.write(data);
        });
        reader.push(chunk);
      } : undefined,
    });
    const limit = Math.min(options.integrationTimeoutMs?.[api.kind] ?? INTEGRATION_TIMEOUT_MS[api.kind], INTEGRATION_TIMEOUT_MS[api.kind]);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), limit); });
    let result: InvokeResult | 'timeout';
    try {
      result = await Promise.race([running, timedOut]);
    } catch (error) {
      const reply = error instanceof LambdaServiceError && error.errorType === 'TooManyRequestsException' ? gatewayReply.throttled(error.message) : gatewayReply.internalError(error instanceof Error ? error.message : String(error));
      return { reply: finish(res, reply, cors) };
    } finally {
      clearTimeout(timer);
    }
    if (result === 'timeout') {
      running.catch(() => undefined); // the function runs on, as behind API Gateway; its result is dropped
      return { reply: finish(res, gatewayReply.timeout(`the integration did not answer within ${limit / 1000} s (API Gateway's limit for ${api.kind === 'rest' ? 'REST APIs' : 'HTTP APIs'})`), cors) };
    }
    if (res.status !== 0) {
      res.end();
      return { result };
    }
    return { result, reply: finish(res, replyFor(api, match, config, result, accept), cors) };
  }

  /** The route a request means. Several APIs share the main port, so each is asked (under its stage and at the
   *  root) and the most specific match wins: POST /Prod/hello is a REST API's /hello, not an HTTP API's /{proxy+}. */
  function findRoute(listener: Listener, method: string, pathname: string, anyMethod = false): { api: ApiDefinition; match: RouteMatch; path: string } | undefined {
    const found: (AddressedMatch & { api: ApiDefinition; match: RouteMatch; path: string })[] = [];
    for (const { api, router } of listener.routers) {
      const prefix = stagePrefix(api);
      const staged = prefix !== '' && (pathname === prefix || pathname.startsWith(`${prefix}/`));
      const candidates = staged ? [pathname.slice(prefix.length) || '/', pathname] : [pathname];
      for (const path of candidates) {
        const match = router.match(method, path, { anyMethod });
        if (!match) continue;
        // A REST function sees the path without its stage; an HTTP API's named stage stays in `rawPath`, as on AWS
        // (a request at the root, served like `sam local start-api`, gets the path it would have had there).
        const seen = api.kind !== 'http' || !prefix ? path : staged && path !== pathname ? pathname : `${prefix}${path}`;
        const addressedPath = staged && path !== pathname ? `${prefix}${match.route.path === '/' ? '' : match.route.path}` || '/' : match.route.path;
        found.push({ api, match, path: seen, route: match.route, addressedPath });
        break;
      }
    }
    return found.length > 1 ? mostSpecific(found, method) : found[0];
  }

  return {
    url: `http://127.0.0.1:${main.port}`,
    functionUrls,
    codeChanged(functionId, reason = 'code changed') {
      revisions.set(functionId, (revisions.get(functionId) ?? 0) + 1);
      changed.set(functionId, reason);
    },
    async update(next) {
      model = next;
      main.routers = gatewayRouters();
      await openFunctionUrls();
    },
    async close() {
      await Promise.all(listeners.map(({ server }) => server.close()));
    },
  };
}

/** Who answers a request before its route is known: a function URL's port its URL, the main port an HTTP API when
 *  it serves one (an unknown route is then a 404), else a REST API. */
function fallbackKind(listener: Listener): ApiKind {
  if (listener.routers.length > 0 && listener.routers.every((r) => r.api.kind === 'url')) return 'url';
  return listener.routers.some((r) => r.api.kind !== 'rest') ? 'http' : 'rest';
}

/** A finished invocation as the gateway answers it: a function error — its own timeout included, which Lambda
 *  returns as one — 502, else the mapped payload (504 is the integration timeout's, in invoke()). A REST API
 *  returns a base64 body as binary only when the client's Accept names one of its binary media types. */
function replyFor(api: ApiDefinition, match: RouteMatch, config: FunctionConfig, result: InvokeResult, accept: string | undefined): HttpReply {
  if (result.timedOut) return gatewayReply.internalError(`${config.name} timed out after ${config.timeout ?? 3} s (a function error: 502, as API Gateway answers it)`);
  if (result.functionError) return gatewayReply.internalError(`${config.name} failed: ${result.error?.errorType ?? 'Error'}: ${result.error?.errorMessage ?? ''}`);
  const binary = api.kind !== 'rest' || isBinaryType(api, (accept ?? '').split(',')[0]);
  return replyFromPayload(api.kind, match.route.payloadVersion, result.payload, binary);
}

function finish(res: MinimalResponse, reply: HttpReply, cors: [string, string][]): HttpReply {
  const headers = reply.status >= 500 || reply.status === 429 ? reply.headers : [...reply.headers, ...cors];
  try {
    send(res, { ...reply, headers });
    return reply;
  } catch (error) {
    // A header no HTTP response can carry (CR LF in a value): nothing was written; the gateway answers 502.
    const malformed = gatewayReply.internalError(`Execution failed due to configuration error: Malformed Lambda proxy response: ${(error as Error).message}`);
    send(res, malformed);
    return malformed;
  }
}

function send(res: MinimalResponse, reply: HttpReply): void {
  res.send(reply.status, reply.headers, reply.body);
}

