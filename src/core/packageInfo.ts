import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The package's own root, found by walking up from this file: it differs between the bundle (`dist/`), the
 *  transpiled tests (`out/src/core/`) and an installed CLI, and assets are found relative to it. */
export function packageRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if (JSON.parse(readFileSync(manifest, 'utf8')).name === 'lambda-workbench') return dir;
      } catch {
        // A broken package.json that is not ours: keep walking.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the lambda-workbench package above ${from}`);
    dir = parent;
  }
}

let cachedVersion: string | undefined;

export function packageVersion(): string {
  cachedVersion ??= JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version as string;
  return cachedVersion;
}

/** Data files shipped with the package (runtime bootstraps, scaffold templates, sample events). */
export function assetPath(...parts: string[]): string {
  return join(packageRoot(), 'assets', ...parts);
}
