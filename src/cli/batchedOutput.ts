/** Text written in bursts: what arrives within `delayMs` of the first piece leaves in one write. A server printing
 *  an access or log line per request would otherwise make a write (and wake its terminal or pipe reader) per request;
 *  10 ms is below what a reader notices. `flush()` writes what is pending now (before exiting). */
export interface BatchedOutput {
  write(text: string): void;
  flush(): void;
}

export function batchedOutput(write: (text: string) => void, delayMs = 10): BatchedOutput {
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    write(text);
  };
  return {
    write(text) {
      pending.push(text);
      timer ??= setTimeout(flush, delayMs);
    },
    flush,
  };
}
