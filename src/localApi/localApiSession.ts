import * as path from 'node:path';
import * as vscode from 'vscode';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions, type RouteLine, type WatchFolders } from '../core/localApi/localCloud';
import { accessLine } from '../core/localApi/accessLine';
import { definitionFilesOutside, distinctFolders, functionsOwning } from '../core/localApi/codeWatcher';
import type { AccessEntry } from '../core/localApi/localApiServer';
import type { LocalLambda } from '../core/runtime/localLambda';
import type { OutputLog } from '../output/outputLog';

const ESC = '\x1b[';
const dim = (s: string): string => `${ESC}2m${s}${ESC}0m`;
const colour = (status: number): string => `${ESC}${status >= 500 ? '31' : status >= 400 ? '33' : '32'}m${status}${ESC}0m`;

/** Hot reload through VS Code's file watcher: fs.watch's recursive mode would walk the folders on the host. The
 *  definition files (the template, env files) are watched wherever they are and reported as such, as CodeWatcher does. */
const watchWithVsCode: WatchFolders = (folders, onChange, files) => {
  const folderList = distinctFolders(folders).map((folder) => folder.path);
  const changed = (uri: vscode.Uri): void => {
    if (files.includes(uri.fsPath)) return onChange([], vscode.workspace.asRelativePath(uri), true);
    const ids = functionsOwning(folders, uri.fsPath);
    if (ids.length) onChange(ids, vscode.workspace.asRelativePath(uri), false);
  };
  const outside = [...definitionFilesOutside(folderList, files).values()].flat();
  const patterns = [
    ...folderList.map((folder) => new vscode.RelativePattern(vscode.Uri.file(folder), '**/*')),
    ...outside.map((file) => new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file))),
  ];
  const watchers = patterns.map((pattern) => {
    const watcher = vscode.workspace.createFileSystemWatcher(pattern);
    return [watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed)];
  }).flat();
  return { close: () => { for (const w of watchers) w.dispose(); } };
};

/** One access line, as the CLI prints it, coloured for the terminal. */
const accessText = (e: AccessEntry): string => accessLine(e, { status: colour, note: dim });

/**
 * A running local API in the editor: the servers (core/localApi), a terminal that shows the banner, one line per
 * request and the functions' output (closing it stops the API, as Ctrl+C stops `lambda-workbench start`), and a
 * status-bar item with the address.
 */
export class LocalApiSession implements vscode.Disposable {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number | void>();
  private terminal?: vscode.Terminal;
  /** Every request served, for the tests and the routes view. */
  readonly access: AccessEntry[] = [];
  /** The template was saved with other routes: the view shows them. */
  readonly routesChanged = new vscode.EventEmitter<void>();

  private constructor(readonly template: string, readonly cloud: LocalCloud, private readonly lambda: LocalLambda, private readonly status: vscode.StatusBarItem) {}

  static async start(template: string, lambda: LocalLambda, log: OutputLog, port: number, onStop: () => void, invokeOverride?: LocalCloudOptions['invokeOverride']): Promise<LocalApiSession> {
    // The terminal drops what is written before it opens: until then, lines wait here.
    const early: string[] = [];
    const holder: { session?: LocalApiSession; opened: boolean } = { opened: false };
    const write = (text: string): void => (holder.opened ? holder.session!.written.fire(text) : void early.push(text));
    const cloud = await startLocalCloud({
      template, lambda, port, invokePort: port === 0 ? 0 : port + 1,
      target: { cwd: vscode.workspace.getWorkspaceFolder(vscode.Uri.file(template))?.uri.fsPath ?? process.cwd() },
      onAccess: (e) => { holder.session?.access.push(e); write(`${accessText(e)}\r\n`); },
      onLog: (id, line) => write(`${dim(`[${id}]`)} ${line.replace(/\n/g, '\r\n')}\r\n`),
      onReload: (ids, file) => write(dim(`${file} changed: ${ids.join(', ')} start fresh on the next request\r\n`)),
      onRoutesChanged: (routes) => {
        write(`${dim('The routes are now:')}\r\n${routes.map((r) => `  ${r.text}\r\n`).join('')}`);
        holder.session?.routesChanged.fire();
      },
      onDefinitionError: (file, message) => write(`${ESC}33m${file} changed but cannot be read, so the last good version keeps serving: ${message}${ESC}0m\r\n`),
      logger: log, invokeOverride, hotReload: watchWithVsCode,
    });
    const status = vscode.window.createStatusBarItem('lambdaWorkbench.localApi', vscode.StatusBarAlignment.Left, 48);
    const session = new LocalApiSession(template, cloud, lambda, status);
    holder.session = session;
    status.name = 'Lambda: local API';
    status.text = `$(radio-tower) API ${cloud.api.url.replace('http://', '')}`;
    status.tooltip = `Local API of ${vscode.workspace.asRelativePath(template)}: click for its routes`;
    status.command = 'lambdaWorkbench.showLocalApiRoutes';
    status.show();
    const banner = [
      `Local API on ${cloud.api.url} for ${cloud.functions.size} function(s) of ${vscode.workspace.asRelativePath(template)}`,
      ...cloud.routes.map((r) => `  ${r.text}`), ...cloud.model.notes.map((n) => `  note: ${n}`),
      `Invoke API on ${cloud.invoke.url}. Close this terminal (or run "Lambda: Stop Local API") to stop.`, '',
    ].join('\r\n');
    const self = session;
    self.terminal = vscode.window.createTerminal({
      name: 'Lambda Local API', iconPath: new vscode.ThemeIcon('radio-tower'), isTransient: true,
      pty: {
        onDidWrite: self.written.event, onDidClose: self.closed.event,
        open: () => {
          self.written.fire(`${banner}\r\n`);
          for (const t of early.splice(0)) self.written.fire(t);
          holder.opened = true;
        },
        close: () => { self.terminal = undefined; onStop(); },
      },
    });
    self.terminal.show(true);
    return self;
  }

  get url(): string { return this.cloud.api.url; }
  get routes(): readonly RouteLine[] { return this.cloud.routes; }
  /** What the terminal shows, for the screenshot and the tests to wait on. */
  get terminalName(): string | undefined { return this.terminal?.name; }

  async stop(): Promise<void> {
    this.status.dispose();
    this.routesChanged.dispose();
    const terminal = this.terminal;
    this.terminal = undefined;
    this.closed.fire();
    terminal?.dispose();
    await this.cloud.close();
    await this.lambda.dispose();
  }

  dispose(): void {
    void this.stop();
  }
}
