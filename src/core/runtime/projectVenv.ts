import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** The folders a project's virtual environment is usually in, in the order tools look (the Python extension, uv,
 *  poetry's in-project setting). */
const VENV_FOLDERS = ['.venv', 'venv'];
const found = new Map<string, string | undefined>();

/**
 * The Python of the virtual environment of the project a function is in: a `.venv` or `venv` (with its
 * `pyvenv.cfg`) in the function's folder or a folder above it, up to the repository's root (a `.git`) or 8 levels.
 * Undefined when a virtual environment is already active (VIRTUAL_ENV: its `python3` is first on PATH) or there is
 * none. Looked up once per folder and process.
 */
export function projectVenvPython(codeDir: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.VIRTUAL_ENV) return undefined;
  if (found.has(codeDir)) return found.get(codeDir);
  let python: string | undefined;
  for (let dir = codeDir, level = 0; level < 8 && !python; level++, dir = dirname(dir)) {
    for (const name of VENV_FOLDERS) {
      const venv = join(dir, name);
      const candidate = process.platform === 'win32' ? join(venv, 'Scripts', 'python.exe') : join(venv, 'bin', 'python');
      if (existsSync(join(venv, 'pyvenv.cfg')) && existsSync(candidate)) {
        python = candidate;
        break;
      }
    }
    if (python || existsSync(join(dir, '.git')) || dirname(dir) === dir) break;
  }
  found.set(codeDir, python);
  return python;
}

/** What the first run says of a virtual environment it picked by itself. */
export function venvNotice(python: string, codeDir: string): string {
  return `running ${relative(codeDir, python) || python}, the project's virtual environment (its packages are the function's). To run another, set lambdaWorkbench.pythonPath or pass --python.`;
}
