import * as vscode from 'vscode';
import { maskValue } from '../core/aws/deployPackage';

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
