import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Logger } from '../logger';
import { resolveTarget, TargetError, type TargetRequest } from '../project/functionTarget';
import { parseCloudFormation } from '../project/cloudFormationYaml';
import { SAM_CONFIG_FILES, samConfigParameters } from '../project/samConfig';
import { parseSamTemplateText } from '../project/samTemplate';
import { isServerlessFile } from '../project/handlerDiscovery';
import { startInvokeApi, type InvokeApi } from '../runtime/invokeApiServer';
import { DEFAULT_REGION } from '../runtime/environmentVariables';
import type { LocalLambda } from '../runtime/localLambda';
import type { FunctionConfig } from '../runtime/types';
import { Authorizers } from './apiAuthorizers';
import { readApiModel, stagePrefix, type ApiModel, type ApiRoute } from './apiRoutes';
import { CodeWatcher, codeFoldersOf, type CodeFolders, type FileIdentity } from './codeWatcher';
import { readServerlessApi } from './serverlessRoutes';
import { startLocalApi, type AccessEntry, type LocalApi } from './localApiServer';

export interface LocalCloudOptions {
  readonly template: string;
  readonly lambda: LocalLambda;
  /** Port of the APIs (default 3000); the Invoke API takes `invokePort` (default the next one). */
  readonly port?: number;
  readonly invokePort?: number;
  /** What every function's configuration shares (env file, interpreters, region). */
  readonly target?: Omit<TargetRequest, 'spec' | 'resource'>;
  readonly jwksFile?: string;
  /** serverless.yml: the stage (`--stage`, the framework's `opt:stage`) over the provider's. */
  readonly stage?: string;
  /** Reload code on save (default true, through fs.watch); the editor passes its own watcher (VS Code's, which
   *  does not walk folders on the extension host's thread). */
  readonly hotReload?: boolean | WatchFolders;
  /** For fs.watch: files this process's own output goes to, never taken for changed code (see CodeWatcher). */
  readonly outputFiles?: readonly FileIdentity[];
  readonly onAccess?: (entry: AccessEntry) => void;
  readonly onLog?: (functionId: string, line: string) => void;
  /** A save made these functions start fresh on their next request. */
  readonly onReload?: (functionIds: string[], file: string) => void;
  /** The template (or an env file) changed and its routes with it: the routes as they are now. */
  readonly onRoutesChanged?: (routes: readonly RouteLine[]) => void;
  /** The template (or an env file) changed but cannot be read: the last good one keeps serving. */
  readonly onDefinitionError?: (file: string, message: string) => void;
  readonly logger?: Logger;
  readonly integrationTimeoutMs?: LocalApiOptionsTimeouts;
  readonly invokeOverride?: Parameters<typeof startLocalApi>[0]['invokeOverride'];
}

/** Watches function code folders (function id → its folder and its layers') and the definition `files` (the template, env files), and
 *  reports the functions whose code changed and whether a definition file did (see CodeWatcher); close() stops it. */
export type WatchFolders = (folders: CodeFolders, onChange: (functionIds: string[], file: string, definitionChanged: boolean) => void, files: readonly string[]) => { close(): void };

type LocalApiOptionsTimeouts = Parameters<typeof startLocalApi>[0]['integrationTimeoutMs'];

/** One line per route for the start banner and the editor's view. */
export interface RouteLine {
  readonly route: ApiRoute;
  readonly url: string;
  readonly functionName: string;
  readonly text: string;
  /** An `AWS_IAM` function URL: requests must be SigV4-signed for service lambda in this region. */
  readonly sigV4Region?: string;
}

export interface LocalCloud {
  readonly api: LocalApi;
  readonly invoke: InvokeApi;
  /** The model and routes of the template as last read (a saved template is read again). */
  readonly model: ApiModel;
  readonly functions: ReadonlyMap<string, FunctionConfig>;
  readonly routes: readonly RouteLine[];
  readonly authorizers: Authorizers;
  close(): Promise<void>;
}

const KIND = { rest: 'REST API', http: 'HTTP API', url: 'function URL' } as const;

/** What a template says: its APIs and its functions' configurations (by logical id). */
interface CloudDefinition {
  readonly model: ApiModel;
  readonly functions: Map<string, FunctionConfig>;
}

async function readDefinition(options: LocalCloudOptions): Promise<CloudDefinition> {
  const text = await readFile(options.template, 'utf8');
  const functions = new Map<string, FunctionConfig>();
  if (isServerlessFile(options.template)) {
    const service = readServerlessApi(text, options.template, process.env, options.stage, options.target?.region);
    for (const fn of service.functions) {
      functions.set(fn.id, await resolveTarget({ cwd: process.cwd(), ...options.target, spec: options.template, resource: fn.id, service }));
    }
    return { model: service.model, functions };
  }
  // Read once for every function: samconfig's parameter_overrides for start-api, the command line's over them.
  const parameters = { ...await samConfigParameters(options.template, 'local_start_api'), ...options.target?.parameterOverrides };
  let model = readApiModel(text, options.template, { parameters });
  if (model.definitionFiles?.length) {
    // The OpenAPI files the template includes are part of its definition: one that cannot be read fails the read.
    const documents = new Map<string, unknown>();
    for (const file of model.definitionFiles) documents.set(file, parseCloudFormation(await readFile(file, 'utf8'), file));
    model = readApiModel(text, options.template, { documents, parameters });
  }
  const template = parseSamTemplateText(text, options.template, { region: options.target?.region, parameters });
  const skipped: string[] = (template.nestedStacks ?? []).map((s) =>
    `The nested stack ${s.logicalId} is not served${s.location ? `: start ${relative(process.cwd(), s.location) || s.location} on its own port for its routes` : ' (its template is not a local file)'}.`);
  for (const fn of template.functions) {
    try {
      functions.set(fn.logicalId, await resolveTarget({ cwd: process.cwd(), ...options.target, spec: options.template, resource: fn.logicalId, template }));
    } catch (error) {
      // One function that cannot run here (a container image, code in S3) leaves the rest of the template served.
      if (!(error instanceof TargetError)) throw error;
      skipped.push(`${fn.logicalId} is not run locally: ${error.message} Its routes answer 502.`);
    }
  }
  return { model: skipped.length ? { ...model, notes: [...model.notes, ...skipped] } : model, functions };
}

/** A template's (or serverless.yml's) local cloud: its APIs and function URLs over HTTP, the Invoke API beside them, code reloaded on save. */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const first = await readDefinition(options);
  let model = first.model;
  // One map each for the servers, updated in place when the template is read again.
  const functions = first.functions;
  const authorizers = new Authorizers({ lambda: options.lambda, functions, jwksFile: options.jwksFile, onLog: options.onLog });
  const port = options.port ?? 3000;
  const invokePort = options.invokePort ?? (port === 0 ? 0 : port + 1);
  const api = await startLocalApi({
    lambda: options.lambda, model, functions, port, reservedPorts: [invokePort], region: options.target?.region, authorizers,
    onAccess: options.onAccess, onLog: options.onLog, logger: options.logger, integrationTimeoutMs: options.integrationTimeoutMs, invokeOverride: options.invokeOverride,
    credentials: () => options.lambda.credentials(),
  });
  const byName = new Map([...functions.values()].map((c) => [c.name, c]));
  let invoke: InvokeApi;
  try {
    invoke = await startInvokeApi({ lambda: options.lambda, functions: byName, port: invokePort, logger: options.logger });
  } catch (error) {
    await api.close();
    throw error;
  }
  const watch: WatchFolders = typeof options.hotReload === 'function' ? options.hotReload : (f, onChange, files) => new CodeWatcher(f, onChange, { files, outputFiles: options.outputFiles });
  let watched = '';
  let watcher: { close(): void } | undefined;
  const watchFolders = (): void => {
    if (options.hotReload === false) return;
    const folders: CodeFolders = new Map([...functions].map(([id, c]) => [id, codeFoldersOf(c.codeDir, c.layers)]));
    const key = JSON.stringify([...folders, model.definitionFiles ?? []]);
    if (key === watched) return;
    watcher?.close();
    watched = key;
    // What a configuration is read from, wherever it is: the template, an --env-file, each code folder's .env.
    const definitionFiles = [...new Set([options.template, ...(options.target?.envFile ? [resolve(options.target.cwd, options.target.envFile)] : []),
      ...[...functions.values()].map((config) => join(config.codeDir, '.env')), ...(model.definitionFiles ?? []),
      ...SAM_CONFIG_FILES.map((name) => join(dirname(options.template), name))])];
    watcher = watch(folders, (ids, file, definitionChanged) => {
      // One reload at a time, in order; one that failed (a port for a new function URL) does not stop the next.
      reloading = reloading.then(() => reload(ids, file, definitionChanged)).catch((error: unknown) => options.logger?.error(error instanceof Error ? error : String(error)));
    }, definitionFiles);
  };
  let routes = routeLines(model, api, functions, options.target?.region);
  let closed = false;
  let reloading = Promise.resolve();

  /** A change under a code folder: those functions start fresh. A change to the template or an env file: they are
   *  read again, then each function whose code or configuration changed starts fresh. */
  async function reload(ids: string[], file: string, definitionChanged: boolean): Promise<void> {
    if (closed) return;
    if (!definitionChanged) {
      for (const id of ids) api.codeChanged(id);
      options.onReload?.(ids, file);
      return;
    }
    let next: CloudDefinition;
    try {
      next = await readDefinition(options);
    } catch (error) {
      // Half-way through an edit, most likely: the last good definition keeps serving, the code change applies.
      const known = ids.filter((id) => functions.has(id));
      for (const id of known) api.codeChanged(id);
      if (known.length) options.onReload?.(known, file);
      options.onDefinitionError?.(file, error instanceof Error ? error.message : String(error));
      return;
    }
    if (closed) return;
    const fresh = new Map(ids.map((id) => [id, 'code changed']));
    for (const [id, config] of next.functions) {
      if (!fresh.has(id) && JSON.stringify(functions.get(id)) !== JSON.stringify(config)) fresh.set(id, 'configuration changed');
    }
    // A function gone from the template: its idle environments stop now, not when the server does.
    for (const [id, config] of functions) if (!next.functions.has(id)) options.lambda.invalidate(config.name);
    functions.clear();
    for (const [id, config] of next.functions) functions.set(id, config);
    byName.clear();
    for (const config of functions.values()) byName.set(config.name, config);
    const routesBefore = routes.map((r) => r.text).join('\n');
    if (JSON.stringify(next.model) !== JSON.stringify(model)) {
      model = next.model;
      await api.update(model);
    }
    routes = routeLines(model, api, functions, options.target?.region);
    const starting = [...fresh].filter(([id]) => functions.has(id));
    for (const [id, reason] of starting) api.codeChanged(id, reason);
    authorizers.forget();
    watchFolders();
    if (starting.length) options.onReload?.(starting.map(([id]) => id), file);
    if (routes.map((r) => r.text).join('\n') !== routesBefore) options.onRoutesChanged?.(routes);
  }

  watchFolders();
  return {
    api, invoke, functions, authorizers,
    get model() { return model; },
    get routes() { return routes; },
    async close() {
      closed = true;
      watcher?.close();
      await reloading;
      await Promise.all([api.close(), invoke.close()]);
    },
  };
}

/** The banner's and the editor's line for each route. */
function routeLines(model: ApiModel, api: LocalApi, functions: ReadonlyMap<string, FunctionConfig>, region: string | undefined): RouteLine[] {
  const apis = new Map(model.apis.map((a) => [a.id, a]));
  return model.routes.map((route): RouteLine => {
    const def = apis.get(route.api)!;
    const base = route.kind === 'url' ? api.functionUrls.get(route.api)! : api.url;
    const path = route.path === '$default' ? '/' : route.path;
    const url = `${base}${stagePrefix(def)}${path}`;
    const functionName = functions.get(route.functionId)?.name ?? route.functionId;
    const how = [KIND[route.kind], route.kind === 'url' ? route.invokeMode : `payload ${route.payloadVersion}`, route.authorizer ? `authorizer ${route.authorizer}` : undefined].filter(Boolean).join(', ');
    const shown = route.kind === 'url' ? `${base}/*` : `${stagePrefix(def)}${route.path === '$default' ? '/* ($default)' : route.path}`;
    const signed = def.kind === 'url' && def.urlAuthType === 'AWS_IAM' ? { sigV4Region: region ?? DEFAULT_REGION } : {};
    return { route, url, functionName, text: `${route.method.padEnd(6)} ${shown} → ${route.functionId} (${how})`, ...signed };
  });
}
