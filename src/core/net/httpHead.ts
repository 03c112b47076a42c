// The head of an HTTP/1.1 response, written by hand for MinimalHttpServer: status line, headers, framing.

/** Header pairs in order; a name may repeat (Set-Cookie). */
export type HeaderPairs = readonly (readonly [string, string])[];

// Reason phrases (node:http's table would load node:http, ~1.3 ms, into every one-shot `invoke`). Any other status
// gets an empty phrase, which HTTP allows.
export const STATUS_CODES: Readonly<Record<number, string>> = {
  100: 'Continue', 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 206: 'Partial Content',
  301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable',
  408: 'Request Timeout', 409: 'Conflict', 410: 'Gone', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity',
  429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 500: 'Internal Server Error', 501: 'Not Implemented',
  502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

// What node:http accepts: a name is an RFC 9110 token; a value has no control characters but tab (so no CR or LF:
// a function's header can never end the head early and write a second response).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
/** Framing is the server's: a handler's own Content-Length, Transfer-Encoding or Connection would contradict it. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection']);

function headerLine(name: string, value: string): string {
  if (!TOKEN.test(name)) throw new TypeError(`Header name must be a valid HTTP token ["${name}"]`);
  if (BAD_VALUE.test(value)) throw new TypeError(`Invalid character in header content ["${name}"]`);
  return FRAMING.has(name.toLowerCase()) ? '' : `${name}: ${value}\r\n`;
}

let dateSecond = -1;
let dateText = '';
/** The Date header's value, made once per second (as node:http caches it). */
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

/** Status line and headers, then `framing` (the server's own lines), then the empty line. Throws (as node:http does)
 *  on a header that is not valid HTTP, before anything is written. */
export function responseHead(status: number, headers: Readonly<Record<string, string | number>> | HeaderPairs, framing: string, date: boolean): string {
  let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n`;
  if (date) head += `Date: ${httpDate()}\r\n`;
  if (Array.isArray(headers)) {
    for (const [name, value] of headers as HeaderPairs) head += headerLine(name, value);
  } else {
    const record = headers as Readonly<Record<string, string | number>>;
    for (const name in record) head += headerLine(name, String(record[name]));
  }
  return `${head}${framing}\r\n`;
}
