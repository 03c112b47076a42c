// {{functionName}}: one route of an API Gateway REST API (proxy integration, payload v1).
//
// API Gateway passes the whole HTTP request as the event and expects { statusCode, headers, body } back, with
// body a string. A malformed request is answered with 400 here rather than thrown: an uncaught error becomes a
// 502 "Internal server error" that tells the caller nothing.

// Sent with every response; add CORS headers here if browsers call this API from another origin.
const HEADERS = { 'Content-Type': 'application/json' };

const response = (statusCode, body) => ({ statusCode, headers: HEADERS, body: JSON.stringify(body) });

/** The request body as JSON (undefined when there is none). Throws SyntaxError when it is not valid JSON. */
function parseJsonBody(event) {
  if (!event.body) return undefined;
  // Binary media types arrive base64-encoded.
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  return JSON.parse(text);
}

export const handler = async (event, context) => {
  const { httpMethod: method, path } = event;
  console.log(JSON.stringify({ message: 'request', method, path, requestId: context.awsRequestId }));

  let payload;
  try {
    payload = parseJsonBody(event);
  } catch (error) {
    console.warn(JSON.stringify({ message: 'malformed JSON body', error: error.message }));
    return response(400, { error: 'Request body must be valid JSON' });
  }
  if (payload !== undefined && (payload === null || typeof payload !== 'object' || Array.isArray(payload))) {
    return response(400, { error: 'Request body must be a JSON object' });
  }

  // queryStringParameters is null, not {}, when the URL has no query string.
  const name = payload?.name ?? event.queryStringParameters?.name ?? 'world';
  if (typeof name !== 'string' || name.length > 100) {
    return response(400, { error: "'name' must be a string of at most 100 characters" });
  }

  return response(200, { message: `Hello, ${name}!`, method, path });
};
