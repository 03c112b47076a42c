/** How timestamps are shown: UTC (as CloudWatch stores them) or the viewer's local time. */
export type TimeZoneMode = 'utc' | 'local';

export interface FormatOptions {
  readonly timeZone?: TimeZoneMode;
  /** The event's timestamp (epoch ms), shown when the message carries none of its own. */
  readonly timestamp?: number;
  /** The caller shows the event's time before the line: leave out the message's own (one timestamp per line). */
  readonly omitOwnTime?: boolean;
}

const REPORT = /^REPORT RequestId: (\S+)\s+Duration: ([\d.]+) ms\s+Billed Duration: (\d+) ms\s+Memory Size: (\d+) MB\s+Max Memory Used: (\d+) MB(?:\s+Init Duration: ([\d.]+) ms)?(.*)$/s;
const NODE_TEXT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)\t(\S+)\t([A-Z]+)\t([\s\S]*)$/;
const LEVELS = new Set(['TRACE', 'DEBUG', 'INFO', 'WARN', 'WARNING', 'ERROR', 'FATAL', 'CRITICAL']);

export function formatTime(epochMs: number, mode: TimeZoneMode = 'utc'): string {
  const d = new Date(epochMs);
  if (mode === 'utc') return d.toISOString().replace('T', ' ').replace('Z', '');
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** REPORT figures in fixed-width columns, so successive REPORT lines line up and compare at a glance. */
export function formatReport(line: string): string | undefined {
  const m = REPORT.exec(line.trim());
  if (!m) return undefined;
  const [, id, duration, billed, memory, used, init, rest] = m;
  const cells = [
    `REPORT ${id}`, `Duration ${duration.padStart(9)} ms`, `Billed ${billed.padStart(6)} ms`, `Memory ${used.padStart(5)}/${memory.padEnd(5)} MB`,
  ];
  if (init) cells.push(`Init ${init.padStart(8)} ms`);
  const extra = rest.trim();
  return cells.join('  ') + (extra ? `  ${extra.replace(/\s+/g, ' ')}` : '');
}

function indentContinuation(text: string): string {
  return text.replace(/\r?\n$/, '').split(/\r?\n/).join('\n    ');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** platform.start and platform.report shown as the START and (aligned) REPORT lines they replace. */
function platformRecord(type: string, record: Record<string, unknown>): string | undefined {
  const id = String(record.requestId ?? '');
  if (type === 'platform.start') return `START ${id}`;
  if (type !== 'platform.report' || !isRecord(record.metrics)) return undefined;
  const m = record.metrics;
  const num = (v: unknown): number => Number(v ?? 0);
  let line = `REPORT RequestId: ${id}\tDuration: ${num(m.durationMs).toFixed(2)} ms\tBilled Duration: ${num(m.billedDurationMs)} ms\t`
    + `Memory Size: ${num(m.memorySizeMB)} MB\tMax Memory Used: ${num(m.maxMemoryUsedMB)} MB`;
  if (m.initDurationMs !== undefined) line += `\tInit Duration: ${num(m.initDurationMs).toFixed(2)} ms`;
  if (record.status && record.status !== 'success') line += `\tStatus: ${String(record.status)}`;
  if (record.errorType) line += `\tError Type: ${String(record.errorType)}`;
  return formatReport(line);
}

/** Lambda's JSON log format and Powertools put level, time and message in known keys; the rest is shown compact. */
function formatJson(message: string, options: FormatOptions): string | undefined {
  const trimmed = message.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return undefined;
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(trimmed) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const take = (...keys: string[]): unknown => {
    for (const k of keys) {
      if (k in doc) {
        const v = doc[k];
        delete doc[k];
        return v;
      }
    }
    return undefined;
  };
  // Platform records of the JSON log format ({"time","type":"platform.report","record":{…}}): show as the text lines.
  if (typeof doc.type === 'string' && doc.type.startsWith('platform.')) {
    const ownTime = take('time');
    const time = options.omitOwnTime ? undefined : ownTime;
    const shown = platformRecord(String(doc.type), isRecord(doc.record) ? doc.record : {});
    return `${time ? `${String(time)} ` : ''}${shown ?? `${String(doc.type)}  ${JSON.stringify(doc.record ?? {})}`}`;
  }
  const level = take('level', 'levelname', 'severity');
  const text = take('message', 'msg');
  const time = take('timestamp', 'time');
  if (level === undefined && text === undefined) return undefined;
  const timeText = options.omitOwnTime ? '' : typeof time === 'number' ? formatTime(time, options.timeZone) : time !== undefined ? String(time)
    : options.timestamp !== undefined ? formatTime(options.timestamp, options.timeZone) : '';
  // A record may have a level and no message at all ({"level":"error","error":{…}}): its other fields say it.
  const messageText = typeof text === 'string' ? text : text === undefined ? '' : JSON.stringify(text);
  const rest = Object.keys(doc).length ? `  ${JSON.stringify(doc)}` : '';
  return `${timeText}${timeText ? ' ' : ''}${String(level ?? '').toUpperCase().padEnd(5)} ${indentContinuation(messageText)}${rest}`;
}

/** One log event as a readable line: REPORT aligned, JSON logs as `time level message {rest}`, Node text lines with
 *  their level, multi-line messages (stack traces) indented under their first line. */
export function formatLogMessage(message: string, options: FormatOptions = {}): string {
  const report = formatReport(message);
  if (report) return report;
  const json = formatJson(message, options);
  if (json) return json;
  const node = NODE_TEXT.exec(message.replace(/\r?\n$/, ''));
  if (node && LEVELS.has(node[3])) {
    const [, time, requestId, level, text] = node;
    if (options.omitOwnTime) return `${level.padEnd(5)} ${requestId}  ${indentContinuation(text)}`;
    const shown = options.timeZone === 'local' ? formatTime(Date.parse(time), 'local') : time;
    return `${shown} ${level.padEnd(5)} ${requestId}  ${indentContinuation(text)}`;
  }
  return indentContinuation(message);
}

/** Lines that should stand out: errors, timeouts, crashes. */
export function isErrorLine(message: string): boolean {
  return /\b(ERROR|FATAL|CRITICAL)\b|Task timed out after|Runtime exited with error|Traceback \(most recent call last\)|"level"\s*:\s*"(ERROR|FATAL|CRITICAL)"/.test(message);
}

/** A line of a local run as the CLI and Run documents show it: JSON records (LogFormat JSON) formatted as the Logs
 *  view formats cloud ones, text lines as Lambda wrote them. */
export function localLogLine(line: string): string {
  return line.startsWith('{') ? formatLogMessage(line) : line;
}

/** CloudWatch events as a document shows them: the event's time once, then the formatted message. */
export function formatEventLines(events: readonly { timestamp: number; message: string }[], timeZone: TimeZoneMode = 'utc'): string {
  return events.map((e) => `${formatTime(e.timestamp, timeZone)}  ${formatLogMessage(e.message, { timestamp: e.timestamp, timeZone, omitOwnTime: true })}\n`).join('');
}
