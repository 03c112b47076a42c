import * as vscode from 'vscode';
import { prettyResult } from '../core/json/prettyJson';
import type { InvokeResult } from '../core/runtime/types';
import type { RunDocuments } from './runDocuments';

/** One finished run of a handler, kept as a read-only snapshot of its document. */
export interface RunRecord {
  /** 1, 2, 3… per handler in this window. */
  readonly number: number;
  readonly handlerId: string;
  readonly finishedAt: Date;
  /** `cold · 6.6 ms · 43 MB · ok`: what the history list shows. */
  readonly summary: string;
  readonly document: vscode.Uri;
}

const KEEP = 10;

/** What a run's outcome says in one line: cold or warm, duration, memory, and how it ended. */
export function runSummary(result: InvokeResult | undefined, ending?: 'cancelled' | 'not run'): string {
  if (!result) return ending ?? 'not run';
  const status = result.timedOut ? 'timed out' : result.functionError ? `error: ${result.error?.errorType ?? result.functionError}` : 'ok';
  return [result.coldStart ? 'cold' : 'warm', `${result.durationMs.toFixed(1)} ms`, `${result.maxMemoryUsedMb} MB`, status].join(' · ');
}

/** The end of a Run or debug document: the one-line summary, then the result for reading (NUL bytes shown as \0). */
export function resultSection(result: InvokeResult, note = ''): string {
  return `\n# Result · ${runSummary(result)}${note}\n${prettyResult(result.payload.replace(/\0/g, '\\0'))}`;
}

/**
 * The last runs of each handler, newest first: each run's document is copied into its own snapshot
 * (`<name> #3.run.lambda-log`) when it ends, so re-running never loses an earlier output.
 */
export class RunHistory {
  private readonly runs = new Map<string, RunRecord[]>();
  private readonly counters = new Map<string, number>();
  /** Which handler a run document (live or snapshot) belongs to, for the document's title-bar actions. */
  private readonly owners = new Map<string, string>();

  constructor(private readonly docs: RunDocuments) {}

  /** The live document of a handler's runs belongs to it. */
  own(document: vscode.Uri, handlerId: string): void {
    this.owners.set(document.toString(), handlerId);
  }

  ownerOf(document: vscode.Uri): string | undefined {
    return this.owners.get(document.toString());
  }

  record(handlerId: string, handlerName: string, live: vscode.Uri, summary: string): RunRecord {
    const number = (this.counters.get(handlerId) ?? 0) + 1;
    this.counters.set(handlerId, number);
    const document = this.docs.uriFor(`${handlerName} #${number}`);
    this.docs.set(document, this.docs.text(live));
    this.owners.set(document.toString(), handlerId);
    const entry: RunRecord = { number, handlerId, finishedAt: new Date(), summary, document };
    const list = [entry, ...(this.runs.get(handlerId) ?? [])];
    for (const dropped of list.splice(KEEP)) {
      this.docs.forget(dropped.document);
      this.owners.delete(dropped.document.toString());
    }
    this.runs.set(handlerId, list);
    return entry;
  }

  /** The handler's kept runs, newest first. */
  of(handlerId: string): readonly RunRecord[] {
    return this.runs.get(handlerId) ?? [];
  }
}
