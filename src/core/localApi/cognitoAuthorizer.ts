import type { JWTVerifyGetKey } from 'jose' with { 'resolution-mode': 'import' };
import type { AuthorizerDecision } from './apiAuthorizers';
import { gatewayReply, type HttpReply } from './apiResponses';
import type { AuthorizerConfig } from './apiAuthorizerConfig';

/** A user pool's token issuer: `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
const COGNITO_ISSUER = /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/[a-z0-9-]+_[0-9A-Za-z]+$/;

/** The issuer of a user pool's tokens, from the pool's ARN (`arn:aws:cognito-idp:<region>:<account>:userpool/<id>`);
 *  undefined for anything else (an intrinsic such as `!GetAtt UserPool.Arn`: the pool is made by the template). */
export function cognitoIssuer(userPoolArn: unknown): string | undefined {
  const m = typeof userPoolArn === 'string' ? /^arn:aws[a-z-]*:cognito-idp:([a-z0-9-]+):\d*:userpool\/([a-z0-9-]+_[0-9A-Za-z]+)$/.exec(userPoolArn) : null;
  return m ? `https://cognito-idp.${m[1]}.amazonaws.com/${m[2]}` : undefined;
}

/** Java's `Date.toString()` in UTC (`Tue Apr 04 18:39:39 UTC 2023`): how a REST API hands a token's times on. */
function javaDate(epochSeconds: number): string {
  // toUTCString: `Tue, 04 Apr 2023 18:39:39 GMT`.
  const [weekday, day, month, year, time] = new Date(epochSeconds * 1000).toUTCString().replace(',', '').split(' ');
  return `${weekday} ${month} ${day} ${time} UTC ${year}`;
}

/**
 * A token's claims as API Gateway passes them to the function: every value a string. A REST API (Cognito
 * authorizer) writes `exp`, `iat` and `nbf` as dates and joins a list with commas (`cognito:groups` of one group is
 * that group's name); an HTTP API (JWT authorizer) writes numbers as they are and a list as `[a b]`.
 */
export function claimStrings(claims: Record<string, unknown>, api: 'rest' | 'http'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) out[name] = api === 'rest' ? value.map(String).join(',') : `[${value.map(String).join(' ')}]`;
    else if (api === 'rest' && typeof value === 'number' && (name === 'exp' || name === 'iat' || name === 'nbf')) out[name] = javaDate(value);
    else out[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return out;
}

/** The keys of an issuer: a local JWKS file's (offline work, tests) or the ones it publishes. */
export type KeysFor = (issuer: string, jwksUrl: string) => Promise<JWTVerifyGetKey>;

const refuse = (config: AuthorizerConfig, why: string, message = 'Unauthorized'): AuthorizerDecision => ({
  reply: { ...gatewayReply.unauthorized(), body: Buffer.from(JSON.stringify({ message })), problem: `Cognito authorizer ${config.name}: ${why}` } satisfies HttpReply,
});

/**
 * A REST API's Cognito user pool authorizer: the header's token (with or without `Bearer `) must be signed by the
 * pool's published keys, unexpired, and issued by one of the authorizer's pools (any user pool when the pool is the
 * template's own, whose id is not known before it is deployed). A method without OAuth scopes takes an ID token; one
 * with scopes takes an access token holding one of them, as API Gateway's documentation says. Every refusal is a
 * 401 (`The incoming token has expired` for an expired one); the claims reach `requestContext.authorizer.claims`.
 */
export async function verifyCognitoToken(config: AuthorizerConfig, value: string, scopes: readonly string[], keysFor: KeysFor): Promise<AuthorizerDecision> {
  const token = value.replace(/^Bearer\s+/i, '');
  const { decodeJwt, jwtVerify, errors } = await import('jose'); // loaded on the first token, not with the server
  let issuer: string;
  try {
    issuer = String(decodeJwt(token).iss ?? '');
  } catch {
    return refuse(config, 'the header holds no JWT');
  }
  const pools = config.cognito?.issuers ?? [];
  if (pools.length ? !pools.includes(issuer) : !COGNITO_ISSUER.test(issuer)) {
    return refuse(config, `the token's issuer ${issuer || '(none)'} is ${pools.length ? `not ${pools.join(' or ')}` : 'no Cognito user pool'}`);
  }
  const jwksUrl = `${issuer}/.well-known/jwks.json`;
  let keys: JWTVerifyGetKey;
  try {
    keys = await keysFor(issuer, jwksUrl);
  } catch (error) {
    return refuse(config, `its keys could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(token, keys, { issuer, clockTolerance: 0 }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) return refuse(config, 'the token has expired', 'The incoming token has expired');
    const why = error instanceof Error ? error.message : String(error);
    // Not the token's fault: the published keys could not be fetched (offline, a proxy).
    if (!(error instanceof errors.JOSEError) || error instanceof errors.JWKSTimeout) return refuse(config, `the user pool's keys could not be read from ${jwksUrl} (${why}); --jwks <file> gives them offline`);
    return refuse(config, why);
  }
  if (config.validationExpression && !new RegExp(config.validationExpression).test(String(claims.aud ?? claims.client_id ?? ''))) {
    return refuse(config, `the token's audience does not match ${config.validationExpression}`);
  }
  if (scopes.length === 0) {
    if (claims.token_use !== 'id') return refuse(config, `a method without OAuth scopes takes an ID token, not ${claims.token_use === 'access' ? 'an access token' : `token_use ${String(claims.token_use)}`}`);
  } else {
    const held = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    if (claims.token_use !== 'access') return refuse(config, 'a method with OAuth scopes takes an access token');
    if (!scopes.some((s) => held.includes(s))) return refuse(config, `the token's scopes (${held.join(' ') || 'none'}) include none of ${scopes.join(', ')}`);
  }
  return { context: { claims: claimStrings(claims, 'rest') } };
}
