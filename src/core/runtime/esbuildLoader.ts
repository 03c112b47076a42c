import { createRequire } from 'node:module';
import { join } from 'node:path';

export type Esbuild = typeof import('esbuild');

/** The message when no esbuild can be found: what the user can do about it. */
export const noEsbuildMessage =
  'TypeScript handlers are compiled with esbuild, and none was found. This build of Lambda Workbench carries no ' +
  'esbuild binary (the universal VSIX): install the VSIX for your platform, or add esbuild to your project ' +
  '(npm install --save-dev esbuild).';

/**
 * esbuild for TypeScript handlers and deploy bundles. The platform VSIXs and the CLI's npm package carry their
 * platform's esbuild; the universal VSIX carries none (its binary would be most of the download), so then the
 * project's own `esbuild` serves, else its `esbuild-wasm` (slower to start: see bench/esbuild.mjs).
 * `own` loads the copy shipped with us (a parameter so the fallback can be tested).
 */
export async function loadEsbuild(projectDir: string, own: () => Promise<Esbuild> = () => import('esbuild')): Promise<Esbuild> {
  try {
    return await own();
  } catch {
    // Not shipped with this build: look in the project.
  }
  const fromProject = createRequire(join(projectDir, 'package.json'));
  for (const name of ['esbuild', 'esbuild-wasm']) {
    try {
      return fromProject(name) as Esbuild;
    } catch {
      // Try the next one.
    }
  }
  throw Object.assign(new Error(noEsbuildMessage), { name: 'EsbuildMissing' });
}
