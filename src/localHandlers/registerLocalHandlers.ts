import * as vscode from 'vscode';
import type { EventCatalog } from '../core/events/catalog';
import { listSavedEvents, SAVED_EVENTS_FOLDER } from '../core/events/savedEvents';
import type { DiscoveredHandler } from '../core/project/handlerDiscovery';
import type { OutputLog } from '../output/outputLog';
import { EventChoices, pickEvent } from './eventChoice';
import { HandlerCodeLens } from './handlerCodeLens';
import { HandlerIndex } from './handlerIndex';
import { LocalHandlersTree, HandlerItem } from './localHandlersTree';
import { LocalRunner } from './localRunner';
import { RunDocuments } from './runDocuments';

export interface LocalHandlers {
  readonly index: HandlerIndex;
  readonly choices: EventChoices;
  readonly runner: LocalRunner;
  readonly docs: RunDocuments;
  readonly view: vscode.TreeView<unknown>;
  resolveHandler(arg: unknown): Promise<DiscoveredHandler | undefined>;
}

/** The Local Handlers view, its CodeLens and its commands (Run, Choose Event, Open Handler, Open Saved Events). */
export function registerLocalHandlers(context: vscode.ExtensionContext, log: OutputLog, catalog: EventCatalog): LocalHandlers {
  const index = new HandlerIndex(log);
  const choices = new EventChoices(context.workspaceState, catalog);
  const docs = RunDocuments.register(context);
  const runner = new LocalRunner(index, choices, docs, log);
  const tree = new LocalHandlersTree(index, choices);
  const view = vscode.window.createTreeView('lambdaWorkbench.localHandlers', { treeDataProvider: tree, showCollapseAll: true });
  const codeLens = new HandlerCodeLens(index, choices);

  const resolveHandler = async (arg: unknown): Promise<DiscoveredHandler | undefined> => {
    await index.whenReady();
    if (arg instanceof HandlerItem) return arg.handler;
    const id = typeof arg === 'string' ? arg : (arg as { id?: string } | undefined)?.id;
    if (id) {
      const found = index.find(id);
      if (!found) void vscode.window.showErrorMessage(`No handler '${id}' in this workspace (it may have been renamed or removed).`);
      return found;
    }
    const file = vscode.window.activeTextEditor?.document.uri.fsPath;
    const inEditor = file ? index.inFile(file) : [];
    if (inEditor.length === 1) return inEditor[0];
    const candidates = inEditor.length ? inEditor : [...index.all()];
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage('No Lambda handlers found in this workspace. Create one with "Lambda: New Handler".');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(candidates.map((h) => ({ label: h.name, description: h.runtime, detail: h.group, h })), { title: 'Which handler?' });
    return picked?.h;
  };

  context.subscriptions.push(index, choices, runner, tree, view,
    vscode.languages.registerCodeLensProvider([{ scheme: 'file', language: 'python' }, { scheme: 'file', language: 'javascript' }, { scheme: 'file', language: 'typescript' }], codeLens),
    codeLens,
    vscode.commands.registerCommand('lambdaWorkbench.refreshLocalHandlers', () => index.refresh()),
    vscode.commands.registerCommand('lambdaWorkbench.runHandler', async (arg?: unknown) => {
      const handler = await resolveHandler(arg);
      if (!handler) return undefined;
      return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Running ${handler.name}`, cancellable: false },
        () => runner.run(handler));
    }),
    vscode.commands.registerCommand('lambdaWorkbench.chooseEvent', async (arg?: unknown, choice?: Parameters<EventChoices['set']>[1]) => {
      const handler = await resolveHandler(arg);
      if (!handler) return undefined;
      const picked = choice ?? await pickEvent(handler, catalog);
      if (picked) await choices.set(handler, picked);
      return picked;
    }),
    vscode.commands.registerCommand('lambdaWorkbench.openHandler', async (arg?: unknown) => {
      const handler = await resolveHandler(arg);
      if (!handler?.file) return;
      const position = new vscode.Position(handler.line ?? 0, 0);
      await vscode.window.showTextDocument(vscode.Uri.file(handler.file), { selection: new vscode.Range(position, position), preview: false });
    }),
    vscode.commands.registerCommand('lambdaWorkbench.openSavedEvents', async (arg?: unknown) => {
      const handler = await resolveHandler(arg);
      if (!handler) return;
      const saved = listSavedEvents(handler.codeDir, handler.name);
      if (saved.length === 0) {
        const create = await vscode.window.showInformationMessage(`${handler.name} has no saved events yet (they live in ${vscode.workspace.asRelativePath(handler.codeDir)}/${SAVED_EVENTS_FOLDER}/).`, 'New from a sample…');
        if (create) await vscode.commands.executeCommand('lambdaWorkbench.chooseEvent', handler.id);
        return;
      }
      const picked = saved.length === 1 ? saved[0] : (await vscode.window.showQuickPick(saved.map((e) => ({ label: e.name, description: vscode.workspace.asRelativePath(e.file), e })), { title: `Saved events of ${handler.name}` }))?.e;
      if (picked) await vscode.window.showTextDocument(vscode.Uri.file(picked.file), { preview: false });
    }),
    vscode.commands.registerCommand('lambdaWorkbench.showLastRun', async () => {
      const uri = runner.lastRunDocument;
      if (uri) await vscode.window.showTextDocument(uri, { preview: false });
    }),
  );
  return { index, choices, runner, docs, view: view as vscode.TreeView<unknown>, resolveHandler };
}
