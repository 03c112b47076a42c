import * as vscode from 'vscode';
import { formatEventLines, type TimeZoneMode } from '../core/logs/logFormat';
import { liveTail, resolveLogGroupArn } from '../core/logs/liveTail';
import { pollTail, type TailEvent } from '../core/logs/pollingTail';
import type { AwsSession } from '../functions/awsSession';
import type { RunDocuments } from '../localHandlers/runDocuments';
import type { OutputLog } from '../output/outputLog';

export type TailMode = 'polling' | 'live';

interface RunningTail {
  readonly group: string;
  readonly mode: TailMode;
  readonly uri: vscode.Uri;
  readonly controller: AbortController;
  events: number;
  windowStart: number;
  windowEvents: number;
  /** Events per second of the last few one-second windows (polls deliver in bursts; one window alone jumps). */
  recent: number[];
  rate: number;
}

const RATE_WINDOWS = 5;

export function timeZoneSetting(): TimeZoneMode {
  return vscode.workspace.getConfiguration('lambdaWorkbench').get<string>('logs.timeZone') === 'local' ? 'local' : 'utc';
}

export function formatEvents(events: readonly TailEvent[]): string {
  return formatEventLines(events, timeZoneSetting());
}

/**
 * Running tails: each writes to its own growing read-only document, bounded to `lambdaWorkbench.logs.maxLines`
 * lines. The status bar shows the events per second and stops them; closing a tail's document stops its tail; all
 * stop when the extension deactivates (this is in context.subscriptions). Nothing keeps running unnoticed.
 */
export class LogTails implements vscode.Disposable {
  private readonly tails = new Map<string, RunningTail>();
  private readonly status: vscode.StatusBarItem;
  private readonly timer: NodeJS.Timeout;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly session: AwsSession, private readonly docs: RunDocuments, private readonly log: OutputLog) {
    this.status = vscode.window.createStatusBarItem('lambdaWorkbench.tail', vscode.StatusBarAlignment.Left, 48);
    this.status.name = 'Lambda: log tails';
    this.status.command = 'lambdaWorkbench.stopTail';
    this.timer = setInterval(() => this.updateRates(), 1000);
    // Closing the tail's tab stops it at once (the document itself may only be disposed much later).
    this.disposables.push(this.status,
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.closed) {
          const input = tab.input;
          if (input instanceof vscode.TabInputText && this.tails.has(input.uri.toString()) && !this.isOpenInAnotherTab(input.uri)) this.stop(input.uri);
        }
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (this.tails.has(doc.uri.toString())) this.stop(doc.uri);
      }));
  }

  running(): { group: string; mode: TailMode; uri: vscode.Uri; events: number; rate: number }[] {
    return [...this.tails.values()].map((t) => ({ group: t.group, mode: t.mode, uri: t.uri, events: t.events, rate: t.rate }));
  }

  /** Starts (or shows) the tail of a group; resolves with its document once it is open. */
  async start(group: string, filterPattern?: string, mode: TailMode = 'polling'): Promise<vscode.Uri> {
    const uri = this.docs.uriFor(`${group}${filterPattern ? ' filtered' : ''}${mode === 'live' ? ' live' : ''}`, 'tail');
    if (this.tails.has(uri.toString())) {
      await vscode.window.showTextDocument(uri, { preview: false });
      return uri;
    }
    const maxLines = vscode.workspace.getConfiguration('lambdaWorkbench').get<number>('logs.maxLines') ?? 10_000;
    const controller = new AbortController();
    const tail: RunningTail = { group, mode, uri, controller, events: 0, windowStart: Date.now(), windowEvents: 0, recent: [], rate: 0 };
    this.tails.set(uri.toString(), tail);
    const how = mode === 'live' ? 'CloudWatch Live Tail (billed per minute while it runs)' : 'polling FilterLogEvents (free)';
    await this.docs.open(uri, `# Tail of ${group}${filterPattern ? ` (filter: ${filterPattern})` : ''} · ${how} · close this document or click the status bar to stop\n`, false);
    this.render();
    const onEvents = (events: TailEvent[]): void => {
      tail.events += events.length;
      tail.windowEvents += events.length;
      this.docs.appendBounded(uri, formatEvents(events), maxLines);
    };
    const note = (text: string): void => this.docs.appendBounded(uri, `# ${text}\n`, maxLines);
    const client = this.session.logs();
    const running = mode === 'live'
      ? resolveLogGroupArn(client, group, controller.signal).then((arn) => liveTail({
        client, logGroupArns: [arn], filterPattern, signal: controller.signal, onEvents,
        onStatus: (s) => { if (s.kind !== 'started') note(s.message); },
      }))
      : pollTail({
        client, logGroup: group, filterPattern, startTime: Date.now() - 60_000, signal: controller.signal, onEvents,
        onStatus: (s) => { if (s.kind === 'throttled' || s.kind === 'error') note(`${s.message ?? s.kind} — next poll in ${(s.intervalMs / 1000).toFixed(1)} s`); },
      });
    void running.catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      this.docs.appendBounded(uri, `# The tail stopped: ${message}\n`, maxLines);
      this.log.warn(`Tail of ${group} stopped: ${message}`);
      // Credentials, permissions, a missing group: nothing a retry by itself would mend, so ask (after a fix).
      void vscode.window.showWarningMessage(`The tail of ${group} stopped: ${message}`, 'Retry').then((choice) => {
        if (choice === 'Retry') void this.start(group, filterPattern, mode);
      });
    }).finally(() => {
      if (this.tails.get(uri.toString()) === tail) this.stop(uri);
    });
    return uri;
  }

  /** Stops one tail (or, with no argument, all of them). */
  stop(uri?: vscode.Uri): void {
    const targets = uri ? [this.tails.get(uri.toString())].filter((t): t is RunningTail => !!t) : [...this.tails.values()];
    for (const tail of targets) {
      tail.controller.abort();
      this.tails.delete(tail.uri.toString());
      this.docs.appendBounded(tail.uri, `# Tail stopped (${tail.events} events)\n`, Number.MAX_SAFE_INTEGER);
      this.docs.flush();
    }
    this.render();
  }

  private isOpenInAnotherTab(uri: vscode.Uri): boolean {
    return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString()));
  }

  private updateRates(): void {
    const now = Date.now();
    for (const t of this.tails.values()) {
      t.recent.push(t.windowEvents / Math.max(0.001, (now - t.windowStart) / 1000));
      if (t.recent.length > RATE_WINDOWS) t.recent.shift();
      t.rate = t.recent.reduce((a, b) => a + b, 0) / t.recent.length;
      t.windowStart = now;
      t.windowEvents = 0;
    }
    this.render();
  }

  private render(): void {
    const tails = [...this.tails.values()];
    if (tails.length === 0) {
      this.status.hide();
      return;
    }
    const rate = tails.reduce((n, t) => n + t.rate, 0);
    const live = tails.some((t) => t.mode === 'live');
    this.status.text = `$(pulse) ${tails.length === 1 ? tails[0].group : `${tails.length} tails`}${live ? ' · Live Tail (billed)' : ''} · ${rate.toFixed(rate < 10 ? 1 : 0)} ev/s $(debug-stop)`;
    this.status.tooltip = `${tails.map((t) => `${t.group}: ${t.events} events`).join('\n')}\nClick to stop ${tails.length === 1 ? 'the tail' : 'all tails'}.`;
    this.status.show();
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const t of this.tails.values()) t.controller.abort();
    this.tails.clear();
    for (const d of this.disposables) d.dispose();
  }
}
