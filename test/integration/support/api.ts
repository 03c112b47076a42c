import * as vscode from 'vscode';
import type { LambdaWorkbenchApi } from '../../../src/extension';

/** Activates the extension and returns what activate() returned. */
export async function extensionApi(): Promise<LambdaWorkbenchApi> {
  const extension = vscode.extensions.getExtension<LambdaWorkbenchApi>('lambda-workbench.lambda-workbench');
  if (!extension) throw new Error('the extension is not installed in the host');
  return extension.activate();
}

export function workspaceRoot(): string {
  return vscode.workspace.workspaceFolders![0].uri.fsPath;
}
