import type { FileIdentity } from '../core/localApi/codeWatcher';
import type { EarlyStart } from '../core/runtime/earlyStart';

/** What a sub-command sees of the outside world; tests pass recorders, `main` passes the process. */
export interface CliIO {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly stdin: NodeJS.ReadableStream;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl+C so long work (serve, tail, repeat) can stop cleanly. */
  readonly signal: AbortSignal;
  /** `invoke`: the runtime the entry file started before the command loaded (earlyStart.ts). */
  readonly earlyStart?: EarlyStart;
  /** The files `out` and `err` end in when the user redirected them to files (`> server.out`): `start` must not
   *  take its own output for changed code. */
  readonly outputFiles?: () => FileIdentity[];
}

export interface CliCommand {
  /** The full `lambda-workbench <name> --help` text. */
  readonly help: string;
  /** Resolves to the process exit code: 0 success, 1 the function (or the remote call) failed, 2 bad usage. */
  run(args: string[], io: CliIO): Promise<number>;
}

/** A command as the dispatcher knows it before it runs: its module (and everything that module imports) loads
 *  only for the command typed, so `lambda-workbench invoke` never runs the AWS or template code of the others. */
export interface CommandEntry {
  readonly name: string;
  /** One line for the command list in `--help`. */
  readonly summary: string;
  load(): Promise<CliCommand>;
}

/** Bad usage: the message is printed with a hint to `--help` and the exit code is 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Resolves when the command is told to stop (Ctrl+C): the servers' commands run until then. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    if (signal.aborted) return done();
    signal.addEventListener('abort', () => done(), { once: true });
  });
}
