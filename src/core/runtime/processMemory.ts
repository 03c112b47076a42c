import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** Resident memory of a process in KiB: the current (rss) and the peak so far where the platform keeps one. */
export interface MemorySample { readonly rssKb: number; readonly peakKb: number }

/** The header our bootstraps put on every reply: their own peak resident memory in KiB (Node
 *  `process.resourceUsage().maxRSS`, Python `resource.getrusage`), so REPORT's Max Memory Used is exact on every
 *  platform, whatever the sampling saw. */
export const MAX_RSS_HEADER = 'lambda-workbench-max-rss-kb';

/** How often the watchdog samples a busy environment: /proc is cheap; elsewhere each sample starts a process. */
export const MEMORY_POLL_MS = process.platform === 'linux' ? 100 : 500;

function run(command: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(command, args, { windowsHide: true, timeout: 2000 }, (error, stdout) => resolve(error ? undefined : stdout));
  });
}

/** Samples a process's memory without blocking the caller: /proc on Linux (VmRSS and the peak VmHWM), `ps` on macOS
 *  and other POSIX systems, `tasklist` on Windows (current only). Undefined once the process is gone. */
export async function sampleMemory(pid: number): Promise<MemorySample | undefined> {
  if (process.platform === 'linux') {
    try {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const rss = /VmRSS:\s+(\d+) kB/.exec(status);
      const peak = /VmHWM:\s+(\d+) kB/.exec(status);
      return rss && peak ? { rssKb: Number(rss[1]), peakKb: Number(peak[1]) } : undefined;
    } catch {
      return undefined;
    }
  }
  if (process.platform === 'win32') {
    // "node.exe","1234","Console","1","45,120 K"
    const out = await run('tasklist', ['/FI', `PID eq ${pid}`, '/FO', 'CSV', '/NH']);
    const kb = out ? Number(/"([\d.,\s]+) K"\s*$/m.exec(out)?.[1].replace(/[^\d]/g, '')) : NaN;
    return kb > 0 ? { rssKb: kb, peakKb: kb } : undefined;
  }
  const out = await run('ps', ['-o', 'rss=', '-p', String(pid)]);
  const rssKb = Number(out?.trim());
  return rssKb > 0 ? { rssKb, peakKb: rssKb } : undefined;
}

export function kbToMb(kb: number): number {
  return Math.ceil(kb / 1024);
}
