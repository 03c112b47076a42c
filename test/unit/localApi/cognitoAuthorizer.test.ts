import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type * as Jose from 'jose' with { 'resolution-mode': 'import' };
import { claimStrings } from '../../../src/core/localApi/cognitoAuthorizer';
import { templateCloud, type TemplateCloud } from '../support/templateCloud';

const POOL = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool1';
const OTHER_POOL = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other2';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  UserPool:
    Type: AWS::Cognito::UserPool
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: dev
      Auth:
        DefaultAuthorizer: Pool
        Authorizers:
          Pool:
            UserPoolArn: arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Pool1
          TemplatePool:
            UserPoolArn: !GetAtt UserPool.Arn
  Claims:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs20.x
      Events:
        Me: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /me, Method: get } }
        Orders: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /orders, Method: get, Auth: { AuthorizationScopes: [orders/read] } } }
        Any: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /any, Method: get, Auth: { Authorizer: TemplatePool } } }
        Open: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /open, Method: get, Auth: { Authorizer: NONE } } }
`;

describe('local API: REST Cognito user pool authorizers verify the token as API Gateway does', function () {
  this.timeout(60_000);
  let t: TemplateCloud;
  let jose: typeof Jose;
  let privateKey: Jose.CryptoKey;
  const sign = (claims: Record<string, unknown>, { issuer = POOL, expires = '5m' } = {}): Promise<string> =>
    new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'pool-key' }).setIssuer(issuer).setIssuedAt().setExpirationTime(expires).sign(privateKey);
  const get = (path: string, token?: string): Promise<Response> => t.fetch(path, { headers: token ? { authorization: token } : {} });
  const claimsOf = async (res: Response): Promise<Record<string, unknown>> => {
    const text = await res.text();
    assert.equal(res.status, 200, text);
    return (JSON.parse(text) as { claims: Record<string, unknown> }).claims;
  };

  before(async () => {
    jose = await import('jose');
    const keys = await jose.generateKeyPair('RS256');
    privateKey = keys.privateKey;
    t = await templateCloud({
      'template.yaml': TEMPLATE,
      'src/app.js': 'exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.authorizer ?? null) });\n',
      'jwks.json': JSON.stringify({ keys: [{ ...(await jose.exportJWK(keys.publicKey)), kid: 'pool-key', alg: 'RS256', use: 'sig' }] }),
    }, (dir) => ({ jwksFile: join(dir, 'jwks.json') }));
  });
  after(() => t?.close());

  it('names the authorizer on each route, and says at start that the template\'s own pool takes any pool\'s tokens', () => {
    const lines = t.cloud.routes.map((r) => r.text.replace(/\s+/g, ' '));
    assert.ok(lines.includes('GET /dev/me → Claims (REST API, payload 1.0, authorizer Pool)'), lines.join('\n'));
    assert.ok(lines.includes('GET /dev/open → Claims (REST API, payload 1.0)'));
    assert.deepEqual(t.cloud.model.notes.filter((n) => /user pool/.test(n)).map((n) => n.split(':')[0]), ['TemplatePool']);
  });

  it("an ID token of the pool: its claims reach requestContext.authorizer.claims as strings, dates as API Gateway writes them", async () => {
    const token = await sign({ sub: 'u-1', token_use: 'id', 'cognito:username': 'ann', 'cognito:groups': ['admins', 'staff'], email_verified: true, auth_time: 1_700_000_000 });
    const claims = await claimsOf(await get('/dev/me', token));
    assert.equal(claims.sub, 'u-1');
    assert.equal(claims['cognito:username'], 'ann');
    assert.equal(claims['cognito:groups'], 'admins,staff');
    assert.equal(claims.email_verified, 'true');
    assert.equal(claims.auth_time, '1700000000');
    assert.equal(claims.iss, POOL);
    const exp = (jose.decodeJwt(token).exp ?? 0) * 1000;
    assert.match(String(claims.exp), /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
    assert.equal(Date.parse(String(claims.exp).replace(/^\w+ (\w+) (\d+) ([\d:]+) UTC (\d+)$/, '$1 $2 $4 $3 UTC')), exp);
    assert.equal((await claimsOf(await get('/dev/me', `Bearer ${token}`))).sub, 'u-1', 'with a Bearer prefix too');
    assert.equal((await get('/dev/open')).status, 200, 'Authorizer: NONE needs no token');
  });

  it('refuses with 401 before the function runs: no token, not a JWT, another pool, a bad signature, an access token, an expired one', async () => {
    const idToken = await sign({ sub: 'u-1', token_use: 'id' });
    const cases: [string, string | undefined, string][] = [
      ['no header', undefined, 'Unauthorized'],
      ['not a JWT', 'hello', 'Unauthorized'],
      ['another pool', await sign({ token_use: 'id' }, { issuer: OTHER_POOL }), 'Unauthorized'],
      ['bad signature', `${idToken.slice(0, -6)}AAAAAA`, 'Unauthorized'],
      ['an access token on a method without scopes', await sign({ token_use: 'access', scope: 'orders/read' }), 'Unauthorized'],
      ['expired', await sign({ token_use: 'id' }, { expires: '-1m' }), 'The incoming token has expired'],
    ];
    for (const [why, token, message] of cases) {
      const before = t.access.length;
      const res = await get('/dev/me', token);
      assert.equal(res.status, 401, why);
      assert.deepEqual(await res.json(), { message }, why);
      assert.equal(t.access[before]?.functionId, undefined, `${why}: the function did not run`);
    }
    assert.match(t.access.at(-1)?.problem ?? '', /^Cognito authorizer Pool: the token has expired/);
  });

  it('a method with OAuth scopes takes an access token holding one of them, and no ID token', async () => {
    assert.equal((await claimsOf(await get('/dev/orders', await sign({ token_use: 'access', scope: 'openid orders/read', client_id: 'app' })))).client_id, 'app');
    assert.equal((await get('/dev/orders', await sign({ token_use: 'access', scope: 'orders/write' }))).status, 401);
    assert.equal((await get('/dev/orders', await sign({ token_use: 'id' }))).status, 401);
    assert.match(t.access.at(-1)?.problem ?? '', /takes an access token/);
  });

  it("the template's own pool (not deployed, its id unknown) takes any Cognito pool's signed token, and nothing else", async () => {
    assert.equal((await claimsOf(await get('/dev/any', await sign({ token_use: 'id', sub: 'u-2' }, { issuer: OTHER_POOL })))).sub, 'u-2');
    assert.equal((await get('/dev/any', await sign({ token_use: 'id' }, { issuer: 'https://issuer.example' }))).status, 401);
  });
});

describe('claimStrings: a token\'s claims as each kind of API hands them on', () => {
  const claims = { exp: 1_680_633_579, iat: 1_680_629_979, groups: ['a', 'b'], one: ['x'], ok: false, n: 3, obj: { k: 1 }, none: null };
  it('REST (Cognito): dates for exp and iat, lists joined by commas', () => {
    assert.deepEqual(claimStrings(claims, 'rest'), {
      exp: 'Tue Apr 04 18:39:39 UTC 2023', iat: 'Tue Apr 04 17:39:39 UTC 2023', groups: 'a,b', one: 'x', ok: 'false', n: '3', obj: '{"k":1}',
    });
  });
  it('HTTP API (JWT): numbers as digits, lists in brackets with spaces', () => {
    assert.deepEqual(claimStrings(claims, 'http'), { exp: '1680633579', iat: '1680629979', groups: '[a b]', one: '[x]', ok: 'false', n: '3', obj: '{"k":1}' });
  });
});
