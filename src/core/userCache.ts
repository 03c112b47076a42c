import { chmod, mkdir } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The user's own cache folder for Lambda Workbench ($XDG_CACHE_HOME or ~/.cache, then `lambda-workbench/<part>`),
 * private to them: what is kept there decides what runs (compiled handlers, the interpreter each command resolves
 * to), so a shared, predictable /tmp path would let another local user plant it. LAMBDA_WORKBENCH_CACHE_DIR moves
 * the whole folder (tests give each run its own).
 */
export function userCacheDir(part: string, env: NodeJS.ProcessEnv = process.env): string {
  const root = env.LAMBDA_WORKBENCH_CACHE_DIR || join(env.XDG_CACHE_HOME || (homedir() ? join(homedir(), '.cache') : tmpdir()), 'lambda-workbench');
  return join(root, part);
}

/** Creates a cache folder with mode 0700 (and tightens one that exists). */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') await chmod(dir, 0o700);
}
