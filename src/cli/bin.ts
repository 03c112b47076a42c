#!/usr/bin/env node
// `lambda-workbench`: this file only sets up the process before the CLI's bundle loads. It turns on Node's compile
// cache (Node 22.1 and later), so later runs reuse V8's compiled code for the bundle and the vendor files instead of
// compiling them again; the cache is the user's private folder, not Node's default under /tmp, where another local
// user could plant it. A serving command tunes V8's tiering for itself (see servingJit.ts). And `--version` is
// answered here, without loading the bundle (scripts and shells ask it to check what is installed: ~7 ms less).
// `invoke` starts its function's runtime here, before the bundle loads (see earlyStart.ts).
import { mkdirSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import { packageVersion } from '../core/packageInfo';
import { startEarly } from '../core/runtime/earlyStart';
import { userCacheDir } from '../core/userCache';
import { cacheBundles } from './codeCache';
import { servingJitFlags } from './servingJit';

function enableCompileCache(): void {
  const withCache = nodeModule as { enableCompileCache?: (dir: string) => unknown };
  if (process.env.NODE_COMPILE_CACHE) return;
  try {
    const dir = userCacheDir('compile-cache');
    if (!withCache.enableCompileCache) {
      cacheBundles(join(dir, 'v8'), [__dirname, join(__dirname, 'vendor')], packageVersion());
      return;
    }
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    withCache.enableCompileCache(dir);
  } catch {
    // No cache (read-only home): the CLI runs as before, compiling each time.
  }
}

const [command, ...rest] = process.argv.slice(2);
if ((command === '--version' || command === '-v') && rest.length === 0) {
  // A reader that went away (`lambda-workbench --version | head -0`) asked for nothing more: not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => { if (error.code !== 'EPIPE') throw error; });
  process.stdout.write(`${packageVersion()}\n`);
} else {
  // node:v8 is required only when there is a flag to set: loading it costs every other command ~1.8 ms.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  for (const flag of servingJitFlags(command, process.versions.v8)) (require('node:v8') as typeof import('node:v8')).setFlagsFromString(flag);
  // A one-shot invoke starts the runtime it launched last time now, so both interpreters start side by side.
  const earlyStart = command === 'invoke' && !process.env.LAMBDA_WORKBENCH_NO_EARLY_START ? startEarly({ argv: process.argv.slice(2), cwd: process.cwd(), launcher: [process.execPath, __filename] }) : undefined;
  enableCompileCache();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle beside this one, loaded after the cache is on
  (require('./cli-main.js') as typeof import('./main')).main(earlyStart);
}
