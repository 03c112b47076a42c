import * as vscode from 'vscode';
import type { LambdaWorkbenchApi } from '../../../src/extension';

/** The next quick input the extension shows (its real widget, observed through the API's hook). */
export function nextQuickInput<T extends vscode.QuickInput = vscode.QuickPick<vscode.QuickPickItem>>(api: LambdaWorkbenchApi): Promise<T> {
  return new Promise((resolve) => {
    const subscription = api.onDidShowQuickInput((input) => {
      subscription.dispose();
      resolve(input as T);
    });
  });
}

/** The labels a pick shows, separators left out. */
export const itemLabels = (pick: vscode.QuickPick<vscode.QuickPickItem>): string[] =>
  pick.items.filter((i) => i.kind !== vscode.QuickPickItemKind.Separator).map((i) => i.label);

/** Moves the pick's cursor to the item labelled `label` and accepts it the way Enter does. */
export async function acceptItem(pick: vscode.QuickPick<vscode.QuickPickItem>, label: string): Promise<void> {
  const item = pick.items.find((i) => i.label === label);
  if (!item) throw new Error(`no item "${label}" in ${itemLabels(pick).join(' | ')}`);
  // The extension host sends the new active item to the window a tick later, and the window answers with
  // onDidChangeActive: accept only after that, or Enter would take the item that was active before.
  const echoed = new Promise<void>((resolve) => {
    const subscription = pick.onDidChangeActive((active) => {
      if (active[0] !== item) return;
      subscription.dispose();
      resolve();
    });
  });
  pick.activeItems = [item];
  await Promise.race([echoed, new Promise((r) => setTimeout(r, 2_000))]);
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
}
