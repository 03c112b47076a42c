import { basename, dirname, join } from 'node:path';
import { TargetError } from '../project/targetError';
import { parse } from 'yaml';
import { cognitoIssuers, identitySources, type AuthorizerConfig } from './apiAuthorizerConfig';
import { gatewayNotes, iamUrlNote, type ApiDefinition, type ApiKey, type ApiModel, type ApiRoute, type CorsConfig } from './apiRoutes';
import { resolveServerlessVariables } from './serverlessVariables';
import { referencedId } from './templateFields';

/** A function of serverless.yml, as a local run needs it (the handler is `file.export` relative to the service). */
export interface ServerlessFunction {
  readonly id: string;
  /** `<service>-<stage>-<function>`, the name the Serverless Framework deploys it under. */
  readonly name: string;
  readonly spec: string;
  readonly runtime?: string;
  readonly timeout?: number;
  readonly memorySize?: number;
  readonly environment: Record<string, string>;
  /** provider.region (or `--region`): the function's AWS_REGION, as the framework deploys it there. */
  readonly region?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const OPEN_CORS: CorsConfig = { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'], exposeHeaders: [], allowCredentials: false };

function cors(value: unknown): CorsConfig | undefined {
  if (value === true) return OPEN_CORS;
  if (!isObj(value)) return undefined;
  const list = (v: unknown, fallback: string[]): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : fallback);
  return {
    allowOrigins: list(value.allowedOrigins ?? value.origins ?? value.origin, ['*']), allowMethods: list(value.allowedMethods ?? value.methods, ['*']).map((m) => m.toUpperCase()),
    allowHeaders: list(value.allowedHeaders ?? value.headers, ['*']).map((h) => h.toLowerCase()), exposeHeaders: list(value.exposedResponseHeaders, []).map((h) => h.toLowerCase()),
    allowCredentials: value.allowCredentials === true || value.credentials === true, maxAge: typeof value.maxAge === 'number' ? value.maxAge : undefined,
  };
}

/** `'GET users/{id}'`, `{ method, path }` or `'*'` → method and a path with its leading slash. */
function methodAndPath(value: unknown): { method: string; path: string } | undefined {
  if (value === '*') return { method: 'ANY', path: '$default' };
  if (typeof value === 'string') {
    const [method, path] = value.trim().split(/\s+/);
    return path ? { method: method === '*' ? 'ANY' : method.toUpperCase(), path: path === '*' ? '$default' : `/${path.replace(/^\//, '')}` } : undefined;
  }
  if (!isObj(value) || value.path === undefined) return undefined;
  const method = String(value.method ?? 'ANY');
  const path = String(value.path);
  return { method: method === '*' ? 'ANY' : method.toUpperCase(), path: path === '*' ? '$default' : `/${path.replace(/^\//, '')}` };
}

/** The service's function a name or ARN means (its key, or the `<service>-<stage>-<key>` name it deploys as). */
type FunctionLookup = (nameOrArn: unknown) => string | undefined;

/** serverless.yml's `identitySource`: one source, a comma-separated list, or an array (each parsed as SAM's are). */
function sources(value: unknown): { headers: string[]; queryStrings: string[] } {
  return identitySources((Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',') : []).map((x) => x.trim()));
}

/**
 * An `http` event's `authorizer` as the framework reads it: a function of the service by name or ARN, `TOKEN`
 * (the default: the Authorization header, 300 s) or `REQUEST`; `{ name, arn, type, identitySource,
 * identityValidationExpression, resultTtlInSeconds }`; or `COGNITO_USER_POOLS` with the pool's `arn` and `scopes`. IAM
 * and external authorizers cannot run here: a string saying so.
 */
function restAuthorizer(value: unknown, functionOf: FunctionLookup): AuthorizerConfig | string {
  const spec: Obj = isObj(value) ? value : String(value).toLowerCase() === 'aws_iam' ? { type: 'aws_iam' } : { name: value };
  const type = String(spec.type ?? 'token').toLowerCase();
  if (type === 'cognito_user_pools') {
    const identity = sources(spec.identitySource ?? 'method.request.header.Authorization');
    const issuers = cognitoIssuers(spec.arn);
    return {
      name: String(spec.name ?? (issuers[0] ? issuers[0].slice(issuers[0].lastIndexOf('/') + 1) : 'CognitoUserPool')), type: 'cognito', headers: identity.headers.slice(0, 1), queryStrings: [], ttlSeconds: 0,
      validationExpression: typeof spec.identityValidationExpression === 'string' ? spec.identityValidationExpression : undefined,
      cognito: { issuers, scopes: Array.isArray(spec.scopes) ? spec.scopes.map(String) : [] },
    };
  }
  if (type !== 'token' && type !== 'request') return `${type} authorizer`;
  const functionId = functionOf(spec.arn ?? spec.name);
  if (!functionId) return `authorizer ${String(spec.arn ?? spec.name ?? spec.authorizerId ?? '?')} (not a function of this service)`;
  const identity = sources(spec.identitySource ?? (type === 'token' ? 'method.request.header.Authorization' : undefined));
  return {
    name: functionId, type, functionId, ...identity, ttlSeconds: Number(spec.resultTtlInSeconds ?? 300),
    validationExpression: typeof spec.identityValidationExpression === 'string' ? spec.identityValidationExpression : undefined,
  };
}

/** `provider.apiGateway.apiKeys` that give a value (`{ name, value }`); a bare name's value is made at deploy time. */
function serviceApiKeys(provider: Obj): ApiKey[] {
  const gateway = isObj(provider.apiGateway) ? provider.apiGateway : {};
  const keys = Array.isArray(gateway.apiKeys) ? gateway.apiKeys : [];
  return keys.filter(isObj).filter((k) => typeof k.value === 'string').map((k) => ({ id: String(k.name ?? 'apiKey'), value: String(k.value) }));
}

/** `provider.httpApi.authorizers`: JWT (`identitySource`, `issuerUrl`, `audience`) and `type: request` Lambda ones. */
function httpApiAuthorizers(value: unknown, functionOf: FunctionLookup): Record<string, AuthorizerConfig> {
  const found: Record<string, AuthorizerConfig> = {};
  for (const [name, a] of Object.entries(isObj(value) ? value : {})) {
    if (!isObj(a)) continue;
    const identity = sources(a.identitySource ?? '$request.header.Authorization');
    if (a.type === 'request') {
      const functionId = functionOf(a.functionName ?? a.functionArn);
      if (!functionId) continue;
      found[name] = {
        name, type: 'request', functionId, ...identity, ttlSeconds: Number(a.resultTtlInSeconds ?? 0),
        payloadVersion: String(a.payloadVersion ?? '2.0') === '1.0' ? '1.0' : '2.0', simpleResponses: a.enableSimpleResponses === true,
      };
    } else if (a.issuerUrl !== undefined) {
      const audience = Array.isArray(a.audience) ? a.audience.map(String) : a.audience === undefined ? [] : [String(a.audience)];
      found[name] = { name, type: 'jwt', ...identity, ttlSeconds: 0, jwt: { issuer: String(a.issuerUrl), audience } };
    }
  }
  return found;
}

const strings = (v: unknown): Record<string, string> => (isObj(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : {});

/**
 * The routes of a serverless.yml: `http` events (REST, under the provider's stage), `httpApi` events (HTTP API,
 * payload 2.0 unless `provider.httpApi.payload` says 1.0) and `url` (function URLs), with the Lambda and JWT
 * authorizers they name, run locally as the SAM template's are. The variables a local run can know are resolved
 * (serverlessVariables.ts; the rest stay as written and the banner lists them); the framework's defaults (stage
 * dev, timeout 6 s, 1 024 MB) apply.
 */
export function readServerlessApi(text: string, file: string, env: Readonly<Record<string, string | undefined>> = process.env, stage?: string, region?: string): { model: ApiModel; functions: ServerlessFunction[] } {
  const { doc, unresolved } = resolveServerlessVariables((parse(text, { logLevel: 'silent' }) ?? {}) as Obj, env, { stage, region });
  const provider = isObj(doc.provider) ? doc.provider : {};
  const serviceStage = stage ?? String(provider.stage ?? 'dev');
  // Every function's name has the stage in it: one this run cannot know (`stage: ${opt:stage}`) is asked for.
  if (serviceStage.includes('${')) throw new TargetError(`${basename(file)}: the stage is ${serviceStage}, which has no value here: pass --stage <name>.`);
  const providerRegion = typeof provider.region === 'string' && !provider.region.includes('${') ? provider.region : undefined;
  const service = typeof doc.service === 'string' ? doc.service : isObj(doc.service) ? String(doc.service.name ?? 'service') : 'service';
  const httpApiSettings = isObj(provider.httpApi) ? provider.httpApi : {};
  const payloadVersion = String(httpApiSettings.payload ?? '2.0') === '1.0' ? '1.0' : '2.0';
  const restCors = new Map<string, CorsConfig>();
  const routes: ApiRoute[] = [];
  const apis: ApiDefinition[] = [];
  const functions: ServerlessFunction[] = [];
  const base = dirname(file);
  const keys = Object.keys(isObj(doc.functions) ? doc.functions : {});
  const functionOf: FunctionLookup = (nameOrArn) => {
    const name = referencedId(nameOrArn);
    return keys.find((k) => k === name || `${service}-${serviceStage}-${k}` === name);
  };
  const restAuthorizers: Record<string, AuthorizerConfig> = {};
  const httpAuthorizers = httpApiAuthorizers(httpApiSettings.authorizers, functionOf);
  const open: string[] = [];
  const iamUrls: string[] = [];
  for (const [id, fn] of Object.entries(isObj(doc.functions) ? doc.functions : {})) {
    if (!isObj(fn) || typeof fn.handler !== 'string') continue;
    functions.push({
      id, name: `${service}-${serviceStage}-${id}`, spec: join(base, fn.handler), runtime: String(fn.runtime ?? provider.runtime ?? 'nodejs20.x'),
      timeout: Number(fn.timeout ?? provider.timeout ?? 6), memorySize: Number(fn.memorySize ?? provider.memorySize ?? 1024),
      environment: { ...strings(provider.environment), ...strings(fn.environment) }, region: region ?? providerRegion,
    });
    for (const event of Array.isArray(fn.events) ? fn.events : []) {
      if (!isObj(event)) continue;
      if (event.http !== undefined) {
        const at = methodAndPath(event.http);
        if (!at) continue;
        const wanted = isObj(event.http) ? event.http.authorizer : undefined;
        const authorizer = wanted === undefined ? undefined : restAuthorizer(wanted, functionOf);
        if (typeof authorizer === 'string') open.push(`${at.method} ${at.path} (${authorizer})`);
        else if (authorizer) restAuthorizers[authorizer.name] = authorizer;
        routes.push({
          api: 'ServerlessRestApi', kind: 'rest', ...at, functionId: id, payloadVersion: '1.0', authorizer: typeof authorizer === 'object' ? authorizer.name : undefined,
          // Each route its own scopes: routes naming one pool may ask for different ones.
          ...(typeof authorizer === 'object' && authorizer.cognito ? { scopes: authorizer.cognito.scopes } : {}),
          apiKeyRequired: isObj(event.http) && event.http.private === true,
        });
        const c = isObj(event.http) ? cors(event.http.cors) : undefined;
        if (c) restCors.set(at.path, c);
      } else if (event.httpApi !== undefined) {
        const at = methodAndPath(event.httpApi);
        if (!at) continue;
        const wanted = isObj(event.httpApi) ? event.httpApi.authorizer : undefined;
        const name = isObj(wanted) ? (typeof wanted.name === 'string' ? wanted.name : undefined) : typeof wanted === 'string' && wanted !== 'aws_iam' ? wanted : undefined;
        if (wanted !== undefined && (!name || !httpAuthorizers[name])) open.push(`${at.method} ${at.path} (authorizer ${name ?? (isObj(wanted) ? String(wanted.type ?? wanted.id ?? '?') : String(wanted))})`);
        const scopes = isObj(wanted) && Array.isArray(wanted.scopes) ? wanted.scopes.map(String) : undefined;
        routes.push({ api: 'ServerlessHttpApi', kind: 'http', ...at, functionId: id, payloadVersion, authorizer: name && httpAuthorizers[name] ? name : undefined, scopes });
      }
    }
    if (fn.url) {
      const url = isObj(fn.url) ? fn.url : {};
      apis.push({ id, kind: 'url', stage: '$default', cors: cors(url.cors), binaryMediaTypes: [], authorizers: {}, urlAuthType: url.authorizer === 'aws_iam' ? 'AWS_IAM' : 'NONE' });
      if (url.authorizer === 'aws_iam') iamUrls.push(id);
      routes.push({ api: id, kind: 'url', method: 'ANY', path: '$default', functionId: id, payloadVersion: '2.0', invokeMode: url.invokeMode === 'RESPONSE_STREAM' ? 'RESPONSE_STREAM' : 'BUFFERED' });
    }
  }
  const apiKeys = serviceApiKeys(provider);
  if (routes.some((r) => r.kind === 'rest')) {
    // serverless.yml sets CORS per http event; the preflight answer uses the first one given.
    apis.push({ id: 'ServerlessRestApi', kind: 'rest', stage: serviceStage, cors: [...restCors.values()][0], binaryMediaTypes: [], authorizers: restAuthorizers, apiKeys });
  }
  if (routes.some((r) => r.kind === 'http')) apis.push({ id: 'ServerlessHttpApi', kind: 'http', stage: '$default', cors: cors(httpApiSettings.cors), binaryMediaTypes: [], authorizers: httpAuthorizers });
  const notes = [...(open.length ? [`Open locally, their authorizers cannot run here: ${open.join(', ')}.`] : []), ...iamUrls.map(iamUrlNote),
    ...gatewayNotes(apis, routes, apiKeys.length), ...(unresolved.length ? [`Not resolved locally, so left as written: ${unresolved.join(', ')}.`] : [])];
  return { model: { apis, routes, notes }, functions };
}
