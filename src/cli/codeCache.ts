import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { dirname, join } from 'node:path';
import * as vm from 'node:vm';

/**
 * V8's code cache for the CLI's own bundles on a Node without module.enableCompileCache (before 22.1: Node 20, the
 * one Debian 13 ships). Compiling dist/cli-main.js costs every command ~10 ms there, and the AWS SDK's vendor
 * file several times that, on each run. Our bundle files (and only them) are compiled through vm.Script with the
 * cached data of the last run; a missing or rejected cache (another Node, other V8 flags) is written at exit, after
 * the command ran, so it holds the functions the command compiled lazily too.
 */
interface LoadableModule {
  exports: unknown;
  filename: string;
  require(id: string): unknown;
}

const DYNAMIC_IMPORT = /(?:^|[^\w$.])import\(/;

type Loader = (module: LoadableModule, filename: string) => void;

interface CacheEntry {
  readonly script: vm.Script;
  readonly file: string;
  readonly had: boolean;
}

/** The cache file of one bundle, named by its path, size and mtime, our version and Node's (V8 itself checks only
 *  the source's length, and npm gives every installed file the same mtime, hence the version). */
export function codeCacheFile(cacheDir: string, bundle: string, size: number, mtimeMs: number, version: string): string {
  let hash = 0x811c9dc5;
  for (const c of `${bundle}\0${size}\0${mtimeMs}\0${version}\0${process.version}\0${process.arch}`) hash = Math.imul(hash ^ c.charCodeAt(0), 0x01000193);
  return join(cacheDir, `${(hash >>> 0).toString(16).padStart(8, '0')}.v8cache`);
}

/** Loads the `.js` files directly in `bundleDirs` with a code cache kept in `cacheDir`. */
export function cacheBundles(cacheDir: string, bundleDirs: readonly string[], version: string): void {
  const extensions = (nodeModule as unknown as { Module: { _extensions: Record<string, Loader>; wrap(source: string): string } }).Module;
  if (!extensions?._extensions?.['.js']) return;
  const plain = extensions._extensions['.js'];
  const loaded: CacheEntry[] = [];
  const dirs = new Set(bundleDirs);

  extensions._extensions['.js'] = function loadBundle(this: unknown, module, filename) {
    if (!dirs.has(dirname(filename))) return plain.call(this, module, filename);
    const source = readFileSync(filename, 'utf8');
    // A vm script cannot import() on Node 20 (without an experimental flag): the build turns every import() of
    // ours into require (scripts/build.mjs), and a file that still has one loads as usual.
    if (DYNAMIC_IMPORT.test(source)) return plain.call(this, module, filename);
    const stats = statSync(filename);
    const file = codeCacheFile(cacheDir, filename, stats.size, stats.mtimeMs, version);
    let cachedData: Buffer | undefined;
    try { cachedData = readFileSync(file); } catch { /* first run */ }
    const script = new vm.Script(extensions.wrap(source), { filename, cachedData });
    loaded.push({ script, file, had: cachedData !== undefined && !script.cachedDataRejected });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => void;
    const require = Object.assign((id: string) => module.require(id), { resolve: (id: string) => nodeModule.createRequire(filename).resolve(id) });
    wrapper.call(module.exports, module.exports, require, module, filename, dirname(filename));
  };

  process.once('exit', () => {
    for (const entry of loaded) {
      if (entry.had) continue;
      try {
        mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
        // Aside then renamed: a run starting meanwhile reads the old file or the new one, never half of one.
        const temporary = `${entry.file}.${process.pid}.tmp`;
        writeFileSync(temporary, entry.script.createCachedData(), { mode: 0o600 });
        renameSync(temporary, entry.file);
      } catch {
        // No cache (read-only home): the next run compiles again.
      }
    }
  });
}
