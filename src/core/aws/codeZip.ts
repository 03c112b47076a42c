import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { createZip, readZip, type ZipInput } from './zipArchive';
import { pathExists } from '../pathExists';

const SKIP = new Set(['.git', '.aws-sam', '.vscode', '__pycache__', '.venv', 'venv', '.pytest_cache', '.mypy_cache', '.ruff_cache', '.DS_Store', '.lambda-workbench-cache']);
/** Never uploaded: local secrets (`.env`, `.env.local`…) anywhere, and at the top the project's saved events and
 *  build caches (an `events` folder deeper down, such as the npm package in node_modules, is code). */
const SECRET_FILE = /^\.env(\..+)?$/;
const TOP_LEVEL_SKIP = new Set(['events', 'coverage']);
const CACHE_PATH = /(^|\/)node_modules\/\.cache$/;
/** Lambda's limit for a direct upload (ZipFile in the request). */
export const MAX_DIRECT_UPLOAD_BYTES = 50 * 1024 * 1024;
/** Lambda's limit for the unzipped code of a function and its layers. */
const MAX_UNZIPPED_BYTES = 250 * 1024 * 1024;

/** Zips a code folder the way a deployment package is laid out (paths relative to the folder, executable bits kept
 *  for a custom runtime's bootstrap), reading and compressing asynchronously. Skips VCS and editor folders. */
export async function zipFolder(dir: string, options: { signal?: AbortSignal } = {}): Promise<Buffer> {
  const files: ZipInput[] = [];
  let total = 0;
  const walk = async (current: string): Promise<void> => {
    for (const entry of (await readdir(current, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      if (options.signal?.aborted) throw Object.assign(new Error('The operation was cancelled.'), { name: 'AbortError' });
      const name = entry.name;
      if (SKIP.has(name) || SECRET_FILE.test(name) || (current === dir && TOP_LEVEL_SKIP.has(name))) continue;
      const path = join(current, name);
      const rel = relative(dir, path).split(sep).join('/');
      if (CACHE_PATH.test(rel)) continue;
      const info = await stat(path);
      if (info.isDirectory()) await walk(path);
      else if (info.isFile()) {
        total += info.size;
        if (total > MAX_UNZIPPED_BYTES) throw new Error(`The code folder holds more than 250 MB, Lambda's limit for unzipped code: ${dir}.`);
        files.push({ name: rel, data: await readFile(path), mode: info.mode });
      }
    }
  };
  await walk(dir);
  const zip = await createZip(files, { signal: options.signal });
  if (zip.length > MAX_DIRECT_UPLOAD_BYTES) {
    throw new Error(`The zipped code is ${(zip.length / 1048576).toFixed(1)} MB; Lambda takes at most 50 MB directly (upload through S3 for larger packages).`);
  }
  return zip;
}

/** Where a downloaded function's code goes: `<parent>/<name>`, for a name Lambda allows (letters, digits, `-`, `_`);
 *  a name the API returned otherwise (`../x`) is refused rather than written outside the chosen folder. */
export function downloadFolder(parent: string, functionName: string): string {
  if (!/^[A-Za-z0-9_-]{1,140}$/.test(functionName)) {
    throw new Error(`'${functionName}' is not a Lambda function name, so it is not used as a folder name: nothing was written.`);
  }
  const target = resolve(parent, functionName);
  if (!target.startsWith(resolve(parent) + sep)) throw new Error(`${target} is outside ${parent}: nothing was written.`);
  return target;
}

/** Files of a zip that already exist under `dir` (the caller asks before replacing them). */
export async function zipConflicts(zip: Uint8Array, dir: string): Promise<string[]> {
  const names = readZip(zip).map((e) => e.name);
  const exists = await Promise.all(names.map((name) => pathExists(join(dir, name))));
  return names.filter((_, i) => exists[i]);
}

/** Extracts a zip into `dir` asynchronously; refuses entries that would escape it (checked for all entries before
 *  anything is written) and, unless `overwrite`, existing files. */
export async function extractZip(zip: Uint8Array, dir: string, options: { overwrite?: boolean; signal?: AbortSignal } = {}): Promise<string[]> {
  const root = resolve(dir);
  const entries = readZip(zip).map((entry) => ({ entry, target: resolve(root, entry.name) }));
  const escaping = entries.find((e) => !e.target.startsWith(root + sep));
  if (escaping) throw new Error(`The package holds a path outside its folder: ${escaping.entry.name}. Nothing was written.`);
  const written: string[] = [];
  for (const { entry, target } of entries) {
    if (options.signal?.aborted) throw Object.assign(new Error(`Cancelled after ${written.length} of ${entries.length} files.`), { name: 'AbortError' });
    await mkdir(dirname(target), { recursive: true });
    // 'wx' refuses an existing file atomically unless the user chose to replace.
    await writeFile(target, await entry.read(), { flag: options.overwrite ? 'w' : 'wx', mode: entry.mode ?? 0o644 }).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'EEXIST' ? new Error(`${target} already exists`) : error;
    });
    written.push(target);
  }
  return written;
}
