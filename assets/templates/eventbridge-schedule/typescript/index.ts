// {{functionName}}: scheduled EBS snapshots with retention.
//
// Runs on a schedule (EventBridge). Every EC2 volume tagged SNAPSHOT_TAG_KEY=SNAPSHOT_TAG_VALUE (default Backup=true)
// gets a snapshot, tagged CreatedBy=lambda-workbench-{{functionName}}; then the snapshots carrying that same tag and
// older than RETENTION_DAYS (default 7) are deleted. Filtering on the tag means pruning only ever touches snapshots
// this function made, never ones made by hand or by other tools.
//
// A failure on one volume or snapshot is logged and the job carries on with the others; the returned summary lists
// every error. Create a CloudWatch metric filter / alarm on "errors" to hear about them.
import {
  CreateSnapshotCommand, DeleteSnapshotCommand, EC2Client, paginateDescribeSnapshots, paginateDescribeVolumes,
  type Snapshot, type Volume,
} from '@aws-sdk/client-ec2';
import type { Context, ScheduledEvent } from 'aws-lambda';

const TAG_KEY = process.env.SNAPSHOT_TAG_KEY ?? 'Backup';
const TAG_VALUE = process.env.SNAPSHOT_TAG_VALUE ?? 'true';
const RETENTION_DAYS = process.env.RETENTION_DAYS ?? '7';
const CREATED_BY = 'lambda-workbench-{{functionName}}';
const DAY_MS = 24 * 60 * 60 * 1000;

// Created once per execution environment and reused by warm invocations. SDK v3 honours AWS_ENDPOINT_URL /
// AWS_ENDPOINT_URL_EC2 (local emulators).
const ec2 = new EC2Client({});

export interface JobError {
  step: string;
  type: string;
  error: string;
  volumeId?: string;
  snapshotId?: string;
}

export interface Summary {
  volumes: number;
  snapshotsCreated: number;
  snapshotsDeleted: number;
  errorCount: number;
  created: { volumeId: string; snapshotId: string }[];
  deleted: string[];
  errors: JobError[];
}

function errorEntry(step: string, error: unknown, ids: { volumeId?: string; snapshotId?: string } = {}): JobError {
  const err = error instanceof Error ? error : new Error(String(error));
  const entry: JobError = { step, ...ids, type: err.name, error: err.message };
  console.error(JSON.stringify(entry));
  return entry;
}

async function taggedVolumes(): Promise<Volume[]> {
  // DescribeVolumes pages its results; the paginator follows NextToken for us.
  const volumes: Volume[] = [];
  for await (const page of paginateDescribeVolumes({ client: ec2 }, { Filters: [{ Name: `tag:${TAG_KEY}`, Values: [TAG_VALUE] }] })) {
    volumes.push(...(page.Volumes ?? []));
  }
  return volumes;
}

async function ownSnapshots(): Promise<Snapshot[]> {
  // OwnerIds self: without it DescribeSnapshots also lists every public snapshot.
  const snapshots: Snapshot[] = [];
  const input = { OwnerIds: ['self'], Filters: [{ Name: 'tag:CreatedBy', Values: [CREATED_BY] }] };
  for await (const page of paginateDescribeSnapshots({ client: ec2 }, input)) snapshots.push(...(page.Snapshots ?? []));
  return snapshots;
}

function retentionDays(): number {
  const days = Number(RETENTION_DAYS);
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`RETENTION_DAYS must be a whole number of at least 1 (got '${RETENTION_DAYS}')`);
  return days;
}

export const handler = async (_event: ScheduledEvent, context: Context): Promise<Summary> => {
  const created: Summary['created'] = [];
  const deleted: string[] = [];
  const errors: JobError[] = [];
  let volumes: Volume[] = [];
  let listed = false;

  // 1. Snapshot every tagged volume.
  try {
    volumes = await taggedVolumes();
    listed = true;
  } catch (error) {
    errors.push(errorEntry('DescribeVolumes', error));
  }

  const failedVolumes = new Set<string>();
  for (const { VolumeId: volumeId } of volumes) {
    if (!volumeId) continue;
    try {
      const snapshot = await ec2.send(new CreateSnapshotCommand({
        VolumeId: volumeId,
        Description: `${CREATED_BY} backup of ${volumeId}`,
        // Tagged at creation, in the same call, so no snapshot of ours is ever left untagged.
        TagSpecifications: [{
          ResourceType: 'snapshot',
          Tags: [{ Key: 'CreatedBy', Value: CREATED_BY }, { Key: 'SourceVolume', Value: volumeId }],
        }],
      }));
      created.push({ volumeId, snapshotId: snapshot.SnapshotId ?? '' });
    } catch (error) {
      // One volume must not stop the others.
      failedVolumes.add(volumeId);
      errors.push(errorEntry('CreateSnapshot', error, { volumeId }));
    }
  }

  // 2. Delete our own snapshots older than the retention period. Skipped when the volumes could not be listed, and
  // for volumes whose snapshot failed today, so that a volume never loses its last good backups while new ones are
  // not being made.
  if (listed) {
    try {
      const cutoff = Date.now() - retentionDays() * DAY_MS;
      for (const { SnapshotId: snapshotId, StartTime: startTime, VolumeId: volumeId } of await ownSnapshots()) {
        if (!snapshotId || !startTime || startTime.getTime() >= cutoff || (volumeId && failedVolumes.has(volumeId))) continue;
        try {
          await ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }));
          deleted.push(snapshotId);
        } catch (error) {
          // e.g. InvalidSnapshot.InUse when an AMI uses the snapshot.
          errors.push(errorEntry('DeleteSnapshot', error, { snapshotId }));
        }
      }
    } catch (error) {
      // A bad RETENTION_DAYS, or DescribeSnapshots failed.
      errors.push(errorEntry('Prune', error));
    }
  }

  const summary: Summary = {
    volumes: volumes.length,
    snapshotsCreated: created.length,
    snapshotsDeleted: deleted.length,
    errorCount: errors.length,
    created,
    deleted,
    errors,
  };
  console.log(JSON.stringify({ message: 'snapshot job done', requestId: context.awsRequestId, ...summary }));
  return summary;
};
