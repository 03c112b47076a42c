// {{functionName}}: one function serving several routes of an HTTP API (payload 2.0).
//
// One function or one per route?
//   One function per route (GET /users -> its own function) gives each route its own scaling and concurrency
//   limits, its own least-privilege IAM role, independent deploys and rollbacks, and a smaller package, so faster
//   cold starts. One routing function (this template) shares code, configuration and warm environments between
//   routes and means fewer resources to deploy and watch. Start with one router while the routes share data and
//   permissions; split a route out when it needs different permissions, memory, timeouts or scaling, or when its
//   deploys should not risk the others.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

type Result = APIGatewayProxyStructuredResultV2;
type Route = (event: APIGatewayProxyEventV2) => Promise<Result>;

interface User { id: string; name: string }
interface Movie { id: string; title: string; year: number; genre: string }

const HEADERS = { 'Content-Type': 'application/json' };

// Sample data kept in memory so the template runs anywhere; replace it with a real store.
const USERS: User[] = [
  { id: '1', name: 'Ada Lovelace' },
  { id: '2', name: 'Alan Turing' },
];
const MOVIES: Movie[] = [
  { id: '1', title: 'Metropolis', year: 1927, genre: 'science-fiction' },
  { id: '2', title: 'Casablanca', year: 1942, genre: 'drama' },
];
const GENRES: string[] = ['drama', 'science-fiction'];

const response = (statusCode: number, body: unknown, headers: Record<string, string> = {}): Result => ({
  statusCode, headers: { ...HEADERS, ...headers }, body: JSON.stringify(body),
});

// path -> { method -> handler }. Keyed by path first so an unknown method on a known path is a 405, not a 404.
const ROUTES: Record<string, Record<string, Route>> = {
  '/users': { GET: async () => response(200, { users: USERS }) },
  '/movies': { GET: async () => response(200, { movies: MOVIES }) },
  '/genres': { GET: async () => response(200, { genres: GENRES }) },
};

export const handler = async (event: APIGatewayProxyEventV2, context: Context): Promise<Result> => {
  const method = event.requestContext.http.method;
  // "/users/" and "/users" are the same route.
  const path = (event.rawPath || '/').replace(/\/+$/, '') || '/';
  console.log(JSON.stringify({ message: 'request', method, path, requestId: context.awsRequestId }));

  // Object.hasOwn, so that paths such as "/constructor" cannot reach Object.prototype.
  if (!Object.hasOwn(ROUTES, path)) return response(404, { error: `No route for ${path}` });
  const methods = ROUTES[path];
  const route = Object.hasOwn(methods, method) ? methods[method] : undefined;
  if (!route) {
    // 405 must say which methods the path does accept.
    return response(405, { error: `${method} is not allowed on ${path}` }, { Allow: Object.keys(methods).sort().join(', ') });
  }
  return route(event);
};
