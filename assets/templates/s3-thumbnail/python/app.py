"""{{functionName}}: when an image is uploaded to S3, write a thumbnail of it.

The image is read with GetObject, shrunk to fit in 200 x 200 px (keeping its
aspect ratio and format) and written with PutObject to THUMBNAIL_BUCKET (by
default the same bucket) under THUMBNAIL_PREFIX (default "thumbnails/").
For a separate "<bucket>-thumbnails" bucket set THUMBNAIL_BUCKET to it (and
THUMBNAIL_PREFIX to "" if you want the same keys there).
"""

import io
import json
import os
from typing import Any
from urllib.parse import unquote_plus

import boto3
# Imported at module level: loading Pillow's native code is part of the cold
# start, not of every invocation.
from PIL import Image, ImageOps

MAX_SIZE = (200, 200)
THUMBNAIL_PREFIX = os.environ.get("THUMBNAIL_PREFIX", "thumbnails/")
THUMBNAIL_BUCKET = os.environ.get("THUMBNAIL_BUCKET", "")
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff")

# Created once per execution environment and reused by warm invocations.
# AWS_ENDPOINT_URL(_S3) points it at a local emulator in tests.
s3 = boto3.client(
    "s3",
    # boto3 1.28+ (as in the Lambda runtime) reads these variables itself; passing them
    # also covers older local installs. None means the real AWS endpoint.
    endpoint_url=os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL"),
)


def skipped(bucket: str, key: str, reason: str) -> dict[str, Any]:
    body = json.dumps({"skipped": {"bucket": bucket, "key": key, "reason": reason}})
    print(body)
    return {"statusCode": 200, "body": body}


def make_thumbnail(data: bytes) -> tuple[bytes, str, tuple[int, int]]:
    """Returns the thumbnail's bytes, its MIME type and its size."""
    with Image.open(io.BytesIO(data)) as original:
        image_format = original.format or "PNG"
        # Phone cameras store rotation in EXIF; apply it or the thumbnail comes out sideways.
        image = ImageOps.exif_transpose(original)
        image.thumbnail(MAX_SIZE)  # in place, keeps the aspect ratio, never enlarges
        out = io.BytesIO()
        image.save(out, format=image_format)
        return out.getvalue(), Image.MIME.get(image_format, "application/octet-stream"), image.size


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    try:
        # S3 sends one record per notification.
        record = event["Records"][0]["s3"]
        bucket = record["bucket"]["name"]
        # Keys arrive URL-encoded, with spaces as '+'.
        key = unquote_plus(record["object"]["key"])
        target_bucket = THUMBNAIL_BUCKET or bucket

        # Writing the thumbnail is itself an upload that triggers this function again.
        # Without this check each thumbnail would get a thumbnail of its own, forever:
        # an endless, billed loop. (With the same bucket and an empty prefix every key
        # matches, which is right: the thumbnail would overwrite the original.)
        if target_bucket == bucket and key.startswith(THUMBNAIL_PREFIX):
            return skipped(bucket, key, f"already under {THUMBNAIL_PREFIX!r}")
        if not key.lower().endswith(IMAGE_EXTENSIONS):
            return skipped(bucket, key, "not an image")

        source = s3.get_object(Bucket=bucket, Key=key)
        thumbnail, content_type, (width, height) = make_thumbnail(source["Body"].read())

        target_key = THUMBNAIL_PREFIX + key
        s3.put_object(Bucket=target_bucket, Key=target_key, Body=thumbnail, ContentType=content_type)

        result = json.dumps({
            "source": {"bucket": bucket, "key": key},
            "thumbnail": {"bucket": target_bucket, "key": target_key, "width": width, "height": height, "size": len(thumbnail), "contentType": content_type},
        })
        print(result)
        return {"statusCode": 200, "body": result}
    except Exception as err:  # noqa: BLE001 - report every failure as a handled error, never crash the invocation
        # A missing object, a denied request or a file that is not a readable image all end here.
        # Returning (not raising) keeps S3 from retrying an event that will fail again.
        error = {"error": {"type": type(err).__name__, "message": str(err)}}
        print(json.dumps({"level": "error", **error, "requestId": context.aws_request_id}))
        return {"statusCode": 500, "body": json.dumps(error)}
