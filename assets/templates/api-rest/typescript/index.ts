// {{functionName}}: one route of an API Gateway REST API (proxy integration, payload v1).
//
// API Gateway passes the whole HTTP request as the event and expects { statusCode, headers, body } back, with
// body a string. A malformed request is answered with 400 here rather than thrown: an uncaught error becomes a
// 502 "Internal server error" that tells the caller nothing.
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

// Sent with every response; add CORS headers here if browsers call this API from another origin.
const HEADERS = { 'Content-Type': 'application/json' };

const response = (statusCode: number, body: unknown): APIGatewayProxyResult => ({ statusCode, headers: HEADERS, body: JSON.stringify(body) });

/** The request body as JSON (undefined when there is none). Throws SyntaxError when it is not valid JSON. */
function parseJsonBody(event: APIGatewayProxyEvent): unknown {
  if (!event.body) return undefined;
  // Binary media types arrive base64-encoded.
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  return JSON.parse(text);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export const handler = async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
  const { httpMethod: method, path } = event;
  console.log(JSON.stringify({ message: 'request', method, path, requestId: context.awsRequestId }));

  let payload: unknown;
  try {
    payload = parseJsonBody(event);
  } catch (error) {
    console.warn(JSON.stringify({ message: 'malformed JSON body', error: error instanceof Error ? error.message : String(error) }));
    return response(400, { error: 'Request body must be valid JSON' });
  }
  if (payload !== undefined && !isObject(payload)) {
    return response(400, { error: 'Request body must be a JSON object' });
  }

  // queryStringParameters is null, not {}, when the URL has no query string.
  const name = payload?.name ?? event.queryStringParameters?.name ?? 'world';
  if (typeof name !== 'string' || name.length > 100) {
    return response(400, { error: "'name' must be a string of at most 100 characters" });
  }

  return response(200, { message: `Hello, ${name}!`, method, path });
};
