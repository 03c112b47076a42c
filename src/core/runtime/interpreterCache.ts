import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { readEntries, rememberEntry, userCacheDir } from '../userCache';
import type { Interpreter } from './interpreters';

/**
 * What an interpreter probe learnt (real path, version), kept on disk so that a second `lambda-workbench invoke`
 * starts no second interpreter just to ask (a Node start, or a pyenv shim's ~90 ms, before the function's own).
 *
 * An entry is keyed by the command, the file it resolves to on PATH and that file's size and mtime (an upgrade in
 * place changes them), and for a shim (a script: pyenv, asdf, nodenv) also by what makes a shim choose a version —
 * the version variables and the nearest version files above the working folder. It is used only while the real
 * executable it names still has the size and mtime it had.
 */
export interface InterpreterCache {
  /** What is known of `command` (undefined: probe it), and how to remember a probe's answer under the same key. */
  lookup(kind: string, command: string): Promise<{ known?: Interpreter; remember(found: Interpreter): Promise<void> }>;
}

interface Entry extends Interpreter {
  readonly real: string;
  readonly at: number;
}

const MAX_ENTRIES = 64;
const SHIM_VARIABLES = ['PYENV_VERSION', 'PYENV_ROOT', 'ASDF_PYTHON_VERSION', 'ASDF_NODEJS_VERSION', 'NODENV_VERSION', 'ASDF_DATA_DIR'];
const VERSION_FILES = ['.python-version', '.tool-versions', '.node-version', '.nvmrc'];

async function fingerprint(file: string): Promise<string | undefined> {
  try {
    const s = await stat(file);
    return s.isFile() ? `${s.size}:${s.mtimeMs}` : undefined;
  } catch {
    return undefined;
  }
}

async function isScript(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    return head.toString('latin1') === '#!';
  } finally {
    await handle.close();
  }
}

/** The file a command runs: a path as given, else the first file of that name on PATH (with PATHEXT's endings on
 *  Windows). The stat calls run at once and off the thread (the editor resolves on the extension host's). */
export async function locateCommand(command: string, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (isAbsolute(command) || /[/\\]/.test(command)) return resolve(cwd, command);
  const endings = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  const candidates = (env.PATH ?? '').split(delimiter).filter(Boolean).flatMap((dir) => endings.map((ending) => join(dir, command + ending)));
  const isFile = await Promise.all(candidates.map((candidate) => stat(candidate).then((found) => found.isFile(), () => false)));
  return candidates.find((_, i) => isFile[i]);
}

/** What steers a shim: its variables and, per version-file name, the nearest such file above `cwd`. */
async function shimContext(cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const parts = SHIM_VARIABLES.map((name) => `${name}=${env[name] ?? ''}`);
  const pyenvRoot = env.PYENV_ROOT || (env.HOME ? join(env.HOME, '.pyenv') : undefined);
  if (pyenvRoot) parts.push(`global=${await fingerprint(join(pyenvRoot, 'version')) ?? ''}`);
  for (const name of VERSION_FILES) {
    for (let dir = resolve(cwd); ; dir = dirname(dir)) {
      const found = await fingerprint(join(dir, name));
      if (found) {
        parts.push(`${join(dir, name)}=${found}`);
        break;
      }
      if (dirname(dir) === dir) break;
    }
  }
  return parts.join('\n');
}

/** The cache in `file` (by default the user's private cache folder). A damaged or unreadable file is a miss. */
export function interpreterCache(file = join(userCacheDir('interpreters'), 'interpreters.json'), cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): InterpreterCache {
  const keyOf = async (kind: string, command: string): Promise<string | undefined> => {
    const located = await locateCommand(command, cwd, env);
    const own = located && await fingerprint(located);
    if (!located || !own) return undefined;
    const shim = await isScript(located).catch(() => false) ? await shimContext(cwd, env) : '';
    return createHash('sha256').update([kind, command, located, own, shim].join('\0')).digest('hex').slice(0, 32);
  };
  return {
    async lookup(kind, command) {
      const key = await keyOf(kind, command);
      const remember = async (found: Interpreter): Promise<void> => {
        const real = await fingerprint(found.path);
        if (!key || !real) return;
        await rememberEntry<Entry>(file, key, { path: found.path, version: found.version, fullVersion: found.fullVersion, real, at: Date.now() }, MAX_ENTRIES);
      };
      const entry = key ? (await readEntries<Entry>(file))[key] : undefined;
      if (!entry || typeof entry.path !== 'string' || typeof entry.version !== 'string') return { remember };
      // The executable it names must be the one probed (not replaced, not upgraded in place).
      if (await fingerprint(entry.path) !== entry.real) return { remember };
      return { known: { path: entry.path, version: entry.version, fullVersion: entry.fullVersion }, remember };
    },
  };
}
