// {{functionName}}: a minimal Lambda handler.
//
// Lambda loads this module once per execution environment and then calls `handler` for every event, so anything
// at module level (clients, configuration) is set up once and reused while the environment stays warm.
import type { Context, ScheduledEvent } from 'aws-lambda';

// Read configuration once, at load time, instead of on every call.
const GREETING = process.env.GREETING ?? 'Hello from {{functionName}}';

export interface Result {
  message: string;
  source: string | null;
  requestId: string;
  remainingTimeMs: number;
}

// ScheduledEvent is what EventBridge (CloudWatch Events) schedules deliver; change the type to match your trigger.
export const handler = async (event: ScheduledEvent, context: Context): Promise<Result> => {
  // One JSON document per line: CloudWatch Logs Insights can then query the fields.
  console.log(JSON.stringify({ message: 'event received', requestId: context.awsRequestId, event }));

  // The resolved value is serialised to JSON and handed back to the caller (ignored for asynchronous triggers
  // such as schedules).
  return {
    message: GREETING,
    source: event?.source ?? null,
    requestId: context.awsRequestId,
    remainingTimeMs: context.getRemainingTimeInMillis(),
  };
};
