import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { INSIGHTS_OPERATIONS, InsightsQueries, type InsightsOutcome, type StartedQuery } from './logsInsights';
import type { ServiceHandler } from './server';

const codec = new EventStreamCodec((bytes) => Buffer.from(bytes).toString('utf8'), (text) => new Uint8Array(Buffer.from(text, 'utf8')));

/** One StartLiveTail response stream, driven by the test: frames are written as the test calls these methods. */
export class LiveSession {
  constructor(readonly request: { logGroupIdentifiers?: string[]; logEventFilterPattern?: string }, private readonly res: ServerResponse) {}

  private frame(headers: Record<string, string>, body: unknown): void {
    const encoded = codec.encode({
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, { type: 'string' as const, value: v }])),
      body: new Uint8Array(Buffer.from(JSON.stringify(body))),
    });
    this.res.write(Buffer.from(encoded));
  }

  start(sessionId: string = randomUUID()): void {
    this.frame({ ':event-type': 'sessionStart', ':message-type': 'event', ':content-type': 'application/json' },
      { requestId: randomUUID(), sessionId, logGroupIdentifiers: this.request.logGroupIdentifiers ?? [], logEventFilterPattern: this.request.logEventFilterPattern });
  }

  update(messages: { message: string; timestamp?: number; stream?: string }[], sampled = false): void {
    const group = this.request.logGroupIdentifiers?.[0] ?? '';
    this.frame({ ':event-type': 'sessionUpdate', ':message-type': 'event', ':content-type': 'application/json' }, {
      sessionMetadata: { sampled },
      sessionResults: messages.map((m) => ({ logGroupIdentifier: group, logStreamName: m.stream ?? 'stream', message: m.message, timestamp: m.timestamp ?? Date.now(), ingestionTime: Date.now() })),
    });
  }

  /** AWS ends a session after 3 hours with this exception. */
  timeout(): void {
    this.frame({ ':exception-type': 'SessionTimeoutException', ':message-type': 'exception', ':content-type': 'application/json' }, { message: 'Session timed out' });
    this.res.end();
  }

  /** The connection drops mid-session. */
  drop(): void {
    this.res.socket?.destroy();
  }

  get closed(): boolean {
    return this.res.writableEnded || this.res.destroyed;
  }
}

interface StoredEvent { eventId: string; logStreamName: string; timestamp: number; message: string; ingestionTime: number; visibleAt: number }

/**
 * CloudWatch Logs' JSON 1.1 protocol (`X-Amz-Target: Logs_20140328.*`), as far as the tests need it so far:
 * DescribeLogGroups, DescribeLogStreams, GetLogEvents, and FilterLogEvents with paging (a small page size shows page boundaries) and events that become visible late, plus throttling.
 * Logs Insights' StartQuery, GetQueryResults and StopQuery run the REPORT query (see logsInsights.ts).
 */
export class LogsService implements ServiceHandler {
  readonly groups = new Map<string, StoredEvent[]>();
  pageSize = 10_000;
  /** When set, events older than this are dropped as new ones arrive (a load test must not measure our own store). */
  retainMs?: number;
  private throttles = 0;
  private pageThrottles = 0;
  readonly liveSessions: LiveSession[] = [];
  /** StartQuery answers AccessDeniedException: credentials that may read logs but not use Logs Insights. */
  denyInsights = false;
  /** How queries end on their second poll (the first always answers Running). */
  insightsOutcome: InsightsOutcome = 'Complete';
  /** The ids of the queries StopQuery stopped while they ran. */
  readonly stoppedQueries: string[] = [];
  /** Every query started, with the time range (epoch seconds) and query text sent. */
  readonly startedQueries: StartedQuery[] = [];
  private readonly insights = new InsightsQueries(this);
  private liveWaiters: ((s: LiveSession) => void)[] = [];

  /** The next StartLiveTail session the client opens (already open ones first). */
  nextLiveSession(): Promise<LiveSession> {
    const open = this.liveSessions.find((s) => !s.closed && !this.taken.has(s));
    if (open) {
      this.taken.add(open);
      return Promise.resolve(open);
    }
    return new Promise((resolve) => this.liveWaiters.push((s) => { this.taken.add(s); resolve(s); }));
  }

  private readonly taken = new Set<LiveSession>();
  private counter = 0;

  /** Adds an event; `visibleAfterMs` makes it arrive late (its timestamp is older than when FilterLogEvents sees it). */
  put(group: string, stream: string, message: string, timestamp = Date.now(), visibleAfterMs = 0): string {
    let events = this.groups.get(group) ?? [];
    if (this.retainMs !== undefined && events.length > 0 && events[0].timestamp < timestamp - this.retainMs * 2) {
      events = events.filter((e) => e.timestamp >= timestamp - this.retainMs!);
    }
    this.groups.set(group, events);
    const eventId = `${String(timestamp).padStart(20, '0')}${String(++this.counter).padStart(36, '0')}`;
    events.push({ eventId, logStreamName: stream, timestamp, message, ingestionTime: Date.now() + visibleAfterMs, visibleAt: Date.now() + visibleAfterMs });
    return eventId;
  }

  throttleNext(times = 1): void {
    this.throttles += times;
  }

  /** Throttles the next request that asks for a later page (one with a nextToken). */
  throttleNextPage(times = 1): void {
    this.pageThrottles += times;
  }

  handle(req: IncomingMessage, body: Buffer, res: ServerResponse): boolean {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (!target.startsWith('Logs_20140328.')) return false;
    const send = (status: number, doc: unknown, errorType?: string): true => {
      const text = JSON.stringify(doc);
      res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': randomUUID(), ...(errorType ? { 'x-amzn-ErrorType': errorType } : {}), 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
      return true;
    };
    const op = target.split('.')[1];
    const input = JSON.parse(body.toString() || '{}') as { logGroupName?: string; startTime?: number; endTime?: number; filterPattern?: string; nextToken?: string; limit?: number };
    if (this.throttles > 0 || (this.pageThrottles > 0 && input.nextToken)) {
      if (this.throttles > 0) this.throttles--;
      else this.pageThrottles--;
      return send(400, { __type: 'ThrottlingException', message: 'Rate exceeded' }, 'ThrottlingException');
    }
    if (op === 'StartLiveTail') {
      res.writeHead(200, { 'Content-Type': 'application/vnd.amazon.eventstream', 'x-amzn-RequestId': randomUUID() });
      const session = new LiveSession(input as { logGroupIdentifiers?: string[] }, res);
      this.liveSessions.push(session);
      const waiter = this.liveWaiters.shift();
      if (waiter) waiter(session);
      return true;
    }
    if (op === 'DescribeLogGroups') {
      const names = [...this.groups.keys()].filter((n) => n.startsWith(String((input as { logGroupNamePrefix?: string }).logGroupNamePrefix ?? ''))).sort();
      const offset = input.nextToken ? Number(Buffer.from(input.nextToken, 'base64').toString()) : 0;
      const size = Math.min(input.limit ?? 50, 50);
      const next = offset + size < names.length ? Buffer.from(String(offset + size)).toString('base64') : undefined;
      return send(200, { logGroups: names.slice(offset, offset + size).map((n) => ({ logGroupName: n, arn: `arn:aws:logs:us-east-1:123456789012:log-group:${n}:*`, logGroupArn: `arn:aws:logs:us-east-1:123456789012:log-group:${n}`, storedBytes: 0 })), ...(next ? { nextToken: next } : {}) });
    }
    if (INSIGHTS_OPERATIONS.has(op)) {
      const reply = this.insights.answer(op, input as Record<string, unknown>);
      return send(reply.status, reply.doc, reply.errorType);
    }
    const events = this.groups.get(input.logGroupName ?? '');
    if (!events) return send(400, { __type: 'ResourceNotFoundException', message: 'The specified log group does not exist.' }, 'ResourceNotFoundException');
    if (op === 'DescribeLogStreams') {
      const last = new Map<string, number>();
      for (const e of events) last.set(e.logStreamName, Math.max(last.get(e.logStreamName) ?? 0, e.timestamp));
      const streams = [...last].sort((a, b) => b[1] - a[1]).map(([logStreamName, lastEventTimestamp]) => ({ logStreamName, lastEventTimestamp }));
      return send(200, { logStreams: streams });
    }
    if (op === 'GetLogEvents') {
      const stream = (input as { logStreamName?: string }).logStreamName;
      const all = events.filter((e) => e.logStreamName === stream && e.visibleAt <= Date.now()).sort((a, b) => a.timestamp - b.timestamp);
      return send(200, { events: all.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })), nextForwardToken: `f/${all.length}`, nextBackwardToken: 'b/0' });
    }
    if (op !== 'FilterLogEvents') return send(400, { __type: 'UnknownOperationException', message: `${op} is not emulated` }, 'UnknownOperationException');
    const now = Date.now();
    const matches = compileFilterPattern(input.filterPattern ?? '');
    const matching = events
      .filter((e) => e.visibleAt <= now && e.timestamp >= (input.startTime ?? 0) && e.timestamp <= (input.endTime ?? Number.MAX_SAFE_INTEGER))
      .filter((e) => matches(e.message))
      .sort((a, b) => a.timestamp - b.timestamp || a.eventId.localeCompare(b.eventId));
    const offset = input.nextToken ? Number(Buffer.from(input.nextToken, 'base64').toString()) : 0;
    const size = Math.min(input.limit ?? this.pageSize, this.pageSize);
    const page = matching.slice(offset, offset + size);
    const next = offset + size < matching.length ? Buffer.from(String(offset + size)).toString('base64') : undefined;
    return send(200, {
      events: page.map(({ visibleAt: _v, ...e }) => e),
      searchedLogStreams: [],
      ...(next ? { nextToken: next } : {}),
    });
  }
}

/**
 * The subset of CloudWatch filter-pattern syntax the tests use: terms (all must appear), "quoted phrases", ?term
 * alternatives (any must appear), and JSON equality such as { $.level = "ERROR" } (or with !=).
 */
export function compileFilterPattern(pattern: string): (message: string) => boolean {
  const text = pattern.trim();
  if (!text) return () => true;
  const json = /^\{\s*\$\.([\w.]+)\s*(=|!=)\s*(?:"([^"]*)"|([\w.-]+))\s*\}$/.exec(text);
  if (json) {
    const [, path, op, quoted, bare] = json;
    const expected = quoted ?? bare;
    return (message) => {
      let doc: unknown;
      try { doc = JSON.parse(message); } catch { return false; }
      const value = path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), doc);
      const equal = value !== undefined && String(value) === expected;
      return op === '=' ? equal : !equal && value !== undefined;
    };
  }
  const tokens = [...text.matchAll(/(\?)?"([^"]*)"|(\?)?(\S+)/g)].map((m) => ({ optional: Boolean(m[1] ?? m[3]), term: m[2] ?? m[4] ?? '' }));
  const required = tokens.filter((t) => !t.optional).map((t) => t.term);
  const alternatives = tokens.filter((t) => t.optional).map((t) => t.term);
  return (message) => required.every((t) => message.includes(t)) && (alternatives.length === 0 || alternatives.some((t) => message.includes(t)));
}
