import { parseCloudFormation } from '../project/cloudFormationYaml';
import { templateValues } from '../project/samTemplate';
import { cognitoIssuer } from './cognitoAuthorizer';
import { addDefinitionRoutes } from './openApiRoutes';

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
}

export interface ApiModel {
  readonly apis: ApiDefinition[];
  readonly routes: ApiRoute[];
  /** What the template declares that a local API does not do, said once at start. */
  readonly notes: string[];
  /** Local files the APIs' OpenAPI definitions are in (DefinitionUri, AWS::Include): read, and watched, with the template. */
  readonly definitionFiles?: readonly string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const strings = (v: unknown): string[] => list(v).map((x) => unquote(String(x)));
/** REST Cors values are quoted literals (`"'*'"`): API Gateway's header mapping syntax. */
const unquote = (s: string): string => s.replace(/^'(.*)'$/, '$1');

/** The logical id behind `!Ref X`, `!GetAtt X.Arn`, `X` or an ARN whose last part is a function name. */
export function referencedId(value: unknown): string | undefined {
  if (typeof value === 'string') return value.includes(':') ? value.split(':').pop() : value.split('.')[0];
  if (!isObj(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const att = value['Fn::GetAtt'];
  if (Array.isArray(att)) return String(att[0]);
  if (typeof att === 'string') return att.split('.')[0];
  const sub = value['Fn::Sub'];
  if (typeof sub === 'string') return /\$\{([A-Za-z0-9]+)(\.Arn)?\}/.exec(sub)?.[1];
  return undefined;
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

function restAuthorizers(auth: unknown): { authorizers: Record<string, AuthorizerConfig>; defaultAuthorizer?: string } {
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

function httpAuthorizers(auth: unknown): { authorizers: Record<string, AuthorizerConfig>; defaultAuthorizer?: string } {
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

/** The APIs and routes of a SAM template: `Api` / `HttpApi` events, explicit and implicit APIs, `FunctionUrlConfig`. */
/** `documents`: the OpenAPI files the template includes, once read; `parameters`: the template's parameter values
 *  over its defaults (samconfig, --parameter-overrides). */
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
  const restApi = (id: string, p: Obj): ApiDefinition => ({
    id, kind: 'rest', stage: value(p.StageName ?? 'Prod'), cors: restCors(p.Cors ?? restGlobals.Cors),
    binaryMediaTypes: strings(p.BinaryMediaTypes ?? restGlobals.BinaryMediaTypes).map((t) => t.replace(/~1/g, '/')), ...restAuthorizers(p.Auth ?? restGlobals.Auth),
    ...variables(p.Variables ?? restGlobals.Variables),
  });
  const httpApi = (id: string, p: Obj): ApiDefinition => ({
    id, kind: 'http', stage: value(p.StageName ?? '$default'), cors: listCors(p.CorsConfiguration ?? httpGlobals.CorsConfiguration),
    binaryMediaTypes: [], ...httpAuthorizers(p.Auth ?? httpGlobals.Auth), ...variables(p.StageVariables ?? httpGlobals.StageVariables),
  });
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
  for (const api of apis.values()) {
    for (const a of Object.values(api.authorizers)) if (a.type === 'cognito' && a.cognito?.issuers.length === 0) notes.push(templatePoolNote(a.name));
  }
  return { apis: [...apis.values()], routes, notes, definitionFiles };
}

/** What the start banner says of a Cognito authorizer whose user pool the template itself creates. */
export function templatePoolNote(authorizer: string): string {
  return `${authorizer}: its user pool is made by the template, so locally a token of any Cognito user pool is taken when that pool's published keys sign it and it has not expired.`;
}

/** What the start banner says of an `AWS_IAM` function URL. */
export function iamUrlNote(functionId: string): string {
  return `${functionId}'s URL has AuthType AWS_IAM: requests must be SigV4-signed (service lambda) with the local profile's keys; others get 403.`;
}
