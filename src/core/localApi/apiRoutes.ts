import { parseCloudFormation } from '../project/cloudFormationYaml';
import { mergeGlobals, templateValues } from '../project/samTemplate';
import { httpAuthorizers, restAuthorizers, templatePoolNote, type AuthorizerConfig } from './apiAuthorizerConfig';
import { addDefinitionRoutes } from './openApiRoutes';
import { isObj, referencedId, strings, unquote, type Obj } from './templateFields';

/** REST API (API Gateway v1), HTTP API (v2), or a function URL. */
export type ApiKind = 'rest' | 'http' | 'url';
export type PayloadVersion = '1.0' | '2.0';

export interface CorsConfig {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly allowCredentials: boolean;
  readonly maxAge?: number;
}

export interface ApiDefinition {
  /** The logical id (or `ServerlessRestApi` / `ServerlessHttpApi` for SAM's implicit APIs, the function's for a URL). */
  readonly id: string;
  readonly kind: ApiKind;
  /** The stage: REST APIs always have one (`Prod` by default), HTTP APIs `$default` (no prefix) or a named one. */
  readonly stage: string;
  readonly cors?: CorsConfig;
  /** REST: media types whose bodies reach the function base64-encoded (`image/png`, `*\/*`). */
  readonly binaryMediaTypes: readonly string[];
  readonly authorizers: Readonly<Record<string, AuthorizerConfig>>;
  readonly defaultAuthorizer?: string;
  /** Function URLs: `AWS_IAM` is not verified locally (the start banner says so). */
  readonly urlAuthType?: 'AWS_IAM' | 'NONE';
  /** The stage's variables (`Variables` of a REST API, `StageVariables` of an HTTP API): the event's `stageVariables`. */
  readonly stageVariables?: Readonly<Record<string, string>>;
  /** REST APIs: whether routes need an API key unless they say otherwise (`Auth.ApiKeyRequired`). */
  readonly apiKeyRequired?: boolean;
  /** REST APIs: the keys the template declares with a value (`AWS::ApiGateway::ApiKey` `Value`); none known, any
   *  key is taken (API Gateway makes them at deploy time). */
  readonly apiKeys?: readonly ApiKey[];
}

export interface ApiKey {
  /** The key's logical id (the event's `apiKeyId` stand-in). */
  readonly id: string;
  readonly value: string;
}

export interface ApiRoute {
  readonly api: string;
  readonly kind: ApiKind;
  /** Upper-case method or `ANY`. */
  readonly method: string;
  /** `/users/{id}`, `/files/{proxy+}`, or `$default` (HTTP APIs, function URLs). */
  readonly path: string;
  /** Logical id of the function the route invokes. */
  readonly functionId: string;
  readonly payloadVersion: PayloadVersion;
  /** The authorizer name, or undefined for none (`NONE` in the template). */
  readonly authorizer?: string;
  /** Function URLs: whether the response streams. */
  readonly invokeMode?: 'BUFFERED' | 'RESPONSE_STREAM';
  /** JWT and Cognito routes: the token must carry one of these scopes (`Auth.AuthorizationScopes`). */
  readonly scopes?: readonly string[];
  /** REST routes: a request needs an `x-api-key` header (`Auth.ApiKeyRequired`; serverless.yml `private: true`). */
  readonly apiKeyRequired?: boolean;
}

export interface ApiModel {
  readonly apis: ApiDefinition[];
  readonly routes: ApiRoute[];
  /** What the template declares that a local API does not do, said once at start. */
  readonly notes: string[];
  /** Local files the APIs' OpenAPI definitions are in (DefinitionUri, AWS::Include): read, and watched, with the template. */
  readonly definitionFiles?: readonly string[];
}

function restCors(value: unknown): CorsConfig | undefined {
  if (value === undefined || value === false) return undefined;
  if (typeof value === 'string') return { allowOrigins: [unquote(value)], allowMethods: ['*'], allowHeaders: ['*'], exposeHeaders: [], allowCredentials: false };
  if (!isObj(value)) return undefined;
  const split = (v: unknown): string[] => (v === undefined ? [] : unquote(String(v)).split(',').map((s) => s.trim()).filter(Boolean));
  return {
    allowOrigins: split(value.AllowOrigin ?? "'*'"), allowMethods: value.AllowMethods ? split(value.AllowMethods) : ['*'],
    allowHeaders: value.AllowHeaders ? split(value.AllowHeaders) : ['*'], exposeHeaders: [], allowCredentials: value.AllowCredentials === true,
    maxAge: value.MaxAge === undefined ? undefined : Number(unquote(String(value.MaxAge))),
  };
}

/** HTTP API CorsConfiguration and function URL Cors: lists of plain strings. */
function listCors(value: unknown): CorsConfig | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'], exposeHeaders: [], allowCredentials: false };
  if (!isObj(value)) return undefined;
  return {
    allowOrigins: strings(value.AllowOrigins), allowMethods: strings(value.AllowMethods).map((m) => m.toUpperCase()),
    allowHeaders: strings(value.AllowHeaders).map((h) => h.toLowerCase()), exposeHeaders: strings(value.ExposeHeaders).map((h) => h.toLowerCase()),
    allowCredentials: value.AllowCredentials === true, maxAge: value.MaxAge === undefined ? undefined : Number(value.MaxAge),
  };
}

/** A route's `Auth.Authorizer`: a name, `NONE` (no authorizer), or nothing (the API's default). */
function routeAuthorizer(props: Obj, api: ApiDefinition | undefined): string | undefined {
  const named = isObj(props.Auth) && typeof props.Auth.Authorizer === 'string' ? props.Auth.Authorizer : undefined;
  if (named === 'NONE' || named === 'AWS_IAM') return undefined;
  return named ?? api?.defaultAuthorizer;
}

/** The path prefix a stage puts in front of every route on AWS: `/Prod` for a REST stage or a named HTTP API
 *  stage, nothing for an HTTP API's `$default` stage or a function URL. */
export function stagePrefix(api: Pick<ApiDefinition, 'kind' | 'stage'>): string {
  return api.kind === 'url' || api.stage === '$default' ? '' : `/${api.stage}`;
}

/** The APIs and routes of a SAM template: `Api` / `HttpApi` events, explicit and implicit APIs, `FunctionUrlConfig`,
 *  and the routes of the APIs' OpenAPI definitions. `documents`: the OpenAPI files the template includes, once read;
 *  `parameters`: the template's parameter values over its defaults (samconfig, --parameter-overrides). */
export function readApiModel(text: string, file: string, { documents, parameters }: { documents?: ReadonlyMap<string, unknown>; parameters?: Readonly<Record<string, string>> } = {}): ApiModel {
  const doc = parseCloudFormation(text, file) as Obj;
  const resources = isObj(doc.Resources) ? doc.Resources : {};
  const globals = isObj(doc.Globals) ? doc.Globals : {};
  const apis = new Map<string, ApiDefinition>();
  const notes: string[] = [];
  const restGlobals = isObj(globals.Api) ? globals.Api : {};
  const httpGlobals = isObj(globals.HttpApi) ? globals.HttpApi : {};
  const value = templateValues(doc, { parameters });
  const variables = (v: unknown): { stageVariables?: Record<string, string> } =>
    (isObj(v) && Object.keys(v).length ? { stageVariables: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x)])) } : {});
  const apiKeys = declaredApiKeys(resources, value);
  // An API's properties over Globals.Api / Globals.HttpApi, merged as SAM merges them (an Auth map of the API's own
  // keeps the Globals' DefaultAuthorizer it does not override).
  const restApi = (id: string, own: Obj): ApiDefinition => {
    const p = mergeGlobals(restGlobals, own);
    const auth = p.Auth;
    return {
      id, kind: 'rest', stage: value(p.StageName ?? 'Prod'), cors: restCors(p.Cors),
      binaryMediaTypes: strings(p.BinaryMediaTypes).map((t) => t.replace(/~1/g, '/')), ...restAuthorizers(auth),
      ...variables(p.Variables), apiKeyRequired: isObj(auth) && auth.ApiKeyRequired === true, apiKeys,
    };
  };
  const httpApi = (id: string, own: Obj): ApiDefinition => {
    const p = mergeGlobals(httpGlobals, own);
    return {
      id, kind: 'http', stage: value(p.StageName ?? '$default'), cors: listCors(p.CorsConfiguration),
      binaryMediaTypes: [], ...httpAuthorizers(p.Auth), ...variables(p.StageVariables),
    };
  };
  for (const [id, r] of Object.entries(resources)) {
    if (!isObj(r)) continue;
    const p = isObj(r.Properties) ? r.Properties : {};
    if (r.Type === 'AWS::Serverless::Api') apis.set(id, restApi(id, p));
    else if (r.Type === 'AWS::Serverless::HttpApi') apis.set(id, httpApi(id, p));
  }
  const routes: ApiRoute[] = [];
  const fnGlobals = isObj(globals.Function) ? globals.Function : {};
  for (const [functionId, r] of Object.entries(resources)) {
    if (!isObj(r) || r.Type !== 'AWS::Serverless::Function') continue;
    const props = isObj(r.Properties) ? r.Properties : {};
    for (const event of Object.values(isObj(props.Events) ? props.Events : {})) {
      if (!isObj(event)) continue;
      const ep = isObj(event.Properties) ? event.Properties : {};
      if (event.Type === 'Api') {
        const apiId = referencedId(ep.RestApiId) ?? 'ServerlessRestApi';
        if (!apis.has(apiId)) apis.set(apiId, restApi(apiId, {}));
        routes.push({
          api: apiId, kind: 'rest', method: String(ep.Method ?? 'ANY').toUpperCase(), path: String(ep.Path ?? '/'), functionId, payloadVersion: '1.0', authorizer: routeAuthorizer(ep, apis.get(apiId)),
          ...(isObj(ep.Auth) && Array.isArray(ep.Auth.AuthorizationScopes) ? { scopes: strings(ep.Auth.AuthorizationScopes) } : {}),
          apiKeyRequired: isObj(ep.Auth) && typeof ep.Auth.ApiKeyRequired === 'boolean' ? ep.Auth.ApiKeyRequired : apis.get(apiId)?.apiKeyRequired === true,
        });
      } else if (event.Type === 'HttpApi') {
        const apiId = referencedId(ep.ApiId) ?? 'ServerlessHttpApi';
        if (!apis.has(apiId)) apis.set(apiId, httpApi(apiId, {}));
        const whole = ep.Path === undefined && ep.Method === undefined;
        routes.push({
          api: apiId, kind: 'http', method: whole ? 'ANY' : String(ep.Method ?? 'ANY').toUpperCase(), path: whole ? '$default' : String(ep.Path ?? '/'), functionId,
          payloadVersion: String(ep.PayloadFormatVersion ?? '2.0') === '1.0' ? '1.0' : '2.0', authorizer: routeAuthorizer(ep, apis.get(apiId)),
          ...(isObj(ep.Auth) && Array.isArray(ep.Auth.AuthorizationScopes) ? { scopes: strings(ep.Auth.AuthorizationScopes) } : {}),
        });
      }
    }
    const url = props.FunctionUrlConfig ?? fnGlobals.FunctionUrlConfig;
    if (isObj(url)) {
      const urlAuthType = String(url.AuthType ?? 'NONE') === 'AWS_IAM' ? 'AWS_IAM' : 'NONE';
      apis.set(functionId, { id: functionId, kind: 'url', stage: '$default', cors: listCors(url.Cors), binaryMediaTypes: [], authorizers: {}, urlAuthType });
      routes.push({ api: functionId, kind: 'url', method: 'ANY', path: '$default', functionId, payloadVersion: '2.0', invokeMode: String(url.InvokeMode ?? 'BUFFERED') === 'RESPONSE_STREAM' ? 'RESPONSE_STREAM' : 'BUFFERED' });
      if (urlAuthType === 'AWS_IAM') notes.push(iamUrlNote(functionId));
    }
  }
  const definitionFiles = addDefinitionRoutes({ resources, apis, routes, notes, templateFile: file, documents });
  notes.push(...gatewayNotes([...apis.values()], routes, apiKeys.length));
  return { apis: [...apis.values()], routes, notes, definitionFiles };
}

/** The template's `AWS::ApiGateway::ApiKey` resources that give their `Value`. */
function declaredApiKeys(resources: Obj, value: (v: unknown) => string): ApiKey[] {
  return Object.entries(resources).flatMap(([id, r]) => (isObj(r) && r.Type === 'AWS::ApiGateway::ApiKey' && isObj(r.Properties) && r.Properties.Value !== undefined
    ? [{ id, value: value(r.Properties.Value) }] : []));
}

/** What the start banner says of a template's APIs, whether SAM or serverless.yml declares them: the routes that
 *  need an API key (`knownKeys`: the key values the template declares), routes declared twice, and Cognito
 *  authorizers whose pool the template creates. */
export function gatewayNotes(apis: readonly ApiDefinition[], routes: readonly ApiRoute[], knownKeys: number): string[] {
  const keyed = routes.filter((r) => r.apiKeyRequired).length;
  const pools = apis.flatMap((api) => Object.values(api.authorizers)).filter((a) => a.type === 'cognito' && a.cognito?.issuers.length === 0);
  return [...(keyed ? [apiKeyNote(keyed, knownKeys)] : []), ...duplicateRouteNotes(routes), ...pools.map((a) => templatePoolNote(a.name))];
}

/** Routes an API declares more than once (three scaffolds' GET /hello on the implicit HTTP API): the first
 *  answers here, and CloudFormation would refuse the second. */
function duplicateRouteNotes(routes: readonly ApiRoute[]): string[] {
  const byKey = new Map<string, ApiRoute[]>();
  for (const r of routes) {
    if (r.kind === 'url') continue;
    const key = `${r.api}\u0000${r.method} ${r.path}`;
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  return [...byKey.values()].filter((same) => same.length > 1).map((same) =>
    `${same[0].method} ${same[0].path} is declared ${same.length} times on ${same[0].api} (${same.map((r) => r.functionId).join(', ')}): ${same[0].functionId} answers here, and a deployment refuses a route declared twice.`);
}

/** What the start banner says of routes that need an API key. */
function apiKeyNote(routes: number, knownKeys: number): string {
  return `${routes} route(s) need an API key (x-api-key header, else 403): ${knownKeys ? `one of the template's ${knownKeys} key value(s)` : 'any key is taken locally, as the keys are made when the API is deployed'}.`;
}

/** What the start banner says of an `AWS_IAM` function URL. */
export function iamUrlNote(functionId: string): string {
  return `${functionId}'s URL has AuthType AWS_IAM: requests must be SigV4-signed (service lambda) with the local profile's keys; others get 403.`;
}
