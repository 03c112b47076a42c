import { readFile } from 'node:fs';
import { stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { ExcludeMatcher } from '../core/project/globMatch';
import {
  DEFAULT_EXCLUDES, DISCOVERY_GLOB, discoveryExcludes, discoveryKind, MAX_FILE_BYTES, mergeHandlers, parseDiscoveryFile, unresolvedCandidates,
  type DiscoveredHandler, type DiscoveryEntry, type LocalRuntimes,
} from '../core/project/handlerDiscovery';
import { resolveNode, resolvePython, runtimeIdFor } from '../core/runtime/interpreters';
import type { OutputLog } from '../output/outputLog';
import { pathExists } from '../core/pathExists';

/** What a workspace folder's scan found: one entry per file, and the handlers merged from them. */
interface FolderIndex {
  readonly root: string;
  readonly matcher: ExcludeMatcher;
  readonly extraExcludes: readonly string[];
  readonly pythonHandlerNames?: readonly string[];
  readonly entries: Map<string, DiscoveryEntry>;
  handlers: DiscoveredHandler[];
}

/** Counted for the tests and the bench: full listings of the workspace, and files read and parsed. */
export interface DiscoveryStats { scans: number; parses: number; lastScan?: { files: number; listingMs: number; readMs: number } }

const MAX_FILES = 50_000;
const READ_CONCURRENCY = 32;
type FileEvent = 'created' | 'changed' | 'deleted';
/** Folders whose changes never make a warm environment stale (the runner's view, wider than discovery's). */
const NEVER_CODE = /[/\\](node_modules|\.git|\.aws-sam)[/\\]/;

/**
 * The handlers of every workspace folder. Nothing happens until something asks (the Local Handlers view, CodeLens,
 * a command, the debugger): then one `findFiles` listing with the excludes, async reads, and a file watcher that
 * re-parses only the file that changed. The parsers are pure (src/core); this class only feeds them.
 */
export class HandlerIndex implements vscode.Disposable {
  private readonly folders = new Map<string, FolderIndex>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Source files that changed since a handler last ran (its next run is cold). */
  private readonly fileChanged = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  readonly onDidChangeFile = this.fileChanged.event;
  readonly stats: DiscoveryStats = { scans: 0, parses: 0 };
  private readonly disposables: vscode.Disposable[] = [this.changed, this.fileChanged];
  private started?: Promise<void>;
  private generation = 0;
  private readonly pending = new Map<string, FileEvent>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly log: OutputLog) {}

  /** Starts discovery on first call; resolves once the first scan is done. */
  whenReady(): Promise<void> {
    this.started ??= this.start();
    return this.started;
  }

  get isStarted(): boolean { return this.started !== undefined; }

  all(): readonly DiscoveredHandler[] {
    return [...this.folders.values()].flatMap((f) => f.handlers);
  }

  find(id: string): DiscoveredHandler | undefined {
    return this.all().find((h) => h.id === id);
  }

  inFile(file: string): DiscoveredHandler[] {
    return this.all().filter((h) => h.file === file);
  }

  /** A full rescan (the Refresh command, a changed exclude setting, added folders). */
  refresh(): Promise<void> {
    if (!this.started) return this.whenReady();
    this.started = this.scanAll();
    return this.started;
  }

  private runtimes?: Promise<LocalRuntimes>;

  /** The runtime ids the local interpreters run scanned handlers as (probed once, in parallel with the scan). */
  private localRuntimes(): Promise<LocalRuntimes> {
    this.runtimes ??= (async () => {
      const config = vscode.workspace.getConfiguration('lambdaWorkbench');
      const [node, python] = await Promise.all([
        resolveNode(config.get<string>('nodePath') || undefined).catch(() => undefined),
        resolvePython(config.get<string>('pythonPath') || undefined).catch(() => undefined),
      ]);
      return { nodejs: node && runtimeIdFor('nodejs', node), python: python && runtimeIdFor('python', python) };
    })();
    return this.runtimes;
  }

  private async start(): Promise<void> {
    void this.localRuntimes();
    // Changes of the files discovery reads; creations and deletions of anything, because a glob watcher is not told
    // when a whole folder arrives (a checkout) or goes.
    const changes = vscode.workspace.createFileSystemWatcher(DISCOVERY_GLOB, true, false, true);
    const arrivals = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    const onFile = (kind: FileEvent) => (uri: vscode.Uri): void => {
      if (uri.scheme !== 'file') return;
      if (!NEVER_CODE.test(uri.fsPath)) this.fileChanged.fire(uri);
      this.pending.set(uri.fsPath, kind);
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.applyPending(), 100);
    };
    this.disposables.push(changes, arrivals, changes.onDidChange(onFile('changed')), arrivals.onDidCreate(onFile('created')), arrivals.onDidDelete(onFile('deleted')),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refresh()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        const interpreters = e.affectsConfiguration('lambdaWorkbench.nodePath') || e.affectsConfiguration('lambdaWorkbench.pythonPath');
        if (interpreters) this.runtimes = undefined; // scanned handlers' runtime ids are probed again
        if (interpreters || e.affectsConfiguration('lambdaWorkbench.discovery') || e.affectsConfiguration('files.exclude')) void this.refresh();
      }));
    await this.scanAll();
  }

  private async scanAll(): Promise<void> {
    const generation = ++this.generation;
    try {
      const scanned = await Promise.all((vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => this.scanFolder(f)));
      if (generation !== this.generation) return; // a newer scan started meanwhile
      this.folders.clear();
      for (const folder of scanned) this.folders.set(folder.root, folder);
      this.changed.fire();
      void vscode.commands.executeCommand('setContext', 'lambdaWorkbench.handlersScanned', true);
    } catch (error) {
      this.log.showError('Could not scan the workspace for handlers', error);
    }
  }

  private async scanFolder(folder: vscode.WorkspaceFolder): Promise<FolderIndex> {
    const config = vscode.workspace.getConfiguration('lambdaWorkbench', folder);
    const extra = config.get<string[]>('discovery.excludeFolders') ?? [];
    const filesExclude = vscode.workspace.getConfiguration('files', folder).get<Record<string, unknown>>('exclude') ?? {};
    const index: FolderIndex = { root: folder.uri.fsPath, matcher: new ExcludeMatcher(discoveryExcludes(extra, filesExclude)), extraExcludes: extra,
      pythonHandlerNames: config.get<string[]>('discovery.pythonHandlerNames'), entries: new Map(), handlers: [] };
    this.stats.scans++;
    const started = performance.now();
    // The search service lists off this thread; its exclude prunes the big folders, the matcher the rest.
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, DISCOVERY_GLOB), excludeGlob(extra), MAX_FILES);
    const listed = performance.now();
    if (uris.length >= MAX_FILES) this.log.warn(`${folder.name}: more than ${MAX_FILES} files to scan; handlers beyond them are not shown (exclude folders with lambdaWorkbench.discovery.excludeFolders).`);
    const files = await keptFiles(index, uris);
    await forEachLimited(files, READ_CONCURRENCY, async (file) => { await this.readInto(index, file); });
    await this.readDeclaredSources(index);
    index.handlers = mergeHandlers(index.root, index.entries.values(), await this.localRuntimes());
    this.stats.lastScan = { files: files.length, listingMs: listed - started, readMs: performance.now() - listed };
    this.log.info(`Scanned ${folder.name} for handlers: ${files.length} files listed in ${(listed - started).toFixed(0)} ms, read in ${(performance.now() - listed).toFixed(0)} ms; ${index.handlers.length} handlers`);
    return index;
  }

  /** Reads and parses one file into the folder's entries (or drops it when it is gone or too big). */
  private async readInto(index: FolderIndex, file: string, declaredOnly = false): Promise<void> {
    const data = await readBytes(file);
    if (!data || data.length > MAX_FILE_BYTES) {
      index.entries.delete(file);
      return;
    }
    const text = data.toString('utf8');
    this.stats.parses++;
    const entry = parseDiscoveryFile(file, text, { pythonHandlerNames: index.pythonHandlerNames });
    if (!entry) return;
    if (entry.kind === 'template' && entry.problem) this.log.warn(`Skipped a template: ${entry.problem}`);
    index.entries.set(file, entry.kind === 'source' && declaredOnly ? { ...entry, declaredOnly } : entry);
  }

  /** A template may name a handler in an excluded folder (CodeUri: dist/): read that one file so it links. */
  private async readDeclaredSources(index: FolderIndex): Promise<void> {
    for (const candidates of unresolvedCandidates(index.entries.values())) {
      for (const file of candidates) {
        if (!(await pathExists(file))) continue;
        await this.readInto(index, file, true);
        break;
      }
    }
  }

  /** The watcher's batch: each file re-parsed on its own, then the folder's handlers merged again. */
  private async applyPending(): Promise<void> {
    const batch = [...this.pending];
    this.pending.clear();
    await this.whenReady();
    const touched = new Set<FolderIndex>();
    for (const [path, kind] of batch) {
      const index = [...this.folders.values()].find((f) => path === f.root || path.startsWith(f.root + sep));
      if (!index) continue;
      if (kind === 'deleted') {
        for (const file of [...index.entries.keys()]) if (file === path || file.startsWith(path + sep)) index.entries.delete(file);
        touched.add(index);
        continue;
      }
      const known = index.entries.get(path);
      const declaredOnly = known?.kind === 'source' && known.declaredOnly === true;
      if (!declaredOnly && index.matcher.excludes(toRelative(index.root, path))) continue;
      if (discoveryKind(path) || declaredOnly) {
        await this.readInto(index, path, declaredOnly);
        touched.add(index);
      } else if (kind === 'created' && (await stat(path).then((s) => s.isDirectory(), () => false))) {
        // A folder arrived with its files (moved in, checked out): list just that folder.
        const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(vscode.Uri.file(path), DISCOVERY_GLOB), excludeGlob(index.extraExcludes), MAX_FILES);
        const files = await keptFiles(index, uris);
        await forEachLimited(files, READ_CONCURRENCY, (file) => this.readInto(index, file));
        touched.add(index);
      }
    }
    for (const index of touched) {
      await this.readDeclaredSources(index);
      index.handlers = mergeHandlers(index.root, index.entries.values(), await this.localRuntimes());
    }
    if (touched.size) this.changed.fire();
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

/** The exclude `findFiles` prunes with: folder names only (VS Code's globs do not nest braces); the matcher applies
 *  the rest (`files.exclude`, globs from the setting) to what it returns. */
function excludeGlob(extra: readonly string[]): string {
  return `**/{${[...DEFAULT_EXCLUDES, ...extra.filter((e) => /^[^*?{[/\\]+$/.test(e))].join(',')}}/**`;
}

/** A file's bytes, or undefined when it cannot be read. The callback form: for thousands of small files it is
 *  several times faster than fs/promises (measured by npm run bench:activation's first tree). */
function readBytes(file: string): Promise<Buffer | undefined> {
  return new Promise((resolve) => readFile(file, (error, data) => resolve(error ? undefined : data)));
}

/** The listed files the matcher keeps, in slices between which the host's event loop runs. */
async function keptFiles(index: FolderIndex, uris: readonly vscode.Uri[]): Promise<string[]> {
  const kept: string[] = [];
  for (let i = 0; i < uris.length; i++) {
    if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
    const file = uris[i].fsPath;
    if (!index.matcher.excludes(toRelative(index.root, file))) kept.push(file);
  }
  return kept;
}

function toRelative(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}
