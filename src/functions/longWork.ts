import * as vscode from 'vscode';
import { maskValue } from '../core/aws/deployPackage';

/**
 * Runs long work (a download, unpacking, packaging, a deploy) under a cancellable notification: Cancel aborts the
 * signal the work was given, and the caller gets undefined (nothing more happens, nothing is reported as failed).
 */
export async function cancellable<T>(title: string, work: (signal: AbortSignal, progress: vscode.Progress<{ message?: string }>) => Promise<T>): Promise<T | undefined> {
  const controller = new AbortController();
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      return work(controller.signal, progress);
    });
  } catch (error) {
    if (controller.signal.aborted) return undefined;
    throw error;
  }
}

/** Asks whether a deploy uploads the variables of the local `.env` (names listed, values masked). False without
 *  asking when there are none; undefined when the user closed the question. */
export async function askLocalEnvironment(functionName: string, local: Readonly<Record<string, string>>): Promise<boolean | undefined> {
  const names = Object.keys(local);
  if (names.length === 0) return false;
  const listed = names.map((n) => `${n}=${maskValue(local[n])}`).join('\n');
  const answer = await vscode.window.showWarningMessage(`Upload the local .env's ${names.length} variable(s) (${names.join(', ')}) as ${functionName}'s environment?`,
    { modal: true, detail: `${listed}\n\nThey are often secrets meant for this machine. Without them, ${functionName} gets only the variables its template declares.` },
    'Deploy without them', 'Upload them too');
  return answer === undefined ? undefined : answer === 'Upload them too';
}
