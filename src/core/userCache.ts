import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

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

/** What a cache file of keyed entries holds: a missing, unreadable or damaged file holds none. */
export function parseEntries<T>(text: string | undefined): Record<string, T> {
  try {
    const parsed: unknown = text === undefined ? undefined : JSON.parse(text);
    return parsed && typeof parsed === 'object' ? parsed as Record<string, T> : {};
  } catch {
    return {};
  }
}

export async function readEntries<T>(file: string): Promise<Record<string, T>> {
  return parseEntries<T>(await readFile(file, 'utf8').catch(() => undefined));
}

/** Sets `key` in a cache file of keyed entries, keeping the `max` newest by `at`. The file is read again first
 *  (another process may have added its own entry meanwhile), and written aside then renamed, mode 0600, so two
 *  processes finishing at once never leave half a file. */
export async function rememberEntry<T extends { readonly at: number }>(file: string, key: string, entry: T, max: number): Promise<void> {
  const all = await readEntries<T>(file);
  all[key] = entry;
  const kept = Object.entries(all).sort((a, b) => (b[1].at ?? 0) - (a[1].at ?? 0)).slice(0, max);
  await ensurePrivateDir(dirname(file));
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(Object.fromEntries(kept)), { mode: 0o600 });
  await rename(temporary, file);
}
