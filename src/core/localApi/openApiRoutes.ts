import { dirname, resolve } from 'node:path';
import type { ApiDefinition, ApiRoute } from './apiRoutes';
import { isObj, type Obj } from './templateFields';

const ANY_METHOD = 'x-amazon-apigateway-any-method';
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', ANY_METHOD]);
const INTEGRATION = 'x-amazon-apigateway-integration';

/** Where an API's OpenAPI definition is: inline (`DefinitionBody`), in a local file the template includes
 *  (`DefinitionBody: Fn::Transform: AWS::Include`, or `DefinitionUri: ./api.yaml`), or in S3, which is not read. */
export type DefinitionSource = { readonly body: unknown } | { readonly file: string } | { readonly s3: string } | undefined;

export function definitionSource(props: Obj, templateFile: string): DefinitionSource {
  const local = (location: unknown): DefinitionSource => {
    const where = String(location);
    if (/^s3:\/\//i.test(where)) return { s3: where };
    return { file: resolve(dirname(templateFile), where) };
  };
  const body = props.DefinitionBody;
  const transform = isObj(body) && isObj(body['Fn::Transform']) ? body['Fn::Transform'] : undefined;
  if (transform && transform.Name === 'AWS::Include' && isObj(transform.Parameters)) return local(transform.Parameters.Location);
  if (isObj(body)) return { body };
  const uri = props.DefinitionUri;
  if (typeof uri === 'string') return local(uri);
  if (isObj(uri)) return { s3: `s3://${String(uri.Bucket ?? '?')}/${String(uri.Key ?? '?')}` };
  return undefined;
}

/** The function an integration's `uri` names: `${Fn.Arn}` in a Sub, `!GetAtt Fn.Arn`, `!Ref Fn`, or a
 *  `function:<name>` ARN naming a function of the template by logical id or FunctionName. */
function integratedFunction(uri: unknown, functionIds: ReadonlyMap<string, string>): string | undefined {
  const text = JSON.stringify(uri ?? '');
  for (const [key, id] of functionIds) {
    const k = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`\\$\\{${k}(\\.Arn)?\\}|"${k}\\.Arn"|\\["${k}",\\s*"Arn"\\]|"Ref":\\s*"${k}"|function:${k}(?![A-Za-z0-9_-])`).test(text)) return id;
  }
  return undefined;
}

/**
 * The Lambda proxy routes of an API's OpenAPI definition: each path's methods (`x-amazon-apigateway-any-method`
 * is ANY) whose `x-amazon-apigateway-integration` is `aws_proxy` to a function of the template; a method's
 * `security` names its authorizer (one of the API's `Auth.Authorizers`) and, for JWT and Cognito ones, its scopes.
 * `functionIds`: logical ids and FunctionNames → logical id. What cannot be served is listed in `skipped`.
 */
export function openApiRoutes(api: ApiDefinition, doc: unknown, functionIds: ReadonlyMap<string, string>): { routes: ApiRoute[]; skipped: string[] } {
  const routes: ApiRoute[] = [];
  const skipped: string[] = [];
  const paths = isObj(doc) && isObj(doc.paths) ? doc.paths : {};
  // Security schemes that are API keys (`type: apiKey`, OpenAPI 3 or Swagger 2); SAM names its own `api_key`.
  const schemes = isObj(doc) ? { ...(isObj(doc.securityDefinitions) ? doc.securityDefinitions : {}), ...(isObj(doc.components) && isObj(doc.components.securitySchemes) ? doc.components.securitySchemes : {}) } : {};
  const keySchemes = new Set(['api_key', ...Object.entries(schemes).filter(([, s]) => isObj(s) && s.type === 'apiKey').map(([name]) => name)]);
  for (const [path, item] of Object.entries(paths)) {
    if (!isObj(item)) continue;
    for (const [key, op] of Object.entries(item)) {
      if (!METHODS.has(key.toLowerCase()) || !isObj(op)) continue;
      const method = key.toLowerCase() === ANY_METHOD ? 'ANY' : key.toUpperCase();
      const integration = isObj(op[INTEGRATION]) ? op[INTEGRATION] : undefined;
      if (!integration) continue; // documentation only, or an OPTIONS answered by the API's CORS
      const type = String(integration.type ?? '').toLowerCase();
      const functionId = type === 'aws_proxy' ? integratedFunction(integration.uri, functionIds) : undefined;
      if (!functionId) {
        skipped.push(`${method} ${path} (${type === 'aws_proxy' ? 'its integration names no function of this template' : `a ${type || 'typeless'} integration`})`);
        continue;
      }
      // No `security`: the API's DefaultAuthorizer, as SAM adds it to every path of the definition.
      const security = Array.isArray(op.security) ? op.security.filter(isObj) : api.defaultAuthorizer ? [{ [api.defaultAuthorizer]: [] }] : [];
      const named = security.flatMap((s) => Object.entries(s)).find(([name]) => api.authorizers[name]);
      const scopes = named && Array.isArray(named[1]) && named[1].length ? { scopes: named[1].map(String) } : {};
      const apiKeyRequired = api.kind === 'rest' && (Array.isArray(op.security) ? security.some((s) => Object.keys(s).some((name) => keySchemes.has(name))) : api.apiKeyRequired === true);
      routes.push({
        api: api.id, kind: api.kind, method, path, functionId, apiKeyRequired,
        payloadVersion: api.kind === 'http' && String(integration.payloadFormatVersion ?? '2.0') === '1.0' ? '1.0' : api.kind === 'http' ? '2.0' : '1.0',
        authorizer: named?.[0], ...scopes,
      });
    }
  }
  return { routes, skipped };
}

export interface DefinitionContext {
  readonly resources: Obj;
  readonly apis: ReadonlyMap<string, ApiDefinition>;
  readonly routes: ApiRoute[];
  readonly notes: string[];
  readonly templateFile: string;
  /** The parsed OpenAPI files the template includes (absolute path → document), once they have been read. */
  readonly documents?: ReadonlyMap<string, unknown>;
}

/** Adds the routes of each API's OpenAPI definition that its functions' Events do not already declare (as SAM
 *  merges the two), and returns the local files those definitions are in. */
export function addDefinitionRoutes(ctx: DefinitionContext): string[] {
  const functionIds = new Map<string, string>();
  for (const [id, r] of Object.entries(ctx.resources)) {
    if (!isObj(r) || (r.Type !== 'AWS::Serverless::Function' && r.Type !== 'AWS::Lambda::Function')) continue;
    functionIds.set(id, id);
    const name = isObj(r.Properties) ? r.Properties.FunctionName : undefined;
    if (typeof name === 'string') functionIds.set(name, id);
  }
  const files: string[] = [];
  for (const [id, r] of Object.entries(ctx.resources)) {
    const api = ctx.apis.get(id);
    if (!api || !isObj(r) || !isObj(r.Properties)) continue;
    const source = definitionSource(r.Properties, ctx.templateFile);
    if (!source) continue;
    if ('s3' in source) {
      ctx.notes.push(`${id}'s OpenAPI definition is in S3 (${source.s3}), which is not read locally: only its functions' Events routes are served.`);
      continue;
    }
    if ('file' in source) files.push(source.file);
    const doc = 'body' in source ? source.body : ctx.documents?.get(source.file);
    if (doc === undefined) continue;
    const { routes, skipped } = openApiRoutes(api, doc, functionIds);
    const declared = new Set(ctx.routes.filter((r) => r.api === id).map((r) => `${r.method} ${r.path}`));
    ctx.routes.push(...routes.filter((r) => !declared.has(`${r.method} ${r.path}`)));
    if (skipped.length) ctx.notes.push(`Not served from ${id}'s OpenAPI definition: ${skipped.join(', ')}.`);
  }
  return files;
}
