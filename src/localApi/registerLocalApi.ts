import { join } from 'node:path';
import * as vscode from 'vscode';
import { isServerlessFile } from '../core/project/handlerDiscovery';
import type { InvokeResult, FunctionConfig } from '../core/runtime/types';
import type { LambdaDebugProvider } from '../debugging/lambdaDebugProvider';
import type { RouteLine } from '../core/localApi/localCloud';
import { UNTRUSTED_MESSAGE } from '../localHandlers/localRunner';
import type { LocalHandlers } from '../localHandlers/registerLocalHandlers';
import type { OutputLog } from '../output/outputLog';
import { LocalApiSession } from './localApiSession';

export interface StartLocalApiArgs { readonly template?: string; readonly port?: number }

class ApiRootItem extends vscode.TreeItem {
  constructor(session: LocalApiSession) {
    super('Local API', vscode.TreeItemCollapsibleState.Expanded);
    this.description = `${session.url} · ${session.routes.length} route${session.routes.length === 1 ? '' : 's'}`;
    this.iconPath = new vscode.ThemeIcon('radio-tower');
    this.contextValue = 'localApi';
    this.tooltip = `${vscode.workspace.asRelativePath(session.template)} served on ${session.url}`;
  }
}

/** `GET /v2/items/{id}` (a function URL: `ANY /*`), as the view, the pick and the messages name a route. */
export const routeLabel = (line: RouteLine): string => `${line.route.method} ${line.route.kind === 'url' ? '/*' : line.url.replace(/^http:\/\/[^/]+/, '')}`;

export class RouteItem extends vscode.TreeItem {
  constructor(readonly line: RouteLine, debugNext = false) {
    super(routeLabel(line), vscode.TreeItemCollapsibleState.None);
    this.description = `${line.route.functionId} · ${line.route.kind === 'rest' ? 'REST' : line.route.kind === 'http' ? 'HTTP API' : 'function URL'}`;
    this.iconPath = new vscode.ThemeIcon(debugNext ? 'debug-alt' : 'globe');
    if (debugNext) this.description = `${String(this.description)} · next request debugged`;
    this.contextValue = 'localApiRoute';
    this.tooltip = line.text;
  }
}

/** A route's URL with its parameters named in place (`/users/id`), for a browser or curl. */
export const sampleUrl = (line: RouteLine): string => line.url.replace(/\{([^}+]+)\+?\}/g, '$1').replace(/\/\*? \(\$default\)$|\$default$/, '');
/** A curl command for the route; an AWS_IAM function URL's signs with SigV4, with the keys of the shell's environment
 *  (never the keys themselves: the clipboard is not a place for secrets). */
export const curlFor = (line: RouteLine): string => {
  const method = line.route.method === 'ANY' ? 'GET' : line.route.method;
  const sign = line.sigV4Region
    ? ` --aws-sigv4 'aws:amz:${line.sigV4Region}:lambda' --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H "x-amz-security-token: $AWS_SESSION_TOKEN"`
    : '';
  return `curl -i -X ${method}${sign} '${sampleUrl(line)}'`;
};

const SIGNED_CURL_NOTE = 'The command signs with the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) of your shell: '
  + "the local API lets in the keys of the profile it runs with (`eval \"$(aws configure export-credentials --format env)\"` sets them).";

/** Start / Stop Local API, the status-bar item, the routes in the Local Handlers view (Open in Browser, Copy as curl). */
export function registerLocalApi(context: vscode.ExtensionContext, deps: { local: LocalHandlers; log: OutputLog; debug: Pick<LambdaDebugProvider, 'runInDebugger'> }) {
  const { local, log, debug } = deps;
  let session: LocalApiSession | undefined;
  /** Functions whose next request runs in a debug session ("Debug this route"). */
  const debugNext = new Set<string>();
  const debugOverride = (functionId: string, config: FunctionConfig, event: string): Promise<InvokeResult | undefined> | undefined => {
    if (!debugNext.delete(functionId) || !session) return undefined;
    changed.fire();
    const template = session.template;
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(template));
    const target = isServerlessFile(template) ? { handler: join(config.codeDir, config.handler), runtime: config.runtime } : { template, resource: functionId };
    return debug.runInDebugger(folder, { type: 'lambda', request: 'launch', name: `Debug ${functionId} (local API request)`, ...target, event: JSON.parse(event) as Record<string, unknown> });
  };
  const changed = new vscode.EventEmitter<void>();
  const setRunning = async (next: LocalApiSession | undefined): Promise<void> => {
    session = next;
    await vscode.commands.executeCommand('setContext', 'lambdaWorkbench.localApiRunning', next !== undefined);
    changed.fire();
  };
  const stop = async (): Promise<void> => {
    const running = session;
    await setRunning(undefined);
    await running?.stop();
  };

  const pickTemplate = async (): Promise<string | undefined> => {
    await local.index.whenReady();
    // A template handler's group is its template file, relative to the workspace folder it is in.
    const fileOf = (h: (typeof handlers)[number]): string | undefined => h.templateFile
      ?? (() => { const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(h.codeDir)); return folder && vscode.Uri.joinPath(folder.uri, h.group).fsPath; })();
    const handlers = local.index.all().filter((h) => h.origin !== 'scan');
    const files = [...new Set(handlers.map(fileOf).filter((f): f is string => f !== undefined))];
    if (files.length <= 1) return files[0];
    return (await vscode.window.showQuickPick(files.map((f) => ({ label: vscode.workspace.asRelativePath(f), file: f })), { title: 'Start the local API of which template?' }))?.file;
  };

  const routeOf = async (arg: unknown): Promise<RouteLine | undefined> => {
    if (arg instanceof RouteItem) return arg.line;
    if (!session) return undefined;
    const picked = await vscode.window.showQuickPick(session.routes.map((line) => ({ label: routeLabel(line), description: line.route.functionId, detail: sampleUrl(line), line })), { title: `Routes of ${session.url}`, matchOnDetail: true });
    return picked?.line;
  };

  context.subscriptions.push(changed, { dispose: () => void stop() }, local.tree.setSection({
    onDidChange: changed.event,
    roots: () => (session ? [new ApiRootItem(session)] : []),
    children: (item) => (item instanceof ApiRootItem && session ? session.routes.map((line) => new RouteItem(line, debugNext.has(line.route.functionId))) : []),
  }),
  vscode.commands.registerCommand('lambdaWorkbench.startLocalApi', async (arg?: unknown, args: StartLocalApiArgs = {}) => {
    if (!vscode.workspace.isTrusted) return void vscode.window.showErrorMessage(UNTRUSTED_MESSAGE);
    if (session) {
      void vscode.window.showInformationMessage(`The local API is already running on ${session.url}.`, 'Show Routes', 'Stop').then((c) =>
        c && vscode.commands.executeCommand(c === 'Stop' ? 'lambdaWorkbench.stopLocalApi' : 'lambdaWorkbench.showLocalApiRoutes'));
      return session;
    }
    const template = args.template ?? (arg instanceof vscode.Uri ? arg.fsPath : await pickTemplate());
    if (!template) return void vscode.window.showErrorMessage('No template.yaml or serverless.yml found in this workspace: the local API serves the Api, HttpApi and FunctionUrlConfig of one.');
    const port = args.port ?? vscode.workspace.getConfiguration('lambdaWorkbench').get<number>('localApi.port') ?? 3000;
    try {
      const started = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Starting the local API' }, () =>
        LocalApiSession.start(template, local.runner.createLambda('start'), log, port, () => void stop(), debugOverride));
      await setRunning(started);
      started.routesChanged.event(() => changed.fire());
      log.info(`Local API of ${template} on ${started.url} (${started.routes.length} routes)`);
      return started;
    } catch (error) {
      const message = (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
        ? `Port ${port} is in use: set lambdaWorkbench.localApi.port to another port, or stop what uses it.`
        : `The local API did not start: ${error instanceof Error ? error.message : String(error)}`;
      log.error(message);
      void vscode.window.showErrorMessage(message, 'Show Logs').then((c) => c && log.channel.show(true));
      return undefined;
    }
  }),
  vscode.commands.registerCommand('lambdaWorkbench.stopLocalApi', stop),
  vscode.commands.registerCommand('lambdaWorkbench.debugRoute', async (arg?: unknown) => {
    if (!vscode.workspace.isTrusted) return void vscode.window.showErrorMessage(UNTRUSTED_MESSAGE);
    const line = await routeOf(arg);
    if (!line) return;
    debugNext.add(line.route.functionId);
    changed.fire();
    void vscode.window.showInformationMessage(`The next request to ${line.route.functionId} (${routeLabel(line)} or any of its routes) stops at your breakpoints.`);
  }),
  vscode.commands.registerCommand('lambdaWorkbench.showLocalApiRoutes', async () => {
    const line = await routeOf(undefined);
    if (!line) return;
    const choice = await vscode.window.showQuickPick(['Open in Browser', 'Copy as curl'], { title: routeLabel(line) });
    await vscode.commands.executeCommand(choice === 'Open in Browser' ? 'lambdaWorkbench.openRouteInBrowser' : 'lambdaWorkbench.copyRouteAsCurl', new RouteItem(line));
  }),
  vscode.commands.registerCommand('lambdaWorkbench.openRouteInBrowser', async (arg?: unknown) => {
    const line = await routeOf(arg);
    if (!line) return false;
    if (line.sigV4Region) {
      // A browser sends no SigV4 signature: the page would be Lambda's 403.
      void vscode.window.showWarningMessage(`${line.route.functionId}'s URL uses AuthType AWS_IAM: a browser cannot sign its requests. Copy it as curl instead (the command signs them).`, 'Copy as curl')
        .then((choice) => (choice ? vscode.commands.executeCommand('lambdaWorkbench.copyRouteAsCurl', new RouteItem(line)) : undefined));
      return false;
    }
    return vscode.env.openExternal(vscode.Uri.parse(sampleUrl(line)));
  }),
  vscode.commands.registerCommand('lambdaWorkbench.copyRouteAsCurl', async (arg?: unknown) => {
    const line = await routeOf(arg);
    if (!line) return undefined;
    await vscode.env.clipboard.writeText(curlFor(line));
    if (line.sigV4Region) void vscode.window.showInformationMessage(SIGNED_CURL_NOTE);
    return curlFor(line);
  }));
  return { get session() { return session; } };
}
