import { DescribeLogGroupsCommand, StartLiveTailCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { TailEvent } from './pollingTail';
import { sleep as wait } from '../sleep';

export interface LiveTailStatus {
  readonly kind: 'started' | 'sampled' | 'restarted' | 'reconnecting' | 'error';
  readonly message: string;
  /** Before a reconnect: how long the tail waits. */
  readonly delayMs?: number;
}

export interface LiveTailOptions {
  readonly client: Pick<CloudWatchLogsClient, 'send'>;
  /** Log group ARNs (StartLiveTail takes identifiers; see resolveLogGroupArn). */
  readonly logGroupArns: string[];
  readonly filterPattern?: string;
  readonly signal: AbortSignal;
  readonly onEvents: (events: TailEvent[]) => void;
  readonly onStatus?: (status: LiveTailStatus) => void;
  /** First and longest reconnect delay (default 1 s and 30 s). */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** The ARN of a log group by name (Live Tail needs ARNs; the account is not known otherwise). */
export async function resolveLogGroupArn(client: Pick<CloudWatchLogsClient, 'send'>, name: string, signal?: AbortSignal): Promise<string> {
  const out = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, limit: 50 }), { abortSignal: signal });
  const group = out.logGroups?.find((g) => g.logGroupName === name);
  const arn = group?.logGroupArn ?? group?.arn?.replace(/:\*$/, '');
  if (!arn) throw Object.assign(new Error(`The log group ${name} does not exist (the function may not have run yet).`), { name: 'ResourceNotFoundException' });
  return arn;
}

/**
 * CloudWatch Logs Live Tail (StartLiveTail's event stream; billed per minute of session, so callers make the user
 * choose it knowingly). Hands on each update's events, says when AWS sampled the stream (more than 500 events a
 * second), starts a new session when AWS ends one after its 3-hour limit (SessionTimeoutException), and reconnects
 * with back-off after a dropped connection — reporting each of these so the document can say so.
 */
export async function liveTail(options: LiveTailOptions): Promise<void> {
  const min = options.minBackoffMs ?? 1000;
  const max = options.maxBackoffMs ?? 30_000;
  const sleep = options.sleep ?? wait;
  let backoff = min;
  let wasSampled = false;
  while (!options.signal.aborted) {
    try {
      const out = await options.client.send(new StartLiveTailCommand({
        logGroupIdentifiers: options.logGroupArns, logEventFilterPattern: options.filterPattern || undefined,
      }), { abortSignal: options.signal });
      let timedOut = false;
      for await (const event of out.responseStream ?? []) {
        if (options.signal.aborted) return;
        if (event.sessionStart) {
          backoff = min;
          options.onStatus?.({ kind: 'started', message: `Live Tail session ${event.sessionStart.sessionId ?? ''} started` });
        } else if (event.sessionUpdate) {
          const sampled = event.sessionUpdate.sessionMetadata?.sampled === true;
          if (sampled && !wasSampled) options.onStatus?.({ kind: 'sampled', message: 'AWS is sampling this stream (over 500 events a second): not every event is shown' });
          wasSampled = sampled;
          const events = (event.sessionUpdate.sessionResults ?? []).map((e, i) => ({
            id: `${e.logStreamName}:${e.timestamp}:${e.ingestionTime}:${i}`, timestamp: e.timestamp ?? 0, message: e.message ?? '', stream: e.logStreamName,
          }));
          if (events.length) options.onEvents(events);
        } else if (event.SessionTimeoutException) {
          timedOut = true;
        } else if (event.SessionStreamingException) {
          throw Object.assign(new Error(event.SessionStreamingException.message ?? 'Live Tail stream error'), { name: 'SessionStreamingException' });
        }
      }
      if (options.signal.aborted) return;
      // The stream ended: after AWS's session limit start a new session at once, otherwise treat it as a drop.
      if (timedOut) {
        options.onStatus?.({ kind: 'restarted', message: 'The Live Tail session reached its time limit: started a new one' });
        continue;
      }
      throw Object.assign(new Error('the Live Tail stream ended'), { name: 'StreamEnded' });
    } catch (error) {
      if (options.signal.aborted) return;
      const name = (error as Error)?.name ?? '';
      if (name === 'SessionTimeoutException') {
        options.onStatus?.({ kind: 'restarted', message: 'The Live Tail session reached its time limit: started a new one' });
        continue;
      }
      if (['AccessDeniedException', 'ResourceNotFoundException', 'InvalidParameterException', 'UnrecognizedClientException', 'ExpiredTokenException'].includes(name)) {
        options.onStatus?.({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
        throw error;
      }
      options.onStatus?.({ kind: 'reconnecting', message: `Connection lost (${error instanceof Error ? error.message : String(error)}): reconnecting in ${(backoff / 1000).toFixed(0)} s`, delayMs: backoff });
      await sleep(backoff, options.signal);
      backoff = Math.min(max, backoff * 2);
    }
  }
}
