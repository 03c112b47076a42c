import { execFile } from 'node:child_process';
import { interpreterCache, locateCommand, type InterpreterCache } from './interpreterCache';
import { KNOWN_RUNTIMES } from './types';

/** A local program is missing or unusable: the message names what to install or which setting to change. */
export class RuntimeSetupError extends Error {
  override readonly name = 'RuntimeSetupError';
}

export interface Interpreter {
  /** The real executable (a pyenv or asdf shim resolved away: each shim costs ~90 ms per spawn). */
  readonly path: string;
  /** `major.minor`, e.g. `3.12` or `20.19`. */
  readonly version: string;
  /** The whole version, e.g. `3.12.4`, for messages. */
  readonly fullVersion?: string;
}

const cache = new Map<string, Promise<Interpreter>>();
let onDisk: InterpreterCache | undefined;

/** Where probes are remembered between processes (by default the user's cache folder); for tests. */
export function useInterpreterCache(next: InterpreterCache | undefined): void {
  onDisk = next;
  cache.clear();
}

/** One probe per interpreter per process, and none while the disk cache knows the answer (see interpreterCache.ts);
 *  a failed probe is forgotten so a later call retries after an install. */
function cached(kind: string, command: string, probeIt: () => Promise<Interpreter>): Promise<Interpreter> {
  const key = `${kind}:${command}`;
  let found = cache.get(key);
  if (!found) {
    const disk = onDisk ??= interpreterCache();
    found = disk.lookup(kind, command).catch(() => undefined).then((cachedAnswer) => cachedAnswer?.known ?? probeIt().then((probed) => {
      void cachedAnswer?.remember(probed).catch(() => undefined); // a cache that cannot be written costs the next run a probe
      return probed;
    }));
    cache.set(key, found);
    found.catch(() => cache.delete(key));
  }
  return found;
}

function probe(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 15_000, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } }, (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout.trim());
    });
  });
}

/** The Python 3 interpreter: the configured one (`--python`, the `lambdaWorkbench.pythonPath` setting), else `python3`.
 *  Resolved once per process to its real path. */
export function resolvePython(configured?: string): Promise<Interpreter> {
  const command = configured?.trim() || 'python3';
  return cached('python', command, () =>
    probe(command, ['-c', 'import sys; print(sys.executable); print("%d.%d.%d" % sys.version_info[:3])']).then(
      (out) => {
        const [path, full] = out.split('\n').map((s) => s.trim());
        const version = full?.split('.').slice(0, 2).join('.');
        if (!version?.startsWith('3.')) throw new RuntimeSetupError(`'${command}' is Python ${version}; Lambda needs Python 3. Set lambdaWorkbench.pythonPath or pass --python.`);
        return { path: path || command, version, fullVersion: full };
      },
      (error: NodeJS.ErrnoException) => {
        throw new RuntimeSetupError(error.code === 'ENOENT'
          ? `Python interpreter '${command}' was not found. Install Python 3 (e.g. 'sudo apt install python3', or from python.org), or point lambdaWorkbench.pythonPath / --python at one.`
          : `Python interpreter '${command}' did not start: ${error.message}`);
      },
    ));
}

/** The Node.js used for Node and TypeScript handlers: the configured one, else `node` on PATH. Inside VS Code,
 *  process.execPath is the editor's own binary, so it is only the last resort (with ELECTRON_RUN_AS_NODE). */
export async function resolveNode(configured?: string): Promise<Interpreter> {
  const command = configured?.trim() || await locateCommand(process.platform === 'win32' ? 'node.exe' : 'node') || process.execPath;
  return cached('node', command, () =>
    probe(command, ['-e', 'console.log(process.execPath); console.log(process.versions.node)']).then(
      (out) => {
        const [path, full] = out.split('\n').map((s) => s.trim());
        return { path: path || command, version: full.split('.').slice(0, 2).join('.'), fullVersion: full };
      },
      (error: NodeJS.ErrnoException) => {
        throw new RuntimeSetupError(error.code === 'ENOENT'
          ? `Node.js '${command}' was not found. Install Node.js 20 or newer (nodejs.org), or point lambdaWorkbench.nodePath / --node at it.`
          : `Node.js '${command}' did not start: ${error.message}`);
      },
    ));
}

/** The Lambda runtime id that matches a local interpreter, used when nothing names one (`nodejs20.x`, `python3.12`). */
export function runtimeIdFor(family: 'nodejs' | 'python', interpreter: Interpreter): string {
  // The Lambda runtime nearest the local interpreter: its own when Lambda has it (an odd Node major or a newer
  // Python than Lambda's maps to the newest one below it).
  const version = (id: string): number[] => (id.match(/\d+/g) ?? []).map(Number);
  const newer = (a: number[], b: number[]): boolean => a[0] !== b[0] ? a[0] > b[0] : (a[1] ?? 0) > (b[1] ?? 0);
  const local = interpreter.version.split('.').map(Number);
  const candidates = KNOWN_RUNTIMES.filter((id) => id.startsWith(family));
  const fitting = candidates.filter((id) => !newer(version(id), family === 'nodejs' ? [local[0]] : local));
  return fitting.at(-1) ?? candidates[0];
}

/** When the local interpreter is not the declared runtime's version: what runs instead, and how to change it. */
export function versionNotice(runtime: string, interpreter: Interpreter): string | undefined {
  const declared = /^(nodejs|python)(\d+)(?:\.(\d+))?/.exec(runtime);
  if (!declared) return undefined;
  const [major, minor] = interpreter.version.split('.');
  const same = declared[1] === 'nodejs' ? declared[2] === major : `${declared[2]}.${declared[3]}` === `${major}.${minor}`;
  if (same) return undefined;
  const language = declared[1] === 'nodejs' ? 'Node.js' : 'Python';
  return `${runtime} declared; running local ${language} ${interpreter.fullVersion ?? interpreter.version} (${interpreter.path}). ` +
    `To run another, map the runtime to an interpreter: the lambdaWorkbench.interpreters setting, or --interpreter ${runtime}=<path>.`;
}

/** debugpy's version in `python`, or a RuntimeSetupError that says exactly how to install it. */
export async function checkDebugpy(python: Interpreter): Promise<string> {
  try {
    return await probe(python.path, ['-c', 'import debugpy; print(debugpy.__version__)']);
  } catch {
    throw new RuntimeSetupError(`debugpy is not installed for ${python.path} (Python ${python.version}), so Python handlers cannot be debugged yet. ` +
      `Install it with '${python.path} -m pip install debugpy' (on Debian/Ubuntu with the system Python: 'sudo apt install python3-debugpy'), ` +
      'or point lambdaWorkbench.pythonPath at an interpreter that has it.');
  }
}
