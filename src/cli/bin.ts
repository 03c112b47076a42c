#!/usr/bin/env node
// `lambda-workbench`: this file answers `--version` itself, without loading the bundle or any module a command needs
// (scripts and shells ask it to check what is installed), and hands every other command to binStart.ts, which sets
// the process up before the CLI's bundle loads: the compile cache (Node's own on 22.1 and later, in the user's
// private folder rather than Node's default under /tmp, where another local user could plant it; ours on older
// Nodes, codeCache.ts), a serving command's V8 tiering (servingJit.ts) and `invoke`'s early runtime (earlyStart.ts).
import { writeSync } from 'node:fs';
import { packageVersion } from '../core/packageInfo';

const [command, ...rest] = process.argv.slice(2);
if ((command === '--version' || command === '-v') && rest.length === 0) {
  // Written to fd 1 directly: process.stdout would first build a stream (on a pipe, a socket: node:net loads).
  try {
    writeSync(1, `${packageVersion()}\n`);
  } catch (error) {
    // A reader that went away (`lambda-workbench --version | head -0`) asked for nothing more: not an error.
    if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
  }
} else {
  // Required here, not at the top: what a command needs first (child_process, vm…) is not --version's cost.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('./binStart') as typeof import('./binStart')).startCommand(command, __dirname, __filename);
}
