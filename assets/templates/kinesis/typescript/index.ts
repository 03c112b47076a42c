// {{functionName}}: processes records from a Kinesis data stream.
//
// Producers put bytes into the stream; Lambda delivers them base64-encoded in record.kinesis.data. They are decoded
// here and parsed as JSON when they are JSON (text otherwise).
//
// Records of a shard arrive in order, and Lambda will not move past a failed one. With FunctionResponseTypes:
// [ReportBatchItemFailures], returning the sequence number of the first failure retries from that record only,
// instead of the whole batch; records after it are left for the retry, to keep the order.
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

// fatal: true, so bytes that are not UTF-8 fail the record instead of turning into U+FFFD characters.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** base64 -> JSON value, or text when it is not JSON. Throws on bytes that are not UTF-8. */
function decode(data: string): unknown {
  const text = utf8.decode(Buffer.from(data, 'base64'));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function processRecord(payload: unknown, record: KinesisStreamRecord): Promise<void> {
  // Your business logic. Make it idempotent: after a failure the records from the failed one onwards are delivered
  // again.
  console.log(JSON.stringify({ message: 'record', partitionKey: record.kinesis.partitionKey, sequenceNumber: record.kinesis.sequenceNumber, payload }));
}

export const handler = async (event: KinesisStreamEvent, context: Context): Promise<KinesisStreamBatchResponse> => {
  const records = event.Records ?? [];
  for (const record of records) {
    const { sequenceNumber } = record.kinesis;
    try {
      await processRecord(decode(record.kinesis.data), record);
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      console.error(JSON.stringify({ sequenceNumber, type: err.name, error: err.message, requestId: context.awsRequestId }));
      // Stop here: the shard is retried from this record, so the ones after it must wait to keep the order.
      return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
    }
  }
  console.log(JSON.stringify({ message: 'batch done', records: records.length, requestId: context.awsRequestId }));
  return { batchItemFailures: [] };
};
