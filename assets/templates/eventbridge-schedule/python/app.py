"""{{functionName}}: scheduled EBS snapshots with retention.

Runs on a schedule (EventBridge). Every EC2 volume tagged
SNAPSHOT_TAG_KEY=SNAPSHOT_TAG_VALUE (default Backup=true) gets a snapshot,
tagged CreatedBy=lambda-workbench-{{functionName}}; then the snapshots
carrying that same tag and older than RETENTION_DAYS (default 7) are
deleted. Filtering on the tag means pruning only ever touches snapshots this
function made, never ones made by hand or by other tools.

A failure on one volume or snapshot is logged and the job carries on with
the others; the returned summary lists every error. Create a CloudWatch
metric filter / alarm on "errors" to hear about them.
"""

import json
import os
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3

TAG_KEY = os.environ.get("SNAPSHOT_TAG_KEY", "Backup")
TAG_VALUE = os.environ.get("SNAPSHOT_TAG_VALUE", "true")
RETENTION_DAYS = os.environ.get("RETENTION_DAYS", "7")
CREATED_BY = "lambda-workbench-{{functionName}}"

# Created once per execution environment and reused by warm invocations.
# AWS_ENDPOINT_URL(_EC2) points it at a local emulator in tests.
ec2 = boto3.client(
    "ec2",
    # boto3 1.28+ (as in the Lambda runtime) reads these variables itself; passing them
    # also covers older local installs. None means the real AWS endpoint.
    endpoint_url=os.environ.get("AWS_ENDPOINT_URL_EC2") or os.environ.get("AWS_ENDPOINT_URL"),
)


def error_entry(step: str, err: Exception, **ids: str) -> dict[str, Any]:
    entry = {"step": step, **ids, "type": type(err).__name__, "error": str(err)}
    print(json.dumps({"level": "error", **entry}))
    return entry


def tagged_volumes() -> list[dict[str, Any]]:
    # DescribeVolumes pages its results; the paginator follows NextToken for us.
    paginator = ec2.get_paginator("describe_volumes")
    pages = paginator.paginate(Filters=[{"Name": "tag:" + TAG_KEY, "Values": [TAG_VALUE]}])
    return [volume for page in pages for volume in page["Volumes"]]


def own_snapshots() -> list[dict[str, Any]]:
    # OwnerIds=self: without it DescribeSnapshots also lists every public snapshot.
    paginator = ec2.get_paginator("describe_snapshots")
    pages = paginator.paginate(OwnerIds=["self"], Filters=[{"Name": "tag:CreatedBy", "Values": [CREATED_BY]}])
    return [snapshot for page in pages for snapshot in page["Snapshots"]]


def retention_days() -> int:
    days = int(RETENTION_DAYS)
    if days < 1:
        raise ValueError(f"RETENTION_DAYS must be at least 1 (got {RETENTION_DAYS!r})")
    return days


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    created: list[dict[str, str]] = []
    deleted: list[str] = []
    errors: list[dict[str, Any]] = []
    volumes: list[dict[str, Any]] = []
    listed = False

    # 1. Snapshot every tagged volume.
    try:
        volumes = tagged_volumes()
        listed = True
    except Exception as err:  # noqa: BLE001 - logged and reported in the summary
        errors.append(error_entry("DescribeVolumes", err))

    failed_volumes: set[str] = set()
    for volume in volumes:
        volume_id = volume["VolumeId"]
        try:
            snapshot = ec2.create_snapshot(
                VolumeId=volume_id,
                Description=f"{CREATED_BY} backup of {volume_id}",
                # Tagged at creation, in the same call, so no snapshot of ours is ever left untagged.
                TagSpecifications=[{
                    "ResourceType": "snapshot",
                    "Tags": [{"Key": "CreatedBy", "Value": CREATED_BY}, {"Key": "SourceVolume", "Value": volume_id}],
                }],
            )
            created.append({"volumeId": volume_id, "snapshotId": snapshot["SnapshotId"]})
        except Exception as err:  # noqa: BLE001 - one volume must not stop the others
            failed_volumes.add(volume_id)
            errors.append(error_entry("CreateSnapshot", err, volumeId=volume_id))

    # 2. Delete our own snapshots older than the retention period. Skipped when the
    # volumes could not be listed, and for volumes whose snapshot failed today, so that
    # a volume never loses its last good backups while new ones are not being made.
    if listed:
        try:
            cutoff = datetime.now(timezone.utc) - timedelta(days=retention_days())
            for snapshot in own_snapshots():
                if snapshot["StartTime"] >= cutoff or snapshot.get("VolumeId") in failed_volumes:
                    continue
                snapshot_id = snapshot["SnapshotId"]
                try:
                    ec2.delete_snapshot(SnapshotId=snapshot_id)
                    deleted.append(snapshot_id)
                except Exception as err:  # noqa: BLE001 - e.g. InvalidSnapshot.InUse when an AMI uses it
                    errors.append(error_entry("DeleteSnapshot", err, snapshotId=snapshot_id))
        except Exception as err:  # noqa: BLE001 - bad RETENTION_DAYS or DescribeSnapshots failed
            errors.append(error_entry("Prune", err))

    summary = {
        "volumes": len(volumes),
        "snapshotsCreated": len(created),
        "snapshotsDeleted": len(deleted),
        "errorCount": len(errors),
        "created": created,
        "deleted": deleted,
        "errors": errors,
    }
    print(json.dumps({"message": "snapshot job done", "requestId": context.aws_request_id, **summary}))
    return summary
