import { randomUUID } from 'node:crypto';

/** What the Insights emulation reads of a stored log event. */
export interface InsightsEvent {
  readonly logStreamName: string;
  readonly timestamp: number;
  readonly message: string;
  readonly visibleAt: number;
}

/** How a query ends after its first poll (which always answers Running). */
export type InsightsOutcome = 'Complete' | 'Failed' | 'Timeout' | 'Cancelled';

/** The LogsService state the Insights operations use: its groups and the switches tests set. */
export interface InsightsState {
  readonly groups: ReadonlyMap<string, readonly InsightsEvent[]>;
  readonly denyInsights: boolean;
  readonly insightsOutcome: InsightsOutcome;
  readonly stoppedQueries: string[];
  readonly startedQueries: StartedQuery[];
}

export interface StartedQuery {
  readonly queryId: string;
  readonly queryString: string;
  readonly logGroupNames: string[];
  /** Epoch seconds, as sent. */
  readonly startTime: number;
  readonly endTime: number;
  readonly limit?: number;
}

export interface InsightsReply { readonly status: number; readonly doc: unknown; readonly errorType?: string }

interface Statistics { recordsMatched: number; recordsScanned: number; bytesScanned: number }
interface RunningQuery { readonly rows: { field: string; value: string }[][]; readonly statistics: Statistics; polls: number; status: 'Running' | InsightsOutcome }

export const INSIGHTS_OPERATIONS: ReadonlySet<string> = new Set(['StartQuery', 'GetQueryResults', 'StopQuery']);

const ACCOUNT = '123456789012';

/**
 * StartQuery, GetQueryResults and StopQuery, as far as the REPORT queries need: `filter` with `field = "value"`
 * comparisons joined by `or` (and it must select `@type = "REPORT"`), `fields` (names, or expressions `as` a name:
 * numbers, fields, + - * /, coalesce), `stats` (count, sum, avg, min, max, pct … as a name: one row), `sort
 * @timestamp asc|desc` and `limit N`. Events get the fields Logs Insights discovers: the system fields, the Lambda REPORT fields (memory in
 * bytes, MB × 1 000 000) and, for JSON messages, their flattened keys. The first poll answers Running with half
 * the rows and statistics, the next one the outcome, so clients have to poll.
 */
export class InsightsQueries {
  private readonly queries = new Map<string, RunningQuery>();

  constructor(private readonly state: InsightsState) {}

  answer(op: string, input: Record<string, unknown>): InsightsReply {
    if (op === 'StartQuery') return this.start(input);
    const query = this.queries.get(String(input.queryId));
    if (!query) return error('ResourceNotFoundException', `Query ${String(input.queryId)} does not exist.`);
    if (op === 'StopQuery') {
      if (query.status !== 'Running') return { status: 200, doc: { success: false } };
      query.status = 'Cancelled';
      this.state.stoppedQueries.push(String(input.queryId));
      return { status: 200, doc: { success: true } };
    }
    query.polls++;
    if (query.status === 'Running' && query.polls > 1) query.status = this.state.insightsOutcome;
    const status = query.status;
    const statistics = status === 'Running'
      ? { recordsMatched: Math.floor(query.statistics.recordsMatched / 2), recordsScanned: Math.floor(query.statistics.recordsScanned / 2), bytesScanned: Math.floor(query.statistics.bytesScanned / 2) }
      : query.statistics;
    const results = status === 'Running' ? query.rows.slice(0, Math.floor(query.rows.length / 2)) : status === 'Complete' ? query.rows : [];
    return { status: 200, doc: { status, results, statistics } };
  }

  private start(input: Record<string, unknown>): InsightsReply {
    const names = [input.logGroupName, ...asStrings(input.logGroupNames), ...asStrings(input.logGroupIdentifiers)].filter((n): n is string => typeof n === 'string');
    if (this.state.denyInsights) {
      return error('AccessDeniedException', `User: arn:aws:iam::${ACCOUNT}:user/tester is not authorized to perform: logs:StartQuery on resource: `
        + `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${names[0] ?? '*'}:* because no identity-based policy allows the logs:StartQuery action`);
    }
    const startTime = Number(input.startTime);
    const endTime = Number(input.endTime);
    if (names.length === 0) return error('InvalidParameterException', 'Specify logGroupName, logGroupNames or logGroupIdentifiers.');
    if (!Number.isInteger(startTime) || !Number.isInteger(endTime) || endTime < startTime) return error('InvalidParameterException', 'startTime and endTime must be epoch seconds, startTime first.');
    const missing = names.find((n) => !this.state.groups.has(n));
    if (missing) return error('ResourceNotFoundException', `Log group '${missing}' does not exist for account ID '${ACCOUNT}'`);
    const plan = parseQuery(String(input.queryString ?? ''));
    if (typeof plan === 'string') return error('MalformedQueryException', plan);

    const now = Date.now();
    const inRange = names.flatMap((group) => (this.state.groups.get(group) ?? []).map((event) => ({ group, event })))
      .filter(({ event }) => event.visibleAt <= now && event.timestamp >= startTime * 1000 && event.timestamp <= endTime * 1000);
    const matched = inRange.map(({ group, event }) => discoveredFields(group, event)).filter((fields) => plan.filter.some(([f, v]) => fields[f] === v));
    matched.sort((a, b) => (Number(a['@timestamp#ms']) - Number(b['@timestamp#ms'])) * (plan.descending ? -1 : 1));
    const limit = Math.min(plan.limit ?? 10_000, typeof input.limit === 'number' ? input.limit : 10_000);
    for (const fields of matched) for (const [name, expression] of plan.computed) fields[name] = valueText(evaluate(expression, fields));
    const rows = plan.stats ? [statsRow(plan.stats, matched)] : matched.slice(0, limit).map((fields) => [
      ...(plan.fields ?? ['@timestamp', '@message']).filter((f) => fields[f] !== undefined).map((field) => ({ field, value: fields[field] })),
      { field: '@ptr', value: Buffer.from(`${fields['@log']}:${fields['@timestamp#ms']}:${randomUUID()}`).toString('base64') },
    ]);
    const queryId = randomUUID();
    const statistics = { recordsMatched: matched.length, recordsScanned: inRange.length, bytesScanned: inRange.reduce((n, { event }) => n + Buffer.byteLength(event.message), 0) };
    this.queries.set(queryId, { rows, statistics, polls: 0, status: 'Running' });
    this.state.startedQueries.push({ queryId, queryString: String(input.queryString), logGroupNames: names, startTime, endTime, limit: input.limit as number | undefined });
    return { status: 200, doc: { queryId } };
  }
}

interface QueryPlan {
  filter: [string, string][];
  fields?: string[];
  /** `fields <expression> as name`: computed per event before stats. */
  computed: [string, Expression][];
  stats?: [string, Aggregate][];
  descending: boolean;
  limit?: number;
}

type Expression =
  | { kind: 'number'; value: number }
  | { kind: 'field'; name: string }
  | { kind: 'call'; name: string; args: Expression[] }
  | { kind: 'binary'; op: string; left: Expression; right: Expression };

interface Aggregate { fn: string; arg?: Expression; percentile?: number }

/** The commands of a query, or why it is malformed (for this emulator). */
function parseQuery(text: string): QueryPlan | string {
  const plan: QueryPlan = { filter: [], computed: [], descending: false };
  for (const command of text.split('|').map((c) => c.trim()).filter(Boolean)) {
    const [, verb, rest] = /^(\w+)\s+([\s\S]*)$/.exec(command) ?? [];
    if (verb === 'filter') {
      for (const part of rest.split(/\s+or\s+/)) {
        const comparison = /^([@\w.]+)\s*=\s*"([^"]*)"$/.exec(part.trim());
        if (!comparison) return `The emulator cannot evaluate the filter '${part.trim()}'.`;
        plan.filter.push([comparison[1], comparison[2]]);
      }
    } else if (verb === 'fields' && /\sas\s/.test(rest)) {
      for (const part of splitTopLevel(rest)) {
        const [, expression, name] = /^([\s\S]+?)\s+as\s+(\w+)$/.exec(part) ?? [];
        const parsed = expression ? parseExpression(expression) : undefined;
        if (!parsed) return `The emulator cannot compute '${part}'.`;
        plan.computed.push([name, parsed]);
      }
    } else if (verb === 'fields') {
      plan.fields = rest.split(',').map((f) => f.trim());
    } else if (verb === 'stats') {
      plan.stats = [];
      for (const part of splitTopLevel(rest)) {
        const [, fn, args, name] = /^(count|sum|avg|min|max|pct)\(([\s\S]*)\)\s+as\s+(\w+)$/.exec(part) ?? [];
        if (!fn) return `The emulator cannot run the aggregate '${part}'.`;
        const [arg, percentile] = splitTopLevel(args);
        const expression = arg === '*' ? undefined : parseExpression(arg);
        if (arg !== '*' && !expression) return `The emulator cannot compute '${arg}'.`;
        plan.stats.push([name, { fn, arg: expression, percentile: percentile === undefined ? undefined : Number(percentile) }]);
      }
    } else if (verb === 'sort' && /^@timestamp(\s+(asc|desc))?$/.test(rest.trim())) {
      plan.descending = rest.trim().endsWith('desc');
    } else if (verb === 'limit' && /^\d+$/.test(rest.trim())) {
      plan.limit = Number(rest.trim());
    } else {
      return `The emulator cannot run '${command}'.`;
    }
  }
  if (!plan.filter.some(([f, v]) => f === '@type' && v === 'REPORT')) return 'Only queries that filter @type = "REPORT" are emulated.';
  return plan;
}

/** Splits on the commas outside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) { parts.push(text.slice(start, i).trim()); start = i + 1; }
  }
  parts.push(text.slice(start).trim());
  return parts.filter(Boolean);
}

/** Numbers, fields (`@duration`, `record.metrics.durationMs`), `coalesce(…)` and + - * /, as Logs Insights reads them. */
function parseExpression(text: string): Expression | undefined {
  const tokens = text.match(/\d+(\.\d+)?|[@\w.]+|[()+\-*/,]/g) ?? [];
  let at = 0;
  const primary = (): Expression | undefined => {
    const token = tokens[at++];
    if (token === undefined) return undefined;
    if (token === '(') { const inner = sum(); return tokens[at++] === ')' ? inner : undefined; }
    if (/^\d/.test(token)) return { kind: 'number', value: Number(token) };
    if (tokens[at] !== '(') return { kind: 'field', name: token };
    at++;
    const args: Expression[] = [];
    while (tokens[at] !== ')') {
      const arg = sum();
      if (!arg) return undefined;
      args.push(arg);
      if (tokens[at] === ',') at++;
      else if (tokens[at] !== ')') return undefined;
    }
    at++;
    return token === 'coalesce' ? { kind: 'call', name: token, args } : undefined;
  };
  const binary = (next: () => Expression | undefined, ops: string[]) => (): Expression | undefined => {
    let left = next();
    while (left && ops.includes(tokens[at])) {
      const op = tokens[at++];
      const right = next();
      if (!right) return undefined;
      left = { kind: 'binary', op, left, right };
    }
    return left;
  };
  const product = binary(primary, ['*', '/']);
  const sum = binary(product, ['+', '-']);
  const expression = sum();
  return at === tokens.length ? expression : undefined;
}

/** An expression's value for one event: undefined where a field is missing (coalesce takes the next). */
function evaluate(e: Expression, fields: Record<string, string>): number | undefined {
  if (e.kind === 'number') return e.value;
  if (e.kind === 'field') return fields[e.name] === undefined || fields[e.name] === '' ? undefined : Number(fields[e.name]);
  if (e.kind === 'call') {
    for (const arg of e.args) { const v = evaluate(arg, fields); if (v !== undefined) return v; }
    return undefined;
  }
  const [l, r] = [evaluate(e.left, fields), evaluate(e.right, fields)];
  if (l === undefined || r === undefined) return undefined;
  return e.op === '+' ? l + r : e.op === '-' ? l - r : e.op === '*' ? l * r : l / r;
}

function valueText(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}

/** One stats row over the matched events (pct by nearest rank; Logs Insights' own is an approximation). */
function statsRow(stats: [string, Aggregate][], matched: Record<string, string>[]): { field: string; value: string }[] {
  return stats.map(([field, { fn, arg, percentile }]) => {
    const values = arg ? matched.map((f) => evaluate(arg, f)).filter((v): v is number => v !== undefined && Number.isFinite(v)) : [];
    const sorted = [...values].sort((a, b) => a - b);
    const value = fn === 'count' ? (arg ? values.length : matched.length)
      : values.length === 0 ? undefined
        : fn === 'sum' ? values.reduce((a, b) => a + b, 0)
          : fn === 'avg' ? values.reduce((a, b) => a + b, 0) / values.length
            : fn === 'min' ? sorted[0]
              : fn === 'max' ? sorted[sorted.length - 1]
                : sorted[Math.max(0, Math.ceil((percentile! / 100) * sorted.length) - 1)];
    return { field, value: valueText(value) };
  });
}

/** The fields Logs Insights discovers in one event (`@timestamp#ms` is ours, for sorting). */
function discoveredFields(group: string, event: InsightsEvent): Record<string, string> {
  const fields: Record<string, string> = {
    '@timestamp': new Date(event.timestamp).toISOString().replace('T', ' ').replace('Z', ''), '@timestamp#ms': String(event.timestamp),
    '@message': event.message, '@logStream': event.logStreamName, '@log': `${ACCOUNT}:${group}`,
  };
  const text = event.message;
  if (text.startsWith('REPORT RequestId: ')) {
    const take = (name: string, pattern: RegExp, scale = 1): void => {
      const match = pattern.exec(text);
      if (match) fields[name] = String(Number(match[1]) * scale);
    };
    fields['@type'] = 'REPORT';
    fields['@requestId'] = /RequestId: (\S+)/.exec(text)?.[1] ?? '';
    take('@duration', /(?<![\w ])Duration: ([\d.]+) ms/);
    take('@billedDuration', /Billed Duration: ([\d.]+) ms/);
    take('@memorySize', /Memory Size: (\d+) MB/, 1_000_000);
    take('@maxMemoryUsed', /Max Memory Used: (\d+) MB/, 1_000_000);
    take('@initDuration', /Init Duration: ([\d.]+) ms/);
  } else if (text.trimStart().startsWith('{')) {
    try { flatten(JSON.parse(text), '', fields); } catch { /* not JSON after all: only the system fields */ }
  }
  return fields;
}

function flatten(value: unknown, prefix: string, into: Record<string, string>): void {
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, into);
  } else if (prefix && !(prefix in into)) {
    into[prefix] = String(value);
  }
}

function asStrings(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function error(type: string, message: string): InsightsReply {
  return { status: 400, doc: { __type: type, message }, errorType: type };
}
