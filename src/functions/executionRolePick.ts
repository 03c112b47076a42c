import * as vscode from 'vscode';
import { AwsProblemError } from '../core/aws/awsErrors';
import { basicRoleName, createBasicExecutionRole, listExecutionRoles, type ExecutionRole, type IamSend } from '../core/aws/executionRoles';
import type { OutputLog } from '../output/outputLog';
import { settle } from '../ui/quickSteps';
import { cancellable } from '../ui/cancellable';

export interface ChosenRole {
  readonly arn: string;
  /** Created just now: Lambda may refuse it for some seconds, so the deploy retries. */
  readonly isNew: boolean;
}

interface RoleItem extends vscode.QuickPickItem {
  readonly action?: 'create' | 'enter';
  readonly role?: ExecutionRole;
}

const ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/.+/;

/**
 * The execution role of a new function, as the console asks for it: a new role with basic permissions (the
 * default), one of the account's roles Lambda can assume (listed while the pick is open; IAM has no server-side
 * filter, so a large account fills in page by page), or an ARN typed in. Listing may be denied (many developers may
 * not call iam:ListRoles): the pick then says so and keeps the other two choices.
 */
export async function pickExecutionRole(iam: IamSend, target: { functionName: string; region: string; profile?: string }, log: OutputLog): Promise<ChosenRole | undefined> {
  const newName = basicRoleName(target.functionName);
  const fixed: RoleItem[] = [
    { label: '$(add) Create a basic execution role', description: newName, detail: 'AWSLambdaBasicExecutionRole: its own CloudWatch logs, nothing else', action: 'create' },
    { label: '$(edit) Enter a role ARN…', action: 'enter' },
  ];
  const pick = vscode.window.createQuickPick<RoleItem>();
  Object.assign(pick, { title: `Execution role for ${target.functionName}`, placeholder: 'Looking for roles Lambda can assume…', busy: true, matchOnDescription: true, matchOnDetail: true });
  pick.items = fixed;
  const listing = new AbortController();
  const show = (roles: readonly ExecutionRole[]): void => {
    const active = pick.activeItems[0];
    pick.items = [...fixed, { label: 'Existing roles Lambda can assume', kind: vscode.QuickPickItemKind.Separator },
      ...roles.map((role): RoleItem => ({ label: role.name, description: [role.path === '/' ? undefined : role.path, role.description].filter(Boolean).join(' · ') || undefined, detail: role.arn, role }))];
    if (active) pick.activeItems = pick.items.filter((i) => i.label === active.label);
  };
  void listExecutionRoles(iam, { signal: listing.signal, profile: target.profile, onPage: show }).then((roles) => {
    pick.placeholder = roles.length ? `${roles.length} role(s) Lambda can assume, or a new one` : 'No role of this account lets Lambda assume it: create one, or enter an ARN';
  }, (error: unknown) => {
    if (listing.signal.aborted) return;
    const message = error instanceof AwsProblemError ? error.problem.message : String(error);
    log.warn(`Listing IAM roles for the execution role pick: ${message}`);
    pick.placeholder = error instanceof AwsProblemError && error.problem.kind === 'access-denied'
      ? 'These credentials may not list IAM roles (iam:ListRoles): create one, or enter an ARN'
      : `Could not list IAM roles (${message}): create one, or enter an ARN`;
  }).finally(() => { pick.busy = false; });

  const picked = await settle<RoleItem>(pick, (resolve) => [pick.onDidAccept(() => resolve(pick.selectedItems[0]))]);
  listing.abort();
  if (!picked || typeof picked === 'symbol') return undefined;
  if (picked.role) return { arn: picked.role.arn, isNew: false };
  if (picked.action === 'enter') {
    const arn = await vscode.window.showInputBox({ title: `Execution role ARN for ${target.functionName}`, placeHolder: 'arn:aws:iam::123456789012:role/lambda-basic-execution', validateInput: (v) => (ARN.test(v) ? undefined : 'An IAM role ARN: arn:aws:iam::<account>:role/<name>') });
    return arn ? { arn, isNew: false } : undefined;
  }
  const created = await cancellable(`Creating the IAM role ${newName}`, (signal) => createBasicExecutionRole(iam, newName, target.region, { signal, profile: target.profile }));
  if (!created) return undefined;
  log.info(`Created the execution role ${created.arn} (AWSLambdaBasicExecutionRole attached)`);
  return { arn: created.arn, isNew: true };
}
