"""{{functionName}}: one route of an API Gateway REST API (proxy integration, payload v1).

API Gateway passes the whole HTTP request as the event and expects
{statusCode, headers, body} back, with body a string. A malformed request is
answered with 400 here rather than raised: an uncaught exception becomes a
502 "Internal server error" that tells the caller nothing.
"""

import base64
import json
from typing import Any

# Sent with every response; add CORS headers here if browsers call this API from another origin.
HEADERS = {"Content-Type": "application/json"}


def response(status: int, body: Any) -> dict[str, Any]:
    return {"statusCode": status, "headers": HEADERS, "body": json.dumps(body)}


def parse_json_body(event: dict[str, Any]) -> Any:
    """The request body as JSON (None when there is none). Raises ValueError when it is not valid JSON."""
    body = event.get("body")
    if not body:
        return None
    # Binary media types arrive base64-encoded.
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8")
    return json.loads(body)


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    method = event.get("httpMethod")
    path = event.get("path")
    print(json.dumps({"message": "request", "method": method, "path": path, "requestId": context.aws_request_id}))

    try:
        payload = parse_json_body(event)
    except (ValueError, UnicodeDecodeError) as err:  # json.JSONDecodeError is a ValueError
        print(json.dumps({"level": "warn", "message": "malformed JSON body", "error": str(err)}))
        return response(400, {"error": "Request body must be valid JSON"})

    if payload is not None and not isinstance(payload, dict):
        return response(400, {"error": "Request body must be a JSON object"})

    # queryStringParameters is null (None), not {}, when the URL has no query string.
    query = event.get("queryStringParameters") or {}
    name = (payload or {}).get("name") or query.get("name") or "world"
    if not isinstance(name, str) or len(name) > 100:
        return response(400, {"error": "'name' must be a string of at most 100 characters"})

    return response(200, {"message": f"Hello, {name}!", "method": method, "path": path})
