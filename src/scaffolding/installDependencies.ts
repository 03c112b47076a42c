import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { pathExists } from '../core/pathExists';

/** Whether a scaffolded folder declares npm packages it does not have yet (so the editor shows missing types). */
export async function needsNpmInstall(folder: string): Promise<boolean> {
  if (await pathExists(join(folder, 'node_modules'))) return false;
  try {
    const pkg = JSON.parse(await readFile(join(folder, 'package.json'), 'utf8')) as { dependencies?: object; devDependencies?: object };
    return Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).length > 0;
  } catch {
    return false; // no package.json (Python), or one we cannot read: nothing to offer
  }
}

/** `npm install` in a folder as a VS Code task (its output in a terminal the user sees); resolves to its exit code. */
export async function runNpmInstall(folder: string): Promise<number | undefined> {
  const task = new vscode.Task({ type: 'shell', task: 'npm install' }, vscode.TaskScope.Workspace, `npm install (${vscode.workspace.asRelativePath(folder)})`, 'Lambda',
    new vscode.ShellExecution('npm install', { cwd: folder }));
  const execution = await vscode.tasks.executeTask(task);
  return new Promise((resolve) => {
    const done = vscode.tasks.onDidEndTaskProcess((e) => {
      if (e.execution !== execution) return;
      done.dispose();
      resolve(e.exitCode);
    });
  });
}

/** After New Handler: offer to install what the new project's package.json lists, so the handler type-checks. */
export async function offerNpmInstall(folder: string, handlerName: string): Promise<void> {
  const choice = await vscode.window.showInformationMessage(`${handlerName} lists npm packages (the AWS Lambda and Node.js types, the SDK…) that are not installed yet: the editor shows errors until they are.`, 'Install (npm install)');
  if (choice) await runNpmInstall(folder);
}
