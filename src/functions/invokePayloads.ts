import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';

const SUFFIX = '.lambda-payload.json';

/**
 * The payload each deployed function was last invoked with, kept as a JSON file in the extension's storage (not the
 * workspace): opened as an ordinary editor to change it, invoked from that editor's title bar.
 */
export class InvokePayloads {
  constructor(private readonly folder: vscode.Uri) {}

  uriFor(functionName: string): vscode.Uri {
    return vscode.Uri.joinPath(this.folder, `${functionName.replace(/[^\w-]/g, '_')}${SUFFIX}`);
  }

  /** The function a payload document belongs to (its file name), or undefined for another document. */
  functionOf(uri: vscode.Uri): string | undefined {
    const name = basename(uri.fsPath);
    return uri.scheme === 'file' && uri.fsPath.startsWith(this.folder.fsPath) && name.endsWith(SUFFIX) ? name.slice(0, -SUFFIX.length) : undefined;
  }

  async last(functionName: string): Promise<string | undefined> {
    return readFile(this.uriFor(functionName).fsPath, 'utf8').catch(() => undefined);
  }

  async remember(functionName: string, payload: string): Promise<void> {
    await mkdir(this.folder.fsPath, { recursive: true });
    await writeFile(this.uriFor(functionName).fsPath, payload);
  }

  /** Opens the function's payload (the last one used, else `{}`) in an editor. */
  async edit(functionName: string): Promise<vscode.Uri> {
    const uri = this.uriFor(functionName);
    if ((await this.last(functionName)) === undefined) await this.remember(functionName, '{\n  \n}\n');
    await vscode.window.showTextDocument(uri, { preview: false });
    return uri;
  }

  /** The text of an open payload document (unsaved edits included), saved so it is the next run's default. */
  async read(uri: vscode.Uri): Promise<string> {
    const document = await vscode.workspace.openTextDocument(uri);
    if (document.isDirty) await document.save();
    return document.getText();
  }
}

export const payloadsFolder = (storage: vscode.Uri): vscode.Uri => vscode.Uri.file(join(storage.fsPath, 'invoke-payloads'));
