import { stat, watch, type FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';

/** A watch over a folder and everything under it that `skip` leaves in; close() ends it. */
export interface FolderTreeWatch {
  close(): void;
  /** The folders watched one by one (Linux), for tests: what `skip` leaves out is never walked. */
  readonly folders: number;
  /** Settles once the folders there at the start are watched. */
  readonly ready: Promise<void>;
}

/**
 * Calls `onPath` with each path changed, created or removed under `root`.
 *
 * macOS and Windows watch a tree natively (FSEvents, ReadDirectoryChangesW). On Linux, Node's `recursive` option
 * is built in JavaScript: it walks the whole tree synchronously as the watch starts (2.5 s for a function folder
 * with a 28 000-file node_modules, during which the server answers nothing) and loses a file for good once an
 * editor saves it by writing a copy and renaming it over the file (vim, JetBrains IDEs, `sed -i`). So there each
 * folder gets a watch of its own — a folder's watch sees every rename into it — walked asynchronously, without the
 * folders `skip` names, and folders created (or moved in) later are added as they appear.
 */
export function watchFolderTree(root: string, skip: (path: string) => boolean, onPath: (path: string) => void): FolderTreeWatch {
  if (process.platform !== 'linux') {
    const watcher = watch(root, { recursive: true }, (_event, name) => { if (name) onPath(join(root, name.toString())); });
    watcher.on('error', () => undefined); // the folder removed under the server: nothing more to watch there
    return { close: () => watcher.close(), folders: 1, ready: Promise.resolve() };
  }
  const watchers = new Map<string, FSWatcher>();
  let closed = false;

  const forget = (folder: string): void => {
    for (const [path, watcher] of watchers) {
      if (path !== folder && !path.startsWith(folder + sep)) continue;
      watcher.close();
      watchers.delete(path);
    }
  };

  const add = async (folder: string): Promise<void> => {
    if (closed || watchers.has(folder)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(folder, (event, name) => {
        if (!name) return;
        const path = join(folder, name.toString());
        if (skip(path)) return;
        onPath(path);
        // A name came or went: a new folder is watched, a folder gone (or moved away) is forgotten.
        if (event === 'rename') stat(path, (error, stats) => (error ? forget(path) : stats.isDirectory() ? void add(path) : undefined));
      });
    } catch {
      return; // gone already, or not readable: nothing to watch there
    }
    watcher.on('error', () => forget(folder));
    watchers.set(folder, watcher);
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      return;
    }
    await Promise.all(entries.filter((e) => e.isDirectory() && !skip(join(folder, e.name))).map((e) => add(join(folder, e.name))));
  };

  const ready = add(root);
  return {
    ready,
    close: () => {
      closed = true;
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
    get folders() { return watchers.size; },
  };
}
