import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Resident memory of a process in KiB, read from /proc on Linux (the peak, VmHWM, and the current, VmRSS), else from
 *  `ps` (current only). Undefined once the process is gone. */
export interface MemorySample { readonly rssKb: number; readonly peakKb: number }

export function sampleMemory(pid: number): MemorySample | undefined {
  if (process.platform === 'linux') {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const rss = /VmRSS:\s+(\d+) kB/.exec(status);
      const peak = /VmHWM:\s+(\d+) kB/.exec(status);
      if (rss && peak) return { rssKb: Number(rss[1]), peakKb: Number(peak[1]) };
    } catch {
      return undefined;
    }
    return undefined;
  }
  try {
    const rssKb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim());
    return Number.isFinite(rssKb) && rssKb > 0 ? { rssKb, peakKb: rssKb } : undefined;
  } catch {
    return undefined;
  }
}

export function kbToMb(kb: number): number {
  return Math.ceil(kb / 1024);
}
