import { nodeHandlerParts } from './handlerName';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { assetPath } from '../packageInfo';
import { ensurePrivateDir, userCacheDir } from '../userCache';
import type { EarlyStart } from './earlyStart';
import { RuntimeSetupError, resolveNode, resolvePython, versionNotice } from './interpreters';
import { projectVenvPython, venvNotice } from './projectVenv';
import { layerSearchPaths, layerVariables } from './layers';
import { compileTypeScriptHandler, typeScriptSource } from './typescriptBuild';
import { DEFAULT_MEMORY_MB, runtimeFamily, type FunctionConfig } from './types';

/** How to start the environment under a debugger. The runtime only asks for its event once the debugger has
 *  attached and resumed it, so breakpoints in init code hit. */
export interface DebugOptions {
  /** Node: the inspector listens on this loopback port (paused before the first line, `--inspect-brk`).
   *  Python: debugpy's adapter listens here and the runtime connects to it (`debugpy --connect`), then waits. */
  readonly port: number;
  /** How long the debugger has held the program paused so far (the editor counts DAP stops): left out of
   *  Duration, Init Duration and billing, since Lambda would never see that time. */
  readonly pausedMs?: () => number;
}

export interface LaunchSettings {
  readonly nodePath?: string;
  readonly pythonPath?: string;
  /** Interpreters by runtime (`{ "python3.12": "/usr/bin/python3.12" }`), over nodePath / pythonPath. */
  readonly interpreters?: Readonly<Record<string, string>>;
  readonly debug?: DebugOptions;
  /** A runtime the CLI started before it knew its function, for the first environment to adopt (earlyStart.ts). */
  readonly earlyStart?: EarlyStart;
}

/** The process an environment runs, and what the runner needs to know about it. */
export interface LaunchPlan {
  readonly command: string;
  readonly args: string[];
  /** Added to the function's environment (not user-visible Lambda variables: they steer our bootstraps). */
  readonly extraEnv: Record<string, string>;
  readonly runtimeDir: string;
  /** Our bootstraps mark the end of each invocation's output; a user's custom bootstrap does not. */
  readonly writesEndMarks: boolean;
  /** The local interpreter is another version than the runtime declares: said once per run. */
  readonly versionNotice?: string;
  /** Our bootstrap, which can wait for its function's variables (earlyStart.ts): the language; a custom runtime or a
   *  debugged one (paused before its first line) cannot. */
  readonly earlyStartable?: 'nodejs' | 'python';
  /** Set when a TypeScript handler was compiled: the JavaScript that runs and whether it was rebuilt now. */
  readonly compiled?: { file: string; rebuilt: boolean };
}

let bytecodeDir: Promise<string | undefined> | undefined;

/** The private folder for the Python runtime's compiled bytecode (made once per process, mode 0700). */
function runtimeBytecodeDir(): Promise<string | undefined> {
  const dir = userCacheDir('python-bytecode');
  bytecodeDir ??= ensurePrivateDir(dir).then(() => dir, () => undefined);
  return bytecodeDir;
}

/** node_modules folders from codeDir up, for NODE_PATH (compiled TypeScript may live outside the project). */
function nodeModulesChain(codeDir: string): string[] {
  const chain: string[] = [];
  for (let dir = resolve(codeDir); ; dir = dirname(dir)) {
    chain.push(join(dir, 'node_modules'));
    if (dirname(dir) === dir) return chain;
  }
}

/**
 * Node's options as Lambda's Node.js bootstrap passes them: V8's heap sized from the memory (the new space a tenth
 * of it, each semi-space half that, the old space the rest), so a leak fails as it does there; `global.gc` exposed
 * (`--expose-gc`: a handler calling it works there); and an 80 KiB limit on the HTTP headers Node parses.
 */
export function lambdaNodeOptions(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return ['--expose-gc', '--max-http-header-size=81920', `--max-semi-space-size=${Math.max(1, Math.floor(newSpace / 2))}`, `--max-old-space-size=${memoryMb - newSpace}`];
}

/**
 * What Lambda's Node.js runtimes turn off although Node has it on (AWS's Node.js guide): require() of ES modules
 * (`--no-experimental-require-module`, Node.js 20 and later) and module syntax detection
 * (`--no-experimental-detect-module`, Node.js 22 and later). A NODE_OPTIONS that names the feature's own flag turns
 * it back on, as Lambda lets it. Only flags the local Node knows are passed (an unknown one stops it starting):
 * require-module since 20.17 and 22.0, detect-module since 20.10; on a Node newer than 24 neither is assumed.
 */
export function lambdaModuleFlags(runtime: string, nodeVersion: string, nodeOptions = ''): string[] {
  const declared = Number(/^nodejs(\d+)/.exec(runtime)?.[1] ?? 0);
  const [major = 0, minor = 0] = nodeVersion.replace(/^v/, '').split('.').map(Number);
  const knows = (since20: number, since: number): boolean => (major === 20 ? minor >= since20 : major >= since && major <= 24);
  const flags: string[] = [];
  if (declared >= 20 && knows(17, 22) && !/--experimental-require-module\b/.test(nodeOptions)) flags.push('--no-experimental-require-module');
  if (declared >= 22 && knows(10, 21) && !/--experimental-detect-module\b/.test(nodeOptions)) flags.push('--no-experimental-detect-module');
  return flags;
}

export async function planLaunch(config: FunctionConfig, settings: LaunchSettings = {}): Promise<LaunchPlan> {
  if (!existsSync(config.codeDir)) throw new RuntimeSetupError(`The function's code folder does not exist: ${config.codeDir}`);
  const family = runtimeFamily(config.runtime);
  const memory = config.memorySize ?? DEFAULT_MEMORY_MB;
  const layers = await layerSearchPaths(config);
  const layerEnv = layerVariables(config, layers, config.environment?.PATH ?? process.env.PATH);

  if (family === 'nodejs') {
    const node = await resolveNode(settings.interpreters?.[config.runtime] || settings.nodePath);
    const runtimeDir = assetPath('runtime', 'node');
    const args = [...lambdaNodeOptions(memory), ...lambdaModuleFlags(config.runtime, node.version, config.environment?.NODE_OPTIONS)];
    const extraEnv: Record<string, string> = { ...layerEnv };
    // NODE_PATH: the user's own, else as Lambda's bootstrap sets it — the layers', then the task root (so
    // `require('lib/db')` from any folder finds <task root>/lib/db.js, as it does there) — then for compiled
    // TypeScript the project's node_modules chain (the compiled file may live outside the project).
    const nodePath = config.environment?.NODE_PATH ? [config.environment.NODE_PATH] : [...layers.node, resolve(config.codeDir)];
    let compiled: LaunchPlan['compiled'];
    const { modulePath } = nodeHandlerParts(config.handler);
    const hasJs = ['.js', '.mjs', '.cjs'].some((ext) => existsSync(resolve(config.codeDir, modulePath + ext)));
    // A handler with '..' is refused by the runtime (Runtime.MalformedHandlerName): never compile or write outside.
    const tsSource = hasJs || config.handler.includes('..') ? undefined : await typeScriptSource(config.codeDir, modulePath, config.entryPoints);
    if (tsSource) {
      compiled = await compileTypeScriptHandler(config.codeDir, modulePath, tsSource, node.version);
      extraEnv.LWB_HANDLER_FILE = compiled.file;
      nodePath.push(...nodeModulesChain(config.codeDir));
      args.push('--enable-source-maps');
    }
    if (nodePath.length) extraEnv.NODE_PATH = nodePath.join(delimiter);
    if (settings.debug) {
      args.push(`--inspect-brk=127.0.0.1:${settings.debug.port}`);
      // The bootstrap waits for the debugger's breakpoints before loading the handler (RuntimeApiServer's gate).
      extraEnv.LWB_DEBUG_GATE = '1';
    }
    args.push(join(runtimeDir, 'bootstrap.js'));
    return {
      command: node.path, args, extraEnv, runtimeDir, writesEndMarks: true, compiled, versionNotice: versionNotice(config.runtime, node),
      earlyStartable: settings.debug ? undefined : 'nodejs',
    };
  }

  if (family === 'python') {
    const configured = settings.interpreters?.[config.runtime] || settings.pythonPath;
    // Nothing configured: the project's own virtual environment, as the Python extension would pick it.
    const venv = configured ? undefined : await projectVenvPython(config.codeDir);
    const python = await resolvePython(configured || venv);
    const runtimeDir = assetPath('runtime', 'python');
    const bootstrap = join(runtimeDir, 'bootstrap.py');
    // -u: unbuffered, so print() lines stream live as they do on Lambda.
    // Debugging: -Xfrozen_modules=off so breakpoints in the standard library bind (debugpy warns otherwise).
    // Otherwise the runtime's bytecode is kept in the private cache (see bootstrap.py); none when it cannot be made.
    const bytecode = settings.debug ? undefined : await runtimeBytecodeDir();
    const args = settings.debug
      ? ['-u', '-Xfrozen_modules=off', '-m', 'debugpy', '--connect', `127.0.0.1:${settings.debug.port}`, '--wait-for-client', bootstrap]
      : ['-u', bootstrap, ...(bytecode ? [bytecode] : [])];
    const extraEnv: Record<string, string> = { ...layerEnv, PYTHONDONTWRITEBYTECODE: '1' };
    if (settings.debug) extraEnv.PYDEVD_DISABLE_FILE_VALIDATION = '1';
    return {
      command: python.path, args, extraEnv, runtimeDir, writesEndMarks: true,
      versionNotice: [venv ? venvNotice(venv, config.codeDir) : undefined, versionNotice(config.runtime, python)].filter(Boolean).join(' ') || undefined,
      earlyStartable: settings.debug ? undefined : 'python',
    };
  }

  // Custom runtime: the user's own `bootstrap` in the task root, as Lambda looks for it.
  const bootstrap = join(config.codeDir, 'bootstrap');
  if (!existsSync(bootstrap)) {
    throw new RuntimeSetupError(`Couldn't find valid bootstrap(s): [${bootstrap}]. A ${config.runtime} function needs an executable named 'bootstrap' in its code folder.`);
  }
  try {
    accessSync(bootstrap, constants.X_OK);
  } catch {
    throw new RuntimeSetupError(`${bootstrap} is not executable: run 'chmod +x ${bootstrap}'.`);
  }
  return { command: bootstrap, args: [], extraEnv: layerEnv, runtimeDir: config.codeDir, writesEndMarks: false };
}
