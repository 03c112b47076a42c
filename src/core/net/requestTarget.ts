/** A request target (`req.url`: `/users/7?a=1`) as its path and raw query, as WHATWG URL parsing reads them. */
export interface RequestTarget {
  readonly pathname: string;
  /** The query without its `?` (`a=1`); empty when there is none. */
  readonly query: string;
}

// Targets whose path and query URL parsing leaves as they are: only characters it does not percent-encode (in a
// query it does encode `'`), no backslash, no fragment, and no dot segment (`/.`, `/..`, `%2e`), which it would
// resolve. Most requests are like this, and `new URL` is a good part of a warm request's cost.
const PLAIN_TARGET = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*(\?[A-Za-z0-9\-._~!$&()*+,;=:@%/?]*)?$/;
const DOT_SEGMENT = /\/\.|%2e/i;

export function requestTarget(target: string | undefined): RequestTarget {
  const raw = target || '/';
  const question = raw.indexOf('?');
  const path = question < 0 ? raw : raw.slice(0, question);
  if (PLAIN_TARGET.test(raw) && !DOT_SEGMENT.test(path)) return { pathname: path, query: question < 0 ? '' : raw.slice(question + 1) };
  const url = new URL(raw, 'http://local');
  return { pathname: url.pathname, query: url.search.slice(1) };
}
