import { readFile } from 'node:fs/promises';
import type { Logger } from '../logger';
import { resolveTarget, type TargetRequest } from '../project/functionTarget';
import { parseSamTemplateText } from '../project/samTemplate';
import { startInvokeApi, type InvokeApi } from '../runtime/invokeApiServer';
import { DEFAULT_REGION } from '../runtime/environmentVariables';
import type { LocalLambda } from '../runtime/localLambda';
import type { FunctionConfig } from '../runtime/types';
import { Authorizers } from './apiAuthorizers';
import { readApiModel, stagePrefix, type ApiModel, type ApiRoute } from './apiRoutes';
import { CodeWatcher, type FileIdentity } from './codeWatcher';
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
  /** Reload code on save (default true, through fs.watch); the editor passes its own watcher (VS Code's, which
   *  does not walk folders on the extension host's thread). */
  readonly hotReload?: boolean | WatchFolders;
  /** For fs.watch: files this process's own output goes to, never taken for changed code (see CodeWatcher). */
  readonly outputFiles?: readonly FileIdentity[];
  readonly onAccess?: (entry: AccessEntry) => void;
  readonly onLog?: (functionId: string, line: string) => void;
  readonly onReload?: (functionIds: string[], file: string) => void;
  readonly logger?: Logger;
  readonly integrationTimeoutMs?: LocalApiOptionsTimeouts;
  readonly invokeOverride?: Parameters<typeof startLocalApi>[0]['invokeOverride'];
}

/** Watches function code folders (function id → folder) and reports changed functions; close() stops it. */
export type WatchFolders = (folders: ReadonlyMap<string, string>, onChange: (functionIds: string[], file: string) => void) => { close(): void };

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
  readonly model: ApiModel;
  readonly functions: ReadonlyMap<string, FunctionConfig>;
  readonly routes: readonly RouteLine[];
  readonly authorizers: Authorizers;
  close(): Promise<void>;
}

const KIND = { rest: 'REST API', http: 'HTTP API', url: 'function URL' } as const;

/** A template's (or serverless.yml's) local cloud: its APIs and function URLs over HTTP, the Invoke API beside them, code reloaded on save. */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const text = await readFile(options.template, 'utf8');
  const functions = new Map<string, FunctionConfig>();
  let model: ApiModel;
  if (/(^|[/\\])serverless\.ya?ml$/.test(options.template)) {
    const service = readServerlessApi(text, options.template);
    model = service.model;
    for (const fn of service.functions) {
      const config = await resolveTarget({ cwd: process.cwd(), ...options.target, spec: fn.spec, name: fn.name, runtime: fn.runtime, timeout: fn.timeout, memorySize: fn.memorySize });
      functions.set(fn.id, { ...config, environment: { ...fn.environment, ...config.environment } });
    }
  } else {
    model = readApiModel(text, options.template);
    for (const fn of parseSamTemplateText(text, options.template, { region: options.target?.region }).functions) {
      functions.set(fn.logicalId, await resolveTarget({ cwd: process.cwd(), ...options.target, spec: options.template, resource: fn.logicalId }));
    }
  }
  const authorizers = new Authorizers({ lambda: options.lambda, functions, jwksFile: options.jwksFile, onLog: options.onLog });
  const api = await startLocalApi({
    lambda: options.lambda, model, functions, port: options.port ?? 3000, region: options.target?.region, authorizers,
    onAccess: options.onAccess, onLog: options.onLog, logger: options.logger, integrationTimeoutMs: options.integrationTimeoutMs, invokeOverride: options.invokeOverride,
    credentials: () => options.lambda.credentials(),
  });
  const byName = new Map([...functions.values()].map((c) => [c.name, c]));
  let invoke: InvokeApi;
  try {
    invoke = await startInvokeApi({ lambda: options.lambda, functions: byName, port: options.invokePort ?? (options.port === 0 ? 0 : (options.port ?? 3000) + 1), logger: options.logger });
  } catch (error) {
    await api.close();
    throw error;
  }
  const folders = new Map([...functions].map(([id, c]) => [id, c.codeDir]));
  const reload = (ids: string[], file: string): void => {
    for (const id of ids) api.codeChanged(id);
    options.onReload?.(ids, file);
  };
  const watch: WatchFolders = typeof options.hotReload === 'function' ? options.hotReload : (f, onChange) => new CodeWatcher(f, onChange, options.outputFiles);
  const watcher = options.hotReload === false ? undefined : watch(folders, reload);
  const apis = new Map(model.apis.map((a) => [a.id, a]));
  const routes = model.routes.map((route): RouteLine => {
    const def = apis.get(route.api)!;
    const base = route.kind === 'url' ? api.functionUrls.get(route.api)! : api.url;
    const path = route.path === '$default' ? '/' : route.path;
    const url = `${base}${stagePrefix(def)}${path}`;
    const functionName = functions.get(route.functionId)?.name ?? route.functionId;
    const how = [KIND[route.kind], route.kind === 'url' ? route.invokeMode : `payload ${route.payloadVersion}`, route.authorizer ? `authorizer ${route.authorizer}` : undefined].filter(Boolean).join(', ');
    const shown = route.kind === 'url' ? `${base}/*` : `${stagePrefix(def)}${route.path === '$default' ? '/* ($default)' : route.path}`;
    const signed = def.kind === 'url' && def.urlAuthType === 'AWS_IAM' ? { sigV4Region: options.target?.region ?? DEFAULT_REGION } : {};
    return { route, url, functionName, text: `${route.method.padEnd(6)} ${shown} → ${route.functionId} (${how})`, ...signed };
  });
  return {
    api, invoke, model, functions, routes, authorizers,
    async close() {
      watcher?.close();
      await Promise.all([api.close(), invoke.close()]);
    },
  };
}
