import * as vscode from 'vscode';

/** Adds up how long a debugger held a program paused: from each `stopped` event to the next resume. */
export class PauseClock {
  private total = 0;
  private since?: number;

  stop(): void {
    this.since ??= performance.now();
  }

  resume(): void {
    if (this.since === undefined) return;
    this.total += performance.now() - this.since;
    this.since = undefined;
  }

  /** Paused so far, a pause in progress included. */
  totalMs(): number {
    return this.total + (this.since === undefined ? 0 : performance.now() - this.since);
  }
}

const RESUMING = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'goto', 'restartFrame', 'disconnect', 'terminate']);

/**
 * Watches every debug adapter (js-debug reports stops on child sessions of its own type) and feeds the clock of the
 * run a session belongs to: `stopped` pauses it, a resuming request or a `continued` event resumes it.
 */
export function trackPauses(clockOf: (session: vscode.DebugSession) => PauseClock | undefined): vscode.Disposable {
  return vscode.debug.registerDebugAdapterTrackerFactory('*', {
    createDebugAdapterTracker: (session) => {
      const clock = clockOf(session);
      if (!clock) return undefined;
      return {
        onDidSendMessage: (m: { type?: string; event?: string }) => {
          if (m.type !== 'event') return;
          if (m.event === 'stopped') clock.stop();
          else if (m.event === 'continued' || m.event === 'terminated') clock.resume();
        },
        onWillReceiveMessage: (m: { type?: string; command?: string }) => {
          if (m.type === 'request' && m.command && RESUMING.has(m.command)) clock.resume();
        },
        onWillStopSession: () => clock.resume(),
      };
    },
  });
}
