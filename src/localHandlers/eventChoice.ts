import * as vscode from 'vscode';
import { EventCatalog } from '../core/events/catalog';
import { generateEvent } from '../core/events/generate';
import { EventExistsError, listSavedEvents, readSavedEvent, saveEvent, validateEventName } from '../core/events/savedEvents';
import type { DiscoveredHandler } from '../core/project/handlerDiscovery';

/** The event a handler runs with: a saved event, a file, a catalog sample, or the empty event. */
export type EventChoice =
  | { readonly kind: 'saved' | 'file'; readonly label: string; readonly file: string }
  | { readonly kind: 'catalog'; readonly label: string; readonly source: string; readonly type: string }
  | { readonly kind: 'empty'; readonly label: string };

const EMPTY: EventChoice = { kind: 'empty', label: '{}' };

/** Remembers each handler's chosen event per workspace (workspaceState), defaulting to its first saved event. */
export class EventChoices {
  private readonly changed = new vscode.EventEmitter<string>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento, private readonly catalog: EventCatalog) {}

  get(handler: DiscoveredHandler): EventChoice {
    const stored = this.state.get<EventChoice>(`event:${handler.id}`);
    if (stored) return stored;
    const [first] = listSavedEvents(handler.codeDir, handler.name);
    return first ? { kind: 'saved', label: first.name, file: first.file } : EMPTY;
  }

  async set(handler: DiscoveredHandler, choice: EventChoice): Promise<void> {
    await this.state.update(`event:${handler.id}`, choice);
    this.changed.fire(handler.id);
  }

  /** The event's JSON text; a malformed saved event throws JsonSyntaxError (file:line:column), untouched. */
  read(choice: EventChoice): string {
    switch (choice.kind) {
      case 'saved':
      case 'file': return readSavedEvent(choice.file).text;
      case 'catalog': return JSON.stringify(generateEvent(this.catalog, choice.source, choice.type));
      default: return '{}';
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

type Pick = vscode.QuickPickItem & { choice?: EventChoice; action?: 'file' | 'catalog' | 'new' };

/** "Choose Event": saved events, a file, a catalog sample, or a new saved event from a sample. */
export async function pickEvent(handler: DiscoveredHandler, catalog: EventCatalog): Promise<EventChoice | undefined> {
  const saved = listSavedEvents(handler.codeDir, handler.name);
  const items: Pick[] = [
    ...(saved.length ? [{ label: 'Saved events', kind: vscode.QuickPickItemKind.Separator } as Pick] : []),
    ...saved.map((e) => ({ label: `$(file) ${e.name}`, description: vscode.workspace.asRelativePath(e.file), choice: { kind: 'saved', label: e.name, file: e.file } as EventChoice })),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(add) New saved event from a sample…', action: 'new' },
    { label: '$(library) A sample from the catalog…', action: 'catalog' },
    { label: '$(folder-opened) A JSON file…', action: 'file' },
    { label: '$(circle-slash) The empty event {}', choice: EMPTY },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `Event for ${handler.name}`, placeHolder: 'Which event should Run and Debug send?' });
  if (!picked) return undefined;
  if (picked.choice) return picked.choice;
  if (picked.action === 'file') {
    const file = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { JSON: ['json'] }, defaultUri: vscode.Uri.file(handler.codeDir) });
    return file?.[0] ? { kind: 'file', label: vscode.workspace.asRelativePath(file[0]), file: file[0].fsPath } : undefined;
  }
  const sample = await pickSample(catalog);
  if (!sample) return undefined;
  if (picked.action === 'catalog') return { kind: 'catalog', label: `${sample.source}/${sample.type}`, ...sample };
  const name = await vscode.window.showInputBox({ title: 'Name of the new saved event', value: `${sample.source}-${sample.type}`, validateInput: validateEventName });
  if (!name) return undefined;
  let file: string;
  try {
    file = saveEvent(handler.codeDir, name, generateEvent(catalog, sample.source, sample.type));
  } catch (error) {
    if (!(error instanceof EventExistsError)) throw error;
    if ((await vscode.window.showWarningMessage(`${error.message} Replace it?`, { modal: true }, 'Replace')) !== 'Replace') return undefined;
    file = saveEvent(handler.codeDir, name, generateEvent(catalog, sample.source, sample.type), { overwrite: true });
  }
  await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
  return { kind: 'saved', label: name, file };
}

async function pickSample(catalog: EventCatalog): Promise<{ source: string; type: string } | undefined> {
  const items = catalog.list().flatMap((s) => Object.entries(s.types).map(([type, t]) => ({ label: `${s.id}/${type}`, description: s.title, detail: t.description, source: s.id, type })));
  const picked = await vscode.window.showQuickPick(items, { title: 'Sample event', matchOnDescription: true, matchOnDetail: true });
  return picked ? { source: picked.source, type: picked.type } : undefined;
}
