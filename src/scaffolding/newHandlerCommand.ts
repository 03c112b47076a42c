import * as vscode from 'vscode';
import { needsNpmInstall, offerNpmInstall, runNpmInstall } from './installDependencies';
import { LANGUAGES, listTemplates, scaffold, ScaffoldConflictError, validateFunctionName, type Language, type ScaffoldResult } from '../core/scaffold/scaffolder';
import type { OutputLog } from '../output/outputLog';

/** Answers a caller (a test, another command) may give up front; each one given skips its prompt. */
export interface NewHandlerArgs {
  readonly language?: Language;
  readonly templateId?: string;
  readonly name?: string;
  readonly parentDir?: string;
  readonly samResource?: boolean;
  /** Replace existing files without asking (tests only; users are always asked). */
  readonly overwrite?: boolean;
}

/** "Lambda: New Handler": runtime → trigger template → name → folder → SAM resource, then writes the files and
 *  opens the handler. Resolves to what was written, or undefined when the user cancelled. */
export function registerNewHandler(context: vscode.ExtensionContext, log: OutputLog): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('lambdaWorkbench.newHandler', (args?: NewHandlerArgs) => newHandler(args ?? {}, log)),
    vscode.commands.registerCommand('lambdaWorkbench.installDependencies', (folder?: vscode.Uri) => (folder ? runNpmInstall(folder.fsPath) : undefined)),
  );
}

async function newHandler(args: NewHandlerArgs, log: OutputLog): Promise<(ScaffoldResult & { needsInstall: boolean }) | undefined> {
  const language = args.language ?? (await vscode.window.showQuickPick(LANGUAGES.map((l) => ({ label: l.label, id: l.id })), {
    title: 'New Lambda Handler (1/5): runtime', placeHolder: 'Which runtime?',
  }))?.id;
  if (!language) return undefined;
  const templateId = args.templateId ?? (await vscode.window.showQuickPick(listTemplates().map((t) => ({ label: t.title, description: t.id, detail: t.description, id: t.id })), {
    title: 'New Lambda Handler (2/5): trigger', placeHolder: 'What triggers the function?', matchOnDetail: true,
  }))?.id;
  if (!templateId) return undefined;
  const parentDir = args.parentDir ?? (await pickFolder(vscode.workspace.workspaceFolders?.[0]));
  if (!parentDir) return undefined;
  // template.yaml and launch.json go to the root of the folder the user picked (in a multi-root workspace, that
  // folder's root; outside every workspace folder, the picked folder itself), never to another folder.
  const workspace = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(parentDir));
  const name = args.name ?? await vscode.window.showInputBox({
    title: 'New Lambda Handler (4/5): name', prompt: `A folder of this name is created in ${parentDir}`, placeHolder: 'resize-images',
    validateInput: (value) => validateFunctionName(value, parentDir),
  });
  if (!name) return undefined;
  const samResource = args.samResource ?? (await vscode.window.showQuickPick([
    { label: 'Yes', description: 'add an AWS::Serverless::Function to template.yaml', value: true },
    { label: 'No', value: false },
  ], { title: 'New Lambda Handler (5/5): add to the SAM template?' }))?.value;
  if (samResource === undefined) return undefined;
  const workspaceRoot = workspace?.uri.fsPath ?? parentDir;
  const request = { templateId, language, name, parentDir, workspaceRoot, samResource, launchConfig: true };
  let result: ScaffoldResult;
  try {
    result = scaffold({ ...request, overwrite: args.overwrite });
  } catch (error) {
    if (!(error instanceof ScaffoldConflictError)) {
      log.showError(`Could not create the handler: ${error instanceof Error ? error.message : String(error)}`, error);
      return undefined;
    }
    const choice = await vscode.window.showWarningMessage(`${error.message}. Replace them?`, { modal: true }, 'Replace');
    if (choice !== 'Replace') return undefined;
    result = scaffold({ ...request, overwrite: true });
  }
  log.info(`Created ${result.functionDir} from template ${templateId} (${language})`);
  if (result.launch?.kind === 'unreadable') {
    void vscode.window.showWarningMessage(`.vscode/launch.json could not be parsed (${result.launch.reason}), so it was not changed. Add "${result.launchConfig.name}" yourself.`);
  }
  const document = await vscode.workspace.openTextDocument(result.handlerFile);
  await vscode.window.showTextDocument(document, { preview: false });
  void offerNpmInstall(result.functionDir, name);
  return { ...result, needsInstall: needsNpmInstall(result.functionDir) };
}

async function pickFolder(workspace: vscode.WorkspaceFolder | undefined): Promise<string | undefined> {
  const items: (vscode.QuickPickItem & { path?: string })[] = [
    ...(vscode.workspace.workspaceFolders ?? []).map((f) => ({ label: f.name, description: f.uri.fsPath, path: f.uri.fsPath })),
    { label: '$(folder) Choose a folder…' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'New Lambda Handler (3/5): where?', placeHolder: 'Parent folder of the new function' });
  if (!picked) return undefined;
  if (picked.path) return picked.path;
  const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, defaultUri: workspace?.uri, openLabel: 'Create here' });
  return chosen?.[0]?.fsPath;
}
