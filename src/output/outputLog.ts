import * as vscode from 'vscode';
import type { Logger } from '../core/logger';

/** The extension's one log: a LogOutputChannel, plus a way to put an error in front of the user with a
 *  "Show Logs" action so they can read the details without hunting for the Output view. */
export interface OutputLog extends Logger {
  readonly channel: vscode.LogOutputChannel;
  /** Logs `error` and shows `message` (what to do about it) with a "Show Logs" action. */
  showError(message: string, error?: unknown): void;
}

export const OUTPUT_CHANNEL_NAME = 'Lambda Workbench';

export function registerOutput(context: vscode.ExtensionContext): OutputLog {
  const channel = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  context.subscriptions.push(
    channel,
    vscode.commands.registerCommand('lambdaWorkbench.showOutput', () => channel.show(true)),
  );
  return {
    channel,
    trace: (m) => channel.trace(m),
    debug: (m) => channel.debug(m),
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
    showError(message, error) {
      channel.error(error instanceof Error ? `${message}\n${error.stack ?? error.message}` : error === undefined ? message : `${message}: ${String(error)}`);
      void vscode.window.showErrorMessage(message, 'Show Logs').then((choice) => {
        if (choice === 'Show Logs') channel.show(true);
      });
    },
  };
}
