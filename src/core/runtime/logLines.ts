import type { InvocationCost } from './types';

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

/** Our own line after REPORT (not a CloudWatch line, hence its own keyword): what this call would cost on AWS. */
export function estimateLine(requestId: string, cost: InvocationCost, architecture: string): string {
  return `ESTIMATE RequestId: ${requestId}\tBilled: ${cost.billedGbSeconds.toPrecision(3)} GB-s\tCost: $${cost.totalUsd.toFixed(10)}\t` +
    `Per 1M calls: $${cost.perMillionUsd.toFixed(2)}\t(us-east-1 ${architecture} list prices)`;
}

export function timeoutLine(requestId: string, timeoutSeconds: number): string {
  return `${new Date().toISOString()} ${requestId} Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}
