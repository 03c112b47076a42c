import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCloud, type LocalCloud } from '../../../src/core/localApi/localCloud';
import { LocalLambda } from '../../../src/core/runtime/localLambda';
import { waitForNoChildren } from '../support/runtimeFixtures';

const SERVICE = `service: shop
provider:
  name: aws
  runtime: nodejs20.x
  httpApi:
    authorizers:
      simple:
        type: request
        functionName: simpleAuth
        enableSimpleResponses: true
        identitySource: [$request.header.x-token]
      jwt:
        identitySource: $request.header.Authorization
        issuerUrl: https://issuer.example
        audience: [shop-api]
functions:
  echo:
    handler: handler.echo
    events:
      - http: { path: token, method: get, authorizer: tokenAuth }
      - http:
          path: keyed
          method: get
          authorizer: { name: keyAuth, type: request, identitySource: method.request.querystring.key, resultTtlInSeconds: 0 }
      - http: { path: by-arn, method: get, authorizer: { arn: 'arn:aws:lambda:us-east-1:123456789012:function:shop-dev-tokenAuth' } }
      - http: { path: pool, method: get, authorizer: { type: COGNITO_USER_POOLS, arn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Shop1' } }
      - http: { path: pool-admin, method: get, authorizer: { type: COGNITO_USER_POOLS, arn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Shop1', scopes: [shop/admin] } }
      - http: { path: signed, method: get, authorizer: aws_iam }
      - httpApi: { method: GET, path: /simple, authorizer: { name: simple } }
      - httpApi: { method: GET, path: /admin, authorizer: { name: jwt, scopes: [shop.admin] } }
      - httpApi: { method: GET, path: /iam, authorizer: { type: aws_iam } }
  tokenAuth:
    handler: handler.token
  keyAuth:
    handler: handler.key
  simpleAuth:
    handler: handler.simple
`;

const HANDLERS = `const policy = (effect, arn, context) => ({ principalId: 'u1', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: arn }] }, context });
exports.echo = async (event) => ({ statusCode: 200, body: JSON.stringify({ authorizer: event.requestContext.authorizer ?? null }) });
// A stage-wide resource: the answer is cached per token for the authorizer, not per route.
exports.token = async (event) => { if (event.authorizationToken === 'allow') return policy('Allow', event.methodArn.split('/').slice(0, 2).join('/') + '/*', { tier: 'gold' }); throw new Error('Unauthorized'); };
exports.key = async (event) => policy(event.queryStringParameters.key === 'k1' ? 'Allow' : 'Deny', event.methodArn, { key: event.queryStringParameters.key });
exports.simple = async (event) => ({ isAuthorized: event.headers['x-token'] === 'ok', context: { who: 'simple' } });
`;

describe('local API: serverless.yml authorizers run locally, as a SAM template\'s do', function () {
  this.timeout(60_000);
  let dir: string;
  let lambda: LocalLambda;
  let cloud: LocalCloud;
  let sign: (claims: Record<string, unknown>) => Promise<string>;
  let signForPool: (claims: Record<string, unknown>) => Promise<string>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-sls-auth-'));
    writeFileSync(join(dir, 'serverless.yml'), SERVICE);
    writeFileSync(join(dir, 'handler.js'), HANDLERS);
    const jose = await import('jose');
    const keys = await jose.generateKeyPair('RS256');
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [{ ...(await jose.exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256' }] }));
    sign = (claims) => new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer('https://issuer.example')
      .setAudience('shop-api').setExpirationTime('5m').sign(keys.privateKey);
    signForPool = (claims) => new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Shop1')
      .setExpirationTime('5m').sign(keys.privateKey);
    lambda = new LocalLambda();
    cloud = await startLocalCloud({ template: join(dir, 'serverless.yml'), lambda, port: 0, invokePort: 0, jwksFile: join(dir, 'jwks.json'), target: { cwd: dir }, hotReload: false });
  });
  after(async () => {
    await cloud?.close();
    await lambda?.dispose();
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(await waitForNoChildren(), []);
  });

  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> => fetch(`${cloud.api.url}${path}`, { headers });

  it('names each route\'s authorizer, and says which routes stay open because theirs cannot run here', () => {
    const lines = cloud.routes.map((r) => r.text.replace(/\s+/g, ' '));
    assert.ok(lines.includes('GET /dev/token → echo (REST API, payload 1.0, authorizer tokenAuth)'), lines.join('\n'));
    assert.ok(lines.includes('GET /dev/by-arn → echo (REST API, payload 1.0, authorizer tokenAuth)'));
    assert.ok(lines.includes('GET /simple → echo (HTTP API, payload 2.0, authorizer simple)'));
    assert.ok(lines.includes('GET /dev/pool → echo (REST API, payload 1.0, authorizer us-east-1_Shop1)'));
    assert.equal(cloud.model.notes.length, 1);
    assert.doesNotMatch(cloud.model.notes[0], /pool/);
    assert.match(cloud.model.notes[0], /GET \/iam \(authorizer aws_iam\)/);
    assert.match(cloud.model.notes[0], /GET \/signed \(aws_iam authorizer\)/);
  });

  it('REST: a TOKEN authorizer by function name or by its deployed ARN, and a REQUEST one on a query parameter', async () => {
    assert.equal((await get('/dev/token')).status, 401, 'no Authorization header: refused before the authorizer runs');
    assert.equal((await get('/dev/token', { authorization: 'nope' })).status, 401);
    const allowed = await get('/dev/token', { authorization: 'allow' });
    assert.equal(allowed.status, 200);
    assert.equal(((await allowed.json()) as { authorizer: Record<string, unknown> }).authorizer.tier, 'gold');
    assert.equal((await get('/dev/by-arn', { authorization: 'allow' })).status, 200);
    assert.equal((await get('/dev/by-arn', { authorization: 'nope' })).status, 401);
    assert.equal((await get('/dev/keyed')).status, 401, 'the identity source is missing');
    assert.equal((await get('/dev/keyed?key=k2')).status, 403);
    const keyed = await get('/dev/keyed?key=k1');
    assert.equal(keyed.status, 200);
    assert.equal(((await keyed.json()) as { authorizer: Record<string, unknown> }).authorizer.key, 'k1');
    assert.equal((await get('/dev/pool')).status, 401, 'a Cognito user pool authorizer without a token');
    const pooled = await get('/dev/pool', { authorization: await signForPool({ token_use: 'id', sub: 'u9' }) });
    assert.equal(pooled.status, 200);
    assert.equal(((await pooled.json()) as { authorizer: { claims: Record<string, unknown> } }).authorizer.claims.sub, 'u9');
    assert.equal((await get('/dev/pool-admin', { authorization: await signForPool({ token_use: 'access', scope: 'shop/read' }) })).status, 401, 'the route wants shop/admin');
    assert.equal((await get('/dev/pool-admin', { authorization: await signForPool({ token_use: 'access', scope: 'shop/admin' }) })).status, 200);
  });

  it('HTTP API: a simple-response Lambda authorizer and a JWT one with route scopes, from provider.httpApi.authorizers', async () => {
    assert.equal((await get('/simple', { 'x-token': 'bad' })).status, 403);
    const simple = await get('/simple', { 'x-token': 'ok' });
    assert.equal(simple.status, 200);
    assert.deepEqual(((await simple.json()) as { authorizer: Record<string, unknown> }).authorizer, { lambda: { who: 'simple' } });
    assert.equal((await get('/admin')).status, 401);
    assert.equal((await get('/admin', { authorization: `Bearer ${await sign({ scope: 'shop.read' })}` })).status, 403, 'the route wants shop.admin');
    const admin = await get('/admin', { authorization: `Bearer ${await sign({ scope: 'shop.admin', sub: 'u7' })}` });
    assert.equal(admin.status, 200);
    const claims = ((await admin.json()) as { authorizer: { jwt: { claims: Record<string, unknown> } } }).authorizer.jwt.claims;
    assert.equal(claims.sub, 'u7');
  });
});
