"""{{functionName}}: reuse one AWS client across warm invocations.

GET /items/{id} reads the item from the DynamoDB table TABLE_NAME (key
attribute "id", a string) and returns it as JSON.

Why the client is created at module level, outside the handler: Lambda runs
this module once per execution environment, then calls lambda_handler for
every event that environment serves. A client made here resolves credentials
and configuration once, and its connection pool keeps the TCP and TLS
connection to DynamoDB open between calls, so a warm invocation skips those
handshakes (often tens of milliseconds). A client made inside the handler
would redo all of that on every call.
"""

import json
import os
from decimal import Decimal
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer

TABLE_NAME = os.environ.get("TABLE_NAME", "items")

# Once per execution environment (see above). AWS_ENDPOINT_URL(_DYNAMODB) points
# it at a local emulator in tests.
dynamodb = boto3.client(
    "dynamodb",
    # boto3 1.28+ (as in the Lambda runtime) reads these variables itself; passing them
    # also covers older local installs. None means the real AWS endpoint.
    endpoint_url=os.environ.get("AWS_ENDPOINT_URL_DYNAMODB") or os.environ.get("AWS_ENDPOINT_URL"),
)
deserializer = TypeDeserializer()

# Module state survives between warm invocations too: 1 means this call was a cold start.
invocations = 0

HEADERS = {"Content-Type": "application/json"}


def to_json(value: Any) -> Any:
    """json.dumps fallback for the types TypeDeserializer produces."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    return str(value)


def response(status: int, body: Any) -> dict[str, Any]:
    return {"statusCode": status, "headers": HEADERS, "body": json.dumps(body, default=to_json)}


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    global invocations
    invocations += 1
    print(json.dumps({"message": "invocation", "invocation": invocations, "coldStart": invocations == 1, "requestId": context.aws_request_id}))

    # The route /items/{id} fills pathParameters; fall back to the last path segment.
    item_id = (event.get("pathParameters") or {}).get("id") or (event.get("rawPath") or "").rstrip("/").rsplit("/", 1)[-1]
    if not item_id or item_id == "items":
        return response(400, {"error": "Call /items/{id}"})

    try:
        result = dynamodb.get_item(TableName=TABLE_NAME, Key={"id": {"S": item_id}})
    except Exception as err:  # noqa: BLE001 - answer 500 with the reason instead of crashing
        error = {"type": type(err).__name__, "message": str(err)}
        print(json.dumps({"level": "error", "error": error, "table": TABLE_NAME, "id": item_id}))
        return response(500, {"error": error})

    if "Item" not in result:
        return response(404, {"error": f"No item with id {item_id}"})
    item = {name: deserializer.deserialize(value) for name, value in result["Item"].items()}
    return response(200, {"item": item, "invocation": invocations})
