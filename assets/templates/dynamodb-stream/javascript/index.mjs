// {{functionName}}: handles the records of a DynamoDB stream.
//
// Each record says what happened to one item (INSERT, MODIFY, REMOVE) and, with the NEW_AND_OLD_IMAGES stream view,
// carries the item before and after, in DynamoDB's typed JSON ({ S: 'text' }, { N: '42' }, ...), turned into plain
// values here with unmarshall.
//
// Records of a shard arrive in order, and Lambda will not move past a failed one. With FunctionResponseTypes:
// [ReportBatchItemFailures], returning the sequence number of the first failure retries from that record only,
// instead of the whole batch. Later records are not processed in the meantime, so that the order is kept.
import { unmarshall } from '@aws-sdk/util-dynamodb';

/** DynamoDB typed JSON -> plain values. Numbers that do not fit a JS number would throw: see wrapNumbers. */
const toPlain = (image) => (image ? unmarshall(image) : undefined);

// JSON.stringify cannot print the Sets and Uint8Arrays unmarshall produces for SS/NS/BS and B attributes.
const replacer = (_key, value) => (value instanceof Set ? [...value] : value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value);
const log = (entry) => console.log(JSON.stringify(entry, replacer));

function handleInsert(item) {
  log({ message: 'item created', item });
}

function handleModify(oldItem = {}, newItem = {}) {
  // Which attributes changed (requires the NEW_AND_OLD_IMAGES stream view).
  const names = new Set([...Object.keys(oldItem), ...Object.keys(newItem)]);
  const changed = [...names].filter((n) => JSON.stringify(oldItem[n], replacer) !== JSON.stringify(newItem[n], replacer)).sort();
  log({ message: 'item updated', changed, item: newItem });
}

function handleRemove(item) {
  log({ message: 'item deleted', item });
}

export const handler = async (event, context) => {
  const records = event.Records ?? [];
  for (const record of records) {
    const stream = record.dynamodb ?? {};
    try {
      const keys = toPlain(stream.Keys);
      const newItem = toPlain(stream.NewImage);
      const oldItem = toPlain(stream.OldImage);
      log({ message: 'record', eventName: record.eventName, keys, sequenceNumber: stream.SequenceNumber });
      switch (record.eventName) {
        case 'INSERT': handleInsert(newItem); break;
        case 'MODIFY': handleModify(oldItem, newItem); break;
        case 'REMOVE': handleRemove(oldItem); break;
        default: console.warn(JSON.stringify({ message: 'unknown event name', eventName: record.eventName }));
      }
    } catch (error) {
      console.error(JSON.stringify({ sequenceNumber: stream.SequenceNumber, type: error?.name, error: error?.message ?? String(error), requestId: context.awsRequestId }));
      // Stop here: the stream is retried from this record, so the ones after it must wait to keep the order.
      return { batchItemFailures: [{ itemIdentifier: stream.SequenceNumber }] };
    }
  }
  log({ message: 'batch done', records: records.length, requestId: context.awsRequestId });
  return { batchItemFailures: [] };
};
