/** JSON text re-indented for reading (2 spaces); text that is not JSON comes back unchanged. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** A function's result for reading: the payload pretty-printed, and an API-style `body` that is itself JSON shown
 *  parsed below it (the payload above stays exactly what the function returned). Ends with a newline. */
export function prettyResult(payload: string): string {
  let body: unknown;
  try {
    const parsed = JSON.parse(payload) as { body?: unknown; isBase64Encoded?: boolean } | null;
    if (parsed && typeof parsed.body === 'string' && !parsed.isBase64Encoded && /^\s*[[{]/.test(parsed.body)) body = JSON.parse(parsed.body);
  } catch {
    body = undefined; // not JSON, or a body that only looks like it
  }
  return `${prettyJson(payload)}\n${body === undefined ? '' : `\n# body (a JSON string, parsed)\n${JSON.stringify(body, null, 2)}\n`}`;
}
