import type { FunctionConfig, InvokeResult } from '../runtime/types';
import { DEFAULT_MEMORY_MB } from '../runtime/types';
import { roundMs } from '../runtime/logLines';

/** Where an invocation ran: a local Run, F5, the CLI, `serve`, `start`, a load run, or the deployed function. */
export type RecordSource = 'run' | 'debug' | 'invoke' | 'serve' | 'start' | 'load' | 'cloud';

/** One invocation's REPORT figures: what Insights draws. Kept small (10 000 per function are held). */
export interface InvocationRecord {
  readonly function: string;
  /** When the call started, epoch ms. */
  readonly time: number;
  readonly requestId: string;
  readonly durationMs: number;
  readonly billedDurationMs: number;
  /** Set on a cold start. */
  readonly initDurationMs?: number;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedMb: number;
  readonly status: 'ok' | 'error' | 'timeout';
  readonly architecture: 'x86_64' | 'arm64';
  readonly region?: string;
  /** Which environment served it (local runs): environments in use over time. */
  readonly environmentId?: string;
  readonly source: RecordSource;
}

/** The record of a local invocation that ended at `endedAt` (epoch ms). */
export function recordOf(config: FunctionConfig, result: InvokeResult, source: RecordSource, endedAt = Date.now()): InvocationRecord {
  return {
    function: config.name,
    time: Math.round(endedAt - result.durationMs - (result.initDurationMs ?? 0)),
    requestId: result.requestId,
    // To the 0.01 ms REPORT shows: what CloudWatch would hold, and small record files.
    durationMs: roundMs(result.durationMs),
    billedDurationMs: result.billedDurationMs,
    initDurationMs: result.initDurationMs === undefined ? undefined : roundMs(result.initDurationMs),
    memorySizeMb: result.memorySizeMb || config.memorySize || DEFAULT_MEMORY_MB,
    maxMemoryUsedMb: result.maxMemoryUsedMb,
    status: result.timedOut ? 'timeout' : result.functionError ? 'error' : 'ok',
    architecture: config.architecture ?? 'x86_64',
    region: config.region,
    environmentId: result.environmentId,
    source,
  };
}

const TEXT_FIELDS: Record<string, RegExp> = {
  requestId: /RequestId: ([\w-]+)/,
  durationMs: /\tDuration: ([\d.]+) ms/,
  billedDurationMs: /Billed Duration: ([\d.]+) ms/,
  memorySizeMb: /Memory Size: (\d+) MB/,
  maxMemoryUsedMb: /Max Memory Used: (\d+) MB/,
  initDurationMs: /Init Duration: ([\d.]+) ms/,
  status: /Status: (\w+)/,
};

/**
 * A CloudWatch REPORT message as a record: the text line (`REPORT RequestId: … Duration: … ms …`) or the JSON log
 * format's `platform.report`. Undefined for anything else. `timestamp`: the log event's (epoch ms), when the call ended.
 */
export function parseReport(message: string, timestamp: number, fn: string, architecture: 'x86_64' | 'arm64' = 'x86_64', region?: string): InvocationRecord | undefined {
  const text = message.trim();
  if (text.startsWith('{')) return parseJsonReport(text, timestamp, fn, architecture, region);
  if (!text.startsWith('REPORT ')) return undefined;
  const found: Record<string, string> = {};
  for (const [name, pattern] of Object.entries(TEXT_FIELDS)) {
    const match = pattern.exec(text);
    if (match) found[name] = match[1];
  }
  if (!found.requestId || !found.durationMs || !found.memorySizeMb) return undefined;
  const durationMs = Number(found.durationMs);
  const initDurationMs = found.initDurationMs ? Number(found.initDurationMs) : undefined;
  return {
    function: fn, time: Math.round(timestamp - durationMs - (initDurationMs ?? 0)), requestId: found.requestId, durationMs,
    billedDurationMs: Number(found.billedDurationMs ?? Math.ceil(durationMs)), initDurationMs,
    memorySizeMb: Number(found.memorySizeMb), maxMemoryUsedMb: Number(found.maxMemoryUsedMb ?? 0),
    status: statusOf(found.status), architecture, region, source: 'cloud',
  };
}

function parseJsonReport(text: string, timestamp: number, fn: string, architecture: 'x86_64' | 'arm64', region?: string): InvocationRecord | undefined {
  let entry: { type?: string; time?: string; record?: { requestId?: string; status?: string; metrics?: Record<string, number> } };
  try { entry = JSON.parse(text) as typeof entry; } catch { return undefined; }
  const metrics = entry.record?.metrics;
  if (entry.type !== 'platform.report' || !metrics || !entry.record?.requestId || typeof metrics.durationMs !== 'number') return undefined;
  const ended = entry.time ? Date.parse(entry.time) : timestamp;
  return {
    function: fn, time: Math.round((Number.isFinite(ended) ? ended : timestamp) - metrics.durationMs - (metrics.initDurationMs ?? 0)),
    requestId: entry.record.requestId, durationMs: metrics.durationMs, billedDurationMs: metrics.billedDurationMs ?? Math.ceil(metrics.durationMs),
    initDurationMs: metrics.initDurationMs, memorySizeMb: metrics.memorySizeMB ?? DEFAULT_MEMORY_MB, maxMemoryUsedMb: metrics.maxMemoryUsedMB ?? 0,
    status: statusOf(entry.record.status), architecture, region, source: 'cloud',
  };
}

function statusOf(status: string | undefined): InvocationRecord['status'] {
  if (!status || status === 'success') return 'ok';
  return status === 'timeout' ? 'timeout' : 'error';
}
