/** A JSON document that does not parse, with where: the message names the source, line and column so a user can
 *  jump to it (editors and terminals understand `file:line:column`). */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
  constructor(readonly source: string, readonly line: number, readonly column: number, readonly reason: string) {
    super(`${source}:${line}:${column}: malformed JSON: ${reason}`);
  }
}

/** JSON.parse that reports line and column (1-based) on failure. V8's messages differ between Node versions and
 *  some carry no position at all, so on failure a small scanner finds the first offending character. */
export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const { offset, reason } = locateJsonError(text);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    throw new JsonSyntaxError(source, line, column, reason);
  }
}

/** The offset and a plain-words reason of the first JSON syntax error in `text` (RFC 8259). */
export function locateJsonError(text: string): { offset: number; reason: string } {
  let i = 0;
  const fail = (reason: string): never => { throw Object.assign(new Error(reason), { offset: i }); };
  const ws = (): void => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++; };
  const describe = (): string => (i >= text.length ? 'end of input' : `'${text[i]}'`);
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`unexpected ${describe()}`);
  };
  const string = (): void => {
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail('control character in a string (escape it, e.g. \\n)');
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('bad \\u escape');
          i += 5;
          continue;
        }
        if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail(`bad escape \\${text[i] ?? ''}`);
      }
      i++;
    }
    if (i >= text.length) fail('unterminated string');
    i++;
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail(`unexpected ${describe()}`);
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++; ws();
      if (text[i] === '}') { i++; return; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a property name in double quotes, found ${describe()}`);
        string(); ws();
        if (text[i] !== ':') fail(`expected ':' after a property name, found ${describe()}`);
        i++; value(); ws();
        if (text[i] === ',') { i++; ws(); if (text[i] === '}') fail("trailing comma before '}'"); continue; }
        if (text[i] === '}') { i++; return; }
        fail(`expected ',' or '}', found ${describe()}`);
      }
    }
    if (c === '[') {
      i++; ws();
      if (text[i] === ']') { i++; return; }
      for (;;) {
        value(); ws();
        if (text[i] === ',') { i++; ws(); if (text[i] === ']') fail("trailing comma before ']'"); continue; }
        if (text[i] === ']') { i++; return; }
        fail(`expected ',' or ']', found ${describe()}`);
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    fail(i >= text.length ? 'unexpected end of input (empty or truncated document)' : `unexpected ${describe()}`);
  };
  try {
    value(); ws();
    if (i < text.length) fail(`unexpected ${describe()} after the end of the document`);
    return { offset: text.length, reason: 'invalid JSON' };
  } catch (error) {
    const e = error as Error & { offset?: number };
    return { offset: e.offset ?? i, reason: e.message };
  }
}
