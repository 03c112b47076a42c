import * as vscode from 'vscode';
import type { HandlerIndex } from '../localHandlers/handlerIndex';
import type { OutputLog } from '../output/outputLog';

/** VS Code's JavaScript debugger, which runs the debug sessions of Node.js and TypeScript handlers. */
export const JS_DEBUG_ID = 'ms-vscode.js-debug';

const JAVASCRIPT_FILE = /\.(m|c)?[jt]s$/i;

/**
 * Starts what a window's first Lambda debug session would otherwise wait for, as soon as the user shows they are
 * about to debug: an editor showing a file the handler index knows has a Node.js or TypeScript handler activates
 * js-debug (its activation is most of a window's first F5; measured by `npm run bench:debug`). Once per window; it
 * never starts discovery itself (the editor's CodeLens or the view does) and runs no workspace code.
 */
export class DebugWarmup implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];
  private jsDebug?: Promise<void>;
  /** How long js-debug took to activate when warmed here (undefined: not warmed, or it was already active). */
  jsDebugActivationMs?: number;

  constructor(private readonly index: HandlerIndex, private readonly log: OutputLog) {
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.check()),
      index.onDidChange(() => this.check()),
    ];
    this.check();
  }

  /** Resolves when the warm-up started so far is done (at once if none started). */
  whenWarm(): Promise<void> {
    return this.jsDebug ?? Promise.resolve();
  }

  private check(): void {
    if (this.jsDebug) return;
    const file = vscode.window.activeTextEditor?.document.uri;
    if (file?.scheme !== 'file' || !JAVASCRIPT_FILE.test(file.fsPath)) return;
    if (this.index.inFile(file.fsPath).length === 0) return;
    this.jsDebug = this.activateJsDebug();
    this.dispose(); // once per window: nothing more to watch for
  }

  private async activateJsDebug(): Promise<void> {
    const extension = vscode.extensions.getExtension(JS_DEBUG_ID);
    if (!extension || extension.isActive) return;
    const started = performance.now();
    try {
      await extension.activate();
      this.jsDebugActivationMs = performance.now() - started;
      this.log.debug(`js-debug activated ahead of the first debug session in ${this.jsDebugActivationMs.toFixed(0)} ms`);
    } catch (error) {
      // Not ours to report: the debug session will say what is wrong with the debugger if one starts.
      this.log.debug(`js-debug did not activate ahead of time: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
