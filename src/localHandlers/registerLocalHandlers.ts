import * as vscode from 'vscode';
import type { EventCatalog } from '../core/events/catalog';
import { listSavedEvents, SAVED_EVENTS_FOLDER } from '../core/events/savedEvents';
import type { DiscoveredHandler } from '../core/project/handlerDiscovery';
import type { OutputLog } from '../output/outputLog';
import { EventChoices, pickEvent } from './eventChoice';
import { HandlerCodeLens } from './handlerCodeLens';
import { HandlerIndex } from './handlerIndex';
import { LocalHandlersTree, HandlerItem } from './localHandlersTree';
import { LocalRunner, type ActiveRun } from './localRunner';
import { RunDocuments } from './runDocuments';

export interface LocalHandlers {
  readonly index: HandlerIndex;
  readonly choices: EventChoices;
  readonly runner: LocalRunner;
  readonly docs: RunDocuments;
  readonly view: vscode.TreeView<unknown>;
  readonly tree: LocalHandlersTree;
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
    // A run document's title-bar actions (Re-run, Change Event, Debug, History) pass the document.
    const id = arg instanceof vscode.Uri ? runner.history.ownerOf(arg) : typeof arg === 'string' ? arg : (arg as { id?: string } | undefined)?.id;
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
      const controller = new AbortController();
      const running = runner.run(handler, { signal: controller.signal });
      // A quick run shows only in the status bar; one still going after a second gets a notification with Cancel.
      const notify = setTimeout(() => void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Running ${handler.name} locally`, cancellable: true },
        (_progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          return running;
        }), 1000);
      try {
        return await running;
      } finally {
        clearTimeout(notify);
      }
    }),
    vscode.commands.registerCommand('lambdaWorkbench.stopRun', async (arg?: unknown) => stopRuns(runner, arg)),
    runner.onDidChangeRuns(() => {
      void vscode.commands.executeCommand('setContext', 'lambdaWorkbench.runActive', runner.active.length > 0);
      void vscode.commands.executeCommand('setContext', 'lambdaWorkbench.runningDocuments', runner.active.map((r) => r.document.toString()));
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
    vscode.commands.registerCommand('lambdaWorkbench.showRunHistory', async (arg?: unknown, pick?: number) => {
      const handler = await resolveHandler(arg ?? vscode.window.activeTextEditor?.document.uri);
      if (!handler) return undefined;
      const runs = runner.history.of(handler.id);
      if (runs.length === 0) {
        void vscode.window.showInformationMessage(`${handler.name} has not run yet in this window.`);
        return undefined;
      }
      const chosen = pick !== undefined ? runs.find((r) => r.number === pick)
        : (await vscode.window.showQuickPick(runs.map((r) => ({ label: `#${r.number}  ${r.finishedAt.toLocaleTimeString()}`, description: r.summary, r })), { title: `Runs of ${handler.name}, newest first` }))?.r;
      if (chosen) await vscode.window.showTextDocument(chosen.document, { preview: true });
      return chosen?.document;
    }),
    vscode.commands.registerCommand('lambdaWorkbench.showLastRun', async () => {
      const uri = runner.lastRunDocument;
      if (uri) await vscode.window.showTextDocument(uri, { preview: false });
    }),
  );
  return { index, choices, runner, docs, view: view as vscode.TreeView<unknown>, tree, resolveHandler };
}

/** Stops the run shown in a document (its editor's Stop button), or the one in progress (asking when several are).
 *  Returns how many were stopped. */
async function stopRuns(runner: LocalRunner, arg: unknown): Promise<number> {
  const runs = runner.active;
  let chosen: readonly ActiveRun[] = arg instanceof vscode.Uri ? runs.filter((r) => r.document.toString() === arg.toString()) : runs;
  if (chosen.length === 0) {
    void vscode.window.showInformationMessage('No local run is in progress.');
    return 0;
  }
  if (chosen.length > 1) {
    const picked = await vscode.window.showQuickPick([{ label: 'Stop all runs', runs: chosen }, ...chosen.map((r) => ({ label: r.handler.name, description: `running for ${((Date.now() - r.startedAt) / 1000).toFixed(0)} s`, runs: [r] }))], { title: 'Stop which run?' });
    if (!picked) return 0;
    chosen = picked.runs;
  }
  for (const r of chosen) r.stop();
  return chosen.length;
}
