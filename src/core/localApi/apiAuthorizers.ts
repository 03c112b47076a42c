import { readFile } from 'node:fs/promises';
import type { JWTVerifyGetKey } from 'jose' with { 'resolution-mode': 'import' };
import type { LocalLambda } from '../runtime/localLambda';
import type { FunctionConfig } from '../runtime/types';
import { eventV1, eventV2, requestHeader, type ApiRequest } from './apiEvents';
import { gatewayReply, type HttpReply } from './apiResponses';
import { routeKey, type RouteMatch } from './apiRouter';
import type { AuthorizerConfig } from './apiAuthorizerConfig';
import type { ApiDefinition } from './apiRoutes';
import { claimStrings, verifyCognitoToken } from './cognitoAuthorizer';

/** Let in, with what reaches `requestContext.authorizer`; or answered by the gateway (401, 403, 500). */
export type AuthorizerDecision = { readonly context: Record<string, unknown> } | { readonly reply: HttpReply };

interface Policy { Statement?: unknown }
interface CachedOutput { readonly expires: number; readonly output: unknown }

export interface AuthorizerOptions {
  readonly lambda: LocalLambda;
  readonly functions: ReadonlyMap<string, FunctionConfig>;
  /** A JWKS file used instead of the issuer's published keys (offline work, test issuers). */
  readonly jwksFile?: string;
  readonly onLog?: (functionId: string, line: string) => void;
}

const query = (req: ApiRequest, name: string): string | undefined => new URLSearchParams(req.rawQuery).get(name) ?? undefined;

function withoutBody(event: Record<string, unknown>): Record<string, unknown> {
  const { body: _body, isBase64Encoded: _encoded, ...rest } = event;
  return rest;
}

/** `*` and `?` of an IAM resource pattern against an ARN. */
const resourceMatches = (pattern: string, arn: string): boolean =>
  new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`).test(arn);

/** What an IAM policy of a Lambda authorizer says about this ARN: an explicit Deny wins, then an Allow. */
export function policyDecision(policy: Policy | undefined, arn: string): 'allow' | 'deny' | 'none' {
  const statements = Array.isArray(policy?.Statement) ? policy.Statement : policy?.Statement ? [policy.Statement] : [];
  let allowed = false;
  for (const s of statements as { Effect?: string; Action?: unknown; Resource?: unknown }[]) {
    const actions = ([] as unknown[]).concat(s.Action ?? []).map(String);
    if (!actions.some((a) => a === 'execute-api:Invoke' || a === 'execute-api:*' || a === '*')) continue;
    if (!([] as unknown[]).concat(s.Resource ?? []).map(String).some((r) => resourceMatches(r, arn))) continue;
    if (s.Effect === 'Deny') return 'deny';
    if (s.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'allow' : 'none';
}

/**
 * The authorizers of a template, run by the local gateway before a route's function: REST TOKEN and REQUEST Lambda
 * authorizers (IAM policy answers), HTTP API REQUEST Lambda authorizers (simple `{ isAuthorized }` or policy answers,
 * payload 1.0/2.0), HTTP API JWT authorizers (issuer, audience, expiry and signature through jose, keys from the
 * issuer's OpenID configuration or a local JWKS file) and REST Cognito user pool authorizers (cognitoAuthorizer.ts).
 * Lambda results are cached per identity for their TTL.
 */
export class Authorizers {
  private readonly cache = new Map<string, CachedOutput>();
  private readonly keySets = new Map<string, JWTVerifyGetKey>();
  /** Calls made to authorizer functions (tests read it to see the cache work). */
  calls = 0;

  constructor(private readonly options: AuthorizerOptions) {}

  /** Drops cached results: the template was read again, and an authorizer's function or TTL may have changed. */
  forget(): void {
    this.cache.clear();
  }

  async authorize(api: ApiDefinition, match: RouteMatch, req: ApiRequest): Promise<AuthorizerDecision | undefined> {
    const config = api.authorizers[match.route.authorizer ?? ''];
    if (!config) return undefined;
    const identity = [...config.headers.map((h) => requestHeader(req, h)), ...config.queryStrings.map((q) => query(req, q))];
    // A request without the identity sources is refused before the authorizer runs, as API Gateway does.
    const missing = [...config.headers.map((h) => `${h} header`), ...config.queryStrings.map((q) => `${q} query parameter`)].filter((_, i) => identity[i] === undefined || identity[i] === '');
    if (missing.length) return { reply: { ...gatewayReply.unauthorized(), problem: `authorizer ${config.name}: the request has no ${missing.join(' or ')}` } };
    if (config.type === 'jwt') return this.verifyJwt(config, identity[0] ?? '', match.route.scopes ?? []);
    if (config.type === 'cognito') {
      return verifyCognitoToken(config, identity[0] ?? '', match.route.scopes ?? config.cognito?.scopes ?? [], (issuer, jwksUrl) => this.keysFor(issuer, jwksUrl));
    }
    if (config.type === 'token' && config.validationExpression && !new RegExp(config.validationExpression).test(identity[0] ?? '')) {
      return { reply: gatewayReply.unauthorized() };
    }
    const arn = api.kind === 'rest'
      ? `arn:aws:execute-api:${req.region}:${req.accountId}:${api.id.toLowerCase()}/${api.stage}/${req.method}${req.path === '/' ? '/' : req.path}`
      : `arn:aws:execute-api:${req.region}:${req.accountId}:${api.id.toLowerCase()}/${api.stage}/${routeKey(match.route).replace(' ', '')}`;
    const key = `${config.name}\u0000${identity.join('\u0000')}`;
    const cached = this.cache.get(key);
    let output: unknown;
    if (cached && cached.expires > Date.now()) output = cached.output;
    else {
      const ran = await this.runFunction(config, api, this.event(config, api, match, req, arn, identity));
      if ('reply' in ran) return ran;
      output = ran.output;
      if (config.ttlSeconds > 0 && identity.length > 0) this.cache.set(key, { expires: Date.now() + config.ttlSeconds * 1000, output });
    }
    return this.decide(config, api, output, arn);
  }

  private event(config: AuthorizerConfig, api: ApiDefinition, match: RouteMatch, req: ApiRequest, arn: string, identity: (string | undefined)[]): Record<string, unknown> {
    const ctx = { api, route: match.route, pathParameters: match.pathParameters };
    if (config.type === 'token') return { type: 'TOKEN', authorizationToken: identity[0], methodArn: arn };
    // A REQUEST authorizer gets the request's event without its body, as API Gateway sends it.
    if (api.kind === 'rest') return { type: 'REQUEST', methodArn: arn, ...withoutBody(eventV1(ctx, req)) };
    if (config.payloadVersion === '1.0') return { type: 'REQUEST', methodArn: arn, identitySource: identity.join(','), authorizationToken: identity[0], ...withoutBody(eventV1(ctx, req)) };
    return { ...withoutBody(eventV2(ctx, req)), type: 'REQUEST', routeArn: arn, identitySource: identity };
  }

  private async runFunction(config: AuthorizerConfig, api: ApiDefinition, event: Record<string, unknown>): Promise<{ output: unknown } | { reply: HttpReply }> {
    const fn = config.functionId ? this.options.functions.get(config.functionId) : undefined;
    if (!fn) return { reply: gatewayReply.authorizerFailure(api.kind, `authorizer ${config.name}: its function ${config.functionId ?? '?'} is not run locally (see the notes at start)`) };
    this.calls++;
    const result = await this.options.lambda.invoke(fn, JSON.stringify(event), { onLog: (line) => this.options.onLog?.(config.functionId!, line) });
    if (result.functionError) {
      // `throw new Error('Unauthorized')` (callback('Unauthorized')) is the documented way to answer 401.
      if (result.error?.errorMessage === 'Unauthorized') return { reply: gatewayReply.unauthorized() };
      return { reply: gatewayReply.authorizerFailure(api.kind, `authorizer ${config.name} failed: ${result.error?.errorType ?? 'Error'}: ${result.error?.errorMessage ?? ''}`) };
    }
    try {
      return { output: JSON.parse(result.payload) };
    } catch {
      return { reply: gatewayReply.authorizerFailure(api.kind, `authorizer ${config.name} returned something that is not JSON`) };
    }
  }

  private decide(config: AuthorizerConfig, api: ApiDefinition, output: unknown, arn: string): AuthorizerDecision {
    const out = (output ?? {}) as { isAuthorized?: unknown; principalId?: unknown; policyDocument?: Policy; context?: Record<string, unknown> };
    const context = out.context && typeof out.context === 'object' ? out.context : {};
    if (api.kind !== 'rest' && config.simpleResponses && 'isAuthorized' in out) {
      return out.isAuthorized === true ? { context: { lambda: context } } : { reply: gatewayReply.forbidden(api.kind) };
    }
    if (!out.policyDocument) return { reply: gatewayReply.authorizerFailure(api.kind, `authorizer ${config.name} returned no policyDocument${config.simpleResponses ? ' and no isAuthorized' : ''}`) };
    const verdict = policyDecision(out.policyDocument, arn);
    if (verdict !== 'allow') {
      const reply = api.kind === 'rest' && verdict === 'none'
        ? { ...gatewayReply.forbidden(api.kind), body: Buffer.from(JSON.stringify({ message: 'User is not authorized to access this resource' })) }
        : gatewayReply.forbidden(api.kind);
      return { reply: { ...reply, problem: `authorizer ${config.name}: ${verdict === 'deny' ? 'an explicit Deny' : 'no Allow'} for ${arn}` } };
    }
    if (api.kind === 'rest') {
      // A REST API passes context values on as strings, and refuses an object or a list among them.
      const nested = Object.keys(context).find((k) => context[k] !== null && typeof context[k] === 'object');
      if (nested) return { reply: gatewayReply.authorizerFailure('rest', `authorizer ${config.name}: context.${nested} is ${Array.isArray(context[nested]) ? 'a list' : 'an object'}; a REST API takes only strings, numbers and booleans there`) };
      const strings = Object.fromEntries(Object.entries(context).map(([k, v]) => [k, typeof v === 'number' || typeof v === 'boolean' ? String(v) : v]));
      return { context: { ...strings, principalId: out.principalId } };
    }
    return { context: { lambda: context, principalId: out.principalId } };
  }

  private async verifyJwt(config: AuthorizerConfig, value: string, routeScopes: readonly string[]): Promise<AuthorizerDecision> {
    const token = value.replace(/^Bearer\s+/i, '');
    const fail = (why: string): AuthorizerDecision => ({
      reply: { ...gatewayReply.unauthorized(), headers: [['content-type', 'application/json'], ['www-authenticate', `Bearer error="invalid_token" error_description="${why.replace(/"/g, "'")}"`]], problem: `JWT authorizer ${config.name}: ${why}` },
    });
    try {
      const keys = await this.keysFor(config.jwt?.issuer);
      const { jwtVerify } = await import('jose'); // loaded on the first JWT, not with the server
      const { payload } = await jwtVerify(token, keys, { issuer: config.jwt?.issuer, clockTolerance: 0 });
      // HTTP APIs accept the audience in `aud` or, for access tokens, in `client_id`.
      const audiences = ([] as unknown[]).concat(payload.aud ?? [], payload.client_id ?? []).map(String);
      if (config.jwt?.audience.length && !audiences.some((a) => config.jwt!.audience.includes(a))) return fail(`the token's audience (${audiences.join(', ') || 'none'}) is not one of ${config.jwt.audience.join(', ')}`);
      const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : Array.isArray(payload.scp) ? payload.scp.map(String) : [];
      if (routeScopes.length && !routeScopes.some((s) => scopes.includes(s))) {
        return { reply: { ...gatewayReply.forbidden('http'), problem: `JWT authorizer ${config.name}: the token's scopes (${scopes.join(' ') || 'none'}) include none of the route's ${routeScopes.join(', ')}` } };
      }
      return { context: { jwt: { claims: claimStrings(payload, 'http'), scopes: scopes.length ? scopes : null } } };
    } catch (error) {
      return fail(error instanceof Error ? error.message : String(error));
    }
  }

  /** The issuer's keys: a local JWKS file's, or the issuer's own (at `jwksUrl`, or its OpenID configuration's
   *  jwks_uri), fetched once and cached by jose. */
  private async keysFor(issuer: string | undefined, jwksUrl?: string): Promise<JWTVerifyGetKey> {
    const id = this.options.jwksFile ?? issuer ?? '';
    let keys = this.keySets.get(id);
    if (!keys) {
      const { createLocalJWKSet, createRemoteJWKSet } = await import('jose');
      if (this.options.jwksFile) keys = createLocalJWKSet(JSON.parse(await readFile(this.options.jwksFile, 'utf8')) as Parameters<typeof createLocalJWKSet>[0]);
      else {
        if (!issuer) throw new Error('the authorizer has no issuer and no JWKS file was given');
        keys = createRemoteJWKSet(new URL(jwksUrl ?? await discoveredJwksUrl(issuer)));
      }
      this.keySets.set(id, keys);
    }
    return keys;
  }
}

/** An OpenID issuer's jwks_uri, from its configuration. */
async function discoveredJwksUrl(issuer: string): Promise<string> {
  const discovery = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!discovery.ok) throw new Error(`the issuer's OpenID configuration answered HTTP ${discovery.status}`);
  const { jwks_uri: jwksUri } = await discovery.json() as { jwks_uri?: string };
  if (!jwksUri) throw new Error("the issuer's OpenID configuration has no jwks_uri");
  return jwksUri;
}
