/** JSON text re-indented for reading (2 spaces, as JSON.stringify(…, null, 2) lays it out); text that is not JSON
 *  comes back unchanged. */
export function prettyJson(text: string, indent = ''): string {
  return reindentJson(text, indent) ?? text;
}

/** JSON text re-indented, or undefined when it is not JSON. Numbers and strings stay as written: a parse and
 *  re-stringify would show a function's 2**64 + 1 as 18446744073709552000 and Python's Decimal 1.10 as 1.1.
 *  `indent` starts every line after the first. */
export function reindentJson(text: string, indent = ''): string | undefined {
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  let out = '';
  let depth = 0;
  const newline = (): string => `\n${indent}${'  '.repeat(depth)}`;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      out += text.slice(i, end + 1);
      i = end;
    } else if (c === '{' || c === '[') {
      let next = i + 1;
      while (' \t\n\r'.includes(text[next])) next++;
      if (text[next] === (c === '{' ? '}' : ']')) {
        out += c === '{' ? '{}' : '[]';
        i = next;
      } else {
        depth++;
        out += c + newline();
      }
    } else if (c === '}' || c === ']') {
      depth--;
      out += newline() + c;
    } else if (c === ',') {
      out += `,${newline()}`;
    } else if (c === ':') {
      out += ': ';
    } else if (!' \t\n\r'.includes(c)) {
      out += c;
    }
  }
  return out;
}

/** A function's result for reading: the payload pretty-printed, and an API-style `body` that is itself JSON shown
 *  parsed below it (the payload above stays exactly what the function returned). Ends with a newline. */
export function prettyResult(payload: string): string {
  let body: string | undefined;
  try {
    const parsed = JSON.parse(payload) as { body?: unknown; isBase64Encoded?: boolean } | null;
    if (parsed && typeof parsed.body === 'string' && !parsed.isBase64Encoded && /^\s*[[{]/.test(parsed.body)) body = reindentJson(parsed.body);
  } catch {
    body = undefined; // not JSON, or a body that only looks like it
  }
  return `${prettyJson(payload)}\n${body === undefined ? '' : `\n# body (a JSON string, parsed)\n${body}\n`}`;
}
