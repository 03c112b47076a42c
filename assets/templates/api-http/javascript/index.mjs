// {{functionName}}: one route of an API Gateway HTTP API (payload format 2.0).
//
// Payload 2.0 differs from REST APIs (v1): the method and path are in requestContext.http and rawPath, repeated
// query parameters are comma-joined, and cookies have their own array. The response is { statusCode, headers,
// body }; malformed input gets a 400 here rather than a thrown error, which API Gateway would turn into an opaque
// 500 "Internal Server Error".

// Sent with every response; configure CORS on the HTTP API itself rather than here.
const HEADERS = { 'Content-Type': 'application/json' };

const response = (statusCode, body) => ({ statusCode, headers: HEADERS, body: JSON.stringify(body) });

/** The request body as JSON (undefined when there is none). Throws SyntaxError when it is not valid JSON. */
function parseJsonBody(event) {
  if (!event.body) return undefined;
  // HTTP APIs base64-encode any body they do not consider text.
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  return JSON.parse(text);
}

export const handler = async (event, context) => {
  const method = event.requestContext?.http?.method;
  const path = event.rawPath;
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

  // queryStringParameters is absent (not {}) when the URL has no query string.
  const name = payload?.name ?? event.queryStringParameters?.name ?? 'world';
  if (typeof name !== 'string' || name.length > 100) {
    return response(400, { error: "'name' must be a string of at most 100 characters" });
  }

  return response(200, { message: `Hello, ${name}!`, method, path });
};
