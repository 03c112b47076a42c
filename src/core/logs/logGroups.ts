import {
  DescribeLogGroupsCommand, DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand, type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import { withAwsProblem } from '../aws/awsErrors';
import type { TailEvent } from './pollingTail';

export type LogsSend = Pick<CloudWatchLogsClient, 'send'>;


export interface LogGroupSummary { readonly name: string; readonly storedBytes?: number; readonly retentionDays?: number }
export interface LogStreamSummary { readonly name: string; readonly lastEventTime?: number }

/** One page of log groups, optionally by name prefix (the Logs view loads a page at a time). */
export function listLogGroupsPage(client: LogsSend, options: { prefix?: string; nextToken?: string; signal?: AbortSignal; profile?: string } = {}): Promise<{ items: LogGroupSummary[]; next?: string }> {
  return withAwsProblem('list log groups', options.profile, async () => {
    const out = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: options.prefix || undefined, nextToken: options.nextToken, limit: 50 }), { abortSignal: options.signal });
    return { items: (out.logGroups ?? []).map((g) => ({ name: g.logGroupName ?? '?', storedBytes: g.storedBytes, retentionDays: g.retentionInDays })), next: out.nextToken };
  });
}

/** A group's streams, most recent event first. */
export function listLogStreams(client: LogsSend, group: string, options: { signal?: AbortSignal; profile?: string; limit?: number } = {}): Promise<LogStreamSummary[]> {
  return withAwsProblem(`list the streams of ${group}`, options.profile, async () => {
    const out = await client.send(new DescribeLogStreamsCommand({ logGroupName: group, orderBy: 'LastEventTime', descending: true, limit: options.limit ?? 50 }), { abortSignal: options.signal });
    return (out.logStreams ?? []).map((s) => ({ name: s.logStreamName ?? '?', lastEventTime: s.lastEventTimestamp }));
  });
}

/** A page of one stream, newest or oldest first, with the tokens to load older and newer events. */
export function readStream(client: LogsSend, group: string, stream: string, options: { token?: string; fromHead?: boolean; signal?: AbortSignal; profile?: string } = {}): Promise<{ events: TailEvent[]; older?: string; newer?: string }> {
  return withAwsProblem(`read ${stream}`, options.profile, async () => {
    const out = await client.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, nextToken: options.token, startFromHead: options.fromHead ?? false, limit: 500 }), { abortSignal: options.signal });
    const events = (out.events ?? []).map((e, i) => ({ id: `${stream}:${e.timestamp}:${i}`, timestamp: e.timestamp ?? 0, message: e.message ?? '', stream }));
    return { events, older: out.nextBackwardToken, newer: out.nextForwardToken };
  });
}

/** Searches a group with a filter pattern over a time range, page by page (each page handed on as it arrives). */
export async function searchLogGroup(client: LogsSend, group: string, options: { pattern?: string; startTime: number; endTime?: number; signal?: AbortSignal; profile?: string; onPage: (events: TailEvent[]) => void }): Promise<number> {
  let total = 0;
  let nextToken: string | undefined;
  do {
    const out = await withAwsProblem(`search ${group}`, options.profile, () => client.send(new FilterLogEventsCommand({
      logGroupName: group, filterPattern: options.pattern || undefined, startTime: options.startTime, endTime: options.endTime, nextToken,
    }), { abortSignal: options.signal }));
    const events = (out.events ?? []).map((e) => ({ id: e.eventId ?? '', timestamp: e.timestamp ?? 0, message: e.message ?? '', stream: e.logStreamName }));
    total += events.length;
    if (events.length) options.onPage(events);
    nextToken = out.nextToken;
  } while (nextToken && !options.signal?.aborted);
  return total;
}

/** The log group of a function: its LoggingConfig.LogGroup, else /aws/lambda/<name>. */
export function functionLogGroup(name: string, loggingConfigGroup?: string): string {
  return loggingConfigGroup || `/aws/lambda/${name}`;
}

/** Time ranges offered by search, in milliseconds back from now. */
export const SEARCH_RANGES: readonly { label: string; ms: number }[] = [
  { label: 'Last 15 minutes', ms: 15 * 60_000 }, { label: 'Last hour', ms: 3_600_000 }, { label: 'Last 3 hours', ms: 3 * 3_600_000 },
  { label: 'Last 24 hours', ms: 24 * 3_600_000 }, { label: 'Last 3 days', ms: 3 * 86_400_000 }, { label: 'Last week', ms: 7 * 86_400_000 },
];
