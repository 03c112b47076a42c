import { stat, watch, type FSWatcher } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Folders whose changes are never code a function runs from its own folder (or are written by builds). */
const IGNORED = /(^|[/\\])(node_modules|\.git|\.hg|\.svn|\.aws-sam|\.serverless|__pycache__|\.pytest_cache|\.mypy_cache|\.ruff_cache|\.nyc_output|coverage)([/\\]|$)/;
/** Files no function loads as code: logs (a server's output redirected into its function's folder, or a handler's
 *  own log file, would otherwise retire the environment after every request, each reload notice changing the log
 *  again), editors' swap, backup and probe files (an editor's final write or rename is the change), OS litter and
 *  Python bytecode. */
const IGNORED_FILE = /(\.log|\.pyc|\.pyo|\.sw[a-p]|~|___jb_(tmp|old)___)$|(^|[/\\])(\.#[^/\\]*|#[^/\\]*#|4913|\.DS_Store|Thumbs\.db)$/i;

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
export function functionsOwning(folders: ReadonlyMap<string, string>, file: string): string[] {
  const ids: string[] = [];
  for (const [id, folder] of folders) {
    if (file !== folder && !file.startsWith(folder + sep)) continue;
    const inside = relative(folder, file);
    if (!IGNORED.test(inside) && !IGNORED_FILE.test(inside)) ids.push(id);
  }
  return ids;
}

/**
 * Watches the code folders of functions and says which functions' code changed (changes within 30 ms are one
 * report). A file under several code folders (a shared one) changes every function that has it.
 */
export class CodeWatcher {
  private readonly watchers: FSWatcher[] = [];
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  /**
   * `outputFiles`: the files this process writes its own output to (`lambda-workbench start > server.out` in the
   * function's folder): their changes are not code, whatever their name.
   */
  constructor(folders: ReadonlyMap<string, string>, private readonly onChange: (functionIds: string[], file: string) => void, outputFiles: readonly FileIdentity[] = []) {
    for (const folder of new Set(folders.values())) {
      try {
        const watcher = watch(folder, { recursive: true }, (_event, name) => {
          if (!name) return;
          const file = join(folder, name.toString());
          const ids = functionsOwning(folders, file);
          if (ids.length === 0) return;
          const changed = (): void => {
            for (const id of ids) this.pending.add(id);
            this.schedule(relative(folder, file));
          };
          if (outputFiles.length === 0) return changed();
          stat(file, (error, stats) => {
            if (!error && outputFiles.some((own) => own.dev === stats.dev && own.ino === stats.ino)) return;
            changed();
          });
        });
        watcher.on('error', () => undefined); // a folder removed under the server: nothing more to watch there
        this.watchers.push(watcher);
      } catch {
        // A folder that does not exist yet has no code to reload.
      }
    }
  }

  private schedule(file: string): void {
    if (this.closed) return; // a stat answered after close()
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const ids = [...this.pending];
      this.pending = new Set();
      if (ids.length) this.onChange(ids, file);
    }, 30);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
  }
}
