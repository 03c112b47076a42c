"""{{functionName}}: processes a batch of SQS messages with partial batch responses.

Lambda hands the function up to BatchSize messages at once. Returning
{"batchItemFailures": [{"itemIdentifier": messageId}, ...]} (with
FunctionResponseTypes: [ReportBatchItemFailures] on the event source) puts
only those messages back on the queue; the rest are deleted. Raising instead
would return the whole batch, and the good messages would be processed again.
"""

import json
from typing import Any

# Fields every message body must carry; a message without them is reported as failed.
REQUIRED_FIELDS = ("orderId", "quantity")


class InvalidMessage(ValueError):
    """The message can never succeed (bad JSON, missing field): retrying will not help."""


def parse_message(body: str) -> dict[str, Any]:
    try:
        message = json.loads(body)
    except json.JSONDecodeError as err:
        raise InvalidMessage(f"body is not JSON: {err}") from err
    if not isinstance(message, dict):
        raise InvalidMessage("body is not a JSON object")
    missing = [field for field in REQUIRED_FIELDS if field not in message]
    if missing:
        raise InvalidMessage(f"missing field(s): {', '.join(missing)}")
    return message


def process_message(message: dict[str, Any]) -> None:
    # Your business logic. Make it idempotent: SQS delivers at least once, so a
    # message can arrive twice (e.g. after a timeout or a partial failure).
    print(json.dumps({"message": "processed order", "orderId": message["orderId"], "quantity": message["quantity"]}))


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    records = event.get("Records", [])
    failures: list[dict[str, str]] = []
    fifo_failed = False

    for record in records:
        message_id = record["messageId"]
        # In a FIFO queue, later messages must wait for a failed one to keep their order,
        # so once one fails the rest of the batch is reported as failed too.
        if fifo_failed:
            failures.append({"itemIdentifier": message_id})
            continue
        try:
            process_message(parse_message(record["body"]))
        except Exception as err:  # noqa: BLE001 - one bad message must not fail the whole batch
            print(json.dumps({"level": "error", "messageId": message_id, "type": type(err).__name__, "error": str(err)}))
            failures.append({"itemIdentifier": message_id})
            fifo_failed = record.get("eventSourceARN", "").endswith(".fifo")

    print(json.dumps({"message": "batch done", "received": len(records), "failed": len(failures), "requestId": context.aws_request_id}))
    # Messages that keep failing go to the queue's dead-letter queue after maxReceiveCount attempts; configure one.
    return {"batchItemFailures": failures}
