"""{{functionName}}: receives SNS notifications and logs each message.

SNS invokes the function asynchronously. If the handler raises, Lambda retries
the event (twice by default) and then sends it to the function's on-failure
destination or dead-letter queue if one is configured; so raise only for
failures worth retrying, and make the processing idempotent.
"""

import json
from typing import Any


def parse_message(message: str) -> Any:
    """Publishers often send JSON; fall back to the raw text when it is not."""
    try:
        return json.loads(message)
    except json.JSONDecodeError:
        return message


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    records = event.get("Records", [])
    for record in records:
        sns = record["Sns"]
        print(json.dumps({
            "message": "notification",
            "messageId": sns.get("MessageId"),
            "topicArn": sns.get("TopicArn"),
            # Subject is optional: null when the publisher set none.
            "subject": sns.get("Subject"),
            "body": parse_message(sns.get("Message") or ""),
            "attributes": {name: attr.get("Value") for name, attr in (sns.get("MessageAttributes") or {}).items()},
        }))
    # SNS ignores the return value; it only shows up in local runs and tests.
    return {"processed": len(records), "requestId": context.aws_request_id}
