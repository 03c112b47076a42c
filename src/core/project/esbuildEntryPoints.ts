// SAM's esbuild builds (`Metadata: BuildMethod: esbuild`): which built module each TypeScript entry point becomes.

/** The module an esbuild entry point becomes with SAM's `--outdir`: its path below the entry points' lowest common
 *  folder (esbuild's default outbase), without the extension — `src/handlers/foo.ts` alone builds `foo.js`. */
function builtModule(entry: string, all: readonly string[]): string {
  const folders = all.map((e) => e.split(/[\\/]/).filter((p) => p && p !== '.').slice(0, -1));
  let common = 0;
  while (folders.length && folders.every((f) => f.length > common && f[common] === folders[0][common])) common++;
  return entry.split(/[\\/]/).filter((p) => p && p !== '.').slice(common).join('/').replace(/\.[cm]?tsx?$/, '');
}

/** The entry points (of `all`) that SAM builds into the Handler's module `modulePath` (`foo`, `jobs/bar`). */
export function entryPointsBuilding(modulePath: string, all: readonly string[]): string[] {
  return all.filter((entry) => builtModule(entry, all) === modulePath);
}
