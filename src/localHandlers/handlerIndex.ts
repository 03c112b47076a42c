import * as vscode from 'vscode';
import { discoverHandlers, type DiscoveredHandler } from '../core/project/handlerDiscovery';
import type { OutputLog } from '../output/outputLog';

/**
 * The handlers of every workspace folder, kept current by a debounced file watcher. The Local Handlers view, the
 * CodeLens and the debug configuration provider all read this one index.
 */
export class HandlerIndex implements vscode.Disposable {
  private handlers: DiscoveredHandler[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Source files that changed since a handler last ran (its next run is cold). */
  private readonly fileChanged = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  readonly onDidChangeFile = this.fileChanged.event;
  private timer?: NodeJS.Timeout;
  private readonly disposables: vscode.Disposable[] = [];
  private ready: Promise<void>;

  constructor(private readonly log: OutputLog) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{py,js,mjs,cjs,ts,mts,cts,yaml,yml,json}');
    const onFile = (uri: vscode.Uri): void => {
      if (/[/\\](node_modules|\.git|\.aws-sam)[/\\]/.test(uri.fsPath)) return;
      this.fileChanged.fire(uri);
      this.schedule();
    };
    this.disposables.push(watcher, watcher.onDidChange(onFile), watcher.onDidCreate(onFile), watcher.onDidDelete(onFile),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.schedule()), this.changed, this.fileChanged);
    this.ready = this.refresh();
  }

  /** Resolves once the first scan is done. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  all(): readonly DiscoveredHandler[] {
    return this.handlers;
  }

  find(id: string): DiscoveredHandler | undefined {
    return this.handlers.find((h) => h.id === id);
  }

  inFile(file: string): DiscoveredHandler[] {
    return this.handlers.filter((h) => h.file === file);
  }

  refresh(): Promise<void> {
    this.ready = (async () => {
      const found: DiscoveredHandler[] = [];
      const excludeFolders = vscode.workspace.getConfiguration('lambdaWorkbench').get<string[]>('discovery.excludeFolders');
      const pythonHandlerNames = vscode.workspace.getConfiguration('lambdaWorkbench').get<string[]>('discovery.pythonHandlerNames');
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        if (folder.uri.scheme !== 'file') continue;
        const { handlers, problems } = discoverHandlers(folder.uri.fsPath, { excludeFolders: excludeFolders?.length ? excludeFolders : undefined, pythonHandlerNames });
        found.push(...handlers);
        for (const p of problems) this.log.warn(`Skipped a template: ${p}`);
      }
      this.handlers = found;
      this.changed.fire();
    })().catch((error: unknown) => this.log.showError('Could not scan the workspace for handlers', error));
    return this.ready;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 400);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
