import { watch, type FSWatcher } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Folders whose changes are never code a function runs from its own folder (or are written by builds). */
const IGNORED = /(^|[/\\])(node_modules|\.git|\.aws-sam|\.serverless|__pycache__|\.pytest_cache|coverage)([/\\]|$)/;

/**
 * The functions whose code a changed file is (function id → code folder): every folder holding it, unless it is
 * under one of the folders builds and tools write (node_modules, .git, caches). One rule for fs.watch and the
 * editor's watcher.
 */
export function functionsOwning(folders: ReadonlyMap<string, string>, file: string): string[] {
  const ids: string[] = [];
  for (const [id, folder] of folders) {
    if (file !== folder && !file.startsWith(folder + sep)) continue;
    if (!IGNORED.test(relative(folder, file))) ids.push(id);
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

  constructor(folders: ReadonlyMap<string, string>, private readonly onChange: (functionIds: string[], file: string) => void) {
    for (const folder of new Set(folders.values())) {
      try {
        const watcher = watch(folder, { recursive: true }, (_event, name) => {
          if (!name) return;
          const file = join(folder, name.toString());
          const ids = functionsOwning(folders, file);
          if (ids.length === 0) return;
          for (const id of ids) this.pending.add(id);
          this.schedule(relative(folder, file));
        });
        watcher.on('error', () => undefined); // a folder removed under the server: nothing more to watch there
        this.watchers.push(watcher);
      } catch {
        // A folder that does not exist yet has no code to reload.
      }
    }
  }

  private schedule(file: string): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const ids = [...this.pending];
      this.pending = new Set();
      if (ids.length) this.onChange(ids, file);
    }, 30);
  }

  close(): void {
    clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
  }
}
