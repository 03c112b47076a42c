import { readFile } from 'node:fs/promises';
import { sep } from 'node:path';
import { prettyJson } from '../core/json/prettyJson';
import * as vscode from 'vscode';
import { consoleUrl } from '../core/aws/awsContext';
import { AwsProblemError } from '../core/aws/awsErrors';
import { downloadFolder, extractZip, zipConflicts } from '../core/aws/codeZip';
import { deployRequest, packageFunction } from '../core/aws/deployPackage';
import { deleteFunction, deployFunction, downloadCode, getFunction, invokeFunction, RoleRequiredError, type InvocationType, type RemoteInvokeResult } from '../core/aws/lambdaFunctions';
import type { EventCatalog } from '../core/events/catalog';
import { generateEvent } from '../core/events/generate';
import { parseJson } from '../core/json/parseJson';
import type { LocalHandlers } from '../localHandlers/registerLocalHandlers';
import type { OutputLog } from '../output/outputLog';
import { AwsSession } from './awsSession';
import { InvokePayloads, payloadsFolder } from './invokePayloads';
import { pickExecutionRole } from './executionRolePick';
import { askLocalEnvironment } from './longWork';
import { cancellable } from '../ui/cancellable';
import { DetailItem, FunctionItem, FunctionsTree } from './functionsTree';

/** Arguments a caller may give up front (tests, other commands); each skips its prompt. */
export interface RemoteInvokeArgs { readonly event?: string; readonly type?: InvocationType }
export interface DeployArgs { readonly handler?: unknown; readonly name?: string; readonly role?: string; readonly region?: string; readonly includeLocalEnvironment?: boolean }
export interface DownloadArgs { readonly folder?: string; readonly overwrite?: boolean }

export interface Functions {
  readonly session: AwsSession;
  readonly tree: FunctionsTree;
  readonly view: vscode.TreeView<unknown>;
}

function problemMessage(error: unknown): string {
  return error instanceof AwsProblemError ? error.problem.message : error instanceof Error ? error.message : String(error);
}

/** The Functions view (deployed functions) and its commands: invoke, deploy, download, copy, console, delete. */
export function registerFunctions(context: vscode.ExtensionContext, deps: { log: OutputLog; catalog: EventCatalog; local: LocalHandlers }): Functions {
  const { log, catalog, local } = deps;
  const session = new AwsSession(context.workspaceState, log);
  // Local runs get the session profile's credentials from the provider its clients use: resolved on first use (no
  // network at activation), refreshed before they expire, resolved afresh when the profile or AWS settings change.
  local.runner.useCredentials(() => session.runCredentials());
  const payloads = new InvokePayloads(payloadsFolder(context.globalStorageUri));
  const tree = new FunctionsTree(session);
  const view = vscode.window.createTreeView('lambdaWorkbench.functions', { treeDataProvider: tree, showCollapseAll: true });
  const fail = async (action: string, error: unknown): Promise<undefined> => {
    const problem = error instanceof AwsProblemError ? error.problem : undefined;
    log.error(`${action}: ${problemMessage(error)}`);
    const choice = await vscode.window.showErrorMessage(problemMessage(error), ...(problem?.command ? [`Copy "${problem.command}"`] : []), 'Show Logs');
    if (choice === 'Show Logs') log.channel.show(true);
    else if (choice && problem?.command) await vscode.env.clipboard.writeText(problem.command);
    return undefined;
  };
  const pickFunction = async (arg: unknown): Promise<FunctionItem | undefined> => {
    await session.ready();
    if (arg instanceof FunctionItem) return arg;
    if (arg instanceof DetailItem) return arg.fnItem;
    const name = typeof arg === 'string' ? arg : undefined;
    const loaded = session.regions.flatMap((r) => tree.loaded(r).map((fn) => new FunctionItem(r, fn)));
    if (name) {
      const found = loaded.find((i) => i.fn.name === name);
      if (found) return found;
      try {
        // Not loaded in the view yet (a large account): ask Lambda for it directly.
        return new FunctionItem(session.currentRegion, (await getFunction(session.lambda(), name, { profile: session.profile })).summary);
      } catch (error) {
        return fail(`Find ${name}`, error);
      }
    }
    const picked = await vscode.window.showQuickPick(loaded.map((i) => ({ label: i.fn.name, description: `${i.region} · ${i.fn.runtime ?? ''}`, i })), { title: 'Which function?' });
    return picked?.i;
  };

  const invoke = async (arg: unknown, args: RemoteInvokeArgs = {}): Promise<RemoteInvokeResult | undefined> => {
    const item = await pickFunction(arg);
    if (!item) return undefined;
    const type = args.type ?? (await vscode.window.showQuickPick([
      { label: 'RequestResponse', description: 'wait for the result and the log tail' }, { label: 'Event', description: 'asynchronous: queue it and return' },
      { label: 'DryRun', description: 'check permissions only' }], { title: `Invoke ${item.fn.name}: invocation type` }))?.label as InvocationType | undefined;
    if (!type) return undefined;
    let payload = args.event;
    if (payload === undefined) {
      const last = await payloads.last(item.fn.name);
      const source = await vscode.window.showQuickPick([
        { label: '$(edit) Edit the payload…', description: last ? 'the last one used, in an editor; Invoke from its title bar' : 'in an editor; Invoke from its title bar', id: 'edit' },
        ...(last ? [{ label: '$(history) The last payload', description: last.replace(/\s+/g, ' ').slice(0, 60), id: 'last' }] : []),
        { label: '{}', id: 'empty' }, { label: 'A sample from the catalog…', id: 'catalog' }, { label: 'A JSON file…', id: 'file' }], { title: `Invoke ${item.fn.name}: event` });
      if (!source) return undefined;
      if (source.id === 'edit') {
        await payloads.edit(item.fn.name);
        return undefined;
      }
      if (source.id === 'last') payload = last!;
      else if (source.id === 'empty') payload = '{}';
      else if (source.id === 'file') {
        const file = await vscode.window.showOpenDialog({ filters: { JSON: ['json'] } });
        if (!file?.[0]) return undefined;
        payload = await readFile(file[0].fsPath, 'utf8');
      } else {
        const sample = await vscode.window.showQuickPick(catalog.list().flatMap((s) => Object.keys(s.types).map((t) => ({ label: `${s.id}/${t}`, source: s.id, type: t }))), { title: 'Sample event' });
        if (!sample) return undefined;
        payload = JSON.stringify(generateEvent(catalog, sample.source, sample.type));
      }
    }
    try {
      parseJson(payload, 'the event');
    } catch (error) {
      void vscode.window.showErrorMessage(problemMessage(error));
      return undefined;
    }
    await payloads.remember(item.fn.name, payload);
    try {
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Invoking ${item.fn.name} (${type})`, cancellable: true },
        (_p, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          return invokeFunction(session.lambda(item.region), item.fn.name, payload!, { type, signal: controller.signal, profile: session.profile });
        });
      const uri = local.docs.uriFor(`${item.fn.name}`, 'remote');
      await local.docs.open(uri, [
        `# Invoke ${item.fn.name} (${item.region}) · ${type} · status ${result.statusCode ?? '?'}${result.functionError ? ` · function error: ${result.functionError}` : ''}`,
        result.payload ? prettyJson(result.payload) : '(no payload)', '', ...(result.logTail ? ['# Log tail (last 4 KB)', result.logTail] : []), '',
      ].join('\n'), false);
      return result;
    } catch (error) {
      return fail(`Invoke ${item.fn.name}`, error);
    }
  };

  context.subscriptions.push(session, tree, view,
    vscode.commands.registerCommand('lambdaWorkbench.refreshFunctions', async () => { await session.reload(); tree.refresh(); }),
    vscode.commands.registerCommand('lambdaWorkbench.filterFunctions', async (text?: string) => {
      const value = text ?? await vscode.window.showInputBox({ title: 'Filter functions by name', value: tree.filter, prompt: 'Part of a name; empty clears the filter' });
      if (value === undefined) return;
      tree.setFilter(value);
      view.description = value ? `filter: ${value}` : undefined;
    }),
    vscode.commands.registerCommand('lambdaWorkbench.loadMoreFunctions', (region: string) => tree.loadMore(region)),
    vscode.commands.registerCommand('lambdaWorkbench.selectProfile', (name?: string) => session.selectProfile(name)),
    vscode.commands.registerCommand('lambdaWorkbench.selectRegion', (region?: string) => session.selectRegion(region)),
    vscode.commands.registerCommand('lambdaWorkbench.invokeFunction', invoke),
    vscode.commands.registerCommand('lambdaWorkbench.editInvokePayload', async (arg: unknown) => {
      const item = await pickFunction(arg);
      return item ? payloads.edit(item.fn.name) : undefined;
    }),
    // The payload editor's title-bar action: invoke its function with the text as it is (unsaved edits too).
    vscode.commands.registerCommand('lambdaWorkbench.invokeFromPayload', async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      const name = target && payloads.functionOf(target);
      if (!name) return undefined;
      return invoke(name, { event: await payloads.read(target), type: 'RequestResponse' });
    }),
    vscode.commands.registerCommand('lambdaWorkbench.copyFunctionArn', async (arg: unknown) => {
      const item = await pickFunction(arg);
      if (item) await vscode.env.clipboard.writeText(item.fn.arn);
    }),
    vscode.commands.registerCommand('lambdaWorkbench.copyFunctionName', async (arg: unknown) => {
      const item = await pickFunction(arg);
      if (item) await vscode.env.clipboard.writeText(item.fn.name);
    }),
    vscode.commands.registerCommand('lambdaWorkbench.openFunctionInConsole', async (arg: unknown) => {
      const item = await pickFunction(arg);
      if (item) await vscode.env.openExternal(vscode.Uri.parse(consoleUrl(item.region, item.fn.name)));
    }),
    vscode.commands.registerCommand('lambdaWorkbench.revealEnvironmentValue', (item: DetailItem) => {
      if (item?.variable) tree.reveal(`${item.fnItem.id}:${item.variable}`);
    }),
    vscode.commands.registerCommand('lambdaWorkbench.deleteFunction', async (arg: unknown) => {
      const item = await pickFunction(arg);
      if (!item) return false;
      const answer = await vscode.window.showWarningMessage(`Delete the function ${item.fn.name} in ${item.region}? Its code and configuration are removed from AWS; this cannot be undone.`, { modal: true }, `Delete ${item.fn.name}`);
      if (answer !== `Delete ${item.fn.name}`) return false;
      try {
        await deleteFunction(session.lambda(item.region), item.fn.name, { profile: session.profile });
        log.info(`Deleted ${item.fn.name} (${item.region})`);
        tree.refresh();
        return true;
      } catch (error) {
        await fail(`Delete ${item.fn.name}`, error);
        return false;
      }
    }),
    vscode.commands.registerCommand('lambdaWorkbench.downloadFunction', async (arg: unknown, args: DownloadArgs = {}) => {
      const item = await pickFunction(arg);
      if (!item) return undefined;
      const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      const folder = args.folder ?? (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Download here', defaultUri: root ? vscode.Uri.file(root) : undefined }))?.[0]?.fsPath;
      if (!folder) return undefined;
      let target: string;
      try {
        target = downloadFolder(folder, item.fn.name);
      } catch (error) {
        return fail(`Download ${item.fn.name}`, error);
      }
      try {
        const zip = await cancellable(`Downloading ${item.fn.name}`, (signal) => downloadCode(session.lambda(item.region), item.fn.name, { profile: session.profile, signal }));
        if (!zip) return undefined;
        const conflicts = await zipConflicts(zip, target);
        let overwrite = args.overwrite ?? false;
        if (conflicts.length && !overwrite) {
          overwrite = (await vscode.window.showWarningMessage(`${conflicts.length} file(s) of ${item.fn.name} already exist in ${target}. Replace them?`, { modal: true }, 'Replace')) === 'Replace';
          if (!overwrite) return undefined;
        }
        const written = await cancellable(`Unpacking ${item.fn.name}`, (signal) => extractZip(zip, target, { overwrite, signal }));
        if (!written) return undefined;
        log.info(`Downloaded ${item.fn.name} into ${target} (${written.length} files)`);
        void vscode.window.showInformationMessage(`Downloaded ${item.fn.name} (${written.length} files) into ${target}.`, 'Reveal in Explorer').then((next) =>
          next && vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(target)));
        return target;
      } catch (error) {
        return fail(`Download ${item.fn.name}`, error);
      }
    }),
    vscode.commands.registerCommand('lambdaWorkbench.deployFunction', async (arg?: unknown, args: DeployArgs = {}) => {
      // From the Explorer: a folder deploys the handler found in it (asking when there are several).
      let target: unknown = args.handler ?? arg;
      if (target instanceof vscode.Uri) {
        const folder = target.fsPath;
        await local.index.whenReady();
        const within = (path: string | undefined): boolean => path !== undefined && (path === folder || path.startsWith(folder + sep)); // sep: Explorer paths on Windows use \\
        const inside = local.index.all().filter((h) => within(h.codeDir) || within(h.file));
        if (inside.length === 0) {
          void vscode.window.showErrorMessage(`No Lambda handler found in ${vscode.workspace.asRelativePath(folder)}: add a template.yaml, or a file exporting a handler.`);
          return undefined;
        }
        target = inside.length === 1 ? inside[0].id
          : (await vscode.window.showQuickPick(inside.map((h) => ({ label: h.name, description: h.runtime, id: h.id })), { title: 'Deploy which handler?' }))?.id;
        if (!target) return undefined;
      }
      const handler = await local.resolveHandler(target);
      if (!handler) return undefined;
      let config;
      try {
        config = await local.runner.configFor(handler);
      } catch (error) {
        return fail(`Deploy ${handler.name}`, error);
      }
      const name = args.name ?? await vscode.window.showInputBox({ title: `Deploy ${handler.name}: function name`, value: config.name, validateInput: (v) => (/^[A-Za-z0-9_-]{1,64}$/.test(v) ? undefined : "Up to 64 letters, digits, '-' or '_'") });
      if (!name) return undefined;
      await session.ready();
      const region = args.region ?? session.currentRegion;
      const includeLocal = args.includeLocalEnvironment ?? await askLocalEnvironment(name, config.localEnvironment ?? {});
      if (includeLocal === undefined) return undefined;
      try {
        const pkg = await cancellable(`Packaging ${handler.name}`, (signal) => packageFunction(config, { signal }));
        if (!pkg) return undefined;
        const { request, notice } = deployRequest(config, pkg, name, includeLocal);
        const run = (role?: string, roleIsNew = false) => cancellable(`Deploying ${name} to ${region}`, (signal, progress) =>
          deployFunction(session.lambda(region), { ...request, role }, { profile: session.profile, signal, roleIsNew, onStep: (step) => progress.report({ message: step }) }));
        let summary;
        try {
          summary = await run(args.role);
        } catch (error) {
          if (!(error instanceof RoleRequiredError)) throw error;
          // A new function: its execution role, picked from the account's roles or created (the console's default).
          const role = await pickExecutionRole(session.iam(region), { functionName: name, region, profile: session.profile }, log);
          if (!role) return undefined;
          summary = await run(role.arn, role.isNew);
        }
        if (!summary) return undefined;
        if (notice && summary.created) log.info(notice);
        log.info(`Deployed ${name} to ${region}${pkg.note ? ` (${pkg.note})` : ''}${summary.changed.length ? `; updated ${summary.changed.join(', ')}` : ''}`);
        tree.refresh();
        // The next thing a user does after a deploy, one click away.
        void vscode.window.showInformationMessage(`Deployed ${name} to ${region}.${notice && summary.created ? ` ${notice}` : ''}`, 'Invoke', 'Tail Logs', 'Show in View').then(async (next) => {
          if (next === 'Invoke') await vscode.commands.executeCommand('lambdaWorkbench.invokeFunction', name);
          else if (next === 'Tail Logs') await vscode.commands.executeCommand('lambdaWorkbench.tailLogGroup', summary.logGroup, { mode: 'polling' });
          else if (next === 'Show in View') {
            await vscode.commands.executeCommand('lambdaWorkbench.filterFunctions', name);
            await vscode.commands.executeCommand('lambdaWorkbench.functions.focus');
          }
        });
        return summary;
      } catch (error) {
        return fail(`Deploy ${name}`, error);
      }
    }),
  );
  return { session, tree, view: view as vscode.TreeView<unknown> };
}
