import { PassThrough } from 'node:stream';
import type { CliIO } from '../../../src/cli/cliCommand';
import { runCli } from '../../../src/cli/main';

export interface CliResult { code: number; out: string; err: string }

/** Runs the CLI in-process with captured output, as a terminal would but without spawning. */
export async function cli(args: string[], options: { cwd?: string; stdin?: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal; onOut?: (text: string) => void } = {}): Promise<CliResult> {
  let out = '';
  let err = '';
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? '');
  const io: CliIO = {
    out: (t) => { out += t; options.onOut?.(t); },
    err: (t) => { err += t; },
    stdin,
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
    signal: options.signal ?? new AbortController().signal,
  };
  const code = await runCli(args, io);
  return { code, out, err };
}
