import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { EventCatalog } from '../core/events/catalog';
import { generateEvent } from '../core/events/generate';
import { parseJson } from '../core/json/parseJson';
import { readTextFileSync, withoutBom } from '../core/textFile';
import { UsageError } from './cliCommand';
import { readStdin } from './parseOptions';

function isJsonScalar(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value === null || typeof value !== 'object';
  } catch {
    return false;
  }
}

/** Reads the event named by --event: a file, `-` for standard input, inline JSON, or a catalog event such as
 *  `s3/put` (generated with its defaults). Malformed JSON is reported with its line and column before anything runs. */
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
    if (!existsSync(file)) {
      const catalog = new EventCatalog();
      const found = catalog.find(arg);
      if (found) return { text: JSON.stringify(generateEvent(catalog, found.source, found.type)), source: `${found.source}/${found.type}` };
      // A bare JSON value is an event too (Lambda takes any JSON): `-e 42`, `-e null`, `-e true`.
      if (isJsonScalar(arg)) return { text: arg, source: '--event' };
      throw new UsageError(`--event ${arg}: no such file or catalog event (give a JSON file, '-' for standard input, inline JSON, or a sample such as s3/put; 'lambda-workbench events list' shows them).`);
    }
    text = readTextFileSync(file);
    source = arg;
  }
  // A mark a Windows editor or pipe put first would reach the function as part of its event.
  text = withoutBom(text);
  parseJson(text, source); // throws JsonSyntaxError with source:line:column
  return { text, source };
}
