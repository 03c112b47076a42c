import * as vscode from 'vscode';

export const RUN_SCHEME = 'lambda-run';

/**
 * Read-only documents that show a run: the log lines as they stream (START … REPORT) and then the result. Each
 * handler has one document (`lambda-run:/<name>.lambda-log`), so a re-run replaces its text; the `.lambda-log`
 * extension gives it the `lambda-log` language and its grammar, so colouring needs no webview.
 */
/** A streamed response chunk as a run document shows it, on its own line between the log lines (NUL bytes, as
 *  in an HTTP prelude's delimiter, shown as \0). */
export function chunkLine(chunk: Buffer, index?: number): string {
  return `# ▸ chunk${index === undefined ? '' : ` ${index}`} (${chunk.length} B): ${chunk.toString('utf8').replace(/\0/g, '\\0')}\n`;
}

export class RunDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly pending = new Set<string>();
  private flushTimer?: NodeJS.Timeout;

  static register(context: vscode.ExtensionContext): RunDocuments {
    const docs = new RunDocuments();
    context.subscriptions.push(docs, vscode.workspace.registerTextDocumentContentProvider(RUN_SCHEME, docs));
    return docs;
  }

  /** The document of `name` (slashes make folders: the tab shows the last part, its description the rest). */
  uriFor(name: string, kind = 'run'): vscode.Uri {
    const path = name.split('/').filter(Boolean).map((part) => part.replace(/[^\w. #$[\]-]/g, '_')).join('/');
    return vscode.Uri.from({ scheme: RUN_SCHEME, path: `/${path}.${kind}.lambda-log` });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  text(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Replaces the text and shows the document in the active editor group (not beside: that would add a group),
   *  unless it is already visible. Live documents (a run, a tail) are pinned tabs, so opening the next one never
   *  replaces them; a quick look (a stream from the tree) may be a preview, as VS Code opens a file on one click. */
  async open(uri: vscode.Uri, text: string, preserveFocus = true, preview = false): Promise<vscode.TextEditor> {
    this.set(uri, text);
    const document = await vscode.workspace.openTextDocument(uri);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    return visible ?? vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Active, preserveFocus, preview });
  }

  /** Appends text; updates are batched so a chatty function does not flood the editor. */
  append(uri: vscode.Uri, text: string): void {
    const key = uri.toString();
    this.contents.set(key, (this.contents.get(key) ?? '') + text);
    this.pending.add(key);
    this.flushTimer ??= setTimeout(() => this.flush(), 30);
  }

  /** Appends and keeps only the last `maxLines` lines (a tail's document must not grow without bound). */
  appendBounded(uri: vscode.Uri, text: string, maxLines: number): void {
    const key = uri.toString();
    let content = (this.contents.get(key) ?? '') + text;
    let lines = 0;
    for (let i = content.length - 1; i >= 0; i--) {
      if (content.charCodeAt(i) === 10 && ++lines > maxLines) {
        content = content.slice(i + 1);
        break;
      }
    }
    this.contents.set(key, content);
    this.pending.add(key);
    this.flushTimer ??= setTimeout(() => this.flush(), 30);
  }

  /** Sets a document's text without showing it (a snapshot opened later). */
  set(uri: vscode.Uri, text: string): void {
    this.contents.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  /** Forgets a document's text (its tail stopped and it was closed). */
  forget(uri: vscode.Uri): void {
    this.contents.delete(uri.toString());
  }

  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    for (const key of this.pending) this.changed.fire(vscode.Uri.parse(key));
    this.pending.clear();
  }

  dispose(): void {
    clearTimeout(this.flushTimer);
    this.changed.dispose();
  }
}
