import type { AwsProblemError } from '../core/aws/awsErrors';
import type { CliIO } from './cliCommand';

/** An AWS failure as the CLI reports it: what went wrong and, when there is one, the command that fixes it. */
export function printAwsProblem(io: CliIO, command: string, error: AwsProblemError): void {
  io.err(`lambda-workbench ${command}: ${error.problem.message}${error.problem.command ? `\n  Run: ${error.problem.command}` : ''}\n`);
}
