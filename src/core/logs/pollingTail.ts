import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { AwsProblemError, describeAwsError } from '../aws/awsErrors';
import { sleep as wait } from '../sleep';

export interface TailEvent {
  readonly id: string;
  readonly timestamp: number;
  readonly message: string;
  readonly stream?: string;
}

export interface TailStatus {
  readonly kind: 'polling' | 'idle' | 'throttled' | 'error';
  readonly intervalMs: number;
  readonly message?: string;
}

export interface PollingTailOptions {
  readonly client: Pick<CloudWatchLogsClient, 'send'>;
  readonly logGroup: string;
  readonly filterPattern?: string;
  /** Epoch ms to start from (default: now). */
  readonly startTime?: number;
  /** First and fastest poll interval (default 1 s). */
  readonly intervalMs?: number;
  /** Slowest interval after idle polls or throttling (default 10 s). */
  readonly maxIntervalMs?: number;
  /** How far back each poll looks again for events CloudWatch ingests late (default 5 s: they usually arrive within
   *  seconds, and every event in the window is fetched again on each poll, which matters at thousands a second). */
  readonly lateWindowMs?: number;
  readonly signal: AbortSignal;
  readonly onEvents: (events: TailEvent[]) => void;
  readonly onStatus?: (status: TailStatus) => void;
  /** The profile, for the message when credentials fail. */
  readonly profile?: string;
  /** For tests: how to wait between polls (default setTimeout). */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * The free tail: polls FilterLogEvents about once a second, reading every page (nextToken) of each poll, and hands
 * on each event once — de-duplicated by event id, in timestamp order. Each poll looks back `lateWindowMs` so events
 * that CloudWatch ingests late (their timestamp before the last one seen) are not missed; ids seen within that
 * window are remembered, older ones forgotten, so memory stays bounded. An event is marked seen only once it was
 * handed on, so a poll that fails half-way (a throttled second page) loses nothing. Idle polls back off; throttling
 * and network errors back off, say so and retry; anything else (no or expired credentials, access denied, a missing
 * group, a bad pattern) ends the tail with an AwsProblemError, the message `functions list` gives.
 */
export async function pollTail(options: PollingTailOptions): Promise<void> {
  const base = options.intervalMs ?? 1000;
  const max = options.maxIntervalMs ?? 10_000;
  const late = options.lateWindowMs ?? 5_000;
  const sleep = options.sleep ?? wait;
  let since = options.startTime ?? Date.now();
  let interval = base;
  const seen = new Map<string, number>(); // event id → timestamp
  const deliver = (fresh: TailEvent[]): void => {
    fresh.sort((a, b) => a.timestamp - b.timestamp);
    options.onEvents(fresh);
    for (const e of fresh) seen.set(e.id, e.timestamp);
    since = Math.max(since, fresh[fresh.length - 1].timestamp);
  };
  while (!options.signal.aborted) {
    const fresh = new Map<string, TailEvent>();
    try {
      let nextToken: string | undefined;
      do {
        const page = await options.client.send(new FilterLogEventsCommand({
          logGroupName: options.logGroup, filterPattern: options.filterPattern || undefined, startTime: Math.max(0, since - late), nextToken,
        }), { abortSignal: options.signal });
        for (const e of page.events ?? []) {
          const id = e.eventId ?? `${e.logStreamName}:${e.timestamp}:${e.message}`;
          if (!seen.has(id)) fresh.set(id, { id, timestamp: e.timestamp ?? 0, message: e.message ?? '', stream: e.logStreamName });
        }
        nextToken = page.nextToken;
      } while (nextToken && !options.signal.aborted);
      if (fresh.size) {
        deliver([...fresh.values()]);
        interval = base;
        options.onStatus?.({ kind: 'polling', intervalMs: interval });
      } else {
        interval = Math.min(max, Math.round(interval * 1.5));
        options.onStatus?.({ kind: 'idle', intervalMs: interval });
      }
      for (const [id, ts] of seen) if (ts < since - late) seen.delete(id);
    } catch (error) {
      if (options.signal.aborted) return;
      // What the pages before the failure brought is shown now, not lost.
      if (fresh.size) deliver([...fresh.values()]);
      const problem = describeAwsError(error, `tail ${options.logGroup}`, options.profile);
      const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode ?? 0;
      if (problem.kind !== 'throttled' && problem.kind !== 'unreachable' && status < 500) throw new AwsProblemError(problem, error);
      interval = Math.min(max, interval * 2);
      options.onStatus?.({
        kind: problem.kind === 'throttled' ? 'throttled' : 'error', intervalMs: interval,
        message: problem.kind === 'throttled' ? 'CloudWatch Logs is throttling: polling less often' : `${problem.message} Retrying`,
      });
    }
    await sleep(interval, options.signal);
  }
}
