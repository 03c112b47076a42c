import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { InvocationRecord } from './invocationRecord';

/** Records kept per function: the last this many. */
export const RECORDS_PER_FUNCTION = 10_000;

/**
 * The last RECORDS_PER_FUNCTION invocation records of each function, in time order, in memory. Listeners hear of each
 * record added (the Insights panel redraws from them). A ring per function: adding never copies the series.
 */
export class InvocationStore {
  private readonly rings = new Map<string, { items: InvocationRecord[]; start: number }>();
  private readonly listeners = new Set<(record: InvocationRecord) => void>();

  constructor(private readonly capacity = RECORDS_PER_FUNCTION) {}

  add(record: InvocationRecord): void {
    let ring = this.rings.get(record.function);
    if (!ring) this.rings.set(record.function, (ring = { items: [], start: 0 }));
    if (ring.items.length < this.capacity) ring.items.push(record);
    else {
      ring.items[ring.start] = record;
      ring.start = (ring.start + 1) % this.capacity;
    }
    for (const listener of this.listeners) listener(record);
  }

  /** A function's records, oldest first (a copy). */
  records(fn: string): InvocationRecord[] {
    const ring = this.rings.get(fn);
    if (!ring) return [];
    return ring.start === 0 ? [...ring.items] : [...ring.items.slice(ring.start), ...ring.items.slice(0, ring.start)];
  }

  functions(): string[] {
    return [...this.rings.keys()].sort();
  }

  onRecord(listener: (record: InvocationRecord) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}

/** Records as JSON Lines, one record a line. */
function recordLines(records: readonly InvocationRecord[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/** Appends records to a JSON Lines file (`--record`), creating its folder. */
export async function appendRecords(file: string, records: readonly InvocationRecord[]): Promise<void> {
  if (records.length === 0) return;
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, recordLines(records));
}

/** Where `--record` writes, relative to the folder the CLI runs in (the editor reads and follows it there). */
export const RECORD_FILE = '.lambda-workbench/invocations.jsonl';

/** One line of a record file, or undefined when it is not a record. */
export function parseRecordLine(line: string): InvocationRecord | undefined {
  try {
    const r = JSON.parse(line) as InvocationRecord;
    return typeof r?.function === 'string' && typeof r.durationMs === 'number' && typeof r.time === 'number' && typeof r.memorySizeMb === 'number' ? r : undefined;
  } catch {
    return undefined;
  }
}

/** Adds the records among `lines` to `store`; counts what was not a record (blank lines aside). */
export function addRecordLines(text: string, store: InvocationStore): { loaded: number; skipped: number } {
  let loaded = 0;
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const record = parseRecordLine(line);
    if (record) { store.add(record); loaded++; } else skipped++;
  }
  return { loaded, skipped };
}

/** Reads a JSON Lines record file into `store`. A file holding far more than the store keeps is rewritten with what
 *  it keeps, so that a file that is appended to for months stays bounded. */
export async function loadRecords(file: string, store: InvocationStore): Promise<{ loaded: number; skipped: number }> {
  const counts = addRecordLines(await readFile(file, 'utf8'), store);
  const kept = store.functions().reduce((n, fn) => n + store.records(fn).length, 0);
  if (counts.loaded > kept * 1.5) await writeFile(file, recordLines(store.functions().flatMap((fn) => store.records(fn))));
  return counts;
}

/** A recorder that batches appends (one write per 100 ms at most) so that a busy `start` does not write per call. */
export class RecordFile {
  private pending: InvocationRecord[] = [];
  private writing: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;

  constructor(readonly file: string, private readonly onError: (error: unknown) => void) {}

  add(record: InvocationRecord): void {
    this.pending.push(record);
    this.timer ??= setTimeout(() => void this.flush(), 100);
  }

  /** Writes what is pending; resolves when every write so far has finished. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.writing = this.writing.then(() => appendRecords(this.file, batch)).catch(this.onError);
    return this.writing;
  }
}
