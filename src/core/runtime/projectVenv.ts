import { dirname, join, relative } from 'node:path';
import { pathExists } from '../pathExists';

/** The folders a project's virtual environment is usually in, in the order tools look (the Python extension, uv,
 *  poetry's in-project setting). */
const VENV_FOLDERS = ['.venv', 'venv'];

/**
 * The Python of the virtual environment of the project a function is in: a `.venv` or `venv` (with its
 * `pyvenv.cfg`) in the function's folder or a folder above it, up to the repository's root (a `.git`) or 8 levels.
 * Undefined when a virtual environment is already active (VIRTUAL_ENV: its `python3` is first on PATH) or there is
 * none. Looked up at each environment's start, so a venv made meanwhile is found.
 */
export async function projectVenvPython(codeDir: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (env.VIRTUAL_ENV) return undefined;
  for (let dir = codeDir, level = 0; level < 8; level++, dir = dirname(dir)) {
    const venvs = VENV_FOLDERS.map((name) => join(dir, name));
    const [configs, repositoryRoot] = await Promise.all([Promise.all(venvs.map((venv) => pathExists(join(venv, 'pyvenv.cfg')))), pathExists(join(dir, '.git'))]);
    for (const [i, venv] of venvs.entries()) {
      const python = process.platform === 'win32' ? join(venv, 'Scripts', 'python.exe') : join(venv, 'bin', 'python');
      if (configs[i] && await pathExists(python)) return python;
    }
    if (repositoryRoot || dirname(dir) === dir) return undefined;
  }
  return undefined;
}

/** What the first run says of a virtual environment it picked by itself. */
export function venvNotice(python: string, codeDir: string): string {
  return `running ${relative(codeDir, python) || python}, the project's virtual environment (its packages are the function's). To run another, set lambdaWorkbench.pythonPath or pass --python.`;
}
