#!/usr/bin/env node
// `lambda-workbench`: this file only turns on Node's compile cache (Node 22.1 and later) before the CLI's bundle
// loads, so later runs reuse V8's compiled code for it and for the vendor files instead of compiling them again.
// The cache is the user's private folder, not Node's default under /tmp, where another local user could plant it.
import { mkdirSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { userCacheDir } from '../core/userCache';

const withCache = nodeModule as { enableCompileCache?: (dir: string) => unknown };
if (withCache.enableCompileCache && !process.env.NODE_COMPILE_CACHE) {
  try {
    const dir = userCacheDir('compile-cache');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    withCache.enableCompileCache(dir);
  } catch {
    // No cache (read-only home): the CLI runs as before, compiling each time.
  }
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle beside this one, loaded after the cache is on
(require('./cli-main.js') as { main(): void }).main();
