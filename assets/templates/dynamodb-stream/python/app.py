"""{{functionName}}: handles the records of a DynamoDB stream.

Each record says what happened to one item (INSERT, MODIFY, REMOVE) and, with
the NEW_AND_OLD_IMAGES stream view, carries the item before and after, in
DynamoDB's typed JSON ({"S": "text"}, {"N": "42"}, ...), turned into plain
values here.

Records of a shard arrive in order, and Lambda will not move past a failed
one. With FunctionResponseTypes: [ReportBatchItemFailures], returning the
sequence number of the first failure retries from that record only, instead
of the whole batch. Later records are not processed in the meantime, so
that the order is kept.
"""

import base64
import json
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import Binary, TypeDeserializer

# Stateless: build it once, not once per record.
deserializer = TypeDeserializer()


def unmarshall(image: dict[str, Any] | None) -> dict[str, Any] | None:
    """DynamoDB typed JSON -> plain Python values (numbers become Decimal, sets become set)."""
    if image is None:
        return None
    return {name: deserializer.deserialize(value) for name, value in image.items()}


def to_json(value: Any) -> Any:
    """json.dumps fallback for the types TypeDeserializer produces."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, Binary):
        return base64.b64encode(value.value).decode("ascii")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def handle_insert(new: dict[str, Any] | None) -> None:
    print(json.dumps({"message": "item created", "item": new}, default=to_json))


def handle_modify(old: dict[str, Any] | None, new: dict[str, Any] | None) -> None:
    # Which attributes changed (requires the NEW_AND_OLD_IMAGES stream view).
    old, new = old or {}, new or {}
    changed = sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name))
    print(json.dumps({"message": "item updated", "changed": changed, "item": new}, default=to_json))


def handle_remove(old: dict[str, Any] | None) -> None:
    print(json.dumps({"message": "item deleted", "item": old}, default=to_json))


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    records = event.get("Records", [])
    for record in records:
        stream = record.get("dynamodb", {})
        try:
            keys = unmarshall(stream.get("Keys"))
            new = unmarshall(stream.get("NewImage"))
            old = unmarshall(stream.get("OldImage"))
            name = record.get("eventName")
            print(json.dumps({"message": "record", "eventName": name, "keys": keys, "sequenceNumber": stream.get("SequenceNumber")}, default=to_json))
            if name == "INSERT":
                handle_insert(new)
            elif name == "MODIFY":
                handle_modify(old, new)
            elif name == "REMOVE":
                handle_remove(old)
            else:
                print(json.dumps({"level": "warn", "message": "unknown event name", "eventName": name}))
        except Exception as err:  # noqa: BLE001 - report the record, do not fail the whole batch
            print(json.dumps({"level": "error", "sequenceNumber": stream.get("SequenceNumber"), "type": type(err).__name__, "error": str(err), "requestId": context.aws_request_id}))
            # Stop here: the stream is retried from this record, so the ones after it must wait to keep the order.
            return {"batchItemFailures": [{"itemIdentifier": stream.get("SequenceNumber")}]}

    print(json.dumps({"message": "batch done", "records": len(records), "requestId": context.aws_request_id}))
    return {"batchItemFailures": []}
