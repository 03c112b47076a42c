/** A JSON document that does not parse, with where: the message names the source, line and column so a user can
 *  jump to it (editors and terminals understand `file:line:column`). */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
  constructor(readonly source: string, readonly line: number, readonly column: number, readonly reason: string) {
    super(`${source}:${line}:${column}: malformed JSON: ${reason}`);
  }
}

/** JSON.parse that reports line and column (1-based) on failure instead of V8's bare character offset. */
export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : text.length;
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    const reason = message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
    throw new JsonSyntaxError(source, line, column, reason);
  }
}
