"""{{functionName}}: processes records from a Kinesis data stream.

Producers put bytes into the stream; Lambda delivers them base64-encoded in
record["kinesis"]["data"]. They are decoded here and parsed as JSON when
they are JSON (text otherwise).

Records of a shard arrive in order, and Lambda will not move past a failed
one. With FunctionResponseTypes: [ReportBatchItemFailures], returning the
sequence number of the first failure retries from that record only, instead
of the whole batch; records after it are left for the retry, to keep the
order.
"""

import base64
import json
from typing import Any


def decode(data: str) -> Any:
    """base64 -> JSON value, or text when it is not JSON. Raises on invalid base64 or UTF-8."""
    raw = base64.b64decode(data, validate=True)
    text = raw.decode("utf-8")
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def process_record(payload: Any, record: dict[str, Any]) -> None:
    # Your business logic. Make it idempotent: after a failure the records from the
    # failed one onwards are delivered again.
    print(json.dumps({
        "message": "record",
        "partitionKey": record["kinesis"].get("partitionKey"),
        "sequenceNumber": record["kinesis"].get("sequenceNumber"),
        "payload": payload,
    }))


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    records = event.get("Records", [])
    for record in records:
        sequence_number = record["kinesis"]["sequenceNumber"]
        try:
            process_record(decode(record["kinesis"]["data"]), record)
        except Exception as err:  # noqa: BLE001 - report the record, do not fail the whole batch
            print(json.dumps({"level": "error", "sequenceNumber": sequence_number, "type": type(err).__name__, "error": str(err), "requestId": context.aws_request_id}))
            # Stop here: the shard is retried from this record, so the ones after it must wait to keep the order.
            return {"batchItemFailures": [{"itemIdentifier": sequence_number}]}

    print(json.dumps({"message": "batch done", "records": len(records), "requestId": context.aws_request_id}))
    return {"batchItemFailures": []}
