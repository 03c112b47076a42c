import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseJson } from '../json/parseJson';
import { readTextFileSync } from '../textFile';

/**
 * Saved events live beside the code, one JSON file per event, so they are versioned with it:
 *   <code folder>/events/<event>.json                  events of every handler in that folder
 *   <code folder>/events/<function name>/<event>.json  events of one handler when a folder holds several
 */
export const SAVED_EVENTS_FOLDER = 'events';

export interface SavedEvent {
  readonly name: string;
  readonly file: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,99}$/;

export function validateEventName(name: string): string | undefined {
  if (!name.trim()) return 'Give the event a name.';
  if (/[/\\]/.test(name)) return `An event name cannot contain '/' or '\\' (got '${name}').`;
  if (!NAME.test(name)) return `Use letters, digits, spaces, '.', '_' or '-' (up to 100), starting with a letter or digit (got '${name}').`;
  return undefined;
}

function jsonFiles(dir: string): SavedEvent[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => ({ name: basename(f, '.json'), file: join(dir, f) }));
}

/** The events a handler can use: its own folder's first, then the shared ones (a name shadows a shared one). */
export function listSavedEvents(codeDir: string, functionName?: string): SavedEvent[] {
  const own = functionName ? jsonFiles(join(codeDir, SAVED_EVENTS_FOLDER, functionName)) : [];
  const names = new Set(own.map((e) => e.name));
  return [...own, ...jsonFiles(join(codeDir, SAVED_EVENTS_FOLDER)).filter((e) => !names.has(e.name))];
}

/** Reads a saved event; malformed JSON throws a JsonSyntaxError with file, line and column. The file is never
 *  rewritten here: the user's text stays as they left it. */
export function readSavedEvent(file: string): { text: string; value: unknown } {
  const text = readTextFileSync(file);
  return { text, value: parseJson(text, file) };
}

export class EventExistsError extends Error {
  override readonly name = 'EventExistsError';
  constructor(readonly file: string) {
    super(`A saved event already exists at ${file}.`);
  }
}

/** Saves an event as pretty JSON. Refuses to replace an existing file unless `overwrite` (the caller asked). */
export function saveEvent(codeDir: string, name: string, event: unknown, options: { functionName?: string; overwrite?: boolean } = {}): string {
  const problem = validateEventName(name);
  if (problem) throw new Error(problem);
  const dir = options.functionName ? join(codeDir, SAVED_EVENTS_FOLDER, options.functionName) : join(codeDir, SAVED_EVENTS_FOLDER);
  const file = join(dir, `${name}.json`);
  if (existsSync(file) && !options.overwrite) throw new EventExistsError(file);
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(event, null, 2)}\n`);
  return file;
}
