import * as vscode from 'vscode';
import { CatalogError, COMMON_PARAMS, EventCatalog } from '../core/events/catalog';
import { generateEvent, paramLine, parseParamLine, type ParamValues } from '../core/events/generate';
import type { DiscoveredHandler } from '../core/project/handlerDiscovery';
import { EventExistsError, saveEvent, validateEventName } from '../core/events/savedEvents';
import type { OutputLog } from '../output/outputLog';

export interface GenerateEventArgs {
  readonly source?: string;
  readonly type?: string;
  /** Parameter values; given means "no parameter prompts". */
  readonly params?: ParamValues;
  /** `editor` opens an untitled JSON document; otherwise saves into `<codeDir>/events/` as `name`. */
  readonly destination?: 'editor' | { readonly codeDir: string; readonly name: string; readonly functionName?: string };
}

/** "Lambda: Generate Sample Event": source → type → parameters → a new JSON editor or a saved event. Resolves to
 *  the document's URI (untitled or the saved file), or undefined when cancelled. */
export function registerGenerateSampleEvent(context: vscode.ExtensionContext, log: OutputLog, catalog: EventCatalog, handlers: () => Promise<readonly DiscoveredHandler[]>): void {
  context.subscriptions.push(vscode.commands.registerCommand('lambdaWorkbench.generateSampleEvent', async (args?: GenerateEventArgs) => {
    try {
      return await generate(args ?? {}, catalog, handlers);
    } catch (error) {
      if (error instanceof CatalogError) void vscode.window.showErrorMessage(error.message);
      else log.showError(`Could not generate the event: ${error instanceof Error ? error.message : String(error)}`, error);
      return undefined;
    }
  }));
}

async function generate(args: GenerateEventArgs, catalog: EventCatalog, handlers: () => Promise<readonly DiscoveredHandler[]>): Promise<vscode.Uri | undefined> {
  const source = args.source ?? (await vscode.window.showQuickPick(catalog.list().map((s) => ({ label: s.title, description: s.id, detail: Object.keys(s.types).join(' · '), id: s.id })), {
    title: 'Generate Sample Event (1/3): source', placeHolder: 'Which service sends the event?', matchOnDescription: true, matchOnDetail: true,
  }))?.id;
  if (!source) return undefined;
  const types = catalog.source(source).types;
  const type = args.type ?? (await vscode.window.showQuickPick(Object.entries(types).map(([id, t]) => ({ label: id, detail: t.description, id })), {
    title: `Generate Sample Event (2/3): ${source} event type`,
  }))?.id;
  if (!type) return undefined;
  const params = args.params ?? (await askParams(catalog, source, type));
  if (!params) return undefined;
  const event = generateEvent(catalog, source, type, params);
  const destination = args.destination ?? (await askDestination(source, type, handlers));
  if (!destination) return undefined;
  if (destination === 'editor') {
    const document = await vscode.workspace.openTextDocument({ language: 'json', content: `${JSON.stringify(event, null, 2)}\n` });
    await vscode.window.showTextDocument(document);
    return document.uri;
  }
  let file: string;
  try {
    file = saveEvent(destination.codeDir, destination.name, event, { functionName: destination.functionName });
  } catch (error) {
    if (!(error instanceof EventExistsError)) throw error;
    const choice = await vscode.window.showWarningMessage(`${error.message} Replace it?`, { modal: true }, 'Replace');
    if (choice !== 'Replace') return undefined;
    file = saveEvent(destination.codeDir, destination.name, event, { functionName: destination.functionName, overwrite: true });
  }
  const uri = vscode.Uri.file(file);
  await vscode.window.showTextDocument(uri);
  return uri;
}

async function askParams(catalog: EventCatalog, source: string, type: string): Promise<ParamValues | undefined> {
  const declared = { ...catalog.type(source, type).params, ...COMMON_PARAMS };
  // Every parameter in one line, prefilled with the defaults: Enter keeps them, or edit what matters.
  const line = await vscode.window.showInputBox({
    title: `Generate Sample Event (3/3): ${source} ${type} parameters`, value: paramLine(declared),
    prompt: Object.entries(declared).map(([k, p]) => `${k}: ${p.description ?? ''}`).join(' · '),
    validateInput: (text) => { const parsed = parseParamLine(text, declared); return 'error' in parsed ? parsed.error : undefined; },
  });
  if (line === undefined) return undefined;
  const parsed = parseParamLine(line, declared);
  return 'values' in parsed ? parsed.values : undefined;
}

async function askDestination(source: string, type: string, handlers: () => Promise<readonly DiscoveredHandler[]>): Promise<GenerateEventArgs['destination']> {
  // The workspace's handlers by name (saved as that handler's own event), then a new editor or any folder.
  const items: (vscode.QuickPickItem & { handler?: DiscoveredHandler; id?: 'editor' | 'folder' })[] = [
    { label: '$(new-file) Open in a new editor', id: 'editor' },
    { label: 'Save as an event of', kind: vscode.QuickPickItemKind.Separator },
    ...(await handlers()).map((h) => ({ label: `$(symbol-function) ${h.name}`, description: `${h.runtime ?? ''} · ${vscode.workspace.asRelativePath(h.codeDir)}`, handler: h })),
    { label: '$(folder) Another folder…', id: 'folder' },
  ];
  const choice = await vscode.window.showQuickPick(items, { title: 'Where should the event go?', matchOnDescription: true });
  if (!choice) return undefined;
  if (choice.id === 'editor') return 'editor';
  let codeDir = choice.handler?.codeDir;
  if (!codeDir) {
    const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Save the event for this folder', defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
    codeDir = folder?.[0]?.fsPath;
  }
  if (!codeDir) return undefined;
  const name = await vscode.window.showInputBox({ title: 'Event name', value: `${source}-${type}`, validateInput: validateEventName });
  return name ? { codeDir, name, functionName: choice.handler?.name } : undefined;
}
