import * as vscode from 'vscode';

/**
 * Runs long work (a download, a deploy, a Logs Insights query, a load run) under a cancellable notification: Cancel
 * aborts the signal the work was given — so does `outer`, when the caller can stop it too (a panel closed, a range
 * changed) — and the caller gets undefined (nothing more happens, nothing is reported as failed).
 */
export async function cancellable<T>(title: string, work: (signal: AbortSignal, progress: vscode.Progress<{ message?: string; increment?: number }>) => Promise<T>, outer?: AbortSignal): Promise<T | undefined> {
  const controller = new AbortController();
  const relay = (): void => controller.abort();
  if (outer?.aborted) return undefined;
  outer?.addEventListener('abort', relay, { once: true });
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      token.onCancellationRequested(relay);
      return work(controller.signal, progress);
    });
  } catch (error) {
    if (controller.signal.aborted) return undefined;
    throw error;
  } finally {
    outer?.removeEventListener('abort', relay);
  }
}
