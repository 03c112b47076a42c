import type { ApiRoute } from './apiRoutes';

export interface RouteMatch {
  readonly route: ApiRoute;
  /** Decoded values of `{name}` and `{name+}` segments. */
  readonly pathParameters: Record<string, string>;
}

type Segment = { kind: 'literal'; text: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

interface Compiled {
  readonly route: ApiRoute;
  readonly segments: Segment[];
}

const splitPath = (path: string): string[] => path.split('/').filter((s) => s.length > 0);

function compile(route: ApiRoute): Compiled {
  const segments = route.path === '$default' ? [] : splitPath(route.path).map((s): Segment => {
    const greedy = /^\{(.+)\+\}$/.exec(s);
    if (greedy) return { kind: 'greedy', name: greedy[1] };
    const param = /^\{(.+)\}$/.exec(s);
    return param ? { kind: 'param', name: param[1] } : { kind: 'literal', text: s };
  });
  return { route, segments };
}

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** The path parameters when `parts` fits the route's segments, else undefined. A greedy segment takes one or more. */
function fit(c: Compiled, parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < c.segments.length; i++) {
    const s = c.segments[i];
    if (s.kind === 'greedy') {
      if (i !== c.segments.length - 1 || parts.length <= i) return undefined;
      params[s.name] = parts.slice(i).map(decode).join('/');
      return params;
    }
    if (i >= parts.length) return undefined;
    if (s.kind === 'literal' && s.text !== parts[i]) return undefined;
    if (s.kind === 'param') params[s.name] = decode(parts[i]);
  }
  return parts.length === c.segments.length ? params : undefined;
}

const RANK = { literal: 3, param: 2, greedy: 1 } as const;

/** API Gateway's precedence: segment by segment, a literal beats a `{param}` beats a `{greedy+}`; then a route with
 *  the request's own method beats `ANY`; `$default` only when nothing else matches. */
function precedence(a: Compiled, b: Compiled, method: string): number {
  const aDefault = a.route.path === '$default';
  const bDefault = b.route.path === '$default';
  if (aDefault !== bDefault) return aDefault ? 1 : -1;
  for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i++) {
    const ra = a.segments[i] ? RANK[a.segments[i].kind] : 0;
    const rb = b.segments[i] ? RANK[b.segments[i].kind] : 0;
    if (ra !== rb) return rb - ra;
  }
  const am = a.route.method === method ? 1 : 0;
  const bm = b.route.method === method ? 1 : 0;
  return bm - am;
}

/** Routes of one API (or of one port), matched as API Gateway matches them. */
export class ApiRouter {
  private readonly compiled: Compiled[];

  constructor(routes: readonly ApiRoute[]) {
    this.compiled = routes.map(compile);
  }

  get routes(): readonly ApiRoute[] { return this.compiled.map((c) => c.route); }

  /** The route for a request (`anyMethod`: a route of that path whatever its method, for a CORS preflight). */
  match(method: string, path: string, options: { anyMethod?: boolean } = {}): RouteMatch | undefined {
    const parts = splitPath(path);
    const candidates: { c: Compiled; params: Record<string, string> }[] = [];
    for (const c of this.compiled) {
      if (!options.anyMethod && c.route.method !== 'ANY' && c.route.method !== method) continue;
      const params = c.route.path === '$default' ? {} : fit(c, parts);
      if (params) candidates.push({ c, params });
    }
    if (candidates.length === 0) return undefined;
    candidates.sort((x, y) => precedence(x.c, y.c, method));
    return { route: candidates[0].c.route, pathParameters: candidates[0].params };
  }
}

/** `GET /users/{id}`, or `$default`: the route key HTTP API events carry. */
export const routeKey = (route: ApiRoute): string => (route.path === '$default' ? '$default' : `${route.method} ${route.path}`);

/** A route one API of a shared port matched, with the path it was addressed by: its own, or with the stage in front
 *  when the request named the stage (`/Prod/hello` for a REST route `/hello`). */
export interface AddressedMatch { readonly route: ApiRoute; readonly addressedPath: string }

/** The most specific of the matches several APIs on one port found for a request, by API Gateway's precedence over
 *  the paths as addressed (a named stage counts as literal segments); the earlier one on a tie. */
export function mostSpecific<T extends AddressedMatch>(matches: readonly T[], method: string): T | undefined {
  const ranked = matches.map((m, order) => ({ m, order, c: compile({ ...m.route, path: m.route.path === '$default' ? '$default' : m.addressedPath }) }));
  ranked.sort((x, y) => precedence(x.c, y.c, method) || x.order - y.order);
  return ranked[0]?.m;
}
