import * as vscode from 'vscode';
import { needsNpmInstall, offerNpmInstall, runNpmInstall } from './installDependencies';
import { BACK, inputStep, pickStep, type StepResult } from '../ui/quickSteps';
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
  const answers = await askNewHandler(args);
  if (!answers) return undefined;
  const { language, templateId, parentDir, name, samResource } = answers;
  // template.yaml and launch.json go to the root of the folder the user picked (in a multi-root workspace, that
  // folder's root; outside every workspace folder, the picked folder itself), never to another folder.
  const workspace = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(parentDir));
  const workspaceRoot = workspace?.uri.fsPath ?? parentDir;
  const request = { templateId, language, name, parentDir, workspaceRoot, samResource, launchConfig: true };
  let result: ScaffoldResult;
  try {
    result = await scaffold({ ...request, overwrite: args.overwrite });
  } catch (error) {
    if (!(error instanceof ScaffoldConflictError)) {
      log.showError(`Could not create the handler: ${error instanceof Error ? error.message : String(error)}`, error);
      return undefined;
    }
    const choice = await vscode.window.showWarningMessage(`${error.message}. Replace them?`, { modal: true }, 'Replace');
    if (choice !== 'Replace') return undefined;
    result = await scaffold({ ...request, overwrite: true });
  }
  log.info(`Created ${result.functionDir} from template ${templateId} (${language})`);
  if (result.launch?.kind === 'unreadable') {
    void vscode.window.showWarningMessage(`.vscode/launch.json could not be parsed (${result.launch.reason}), so it was not changed. Add "${result.launchConfig.name}" yourself.`);
  }
  const document = await vscode.workspace.openTextDocument(result.handlerFile);
  await vscode.window.showTextDocument(document, { preview: false });
  const needsInstall = await needsNpmInstall(result.functionDir);
  if (needsInstall) void offerNpmInstall(result.functionDir, name);
  return { ...result, needsInstall };
}

type Answers = { language: Language; templateId: string; parentDir: string; name: string; samResource: boolean };

/** Triggers grouped as a user looks for them, each with its codicon. */
const TRIGGER_GROUPS: { label: string; sources: string[]; icon: string }[] = [
  { label: 'HTTP', sources: ['apigateway'], icon: 'globe' },
  { label: 'Storage', sources: ['s3'], icon: 'archive' },
  { label: 'Streams and queues', sources: ['sqs', 'sns', 'kinesis', 'dynamodb'], icon: 'list-ordered' },
  { label: 'Schedules and other', sources: [], icon: 'clock' },
];

function triggerItems(): (vscode.QuickPickItem & { id?: string })[] {
  const templates = listTemplates();
  const grouped = new Set<string>();
  return TRIGGER_GROUPS.flatMap((group) => {
    const members = templates.filter((t) => (group.sources.length ? group.sources.includes(t.event.source) : !grouped.has(t.id)));
    for (const t of members) grouped.add(t.id);
    return [{ label: group.label, kind: vscode.QuickPickItemKind.Separator },
      ...members.map((t) => ({ label: `$(${t.id.startsWith('plain') ? 'symbol-function' : group.icon}) ${t.title}`, description: t.id, detail: t.description, id: t.id }))];
  });
}

/** The five questions, with Back on each after the first; what the caller passed is not asked. */
async function askNewHandler(args: NewHandlerArgs): Promise<Answers | undefined> {
  const a: Partial<Answers> = { language: args.language, templateId: args.templateId, parentDir: args.parentDir, name: args.name, samResource: args.samResource };
  const steps: { given: boolean; ask: (step: number) => Promise<typeof BACK | boolean> }[] = [
    { given: a.language !== undefined, ask: async (step) => answer(await pickStep(LANGUAGES.map((l) => ({ label: l.label, id: l.id })), { title: 'New Lambda Handler: runtime', placeholder: 'Which runtime?', step, total: 5 }), (r) => { a.language = r.id; }) },
    { given: a.templateId !== undefined, ask: async (step) => answer(await pickStep(triggerItems(), { title: 'New Lambda Handler: trigger', placeholder: 'What triggers the function?', step, total: 5, matchOnDetail: true }), (r) => { a.templateId = r.id; }) },
    { given: a.parentDir !== undefined, ask: async (step) => answer(await pickFolder(vscode.workspace.workspaceFolders?.[0], step), (r) => { a.parentDir = r; }) },
    { given: a.name !== undefined, ask: async (step) => answer(await inputStep({
      title: 'New Lambda Handler: name', prompt: `A folder of this name is created in ${a.parentDir}`, placeholder: 'resize-images', value: a.name, step, total: 5,
      validate: (value) => validateFunctionName(value, a.parentDir),
    }), (r) => { a.name = r; }) },
    { given: a.samResource !== undefined, ask: async (step) => answer(await pickStep([
      { label: 'Yes', description: 'add an AWS::Serverless::Function to template.yaml', value: true },
      { label: 'No', value: false },
    ], { title: 'New Lambda Handler: add to the SAM template?', step, total: 5 }), (r) => { a.samResource = r.value; }) },
  ];
  let i = steps.findIndex((s) => !s.given);
  while (i >= 0 && i < steps.length) {
    const outcome = await steps[i].ask(i + 1);
    if (outcome === false) return undefined;
    if (outcome === BACK) {
      const previous = steps.slice(0, i).map((s, k) => (s.given ? -1 : k)).filter((k) => k >= 0).at(-1);
      i = previous ?? i;
    } else {
      i = steps.findIndex((s, k) => k > i && !s.given);
      if (i < 0) break;
    }
  }
  return a as Answers;
}

/** Stores a step's answer; true to go on, false when the user closed the step, BACK to go back. */
function answer<T>(result: StepResult<T>, store: (value: T) => void): typeof BACK | boolean {
  if (result === BACK) return BACK;
  if (result === undefined) return false;
  store(result);
  return true;
}

async function pickFolder(workspace: vscode.WorkspaceFolder | undefined, step: number): Promise<StepResult<string>> {
  const items: (vscode.QuickPickItem & { path?: string })[] = [
    ...(vscode.workspace.workspaceFolders ?? []).map((f) => ({ label: `$(root-folder) ${f.name}`, description: f.uri.fsPath, path: f.uri.fsPath })),
    { label: '$(folder) Choose a folder…' },
  ];
  const picked = await pickStep(items, { title: 'New Lambda Handler: where?', placeholder: 'Parent folder of the new function', step, total: 5 });
  if (picked === BACK || !picked) return picked;
  if (picked.path) return picked.path;
  const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, defaultUri: workspace?.uri, openLabel: 'Create here' });
  return chosen?.[0]?.fsPath;
}
