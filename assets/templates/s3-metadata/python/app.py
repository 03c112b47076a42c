"""{{functionName}}: when an object is uploaded to S3, log its metadata.

S3 invokes the function with an event naming the bucket and key; the
function asks S3 for the object's metadata (HeadObject: no body is
downloaded) and logs it as one JSON line.
"""

import json
import os
from datetime import datetime, timezone
from typing import Any
from urllib.parse import unquote_plus

import boto3

# Created once per execution environment, outside the handler, so warm
# invocations reuse its connections and credentials. AWS_ENDPOINT_URL(_S3)
# points it at a local emulator in tests.
s3 = boto3.client(
    "s3",
    # boto3 1.28+ (as in the Lambda runtime) reads these variables itself; passing them
    # also covers older local installs. None means the real AWS endpoint.
    endpoint_url=os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL"),
)


def iso_utc(value: datetime) -> str:
    return value.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    try:
        # S3 sends one record per notification.
        record = event["Records"][0]["s3"]
        bucket = record["bucket"]["name"]
        # Keys arrive URL-encoded, with spaces as '+': "my photo.jpg" is "my+photo.jpg".
        key = unquote_plus(record["object"]["key"])

        head = s3.head_object(Bucket=bucket, Key=key)
        last_modified = head.get("LastModified")
        # Named as in the S3 API; the date in the same ISO-8601 form JavaScript's toISOString() prints.
        metadata = {
            "Bucket": bucket,
            "Key": key,
            "ContentType": head.get("ContentType"),
            "ContentLength": head.get("ContentLength"),
            "LastModified": iso_utc(last_modified) if last_modified else None,
        }
        line = json.dumps(metadata)
        print(line)
        return {"statusCode": 200, "body": line}
    except Exception as err:  # noqa: BLE001 - report every failure as a handled error, never crash the invocation
        # A missing object, a denied request or a malformed event all end here.
        # Returning (not raising) keeps S3 from retrying an event that will fail again.
        error = {"error": {"type": type(err).__name__, "message": str(err)}}
        print(json.dumps({"level": "error", **error, "requestId": context.aws_request_id}))
        return {"statusCode": 500, "body": json.dumps(error)}
