import { fstatSync } from 'node:fs';
import { packageVersion } from '../core/packageInfo';
import type { EarlyStart } from '../core/runtime/earlyStart';
import { commands } from './commands';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type CliIO, type CommandEntry } from './cliCommand';

function mainHelp(available: readonly CommandEntry[]): string {
  const width = Math.max(8, ...available.map((c) => c.name.length));
  const list = available.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return `lambda-workbench ${packageVersion()} — run, debug and inspect AWS Lambda functions locally and in the cloud

Usage:
  lambda-workbench <command> [options]
  lambda-workbench <command> --help     help for one command

Commands:
${list || '  (none yet)'}

Options:
  -h, --help       show this help
  -v, --version    print the version
`;
}

/** Runs the CLI with the given arguments (without `node` and the script) and resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIO, available: readonly CommandEntry[] = commands): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    if (first === 'help' && rest[0]) return runCli([rest[0], '--help'], io, available);
    if (first === undefined) {
      io.err(mainHelp(available));
      return EXIT_USAGE;
    }
    io.out(mainHelp(available));
    return EXIT_OK;
  }
  if (first === '-v' || first === '--version') {
    io.out(`${packageVersion()}\n`);
    return EXIT_OK;
  }
  const entry = available.find((c) => c.name === first);
  if (!entry) {
    const hint = first.startsWith('-') ? `unknown option '${first}'` : `unknown command '${first}'`;
    const names = available.map((c) => c.name).join(', ');
    io.err(`lambda-workbench: ${hint}.${names ? ` Commands: ${names}.` : ''} Run 'lambda-workbench --help' for usage.\n`);
    return EXIT_USAGE;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return EXIT_OK;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`lambda-workbench ${entry.name}: ${error.message}\nRun 'lambda-workbench ${entry.name} --help' for usage.\n`);
      return EXIT_USAGE;
    }
    io.err(`lambda-workbench ${entry.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILED;
  }
}

/** Set when the reader of stdout went away (`lambda-workbench events list | head`): the command is stopped and
 *  the exit is a clean 0, as the reader asked for no more. */
let stdoutClosed = false;

function processIO(earlyStart?: EarlyStart): CliIO {
  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    // First Ctrl+C asks commands to stop cleanly; a second one means "now".
    if (++interrupts > 1) process.exit(130);
    controller.abort();
  });
  process.on('SIGTERM', () => controller.abort());
  // The terminal closed (its window, an ssh session): stop as for Ctrl+C, or the functions' processes would be left
  // running with nobody to stop them. Writes to the gone terminal then fail with EIO.
  process.on('SIGHUP', () => controller.abort());
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'EIO') throw error;
    if (stdoutClosed) return;
    stdoutClosed = true;
    controller.abort();
    // Commands stop on the abort and clean up (environments, servers); one that does not is not waited for long.
    setTimeout(() => process.exit(EXIT_OK), 3000).unref();
  });
  // A closed stderr (`2>&1 | head`) only loses messages nobody reads.
  process.stderr.on('error', (error: NodeJS.ErrnoException) => { if (error.code !== 'EPIPE' && error.code !== 'EIO') throw error; });
  return {
    out: (text) => { if (!stdoutClosed) process.stdout.write(text); },
    err: (text) => { if (!process.stderr.destroyed) process.stderr.write(text); },
    stdin: process.stdin,
    cwd: process.cwd(),
    env: process.env,
    signal: controller.signal,
    earlyStart,
    outputFiles: () => [1, 2].flatMap((fd) => {
      try {
        const stats = fstatSync(fd);
        return stats.isFile() ? [{ dev: stats.dev, ino: stats.ino }] : [];
      } catch {
        return [];
      }
    }),
  };
}

/** The process entry (dist/cli.js calls it once the compile cache is on, with the runtime it started early). */
export function main(earlyStart?: EarlyStart): void {
  // The SDK is bundled into this CLI at a fixed version, so its notice that *future* SDK releases will need Node 22
  // says nothing to a user of this build; it only clutters every AWS command's output on Node 20.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // An early runtime no environment adopted is stopped whatever the command's end (a usage error included).
  runCli(process.argv.slice(2), processIO(earlyStart)).finally(() => earlyStart?.settle()).then(
    (code) => { process.exitCode = stdoutClosed ? EXIT_OK : code; },
    (error: unknown) => {
      process.stderr.write(`lambda-workbench: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = EXIT_FAILED;
    },
  );
}
