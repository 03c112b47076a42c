import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';

const SKIP = new Set(['.git', '.aws-sam', '.vscode', '__pycache__', '.venv', 'venv', '.pytest_cache', '.mypy_cache', '.ruff_cache', '.DS_Store', '.lambda-workbench-cache']);
/** Never uploaded: local secrets (`.env`, `.env.local`…) anywhere, and at the top the project's saved events and
 *  build caches (an `events` folder deeper down, such as the npm package in node_modules, is code). */
const SECRET_FILE = /^\.env(\..+)?$/;
const TOP_LEVEL_SKIP = new Set(['events', 'coverage']);
const CACHE_PATH = /(^|\/)node_modules\/\.cache$/;
/** Lambda's limit for a direct upload (ZipFile in the request). */
export const MAX_DIRECT_UPLOAD_BYTES = 50 * 1024 * 1024;

/** Zips a code folder the way a deployment package is laid out (paths relative to the folder, executable bits kept
 *  for a custom runtime's bootstrap). Skips VCS and editor folders. */
export function zipFolder(dir: string): Buffer {
  const files: Zippable = {};
  const walk = (current: string): void => {
    for (const name of readdirSync(current)) {
      if (SKIP.has(name) || SECRET_FILE.test(name) || (current === dir && TOP_LEVEL_SKIP.has(name))) continue;
      const path = join(current, name);
      if (CACHE_PATH.test(relative(dir, path).split(sep).join('/'))) continue;
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile()) files[relative(dir, path).split(sep).join('/')] = [readFileSync(path), { level: 6, os: 3, attrs: (stat.mode & 0o777) << 16 }];
    }
  };
  walk(dir);
  const zip = Buffer.from(zipSync(files));
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
export function zipConflicts(zip: Uint8Array, dir: string): string[] {
  return Object.keys(unzipSync(zip)).filter((name) => !name.endsWith('/') && existsSync(join(dir, name)));
}

/** Extracts a zip into `dir`; refuses entries that would escape it and, unless `overwrite`, existing files. */
export function extractZip(zip: Uint8Array, dir: string, overwrite = false): string[] {
  const entries = unzipSync(zip);
  const root = resolve(dir);
  const written: string[] = [];
  for (const [name, data] of Object.entries(entries)) {
    if (name.endsWith('/')) continue;
    const target = resolve(root, name);
    if (!target.startsWith(root + sep)) throw new Error(`The package holds a path outside its folder: ${name}`);
    if (existsSync(target) && !overwrite) throw new Error(`${target} already exists`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
    written.push(target);
  }
  return written;
}
