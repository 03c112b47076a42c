import type { InvocationCost, LoggingConfig } from './types';

/** The platform lines Lambda writes around each invocation, in CloudWatch's format. */
export function startLine(requestId: string): string {
  return `START RequestId: ${requestId} Version: $LATEST`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

export interface ReportFields {
  readonly requestId: string;
  readonly durationMs: number;
  readonly billedDurationMs: number;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedMb: number;
  readonly initDurationMs?: number;
  /** `timeout` or `error` as the service appends them; absent on success. */
  readonly status?: 'timeout' | 'error';
  readonly errorType?: string;
}

export function reportLine(f: ReportFields): string {
  let line = `REPORT RequestId: ${f.requestId}\tDuration: ${f.durationMs.toFixed(2)} ms\tBilled Duration: ${f.billedDurationMs} ms\t` +
    `Memory Size: ${f.memorySizeMb} MB\tMax Memory Used: ${f.maxMemoryUsedMb} MB`;
  if (f.initDurationMs !== undefined) line += `\tInit Duration: ${f.initDurationMs.toFixed(2)} ms`;
  if (f.status) line += `\tStatus: ${f.status}`;
  if (f.errorType) line += `\tError Type: ${f.errorType}`;
  return line;
}

/** A duration to the 0.01 ms REPORT shows. */
export function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** Our own line after REPORT (not a CloudWatch line, hence its own keyword): what this call would cost on AWS. */
export function estimateLine(requestId: string, cost: InvocationCost, architecture: string): string {
  return `ESTIMATE RequestId: ${requestId}\tBilled: ${cost.billedGbSeconds.toPrecision(3)} GB-s\tCost: $${cost.totalUsd.toFixed(10)}\t` +
    `Per 1M calls: $${cost.perMillionUsd.toFixed(2)}\t(us-east-1 ${architecture} list prices)`;
}

export function timeoutLine(requestId: string, timeoutSeconds: number): string {
  return `${new Date().toISOString()} ${requestId} Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}

/** The platform records of one function's log format: CloudWatch's text lines, or with `LoggingConfig.LogFormat:
 *  JSON` the `platform.start` / `platform.report` records Lambda writes instead (no END: Lambda writes no record for
 *  it), dropped below the function's SystemLogLevel (they are INFO records). */
export class PlatformLog {
  private readonly json: boolean;
  private readonly shown: boolean;

  constructor(logging?: LoggingConfig) {
    this.json = logging?.format === 'JSON';
    this.shown = !this.json || (logging?.systemLogLevel ?? 'INFO') !== 'WARN';
  }

  start(requestId: string): string | undefined {
    if (!this.json) return startLine(requestId);
    return this.shown ? record('platform.start', { requestId, version: '$LATEST' }) : undefined;
  }

  end(requestId: string): string | undefined {
    return this.json ? undefined : endLine(requestId);
  }

  report(f: ReportFields): string | undefined {
    if (!this.json) return reportLine(f);
    if (!this.shown) return undefined;
    const round = roundMs;
    const metrics: Record<string, number> = {
      durationMs: round(f.durationMs), billedDurationMs: f.billedDurationMs, memorySizeMB: f.memorySizeMb, maxMemoryUsedMB: f.maxMemoryUsedMb,
    };
    if (f.initDurationMs !== undefined) metrics.initDurationMs = round(f.initDurationMs);
    return record('platform.report', { requestId: f.requestId, metrics, status: f.status ?? 'success', ...(f.errorType ? { errorType: f.errorType } : {}) });
  }
}

function record(type: string, body: Record<string, unknown>): string {
  return JSON.stringify({ time: new Date().toISOString(), type, record: body });
}
