// {{functionName}}: receives SNS notifications and logs each message.
//
// SNS invokes the function asynchronously. If the handler throws, Lambda retries the event (twice by default) and
// then sends it to the function's on-failure destination or dead-letter queue if one is configured; so throw only
// for failures worth retrying, and make the processing idempotent.
import type { Context, SNSEvent } from 'aws-lambda';

/** Publishers often send JSON; fall back to the raw text when it is not. */
function parseMessage(message: string): unknown {
  try {
    return JSON.parse(message);
  } catch {
    return message;
  }
}

export interface Result {
  processed: number;
  requestId: string;
}

export const handler = async (event: SNSEvent, context: Context): Promise<Result> => {
  const records = event.Records ?? [];
  for (const { Sns: sns } of records) {
    console.log(JSON.stringify({
      message: 'notification',
      messageId: sns.MessageId,
      topicArn: sns.TopicArn,
      // Subject is optional: null when the publisher set none.
      subject: sns.Subject ?? null,
      body: parseMessage(sns.Message ?? ''),
      attributes: Object.fromEntries(Object.entries(sns.MessageAttributes ?? {}).map(([name, attr]) => [name, attr.Value])),
    }));
  }
  // SNS ignores the return value; it only shows up in local runs and tests.
  return { processed: records.length, requestId: context.awsRequestId };
};
