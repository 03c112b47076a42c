import * as vscode from 'vscode';

export interface StoppedAt {
  readonly session: vscode.DebugSession;
  readonly threadId: number;
}

/**
 * Watches every debug adapter's messages (a tracker for all types, as a user's editor would see them) and resolves
 * with the session and thread of the next `stopped` event. js-debug reports stops on a child session, so the
 * tracker must not filter by type.
 */
export class StopWatcher implements vscode.Disposable {
  private readonly registration: vscode.Disposable;
  private readonly lifecycle: vscode.Disposable[];
  /** Sessions started and not yet terminated (js-debug runs a parent and a child session per attach). */
  readonly live = new Set<vscode.DebugSession>();
  private waiting: { resolve: (s: StoppedAt) => void }[] = [];
  private readonly queue: StoppedAt[] = [];
  /** Every event any adapter sent, with the session's name and a time (a timeout reports those since its wait). */
  readonly events: { type: string; event: string; session: string; at: number; detail?: string }[] = [];
  /** Where the next timeout's report starts (begin()), else at its own wait. */
  private since?: { index: number; at: number };

  constructor() {
    this.lifecycle = [
      vscode.debug.onDidStartDebugSession((s) => this.live.add(s)),
      vscode.debug.onDidTerminateDebugSession((s) => {
        this.live.delete(s);
        // A stop of a session that ended (js-debug may report one stop on two sessions) is not the next test's.
        for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i].session === s) this.queue.splice(i, 1);
      }),
    ];
    this.registration = vscode.debug.registerDebugAdapterTrackerFactory('*', {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (message: { type?: string; event?: string; body?: { threadId?: number } }) => {
          if (message.type === 'event' && message.event) {
            const body = (message as { body?: { output?: string; reason?: string } }).body;
            const detail = message.event === 'output' ? body?.output?.trim().slice(0, 200) : body?.reason;
            this.events.push({ type: session.type, event: message.event, session: `${session.name}#${session.id.slice(0, 8)}`, at: Date.now(), detail });
          }
          if (message.type === 'event' && message.event === 'stopped') {
            const stop = { session, threadId: message.body?.threadId ?? 0 };
            const waiter = this.waiting.shift();
            if (waiter) waiter.resolve(stop);
            else this.queue.push(stop);
          }
        },
      }),
    });
  }

  /** The next timeout reports the events from here (call it before starting the session). */
  begin(): void {
    this.since = { index: this.events.length, at: Date.now() };
  }

  next(timeoutMs = 30_000): Promise<StoppedAt> {
    const from = this.since?.index ?? this.events.length;
    const startedAt = this.since?.at ?? Date.now();
    this.since = undefined;
    while (this.queue.length && !this.live.has(this.queue[0].session)) this.queue.shift();
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const entry = { resolve: (s: StoppedAt) => { clearTimeout(timer); resolve(s); } };
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((w) => w !== entry);
        // Only this wait's events, loadedSource runs counted, so the message says what the sessions did instead.
        const lines: { key: string; text: string; count: number }[] = [];
        for (const e of this.events.slice(from)) {
          const key = `${e.session} ${e.event}`;
          const last = lines.at(-1);
          if (e.event === 'loadedSource' && last?.key === key) last.count++;
          else lines.push({ key, text: `+${e.at - startedAt}ms ${key}${e.detail ? ` (${e.detail})` : ''}`, count: 1 });
        }
        const shown = lines.map((l) => (l.count > 1 ? `${l.text} ×${l.count}` : l.text));
        reject(new Error(`no stopped event within ${timeoutMs} ms; what the debug adapters sent meanwhile:\n  ${shown.join('\n  ') || '(nothing)'}`));
      }, timeoutMs);
      this.waiting.push(entry);
    });
  }

  dispose(): void {
    for (const d of this.lifecycle) d.dispose();
    this.registration.dispose();
  }
}

export async function topFrame(stop: StoppedAt): Promise<{ id: number; path: string; line: number }> {
  const trace = await stop.session.customRequest('stackTrace', { threadId: stop.threadId, startFrame: 0, levels: 1 }) as { stackFrames: { id: number; line: number; source?: { path?: string } }[] };
  const frame = trace.stackFrames[0];
  // In a remote window (code-server) the UI hands DAP paths back as vscode-remote:// URIs; desktop gives plain paths.
  const raw = frame.source?.path ?? '';
  const path = /^[a-z][\w+.-]*:\/\//i.test(raw) ? vscode.Uri.parse(raw).fsPath : raw;
  return { id: frame.id, path, line: frame.line };
}

export async function evaluate(stop: StoppedAt, frameId: number, expression: string): Promise<string> {
  const reply = await stop.session.customRequest('evaluate', { expression, frameId, context: 'repl' }) as { result: string };
  return reply.result;
}

/** Resumes the stopped thread; js-debug may report a stop on one session and own the thread on another, so fall
 *  back to the Continue command as a user would press it. */
export async function continueFrom(stop: StoppedAt): Promise<void> {
  try {
    await stop.session.customRequest('continue', { threadId: stop.threadId });
  } catch {
    await vscode.commands.executeCommand('workbench.action.debug.continue');
  }
}
