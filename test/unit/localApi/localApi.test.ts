import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type * as Jose from 'jose' with { 'resolution-mode': 'import' };
import { EventCatalog } from '../../../src/core/events/catalog';
import { generateEvent } from '../../../src/core/events/generate';
import { startLocalCloud, type LocalCloud } from '../../../src/core/localApi/localCloud';
import type { AccessEntry } from '../../../src/core/localApi/localApiServer';
import { packageRoot } from '../../../src/core/packageInfo';
import { LocalLambda } from '../../../src/core/runtime/localLambda';
import { waitFor } from '../../support/waitFor';
import { rawClient } from '../support/rawHttpClient';
import { waitForNoChildren } from '../support/runtimeFixtures';

const fixture = join(packageRoot(), 'test', 'fixtures', 'localApi');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('local API: a template\'s REST API, HTTP API and function URL over real HTTP', function () {
  this.timeout(60_000);
  let dir: string;
  let lambda: LocalLambda;
  let cloud: LocalCloud;
  const access: AccessEntry[] = [];
  let privateKey: Jose.CryptoKey;
  let jose: typeof Jose;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-api-'));
    cpSync(fixture, dir, { recursive: true });
    jose = await import('jose');
    const keys = await jose.generateKeyPair('RS256');
    privateKey = keys.privateKey;
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [{ ...(await jose.exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] }));
    lambda = new LocalLambda();
    cloud = await startLocalCloud({
      template: join(dir, 'template.yaml'), lambda, port: 0, invokePort: 0, jwksFile: join(dir, 'jwks.json'),
      target: { cwd: dir }, onAccess: (e) => access.push(e), integrationTimeoutMs: { http: 1_500 },
    });
  });
  after(async () => {
    await cloud?.close();
    await lambda?.dispose();
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(await waitForNoChildren(), []);
  });

  const call = (path: string, init: RequestInit = {}): Promise<Response> => fetch(`${cloud.api.url}${path}`, init);
  const echo = async (path: string, init?: RequestInit): Promise<Json> => {
    const res = await call(path, init);
    assert.equal(res.status, 200, await res.clone().text());
    return JSON.parse(await res.text()) as Json;
  };
  const respond = (path: string, command: unknown): Promise<Response> => call(path, { method: 'POST', body: JSON.stringify(command), headers: { 'content-type': 'application/json' } });

  it('lists one line per route, each naming its API kind and payload', () => {
    const lines = cloud.routes.map((r) => r.text.replace(/\s+/g, ' '));
    assert.ok(lines.includes('GET /dev/items/{id} → EchoFunction (REST API, payload 1.0)'), lines.join('\n'));
    assert.ok(lines.includes('GET /v1/items/{id} → EchoFunction (HTTP API, payload 1.0)'));
    assert.ok(lines.includes('GET /me → EchoFunction (HTTP API, payload 2.0, authorizer Jwt)'));
    assert.ok(lines.some((l) => /^ANY http:\/\/127\.0\.0\.1:\d+\/\* → StreamFunction \(function URL, RESPONSE_STREAM\)$/.test(l)));
  });

  it('REST: payload 1.0 under the stage and at the root, path and greedy parameters, multi-value query and headers', async () => {
    const event = await echo('/dev/items/42%20x?tag=a&tag=b&one=1', { headers: { 'x-multi': 'first', 'X-Other': 'o' } });
    assert.equal(event.resource, '/items/{id}');
    assert.equal(event.path, '/items/42%20x');
    assert.equal(event.httpMethod, 'GET');
    assert.deepEqual(event.pathParameters, { id: '42 x' });
    assert.deepEqual(event.queryStringParameters, { tag: 'b', one: '1' }, 'the last value, as API Gateway');
    assert.deepEqual(event.multiValueQueryStringParameters, { tag: ['a', 'b'], one: ['1'] });
    assert.equal(event.headers['X-Other'], 'o', 'header names as sent');
    assert.deepEqual(event.multiValueHeaders['x-multi'], ['first']);
    assert.equal(event.requestContext.stage, 'dev');
    assert.equal(event.requestContext.path, '/dev/items/42%20x');
    assert.equal(event.requestContext.resourcePath, '/items/{id}');
    assert.match(event.requestContext.requestTime, /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    assert.equal(event.body, null);
    assert.equal(event.isBase64Encoded, false);
    assert.equal('version' in event, false, 'REST events have no version field');
    const root = await echo('/items/7');
    assert.deepEqual(root.pathParameters, { id: '7' }, 'also served without the stage, like sam local start-api');
    const files = await echo('/dev/files/a/b/c.txt', { method: 'DELETE' });
    assert.deepEqual(files.pathParameters, { proxy: 'a/b/c.txt' });
  });

  it('HTTP API payload 2.0: routeKey, rawPath, comma-joined headers and query, cookies, the most specific route first', async () => {
    const event = await echo('/v2/items/9?x=1&x=2', { headers: { cookie: 'a=1; b=2', 'x-dup': 'one' } });
    assert.equal(event.version, '2.0');
    assert.equal(event.routeKey, 'GET /v2/items/{id}');
    assert.equal(event.rawPath, '/v2/items/9');
    assert.equal(event.rawQueryString, 'x=1&x=2');
    assert.deepEqual(event.queryStringParameters, { x: '1,2' });
    assert.deepEqual(event.cookies, ['a=1', 'b=2']);
    assert.equal(event.headers.cookie, undefined, 'cookies move out of headers');
    assert.equal(event.headers['x-dup'], 'one');
    assert.deepEqual(event.pathParameters, { id: '9' });
    assert.equal(event.requestContext.http.method, 'GET');
    assert.equal(event.requestContext.stage, '$default');
    assert.equal(typeof event.requestContext.timeEpoch, 'number');
    assert.equal(event.body, undefined, 'no body: left out');
    assert.equal((await echo('/v2/items/special')).routeKey, 'GET /v2/items/special', 'a literal beats {id}');
    assert.equal((await echo('/v2/other/deep', { method: 'PUT' })).routeKey, 'ANY /v2/{proxy+}');
    const v1 = await echo('/v1/items/3');
    assert.equal(v1.version, '1.0');
    assert.deepEqual(v1.pathParameters, { id: '3' });
    assert.equal(v1.requestContext.routeKey, 'GET /v1/items/{id}');
  });

  it('query parameters and headers named like Object members (constructor, toString, __proto__) reach the function as sent', async () => {
    // Sent raw: fetch drops a header named __proto__ before it leaves.
    const rawEcho = async (path: string): Promise<Json> => {
      const client = rawClient(Number(new URL(cloud.api.url).port));
      client.socket.write(`GET ${path} HTTP/1.1\r\nHost: ${new URL(cloud.api.url).host}\r\nConstructor: c\r\ntoString: t\r\n__proto__: p\r\nConnection: close\r\n\r\n`);
      await client.closed;
      const [head, body] = client.received().split('\r\n\r\n');
      assert.match(head, /^HTTP\/1\.1 200 /, client.received());
      return JSON.parse(body) as Json;
    };
    const query = '?constructor=1&constructor=2&hasOwnProperty=h&__proto__=x';
    const own = (record: Json, key: string): unknown => Object.getOwnPropertyDescriptor(record, key)?.value;
    const rest = await rawEcho(`/dev/items/1${query}`);
    assert.equal(rest.queryStringParameters.constructor, '2');
    assert.deepEqual(rest.multiValueQueryStringParameters.constructor, ['1', '2']);
    assert.equal(rest.queryStringParameters.hasOwnProperty, 'h');
    assert.equal(own(rest.queryStringParameters, '__proto__'), 'x');
    assert.deepEqual(own(rest.multiValueQueryStringParameters, '__proto__'), ['x']);
    assert.equal(rest.headers.Constructor, 'c');
    assert.equal(rest.headers.toString, 't');
    assert.equal(own(rest.headers, '__proto__'), 'p');
    assert.deepEqual(own(rest.multiValueHeaders, '__proto__'), ['p']);
    const http = await rawEcho(`/v2/items/1${query}`);
    assert.equal(http.queryStringParameters.constructor, '1,2');
    assert.equal(http.queryStringParameters.hasOwnProperty, 'h');
    assert.equal(own(http.queryStringParameters, '__proto__'), 'x');
    assert.equal(http.headers.constructor, 'c');
    assert.equal(http.headers.tostring, 't');
    assert.equal(own(http.headers, '__proto__'), 'p');
  });

  it("an HTTP API's named stage is a path prefix that stays in rawPath, as on AWS; the root still answers", async () => {
    const lines = cloud.routes.map((r) => r.text.replace(/\s+/g, ' '));
    assert.ok(lines.includes('GET /beta/staged/{id} → EchoFunction (HTTP API, payload 2.0)'), lines.join('\n'));
    assert.ok(cloud.routes.some((r) => r.url === `${cloud.api.url}/beta/staged/{id}`));
    const staged = await echo('/beta/staged/7?q=1');
    assert.equal(staged.routeKey, 'GET /staged/{id}', 'the route key has no stage');
    assert.equal(staged.rawPath, '/beta/staged/7');
    assert.equal(staged.requestContext.http.path, '/beta/staged/7');
    assert.equal(staged.requestContext.stage, 'beta');
    assert.deepEqual(staged.pathParameters, { id: '7' });
    const atRoot = await echo('/staged/8');
    assert.equal(atRoot.rawPath, '/beta/staged/8', 'the path it would have had behind the stage');
    const v1 = await echo('/beta/staged1');
    assert.equal(v1.path, '/beta/staged1');
    assert.equal(v1.requestContext.path, '/beta/staged1');
    assert.equal(v1.requestContext.stage, 'beta');
    assert.equal(v1.resource, '/staged1');
    const unknown = await call('/beta/nothing');
    assert.equal(unknown.status, 404);
    assert.match(access.at(-1)?.problem ?? '', /GET \/beta\/staged\/\{id\}/, 'the access log lists the staged route');
  });

  it("has every field, with the same type, of the catalog's API Gateway and function URL sample events", async () => {
    const catalog = new EventCatalog();
    const headers = { cookie: 'a=1', 'content-type': 'application/json' };
    const ours = {
      rest: await echo('/dev/files/x?foo=bar', { method: 'POST', body: '{}', headers }),
      http: await echo('/v2/items/1?p=1', { method: 'GET', headers }),
    };
    const urlEvent = JSON.parse(await (await fetch(`${cloud.api.functionUrls.get('EchoFunction')!}/any/path?q=1`, { headers })).text()) as Json;
    const compare = (label: string, sample: Json, event: Json, skip: string[] = []): void => {
      for (const [key, value] of Object.entries(sample)) {
        if (skip.includes(key)) continue;
        assert.ok(key in event, `${label}: ${key} is missing`);
        if (value === null || event[key] === null) continue;
        assert.equal(typeof event[key], typeof value, `${label}: ${key} is ${typeof event[key]}, the sample's is ${typeof value}`);
        if (typeof value === 'object' && !Array.isArray(value) && !['headers', 'multiValueHeaders', 'queryStringParameters', 'multiValueQueryStringParameters', 'pathParameters', 'stageVariables'].includes(key)) {
          compare(`${label}.${key}`, value as Json, event[key] as Json);
        }
      }
    };
    compare('REST', generateEvent(catalog, 'apigateway', 'aws-proxy') as Json, ours.rest, ['stageVariables']);
    compare('HTTP API', generateEvent(catalog, 'apigateway', 'http-api-proxy') as Json, ours.http, ['body']);
    compare('function URL', generateEvent(catalog, 'lambda-url', 'request') as Json, urlEvent, ['body']);
    assert.equal(urlEvent.routeKey, '$default');
    assert.equal(urlEvent.requestContext.accountId, 'anonymous');
    assert.equal(urlEvent.rawPath, '/any/path');
  });

  it("the gateway's own headers: the trace and X-Forwarded-* in the event, its request ids on every answer", async () => {
    const traceRoot = (res: Response): string => /^Root=(1-[0-9a-f]{8}-[0-9a-f]{24});/.exec(res.headers.get('x-function-trace') ?? '')?.[1] ?? 'none';
    // REST: canonical names; the client's X-Forwarded-For kept, the caller's address appended.
    const rest = await call('/dev/items/1', { headers: { 'X-Forwarded-For': '203.0.113.9', 'X-Forwarded-Proto': 'https' } });
    const restEvent = JSON.parse(await rest.text()) as Json;
    assert.equal(restEvent.headers['X-Forwarded-For'], '203.0.113.9, 127.0.0.1');
    assert.equal(restEvent.headers['X-Forwarded-Proto'], 'http', 'the scheme the client really used');
    assert.equal(restEvent.headers['X-Forwarded-Port'], new URL(cloud.api.url).port);
    assert.deepEqual(restEvent.multiValueHeaders['X-Forwarded-Proto'], ['http'], "the client's value is replaced, not added to");
    assert.equal(rest.headers.get('x-amzn-requestid'), restEvent.requestContext.requestId);
    assert.equal(rest.headers.get('x-amz-apigw-id'), restEvent.requestContext.extendedRequestId);
    assert.notEqual(restEvent.requestContext.extendedRequestId, restEvent.requestContext.requestId);
    assert.equal(restEvent.headers['X-Amzn-Trace-Id'], `Root=${traceRoot(rest)}`, "the function's trace is the request's");
    assert.equal(rest.headers.get('x-amzn-trace-id'), `Root=${traceRoot(rest)};Sampled=0`);
    assert.equal(rest.headers.get('x-request-id'), 'r-1', "the function's own headers stay");
    // HTTP API: lower-case names, its short request id in apigw-requestid.
    const http = await call('/v2/items/1');
    const httpEvent = JSON.parse(await http.text()) as Json;
    assert.equal(httpEvent.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(httpEvent.headers['x-forwarded-proto'], 'http');
    assert.match(httpEvent.requestContext.requestId, /^[A-Za-z0-9+/]{15}=$/);
    assert.equal(http.headers.get('apigw-requestid'), httpEvent.requestContext.requestId);
    assert.equal(httpEvent.headers['x-amzn-trace-id'], `Root=${traceRoot(http)}`);
    // A function URL: the caller's trace root is kept, to the function.
    const root = '1-5759e988-bd862e3fe1be46a994272793';
    const url = await fetch(`${cloud.api.functionUrls.get('EchoFunction')!}/p`, { headers: { 'X-Amzn-Trace-Id': `Root=${root};Parent=53995c3f42cd8ad8;Sampled=1` } });
    const urlEvent = JSON.parse(await url.text()) as Json;
    assert.equal(url.headers.get('x-amzn-requestid'), urlEvent.requestContext.requestId);
    assert.equal(urlEvent.headers['x-amzn-trace-id'], `Root=${root}`);
    assert.equal(traceRoot(url), root);
    assert.equal(urlEvent.headers['x-forwarded-port'], new URL(cloud.api.functionUrls.get('EchoFunction')!).port);
    // The gateway's own answers carry them too.
    const unknown = await call('/nothing/here');
    assert.equal(unknown.status, 404);
    assert.match(unknown.headers.get('apigw-requestid') ?? '', /^[A-Za-z0-9+/]{15}=$/);
  });

  it('unknown routes answer as API Gateway does: REST-only paths 403 Missing Authentication Token, otherwise 404', async () => {
    const res = await call('/nothing/here');
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { message: 'Not Found' });
    assert.match(access.at(-1)?.problem ?? '', /no route matches GET \/nothing\/here/);
  });

  it('responses: proxy responses, 2.0 inference, cookies, base64 bodies, and 502 for a malformed 1.0 response', async () => {
    const proxied = await respond('/respond', { return: { statusCode: 418, headers: { 'x-a': '1' }, cookies: ['c=1', 'd=2'], body: 'teapot' } });
    assert.equal(proxied.status, 418);
    assert.equal(await proxied.text(), 'teapot');
    assert.equal(proxied.headers.get('x-a'), '1');
    assert.deepEqual(proxied.headers.getSetCookie(), ['c=1', 'd=2']);
    const inferred = await respond('/respond', { return: { hello: 'world' } });
    assert.equal(inferred.status, 200);
    assert.equal(inferred.headers.get('content-type'), 'application/json');
    assert.deepEqual(await inferred.json(), { hello: 'world' });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    const binary = await respond('/respond', { return: { statusCode: 200, headers: { 'content-type': 'image/png' }, body: png.toString('base64'), isBase64Encoded: true } });
    assert.deepEqual(Buffer.from(await binary.arrayBuffer()), png);
    // A REST API sends binary only to a client whose Accept names one of its binary media types; to others the
    // base64 text, as the function wrote it (a browser's */* gets text: what a deployed API does too).
    const pngReply = { return: { statusCode: 200, headers: { 'content-type': 'image/png' }, body: png.toString('base64'), isBase64Encoded: true } };
    const asked = await call('/dev/respond', { method: 'POST', body: JSON.stringify(pngReply), headers: { 'content-type': 'application/json', accept: 'image/png' } });
    assert.deepEqual(Buffer.from(await asked.arrayBuffer()), png);
    const notAsked = await call('/dev/respond', { method: 'POST', body: JSON.stringify(pngReply), headers: { 'content-type': 'application/json', accept: '*/*' } });
    assert.equal(await notAsked.text(), png.toString('base64'));
    for (const [path, value] of [['/respond1', { hello: 'no statusCode' }], ['/dev/respond', { statusCode: 200, body: { not: 'a string' } }], ['/dev/respond', { statusCode: 200, extra: 1 }], ['/respond1', 'just a string']] as const) {
      const res = await respond(path, { return: value });
      assert.equal(res.status, 502, `${path} ${JSON.stringify(value)}`);
      assert.deepEqual(await res.json(), { message: 'Internal server error' });
      assert.match(access.at(-1)?.problem ?? '', /Malformed Lambda proxy response/);
    }
    // A header that would split the response: 502, and the access log says which header (nothing injected).
    const split = await respond('/respond', { return: { statusCode: 200, headers: { 'x-evil': 'a\r\nset-cookie: stolen=1' }, body: 'x' } });
    assert.equal(split.status, 502);
    assert.equal(split.headers.get('set-cookie'), null);
    assert.match(access.at(-1)?.problem ?? '', /Malformed Lambda proxy response: Invalid character in header content \["x-evil"\]/);
    const thrown = await respond('/respond', { throw: 'boom' });
    assert.equal(thrown.status, 502);
    assert.match(access.at(-1)?.problem ?? '', /ResponderFunction failed: Error: boom/);
  });

  it('a binary REST body reaches the function base64-encoded for a binary media type', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 200]);
    const res = await call('/dev/files/upload.png', { method: 'POST', body: png, headers: { 'content-type': 'image/png' } });
    const event = JSON.parse(await res.text()) as Json;
    assert.equal(event.isBase64Encoded, true);
    assert.deepEqual(Buffer.from(event.body as string, 'base64'), png);
  });

  it('timeouts: 504 after the integration timeout, the function left to finish; a function\'s own timeout is its error, 502', async () => {
    const started = Date.now();
    const res = await respond('/respond', { sleep: 2_500, return: 'late' });
    assert.equal(res.status, 504);
    assert.deepEqual(await res.json(), { message: 'Endpoint request timed out' });
    assert.ok(Date.now() - started < 2_400, 'answered at the 1.5 s integration timeout, not when the function ended');
    const fnTimeout = await respond('/dev/respond', { sleep: 4_000 });
    assert.equal(fnTimeout.status, 502, 'Lambda answers a timed-out call as a function error');
    assert.deepEqual(await fnTimeout.json(), { message: 'Internal server error' });
    assert.match(access.at(-1)?.problem ?? '', /timed out after 3 s/);
  });

  it('CORS: a preflight is answered from the configuration without invoking; responses carry the allowed origin', async () => {
    const before = access.filter((a) => a.functionId).length;
    const preflight = await call('/v2/items/1', { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.equal(preflight.headers.get('access-control-allow-methods'), 'GET,POST');
    assert.equal(preflight.headers.get('access-control-max-age'), '300');
    assert.equal(access.filter((a) => a.functionId).length, before, 'the function was not invoked');
    const actual = await call('/v2/items/1', { headers: { origin: 'http://localhost:5173' } });
    assert.equal(actual.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.equal(actual.headers.get('access-control-expose-headers'), 'x-request-id');
    const foreign = await call('/v2/items/1', { headers: { origin: 'https://evil.example' } });
    assert.equal(foreign.status, 403, 'an origin the configuration does not name is refused at the door');
    const restPreflight = await call('/dev/items/1', { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' } });
    assert.equal(restPreflight.headers.get('access-control-max-age'), '600', "the REST API's own configuration");
  });

  it('REST TOKEN and REQUEST authorizers: 401 without a token, Allow with context, explicit Deny 403, cached for their TTL', async () => {
    assert.equal((await call('/dev/secret')).status, 401, 'no Authorization header: refused before the authorizer runs');
    const callsBefore = cloud.authorizers.calls;
    const allowed = await echo('/dev/secret', { headers: { authorization: 'allow' } });
    assert.equal(allowed.requestContext.authorizer.tier, 'gold');
    assert.equal(allowed.requestContext.authorizer.principalId, 'user-1');
    // A REST API hands context values on as strings.
    assert.deepEqual([allowed.requestContext.authorizer.level, allowed.requestContext.authorizer.admin], ['3', 'false']);
    await echo('/dev/secret', { headers: { authorization: 'allow' } });
    assert.equal(cloud.authorizers.calls, callsBefore + 1, 'the second request used the cached policy');
    const denied = await call('/dev/secret', { headers: { authorization: 'deny' } });
    assert.equal(denied.status, 403);
    assert.equal((await call('/dev/secret', { headers: { authorization: 'garbage' } })).status, 401, "throw new Error('Unauthorized') → 401");
    const crashed = await call('/dev/secret', { headers: { authorization: 'crash' } });
    // API Gateway's AUTHORIZER_FAILURE / AUTHORIZER_CONFIGURATION_ERROR: 500, {"message": null} from a REST API.
    assert.equal(crashed.status, 500, 'an authorizer that fails otherwise');
    assert.deepEqual(await crashed.json(), { message: null });
    assert.equal(crashed.headers.get('x-amzn-errortype'), 'AuthorizerConfigurationException');
    assert.match(access.at(-1)?.problem ?? '', /authorizer TokenAuth failed: Error: token store unreachable/);
    assert.equal((await call('/dev/secret', { headers: { authorization: 'no-policy' } })).status, 500);
    assert.match(access.at(-1)?.problem ?? '', /authorizer TokenAuth returned no policyDocument/);
    assert.equal((await call('/dev/secret', { headers: { authorization: 'nested' } })).status, 500, 'a list in a REST authorizer\'s context');
    assert.match(access.at(-1)?.problem ?? '', /context\.roles is a list; a REST API takes only strings, numbers and booleans there/);
    assert.equal((await echo('/dev/keyed', { headers: { 'x-api-key': 'k1' } })).requestContext.authorizer.key, 'k1');
    assert.equal((await call('/dev/keyed', { headers: { 'x-api-key': 'nope' } })).status, 403);
  });

  it('HTTP API simple-response and JWT authorizers (signature, issuer, audience, expiry, route scopes)', async () => {
    const simple = await echo('/simple', { headers: { 'x-token': 'ok' } });
    assert.deepEqual(simple.requestContext.authorizer, { lambda: { who: 'simple' } });
    assert.equal((await call('/simple', { headers: { 'x-token': 'bad' } })).status, 403);
    const sign = (claims: Json, expires = '5m') => new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(claims.iss ?? 'https://issuer.example').setIssuedAt().setExpirationTime(expires).sign(privateKey);
    const me = await echo('/me', { headers: { authorization: `Bearer ${await sign({ aud: 'orders-api', sub: 'u-7', scope: 'orders.read', groups: ['a', 'b'] })}` } });
    assert.equal(me.requestContext.authorizer.jwt.claims.sub, 'u-7');
    // Every claim a string, as an HTTP API passes them: numbers as digits, a list as `[a b]`.
    assert.match(me.requestContext.authorizer.jwt.claims.exp, /^\d+$/);
    assert.equal(me.requestContext.authorizer.jwt.claims.groups, '[a b]');
    assert.deepEqual(me.requestContext.authorizer.jwt.scopes, ['orders.read']);
    const reader = await sign({ aud: 'orders-api', scope: 'orders.read' });
    const forbidden = await call('/admin', { headers: { authorization: `Bearer ${reader}` } });
    assert.equal(forbidden.status, 403, "a valid token without the route's AuthorizationScopes");
    assert.match(access.at(-1)?.problem ?? '', /include none of the route's orders\.admin/);
    assert.equal((await call('/admin', { headers: { authorization: `Bearer ${await sign({ aud: 'orders-api', scope: 'orders.read orders.admin' })}` } })).status, 200);
    for (const [why, token] of [
      ['wrong audience', await sign({ aud: 'other' })],
      ['wrong issuer', await sign({ aud: 'orders-api', iss: 'https://elsewhere.example' })],
      ['expired', await sign({ aud: 'orders-api' }, '-1m')],
      ['bad signature', `${(await sign({ aud: 'orders-api' })).slice(0, -4)}AAAA`],
    ]) {
      const res = await call('/me', { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 401, why);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/, why);
    }
  });

  it('a RESPONSE_STREAM function URL: status, headers and cookies from the prelude, the first chunk before the handler ends', async () => {
    const base = cloud.api.functionUrls.get('StreamFunction')!;
    const gate = join(dir, 'gate');
    const res = await fetch(`${base}/stream/me?gate=${encodeURIComponent(gate)}`);
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('x-streamed'), 'yes');
    assert.deepEqual(res.headers.getSetCookie(), ['s=1']);
    const reader = res.body!.getReader();
    const first = Buffer.from((await reader.read()).value!).toString();
    assert.equal(first, 'first /stream/me\n', 'read while the handler waits for the gate');
    writeFileSync(gate, '');
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += Buffer.from(r.value).toString();
    assert.equal(rest, 'second\n');
  });

  it('curl as a client: a foreign Host is refused', async () => {
    const { stdout } = await promisify(execFile)('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'Host: attacker.example', `${cloud.api.url}/v2/items/1`]);
    assert.equal(stdout, '403');
    const body = await new Promise<string>((resolve, reject) => {
      request(`${cloud.api.url}/v2/items/1`, { method: 'POST', headers: { 'content-length': 10 * 1024 * 1024 + 1 } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => { text += c.toString(); });
        res.on('end', () => resolve(`${res.statusCode} ${text}`));
      }).on('error', reject).end(Buffer.alloc(10 * 1024 * 1024 + 1));
    });
    assert.equal(body, '413 {"message":"Request Entity Too Large"}');
  });

  it('hot reload: a saved JS, Python or TypeScript file is the next request\'s code, a cold start that says why', async () => {
    const first = await echo('/v2/items/1');
    assert.equal(first.reloaded, undefined);
    writeFileSync(join(dir, 'src', 'echo.mjs'), "export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ ...event, reloaded: true }) });\n");
    await waitFor('the new code', async () => (await echo('/v2/items/1')).reloaded === true, 10_000);
    const entry = access.filter((a) => a.functionId === 'EchoFunction' && a.cold).at(-1);
    assert.equal(entry?.coldReason, 'code changed');
    assert.deepEqual(await (await call('/py')).json(), { version: 1, path: '/py' });
    writeFileSync(join(dir, 'py', 'app.py'), readFileSync(join(dir, 'py', 'app.py'), 'utf8').replace('VERSION = 1', 'VERSION = 2'));
    await waitFor('the new Python code', async () => ((await (await call('/py')).json()) as Json).version === 2, 10_000);
    assert.deepEqual(await (await call('/ts')).json(), { version: 1, path: '/ts' });
    writeFileSync(join(dir, 'ts', 'index.ts'), readFileSync(join(dir, 'ts', 'index.ts'), 'utf8').replace('VERSION: number = 1', 'VERSION: number = 2'));
    await waitFor('the rebuilt TypeScript', async () => ((await (await call('/ts')).json()) as Json).version === 2, 10_000);
  });

  it("JWT keys from the issuer's OpenID configuration (jwks_uri), fetched once", async () => {
    const keys = await jose.generateKeyPair('ES256');
    const jwks = { keys: [{ ...(await jose.exportJWK(keys.publicKey)), kid: 'e1', alg: 'ES256', use: 'sig' }] };
    const fetched: string[] = [];
    const issuerServer = createServer((req, res) => {
      fetched.push(req.url ?? '');
      const base = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
      const body = req.url === '/.well-known/openid-configuration' ? { issuer: base, jwks_uri: `${base}/keys` } : req.url === '/keys' ? jwks : undefined;
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
    }).listen(0, '127.0.0.1');
    await once(issuerServer, 'listening');
    const issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
    const own = mkdtempSync(join(tmpdir(), 'lwb-api-oidc-'));
    cpSync(join(fixture, 'src'), join(own, 'src'), { recursive: true });
    writeFileSync(join(own, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        Authorizers:
          Oidc: { IdentitySource: $request.header.Authorization, JwtConfiguration: { issuer: '${issuer}', audience: [app] } }
  Echo:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      CodeUri: src/
      Handler: echo.handler
      Events:
        Me: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /me, Method: GET, Auth: { Authorizer: Oidc } } }
`);
    const ownLambda = new LocalLambda();
    const oidc = await startLocalCloud({ template: join(own, 'template.yaml'), lambda: ownLambda, port: 0, invokePort: 0, target: { cwd: own }, hotReload: false });
    try {
      const token = await new jose.SignJWT({ aud: 'app', sub: 'oidc-user' }).setProtectedHeader({ alg: 'ES256', kid: 'e1' }).setIssuer(issuer).setExpirationTime('5m').sign(keys.privateKey);
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`${oidc.api.url}/me`, { headers: { authorization: `Bearer ${token}` } });
        assert.equal(res.status, 200, await res.clone().text());
        assert.equal((JSON.parse(await res.text()) as Json).requestContext.authorizer.jwt.claims.sub, 'oidc-user');
      }
      assert.deepEqual(fetched, ['/.well-known/openid-configuration', '/keys'], 'discovery and keys fetched once for both requests');
    } finally {
      await oidc.close();
      await ownLambda.dispose();
      issuerServer.close();
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('limits: over the concurrency limit 429, a response over 6 MB and an event over 6 MB 502 with the reason', async () => {
    const ownLambda = new LocalLambda({ maxEnvironments: 1 });
    const seen: AccessEntry[] = [];
    const limited = await startLocalCloud({ template: join(dir, 'template.yaml'), lambda: ownLambda, port: 0, invokePort: 0, target: { cwd: dir }, hotReload: false, onAccess: (e) => seen.push(e) });
    try {
      const post = (command: unknown): Promise<Response> => fetch(`${limited.api.url}/respond`, { method: 'POST', body: JSON.stringify(command) });
      const [a, b] = await Promise.all([post({ sleep: 600, return: 'a' }), new Promise((r) => setTimeout(r, 150)).then(() => post({ return: 'b' }))]);
      assert.deepEqual([a.status, b.status], [200, 429]);
      assert.deepEqual(await b.json(), { message: 'Too Many Requests' });
      const big = await post({ repeat: 6_291_556 }); // with its JSON quotes, over Lambda's 6 291 556-byte response limit
      assert.equal(big.status, 502);
      assert.match(seen.at(-1)?.problem ?? '', /ResponseSizeTooLarge/);
      const huge = await fetch(`${limited.api.url}/respond`, { method: 'POST', body: JSON.stringify({ return: 'y', pad: 'z'.repeat(7 * 1024 * 1024) }) });
      assert.equal(huge.status, 502, 'within API Gateway\'s 10 MB, over Lambda\'s 6 MB invocation payload');
      assert.match(seen.at(-1)?.problem ?? '', /smaller than 6291456 bytes/);
    } finally {
      await limited.close();
      await ownLambda.dispose();
    }
  });
});
