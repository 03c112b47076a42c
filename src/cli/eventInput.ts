import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseJson } from '../core/json/parseJson';
import { UsageError } from './cliCommand';
import { readStdin } from './parseOptions';

/** Reads the event named by --event: a file, `-` for standard input, or inline JSON. Malformed JSON is reported with
 *  its line and column before anything runs. */
export async function readEventArgument(arg: string | undefined, cwd: string, stdin: NodeJS.ReadableStream): Promise<{ text: string; source: string }> {
  if (arg === undefined) return { text: '{}', source: 'empty event' };
  let text: string;
  let source: string;
  if (arg === '-') {
    text = await readStdin(stdin);
    source = 'stdin';
  } else if (/^\s*[[{"]/.test(arg)) {
    text = arg;
    source = '--event';
  } else {
    const file = resolve(cwd, arg);
    if (!existsSync(file)) throw new UsageError(`--event ${arg}: no such file (give a JSON file, '-' for standard input, or inline JSON).`);
    text = readFileSync(file, 'utf8');
    source = arg;
  }
  parseJson(text, source); // throws JsonSyntaxError with source:line:column
  return { text, source };
}
