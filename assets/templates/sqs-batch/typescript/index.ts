// {{functionName}}: processes a batch of SQS messages with partial batch responses.
//
// Lambda hands the function up to BatchSize messages at once. Returning
// { batchItemFailures: [{ itemIdentifier: messageId }, ...] } (with FunctionResponseTypes: [ReportBatchItemFailures]
// on the event source) puts only those messages back on the queue; the rest are deleted. Throwing instead would
// return the whole batch, and the good messages would be processed again.
import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';

/** What a message body must hold; a message without these fields is reported as failed. */
interface Order {
  orderId: string;
  quantity: number;
  [field: string]: unknown;
}
const REQUIRED_FIELDS = ['orderId', 'quantity'] as const;

/** The message can never succeed (bad JSON, missing field): retrying will not help. */
class InvalidMessage extends Error {
  override name = 'InvalidMessage';
}

function parseMessage(body: string): Order {
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch (error) {
    throw new InvalidMessage(`body is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (message === null || typeof message !== 'object' || Array.isArray(message)) throw new InvalidMessage('body is not a JSON object');
  const missing = REQUIRED_FIELDS.filter((field) => !(field in message));
  if (missing.length > 0) throw new InvalidMessage(`missing field(s): ${missing.join(', ')}`);
  return message as Order;
}

async function processMessage(order: Order): Promise<void> {
  // Your business logic. Make it idempotent: SQS delivers at least once, so a message can arrive twice (e.g. after
  // a timeout or a partial failure).
  console.log(JSON.stringify({ message: 'processed order', orderId: order.orderId, quantity: order.quantity }));
}

export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  const records = event.Records ?? [];
  const batchItemFailures: SQSBatchItemFailure[] = [];
  let fifoFailed = false;

  for (const record of records) {
    // In a FIFO queue, later messages must wait for a failed one to keep their order, so once one fails the rest of
    // the batch is reported as failed too.
    if (fifoFailed) {
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    try {
      await processMessage(parseMessage(record.body));
    } catch (error) {
      // One bad message must not fail the whole batch.
      const err = error instanceof Error ? error : new Error(String(error));
      console.error(JSON.stringify({ messageId: record.messageId, type: err.name, error: err.message }));
      batchItemFailures.push({ itemIdentifier: record.messageId });
      fifoFailed = record.eventSourceARN.endsWith('.fifo');
    }
  }

  console.log(JSON.stringify({ message: 'batch done', received: records.length, failed: batchItemFailures.length, requestId: context.awsRequestId }));
  // Messages that keep failing go to the queue's dead-letter queue after maxReceiveCount attempts; configure one.
  return { batchItemFailures };
};
