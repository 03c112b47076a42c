import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { parseEntries, rememberEntry, userCacheDir } from '../userCache';

/**
 * A one-shot `lambda-workbench invoke` pays two interpreter starts one after the other: the CLI's own, then the
 * function's. An early start runs them side by side: the CLI's entry file starts the runtime this same command line
 * launched last time (remembered on disk) before the CLI's code even loads, and the runtime waits on fd 3. When the
 * environment is ready to spawn, it adopts that process if it runs exactly the planned command and arguments and
 * nothing the interpreter reads only at its start differs (adoptableEnv): the bootstrap then takes the function's
 * variables and folder (assets/runtime/node/earlyStart.js, `_await_function` in the Python bootstrap) and goes on as
 * a freshly spawned one would.
 * Otherwise the early process is stopped and the environment spawns as usual. POSIX only: fd 3 is a socketpair.
 */
export interface LaunchSpec {
  readonly command: string;
  readonly args: readonly string[];
}

/** The early process, adopted: its effective spawn time leaves out the time it waited for its function, so Init
 *  Duration counts the interpreter's start and the init phase, not the CLI's load. */
export interface AdoptedRuntime {
  readonly child: ChildProcess;
  spawnedAt(): number;
}

export interface EarlyStart {
  /** The early process if it is the one `spec` launches (then it is told `env` and `cwd`); else undefined, and the
   *  early one is stopped. Only the first call can adopt; it also remembers `spec` for this command line. */
  adopt(spec: LaunchSpec, family: 'nodejs' | 'python', env: Readonly<Record<string, string>>, cwd: string): AdoptedRuntime | undefined;
  /** Stops an early process nobody adopted and waits for the memory to be written. */
  settle(): Promise<void>;
}

/** The variable that puts our bootstraps in waiting mode: its value is the CLI's pid (tests find strays by it). */
export const EARLY_START_VARIABLE = 'LWB_EARLY_START';
const MAX_ENTRIES = 64;

// What an interpreter reads only as it starts (loader, allocator, locale, home for Python's user site, its own
// options): a difference there would make the adopted process differ from a fresh one. The bootstraps apply the
// few exceptions themselves (module search paths, bytecode writing).
const READ_AT_START = /^(LD_|DYLD_|MALLOC_|GLIBC_|LC_|LANG$|LANGUAGE$|HOME$|UV_|OPENSSL_|SSL_CERT_)/;
const FAMILY_READ_AT_START = { nodejs: /^NODE_(?!PATH$)/, python: /^PYTHON(?!PATH$|DONTWRITEBYTECODE$|UNBUFFERED$)/ };

/** Whether a process started with `started` can become one started with `wanted`. */
export function adoptableEnv(started: Readonly<Record<string, string | undefined>>, wanted: Readonly<Record<string, string | undefined>>, family: 'nodejs' | 'python'): boolean {
  for (const key of new Set([...Object.keys(started), ...Object.keys(wanted)])) {
    if (key === EARLY_START_VARIABLE || started[key] === wanted[key]) continue;
    if (READ_AT_START.test(key) || FAMILY_READ_AT_START[family].test(key)) return false;
  }
  return true;
}

interface Entry extends LaunchSpec {
  readonly at: number;
  /** False when the last run could not adopt (its function sets a variable read at start): start nothing early. */
  readonly early?: boolean;
}

/** Read synchronously: the entry file spawns the early process before anything else runs (the CLI only; the
 *  extension never starts a runtime early). */
function readMemory(file: string): Record<string, Entry> {
  let text: string | undefined;
  try { text = readFileSync(file, 'utf8'); } catch { /* none yet */ }
  return parseEntries<Entry>(text);
}

/** A command line's key in the memory: a hash, so no argument (an inline event may hold a token) is written to
 *  disk. Not a cryptographic one (node:crypto would delay the early start): a collision only starts a process the
 *  environment then does not adopt, since the launch itself is compared. */
function commandLineKey(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return `${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}`;
}

/** Whether a child process (and its pipes) keeps the event loop alive. */
function setHeld(child: ChildProcess, held: boolean): void {
  for (const target of [child, ...child.stdio]) {
    const handle = target as { ref?: () => void; unref?: () => void } | null;
    if (held) handle?.ref?.();
    else handle?.unref?.();
  }
}

const sameSpec = (a: LaunchSpec, b: LaunchSpec): boolean => a.command === b.command && a.args.length === b.args.length && a.args.every((arg, i) => arg === b.args[i]);
const wallNow = (): number => performance.timeOrigin + performance.now();

export interface EarlyStartInputs {
  /** The CLI's arguments after `node cli.js`, and its folder: with `launcher`, the key of what it launched before. */
  readonly argv: readonly string[];
  readonly cwd: string;
  /** The Node and entry file running the CLI (default: this process's): two installs used in one folder (a global
   *  one and a project's `npx` one) each keep their own launch instead of replacing each other's on every run. */
  readonly launcher?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Where launches are remembered (default: the user's private cache folder). */
  readonly file?: string;
}

/** Starts the runtime this command line launched last time, if it is known (see the top of this file). */
export function startEarly(inputs: EarlyStartInputs): EarlyStart {
  const env = inputs.env ?? process.env;
  const file = inputs.file ?? join(userCacheDir('launches', env), 'launches.json');
  const launcher = inputs.launcher ?? [process.execPath, process.argv[1] ?? ''];
  const key = commandLineKey([...launcher, inputs.cwd, ...inputs.argv].join('\0'));
  const supported = process.platform !== 'win32';
  const known = supported ? readMemory(file)[key] : undefined;
  let child: ChildProcess | undefined;
  // The variables a runtime needs to start at all, as the environment passes them (environmentVariables.ts).
  const startedEnv: Record<string, string> = { [EARLY_START_VARIABLE]: String(process.pid) };
  for (const name of ['PATH', 'LANG']) if (env[name] !== undefined) startedEnv[name] = env[name]!;
  startedEnv.LANG ??= 'en_US.UTF-8';
  let spawnedAt = 0;
  let startupMs: number | undefined;
  let adoptable = false;
  let written: Promise<void> = Promise.resolve();
  let asked = false;

  if (known && known.early !== false && isAbsolute(known.command) && Array.isArray(known.args) && statSync(known.command, { throwIfNoEntry: false })?.isFile()) {
    spawnedAt = performance.now();
    const spawnWall = wallNow();
    child = spawn(known.command, [...known.args], { cwd: inputs.cwd, env: startedEnv, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], detached: true });
    adoptable = true;
    // Until it is adopted it must not keep the CLI alive (a usage error ends the command before any environment).
    setHeld(child, false);
    child.once('error', () => { adoptable = false; });
    child.once('exit', () => { adoptable = false; });
    // The bootstrap writes its wall-clock time once it waits: how long its own start took.
    const channel = child.stdio[3] as Readable & Writable;
    channel.on('error', () => { adoptable = false; });
    channel.once('data', (chunk: Buffer) => {
      const ready = Number.parseFloat(chunk.toString('latin1'));
      if (Number.isFinite(ready)) startupMs = Math.max(0, ready - spawnWall);
    });
  }

  const stop = (): void => {
    if (!child) return;
    const early = child;
    child = undefined;
    adoptable = false;
    (early.stdio[3] as Writable | null)?.destroy();
    early.stdout?.destroy();
    early.stderr?.destroy();
    if (early.exitCode === null && early.signalCode === null) early.kill('SIGKILL');
  };

  return {
    adopt(spec, family, wanted, cwd) {
      if (asked) return undefined;
      asked = true;
      const early = adoptableEnv(startedEnv, wanted, family);
      const same = known !== undefined && sameSpec(known, spec);
      if (supported && isAbsolute(spec.command) && (!same || (known.early !== false) !== early)) written = rememberEntry<Entry>(file, key, { command: spec.command, args: [...spec.args], at: Date.now(), early }, MAX_ENTRIES).catch(() => undefined);
      if (!child || !adoptable || !same || !early) {
        stop();
        return undefined;
      }
      const adopted = child;
      child = undefined;
      setHeld(adopted, true);
      const adoptedAt = performance.now();
      const channel = adopted.stdio[3] as Readable & Writable;
      channel.end(`${JSON.stringify({ env: wanted, cwd })}\n`);
      channel.resume();
      return {
        child: adopted,
        // Started before it was adopted: as if spawned at adoption, less its own start (when it said how long).
        spawnedAt: () => (startupMs === undefined ? spawnedAt : Math.max(spawnedAt, adoptedAt - startupMs)),
      };
    },
    async settle() {
      stop();
      await written;
    },
  };
}
