// The authorizers an API declares (SAM `Auth.Authorizers`), as the local gateway runs them (apiAuthorizers.ts).
import { cognitoIssuer } from './cognitoAuthorizer';
import type { PayloadVersion } from './apiRoutes';
import { isObj, referencedId, strings } from './templateFields';

export interface AuthorizerConfig {
  readonly name: string;
  /** REST TOKEN / REQUEST Lambda authorizers, REST Cognito user pool authorizers, HTTP API REQUEST Lambda
   *  authorizers, HTTP API JWT authorizers. */
  readonly type: 'token' | 'request' | 'cognito' | 'jwt';
  /** Logical id of the authorizer function (Lambda authorizers). */
  readonly functionId?: string;
  /** Header names (lower case) and query parameters the identity comes from; missing ones answer 401 at once. */
  readonly headers: readonly string[];
  readonly queryStrings: readonly string[];
  /** How long a result is reused for the same identity (0: not cached). */
  readonly ttlSeconds: number;
  /** HTTP API Lambda authorizers: the event format and whether `{ isAuthorized }` answers are allowed. */
  readonly payloadVersion?: PayloadVersion;
  readonly simpleResponses?: boolean;
  /** REST TOKEN authorizers: a token that does not match is refused without calling the function (Cognito ones:
   *  the token's audience). */
  readonly validationExpression?: string;
  readonly jwt?: { readonly issuer?: string; readonly audience: readonly string[] };
  /** Cognito authorizers: the issuers of their user pools (none: a pool the template makes, so any pool's), and the
   *  OAuth scopes of the methods that name none of their own. */
  readonly cognito?: { readonly issuers: readonly string[]; readonly scopes: readonly string[] };
}

/** `method.request.header.Authorization`, `$request.header.Authorization`, `$request.querystring.id` → their parts. */
export function identitySources(sources: string[]): { headers: string[]; queryStrings: string[] } {
  const headers: string[] = [];
  const queryStrings: string[] = [];
  for (const s of sources) {
    const header = /header\.(.+)$/i.exec(s);
    const query = /querystring\.(.+)$/i.exec(s);
    if (header) headers.push(header[1].toLowerCase());
    else if (query) queryStrings.push(query[1]);
  }
  return { headers, queryStrings };
}

export function restAuthorizers(auth: unknown): { authorizers: Record<string, AuthorizerConfig>; defaultAuthorizer?: string } {
  const authorizers: Record<string, AuthorizerConfig> = {};
  if (!isObj(auth)) return { authorizers };
  for (const [name, a] of Object.entries(isObj(auth.Authorizers) ? auth.Authorizers : {})) {
    if (!isObj(a)) continue;
    const identity = isObj(a.Identity) ? a.Identity : {};
    const validationExpression = typeof identity.ValidationExpression === 'string' ? identity.ValidationExpression : undefined;
    if (a.UserPoolArn !== undefined) {
      authorizers[name] = {
        name, type: 'cognito', headers: [String(identity.Header ?? 'Authorization').toLowerCase()], queryStrings: [], ttlSeconds: 0, validationExpression,
        cognito: { issuers: cognitoIssuers(a.UserPoolArn), scopes: strings(a.AuthorizationScopes) },
      };
      continue;
    }
    if (a.FunctionArn === undefined) continue;
    const type = String(a.FunctionPayloadType ?? 'TOKEN').toUpperCase() === 'REQUEST' ? 'request' : 'token';
    const sources = type === 'token' ? { headers: [String(identity.Header ?? 'Authorization').toLowerCase()], queryStrings: [] }
      : { headers: strings(identity.Headers).map((h) => h.toLowerCase()), queryStrings: strings(identity.QueryStrings) };
    authorizers[name] = { name, type, functionId: referencedId(a.FunctionArn), ...sources, ttlSeconds: Number(identity.ReauthorizeEvery ?? 300), validationExpression };
  }
  return { authorizers, defaultAuthorizer: typeof auth.DefaultAuthorizer === 'string' ? auth.DefaultAuthorizer : undefined };
}

/** `UserPoolArn`: one ARN or a list; an intrinsic (`!GetAtt Pool.Arn`) names a pool not yet known, so none. */
export function cognitoIssuers(arns: unknown): string[] {
  const all = Array.isArray(arns) ? arns : [arns];
  const issuers = all.map(cognitoIssuer);
  return issuers.every((i) => i !== undefined) ? issuers as string[] : [];
}

export function httpAuthorizers(auth: unknown): { authorizers: Record<string, AuthorizerConfig>; defaultAuthorizer?: string } {
  const authorizers: Record<string, AuthorizerConfig> = {};
  if (!isObj(auth)) return { authorizers };
  for (const [name, a] of Object.entries(isObj(auth.Authorizers) ? auth.Authorizers : {})) {
    if (!isObj(a)) continue;
    if (isObj(a.JwtConfiguration)) {
      const jwt = a.JwtConfiguration;
      const sources = identitySources(strings(a.IdentitySource ?? '$request.header.Authorization'));
      authorizers[name] = { name, type: 'jwt', ...sources, ttlSeconds: 0, jwt: { issuer: jwt.issuer === undefined ? undefined : String(jwt.issuer), audience: strings(jwt.audience) } };
    } else if (a.FunctionArn !== undefined) {
      const identity = isObj(a.Identity) ? a.Identity : {};
      authorizers[name] = {
        name, type: 'request', functionId: referencedId(a.FunctionArn),
        headers: strings(identity.Headers).map((h) => h.toLowerCase()), queryStrings: strings(identity.QueryStrings),
        ttlSeconds: Number(identity.ReauthorizeEvery ?? 0), payloadVersion: String(a.AuthorizerPayloadFormatVersion ?? '2.0') === '1.0' ? '1.0' : '2.0',
        simpleResponses: a.EnableSimpleResponses === true,
      };
    }
  }
  return { authorizers, defaultAuthorizer: typeof auth.DefaultAuthorizer === 'string' ? auth.DefaultAuthorizer : undefined };
}

/** What the start banner says of a Cognito authorizer whose user pool the template itself creates. */
export function templatePoolNote(authorizer: string): string {
  return `${authorizer}: its user pool is made by the template, so locally a token of any Cognito user pool is taken when that pool's published keys sign it and it has not expired.`;
}
