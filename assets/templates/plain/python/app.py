"""{{functionName}}: a minimal Lambda handler.

Lambda imports this module once per execution environment and then calls
lambda_handler for every event, so anything at module level (clients,
configuration) is set up once and reused while the environment stays warm.
"""

import json
import os
from typing import Any

# Read configuration once, at import time, instead of on every call.
GREETING = os.environ.get("GREETING", "Hello from {{functionName}}")


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # One JSON document per line: CloudWatch Logs Insights can then query the fields.
    print(json.dumps({"message": "event received", "requestId": context.aws_request_id, "event": event}))

    # Whatever is returned is serialised to JSON and handed back to the caller
    # (ignored for asynchronous triggers such as schedules).
    return {
        "message": GREETING,
        "source": event.get("source") if isinstance(event, dict) else None,
        "requestId": context.aws_request_id,
        "remainingTimeMs": context.get_remaining_time_in_millis(),
    }
