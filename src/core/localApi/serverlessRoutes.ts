import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import type { ApiDefinition, ApiModel, ApiRoute, CorsConfig } from './apiRoutes';

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

const strings = (v: unknown): Record<string, string> => (isObj(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : {});

/**
 * The routes of a serverless.yml: `http` events (REST, under the provider's stage), `httpApi` events (HTTP API,
 * payload 2.0 unless `provider.httpApi.payload` says 1.0) and `url` (function URLs). `${…}` variables are not
 * resolved (they stay as written); the framework's defaults (stage dev, timeout 6 s, 1 024 MB) apply.
 */
export function readServerlessApi(text: string, file: string): { model: ApiModel; functions: ServerlessFunction[] } {
  const doc = (parse(text, { logLevel: 'silent' }) ?? {}) as Obj;
  const provider = isObj(doc.provider) ? doc.provider : {};
  const stage = String(provider.stage ?? 'dev');
  const service = typeof doc.service === 'string' ? doc.service : isObj(doc.service) ? String(doc.service.name ?? 'service') : 'service';
  const httpApiSettings = isObj(provider.httpApi) ? provider.httpApi : {};
  const payloadVersion = String(httpApiSettings.payload ?? '2.0') === '1.0' ? '1.0' : '2.0';
  const restCors = new Map<string, CorsConfig>();
  const routes: ApiRoute[] = [];
  const apis: ApiDefinition[] = [];
  const functions: ServerlessFunction[] = [];
  const base = dirname(file);
  for (const [id, fn] of Object.entries(isObj(doc.functions) ? doc.functions : {})) {
    if (!isObj(fn) || typeof fn.handler !== 'string') continue;
    functions.push({
      id, name: `${service}-${stage}-${id}`, spec: join(base, fn.handler), runtime: String(fn.runtime ?? provider.runtime ?? 'nodejs20.x'),
      timeout: Number(fn.timeout ?? provider.timeout ?? 6), memorySize: Number(fn.memorySize ?? provider.memorySize ?? 1024),
      environment: { ...strings(provider.environment), ...strings(fn.environment) },
    });
    for (const event of Array.isArray(fn.events) ? fn.events : []) {
      if (!isObj(event)) continue;
      if (event.http !== undefined) {
        const at = methodAndPath(event.http);
        if (!at) continue;
        routes.push({ api: 'ServerlessRestApi', kind: 'rest', ...at, functionId: id, payloadVersion: '1.0' });
        const c = isObj(event.http) ? cors(event.http.cors) : undefined;
        if (c) restCors.set(at.path, c);
      } else if (event.httpApi !== undefined) {
        const at = methodAndPath(event.httpApi);
        if (at) routes.push({ api: 'ServerlessHttpApi', kind: 'http', ...at, functionId: id, payloadVersion });
      }
    }
    if (fn.url) {
      const url = isObj(fn.url) ? fn.url : {};
      apis.push({ id, kind: 'url', stage: '$default', cors: cors(url.cors), binaryMediaTypes: [], authorizers: {}, urlAuthType: url.authorizer === 'aws_iam' ? 'AWS_IAM' : 'NONE' });
      routes.push({ api: id, kind: 'url', method: 'ANY', path: '$default', functionId: id, payloadVersion: '2.0', invokeMode: url.invokeMode === 'RESPONSE_STREAM' ? 'RESPONSE_STREAM' : 'BUFFERED' });
    }
  }
  if (routes.some((r) => r.kind === 'rest')) {
    // serverless.yml sets CORS per http event; the preflight answer uses the first one given.
    apis.push({ id: 'ServerlessRestApi', kind: 'rest', stage, cors: [...restCors.values()][0], binaryMediaTypes: [], authorizers: {} });
  }
  if (routes.some((r) => r.kind === 'http')) apis.push({ id: 'ServerlessHttpApi', kind: 'http', stage: '$default', cors: cors(httpApiSettings.cors), binaryMediaTypes: [], authorizers: {} });
  const notes = Object.values(isObj(doc.functions) ? doc.functions : {}).some((f) => isObj(f) && Array.isArray(f.events) && f.events.some((e) => isObj(e) && isObj(e.http) && e.http.authorizer))
    ? ['serverless.yml authorizers are not run locally: those routes are open.'] : [];
  return { model: { apis, routes, notes }, functions };
}
