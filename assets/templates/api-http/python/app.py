"""{{functionName}}: one route of an API Gateway HTTP API (payload format 2.0).

Payload 2.0 differs from REST APIs (v1): the method and path are in
requestContext.http and rawPath, repeated query parameters are comma-joined,
and cookies have their own array. The response is {statusCode, headers, body};
malformed input gets a 400 here rather than an exception, which API Gateway
would turn into an opaque 500 "Internal Server Error".
"""

import base64
import json
from typing import Any

# Sent with every response; configure CORS on the HTTP API itself rather than here.
HEADERS = {"Content-Type": "application/json"}


def response(status: int, body: Any) -> dict[str, Any]:
    return {"statusCode": status, "headers": HEADERS, "body": json.dumps(body)}


def parse_json_body(event: dict[str, Any]) -> Any:
    """The request body as JSON (None when there is none). Raises ValueError when it is not valid JSON."""
    body = event.get("body")
    if not body:
        return None
    # HTTP APIs base64-encode any body they do not consider text.
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8")
    return json.loads(body)


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    http = event.get("requestContext", {}).get("http", {})
    method, path = http.get("method"), event.get("rawPath")
    print(json.dumps({"message": "request", "method": method, "path": path, "requestId": context.aws_request_id}))

    try:
        payload = parse_json_body(event)
    except (ValueError, UnicodeDecodeError) as err:  # json.JSONDecodeError is a ValueError
        print(json.dumps({"level": "warn", "message": "malformed JSON body", "error": str(err)}))
        return response(400, {"error": "Request body must be valid JSON"})

    if payload is not None and not isinstance(payload, dict):
        return response(400, {"error": "Request body must be a JSON object"})

    # queryStringParameters is absent (not {}) when the URL has no query string.
    query = event.get("queryStringParameters") or {}
    name = (payload or {}).get("name") or query.get("name") or "world"
    if not isinstance(name, str) or len(name) > 100:
        return response(400, {"error": "'name' must be a string of at most 100 characters"})

    return response(200, {"message": f"Hello, {name}!", "method": method, "path": path})
