import { stat, watch } from 'node:fs';
import { pathExists } from '../pathExists';
import { basename, dirname, join, relative, sep } from 'node:path';
import { watchFolderTree, type FolderTreeWatch } from './folderTree';

/** Folders whose changes are never code a function runs from its own folder (or are written by builds and tools;
 *  a virtual environment's thousands of folders would each need a watch on Linux). */
const IGNORED = /(^|[/\\])(node_modules|\.git|\.hg|\.svn|\.aws-sam|\.serverless|__pycache__|\.pytest_cache|\.mypy_cache|\.ruff_cache|\.nyc_output|\.tox|\.venv|venv|coverage)([/\\]|$)/;
/** Files no function loads as code: logs (a server's output redirected into its function's folder, or a handler's
 *  own log file, would otherwise retire the environment after every request, each reload notice changing the log
 *  again), editors' swap, backup and probe files (an editor's final write or rename is the change), OS litter and
 *  Python bytecode. */
const IGNORED_FILE = /(\.log|\.pyc|\.pyo|\.sw[a-p]|~|___jb_(tmp|old)___)$|(^|[/\\])(\.#[^/\\]*|#[^/\\]*#|4913|\.DS_Store|Thumbs\.db)$/i;

/** A layer's own packages: a Node layer's code is imported by name, from the packages of its node_modules. */
const LAYER_PACKAGES = /^nodejs[/\\](node\d+[/\\])?node_modules([/\\]|$)/;

/** A folder a function's code is loaded from: its own (CodeUri), or one of its layers'. */
export interface CodeFolder {
  readonly path: string;
  readonly layer?: boolean;
}

/** Function id → the folders its code comes from. */
export type CodeFolders = ReadonlyMap<string, readonly CodeFolder[]>;

/** A function's own folder, then its layers' (a change to a layer is a change to every function that has it). */
export function codeFoldersOf(codeDir: string, layers: readonly string[] = []): CodeFolder[] {
  return [{ path: codeDir }, ...layers.map((path) => ({ path, layer: true }))];
}

/** Whether a path inside a code folder (`inside`, relative to it) is never code: under node_modules, a cache or a
 *  tool's folder, or a file no function loads. In a layer, the packages of `nodejs/node_modules` are its code
 *  (their own node_modules are not). */
function ignoredIn(folder: CodeFolder, inside: string, file = true): boolean {
  const rest = folder.layer ? inside.replace(LAYER_PACKAGES, '') : inside;
  return IGNORED.test(rest) || (file && IGNORED_FILE.test(rest));
}

/** Whether `path` is `folder` or inside it. */
const isUnder = (folder: string, path: string): boolean => path === folder || path.startsWith(folder + sep);

/** The definition files no code folder holds, by the folder each is in: a watch of the code folders does not see
 *  them, so each of those folders needs one of its own. */
export function definitionFilesOutside(folders: readonly string[], files: Iterable<string>): Map<string, string[]> {
  const outside = new Map<string, string[]>();
  for (const file of files) {
    if (folders.some((folder) => isUnder(folder, file))) continue;
    outside.set(dirname(file), [...(outside.get(dirname(file)) ?? []), file]);
  }
  return outside;
}

/** A file by identity (fs.Stats' dev and ino): the same file under any name. */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
}

/**
 * The functions whose code a changed file is (function id → code folder): every folder holding it, unless it is
 * under one of the folders builds and tools write (node_modules, .git, caches). One rule for fs.watch and the
 * editor's watcher.
 */
export function functionsOwning(folders: CodeFolders, file: string): string[] {
  const ids: string[] = [];
  for (const [id, list] of folders) {
    if (list.some((folder) => isUnder(folder.path, file) && !ignoredIn(folder, relative(folder.path, file)))) ids.push(id);
  }
  return ids;
}

/** Each folder once, a layer when any function has it as one. */
export function distinctFolders(folders: CodeFolders): CodeFolder[] {
  const byPath = new Map<string, CodeFolder>();
  for (const folder of [...folders.values()].flat()) if (!byPath.get(folder.path)?.layer) byPath.set(folder.path, folder);
  return [...byPath.values()];
}

export interface CodeWatcherOptions {
  /** Files that define the functions (the template, env files), watched wherever they are: a change to one is
   *  reported as such, with no function of its own (what it changes is known once it is read again). */
  readonly files?: readonly string[];
  /** The files this process writes its own output to (`lambda-workbench start > server.out` in the function's
   *  folder): their changes are not code, whatever their name. */
  readonly outputFiles?: readonly FileIdentity[];
}

/**
 * Watches the code folders of functions and says which functions' code changed (changes within 30 ms are one
 * report). A file under several code folders (a shared one) changes every function that has it.
 */
export class CodeWatcher {
  private readonly watchers: { close(): void }[] = [];
  private readonly trees: FolderTreeWatch[] = [];
  private pending = new Set<string>();
  private definitionChanged = false;
  /** The files changed since the last report (absolute path → the name to show), in order. */
  private changedFiles = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly definitionFiles = new Set<string>();

  /** `onChange`: the functions whose code changed, the file to name, and whether a definition file changed too. */
  constructor(folders: CodeFolders, private readonly onChange: (functionIds: string[], file: string, definitionChanged: boolean) => void, options: CodeWatcherOptions = {}) {
    const files = this.definitionFiles;
    for (const file of options.files ?? []) files.add(file);
    const outputFiles = options.outputFiles ?? [];
    const folderList = distinctFolders(folders);
    const onFile = (file: string, shown: string): void => {
      if (files.has(file)) {
        this.definitionChanged = true;
        return this.schedule(file, shown);
      }
      const ids = functionsOwning(folders, file);
      if (ids.length === 0) return;
      const changed = (): void => {
        for (const id of ids) this.pending.add(id);
        this.schedule(file, shown);
      };
      if (outputFiles.length === 0) return changed();
      stat(file, (error, stats) => {
        if (!error && outputFiles.some((own) => own.dev === stats.dev && own.ino === stats.ino)) return;
        changed();
      });
    };
    for (const folder of folderList) {
      try {
        const tree = watchFolderTree(folder.path, (path) => ignoredIn(folder, relative(folder.path, path), false), (path) => onFile(path, relative(folder.path, path)));
        this.trees.push(tree);
        this.watchers.push(tree);
      } catch {
        // A folder that does not exist yet has no code to reload.
      }
    }
    // Definition files outside every code folder: one watch of their folder, not recursive, for all of them there (an
    // editor's save may replace a file, which a watch on the file itself would stop seeing).
    for (const [dir, inDir] of definitionFilesOutside(folderList.map((f) => f.path), files)) {
      try {
        const watcher = watch(dir, (_event, name) => {
          const file = name ? join(dir, name.toString()) : undefined;
          if (file && inDir.includes(file)) onFile(file, basename(file));
        });
        watcher.on('error', () => undefined);
        this.watchers.push(watcher);
      } catch {
        // No such folder: nothing to reload from there.
      }
    }
  }

  /** Settles once every code folder is watched (Linux walks them asynchronously). */
  get ready(): Promise<void> {
    return Promise.all(this.trees.map((t) => t.ready)).then(() => undefined);
  }

  /** The folders watched one by one (see folderTree.ts), for tests. */
  get watchedFolders(): number {
    return this.trees.reduce((n, t) => n + t.folders, 0);
  }

  private schedule(file: string, shown: string): void {
    if (this.closed) return; // a stat answered after close()
    this.changedFiles.delete(file);
    this.changedFiles.set(file, shown);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const ids = [...this.pending];
      const definition = this.definitionChanged;
      const changed = [...this.changedFiles].reverse();
      this.pending = new Set();
      this.definitionChanged = false;
      this.changedFiles = new Map();
      if (ids.length || definition) void this.nameOf(changed).then((name) => { if (!this.closed) this.onChange(ids, name, definition); });
    }, 30);
  }

  /** The file a report names: a definition file, else the last changed one still there (an editor's or `sed -i`'s
   *  save also touches a copy it renames over the file), else the last one (a deletion). */
  private async nameOf(changed: [string, string][]): Promise<string> {
    const definition = changed.find(([file]) => this.definitionFiles.has(file));
    if (definition) return definition[1];
    for (const [file, shown] of changed) if (await pathExists(file)) return shown;
    return changed[0][1];
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
  }
}
