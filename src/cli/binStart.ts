// The CLI's start for every command but --version (bin.ts answers that alone): loaded only then, so --version
// pays for none of what follows.
import { mkdirSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import { packageVersion } from '../core/packageInfo';
import { startEarly } from '../core/runtime/earlyStart';
import { userCacheDir } from '../core/userCache';
import { cacheBundles } from './codeCache';
import { servingJitFlags } from './servingJit';

function enableCompileCache(bundleDir: string, v8Flags: readonly string[]): void {
  const withCache = nodeModule as { enableCompileCache?: (dir: string) => unknown };
  if (process.env.NODE_COMPILE_CACHE) return;
  try {
    const dir = userCacheDir('compile-cache');
    if (!withCache.enableCompileCache) {
      // Keyed by the V8 flags set too: V8 rejects a cache made under other flags, so a serving command and the
      // others would otherwise replace each other's file on every run.
      cacheBundles(join(dir, 'v8'), [bundleDir, join(bundleDir, 'vendor')], [packageVersion(), ...v8Flags].join(' '));
      return;
    }
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    withCache.enableCompileCache(dir);
  } catch {
    // No cache (read-only home): the CLI runs as before, compiling each time.
  }
}

/** Everything but --version: the serving commands' V8 flags, the early runtime of `invoke`, the compile cache,
 *  then the CLI's bundle (dist/cli-main.js, beside this entry file in `bundleDir`). */
export function startCommand(command: string | undefined, bundleDir: string, entryFile: string): void {
  // node:v8 is required only when there is a flag to set: loading it costs every other command ~1.8 ms.
  const v8Flags = servingJitFlags(command, process.versions.v8);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  for (const flag of v8Flags) (require('node:v8') as typeof import('node:v8')).setFlagsFromString(flag);
  // A one-shot invoke starts the runtime it launched last time now, so both interpreters start side by side.
  const earlyStart = command === 'invoke' && !process.env.LAMBDA_WORKBENCH_NO_EARLY_START ? startEarly({ argv: process.argv.slice(2), cwd: process.cwd(), launcher: [process.execPath, entryFile] }) : undefined;
  enableCompileCache(bundleDir, v8Flags);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle beside this one, loaded after the cache is on
  (require('./cli-main.js') as typeof import('./main')).main(earlyStart);
}
