import type { CorsConfig } from './apiRoutes';

const allows = (list: readonly string[], value: string): boolean => list.includes('*') || list.some((x) => x.toLowerCase() === value.toLowerCase());

/** Whether a CORS configuration lets this origin call (what the Origin check of the server also consults). */
export function originAllowed(cors: CorsConfig | undefined, origin: string): boolean {
  return !!cors && allows(cors.allowOrigins, origin);
}

/**
 * The answer to a CORS preflight, made by the gateway without invoking the function (as HTTP APIs, function URLs
 * and SAM's generated OPTIONS methods answer it); undefined when the configuration does not allow the request.
 */
export function preflightHeaders(cors: CorsConfig, origin: string, method: string, requestHeaders: string): [string, string][] | undefined {
  if (!originAllowed(cors, origin) || !allows(cors.allowMethods, method)) return undefined;
  const asked = requestHeaders.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  if (!asked.every((h) => allows(cors.allowHeaders, h))) return undefined;
  const headers: [string, string][] = [
    ['access-control-allow-origin', cors.allowOrigins.includes('*') && !cors.allowCredentials ? '*' : origin],
    ['access-control-allow-methods', cors.allowMethods.includes('*') ? method : cors.allowMethods.join(',')],
  ];
  if (asked.length) headers.push(['access-control-allow-headers', cors.allowHeaders.includes('*') ? asked.join(',') : cors.allowHeaders.join(',')]);
  if (cors.allowCredentials) headers.push(['access-control-allow-credentials', 'true']);
  if (cors.maxAge !== undefined) headers.push(['access-control-max-age', String(cors.maxAge)]);
  if (!cors.allowOrigins.includes('*') || cors.allowCredentials) headers.push(['vary', 'Origin']);
  return headers;
}

/** The CORS headers HTTP APIs and function URLs add to an actual response (REST leaves that to the function). */
export function responseCorsHeaders(cors: CorsConfig | undefined, origin: string | undefined): [string, string][] {
  if (!cors || !origin || !originAllowed(cors, origin)) return [];
  const headers: [string, string][] = [['access-control-allow-origin', cors.allowOrigins.includes('*') && !cors.allowCredentials ? '*' : origin]];
  if (cors.allowCredentials) headers.push(['access-control-allow-credentials', 'true']);
  if (cors.exposeHeaders.length) headers.push(['access-control-expose-headers', cors.exposeHeaders.join(',')]);
  return headers;
}
