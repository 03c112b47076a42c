import * as vscode from 'vscode';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { createLambdaClient, createLogsClient, type AwsContext } from '../core/aws/awsContext';
import { defaultRegion, listProfiles } from '../core/aws/profiles';
import type { OutputLog } from '../output/outputLog';

const PROFILE_KEY = 'aws.profile';
const REGION_KEY = 'aws.region';

/**
 * The AWS profile and region this workspace works with (remembered per workspace), the endpoint override and the
 * regions to show (settings), and the clients built from them. A status-bar item shows and switches them; the
 * `lambdaWorkbench.hasCredentials` context key drives the Functions view's welcome content.
 */
export class AwsSession implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly status: vscode.StatusBarItem;
  private readonly clients = new Map<string, LambdaClient>();
  private readonly logsClients = new Map<string, CloudWatchLogsClient>();
  private readonly disposables: vscode.Disposable[] = [];
  private region = 'us-east-1';
  hasCredentials = false;

  constructor(private readonly state: vscode.Memento, private readonly log: OutputLog) {
    this.status = vscode.window.createStatusBarItem('lambdaWorkbench.awsProfile', vscode.StatusBarAlignment.Left, 49);
    this.status.name = 'Lambda: AWS profile and region';
    this.status.command = 'lambdaWorkbench.selectProfile';
    this.disposables.push(this.status, this.changed, vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('lambdaWorkbench.aws')) void this.reload();
    }));
  }

  get profile(): string | undefined {
    return this.state.get<string>(PROFILE_KEY) ?? process.env.AWS_PROFILE;
  }

  /** The regions the Functions view shows: the setting, else the current region. */
  get regions(): string[] {
    const configured = vscode.workspace.getConfiguration('lambdaWorkbench').get<string[]>('aws.regions') ?? [];
    return configured.length ? configured : [this.region];
  }

  get currentRegion(): string { return this.region; }

  context(region = this.region): AwsContext {
    const endpoint = vscode.workspace.getConfiguration('lambdaWorkbench').get<string>('aws.endpoint') || undefined;
    return { profile: this.profile, region, endpoint };
  }

  lambda(region = this.region): LambdaClient {
    return cachedClient(this.clients, region, () => createLambdaClient(this.context(region)));
  }

  logs(region = this.region): CloudWatchLogsClient {
    return cachedClient(this.logsClients, region, () => createLogsClient(this.context(region)));
  }

  /** Re-reads the region and whether any credentials resolve (never throws), then tells the views. */
  async reload(): Promise<void> {
    for (const c of [...this.clients.values(), ...this.logsClients.values()]) c.destroy();
    this.clients.clear();
    this.logsClients.clear();
    this.region = this.state.get<string>(REGION_KEY) ?? await defaultRegion(this.profile);
    try {
      await this.lambda().config.credentials();
      this.hasCredentials = true;
    } catch (error) {
      this.hasCredentials = false;
      this.log.info(`No AWS credentials for ${this.profile ? `profile ${this.profile}` : 'the default chain'}: ${error instanceof Error ? error.message : String(error)}`);
    }
    await vscode.commands.executeCommand('setContext', 'lambdaWorkbench.hasCredentials', this.hasCredentials);
    this.status.text = `$(cloud) ${this.profile ?? 'default'} · ${this.region}`;
    this.status.tooltip = this.hasCredentials ? 'AWS profile and region of Lambda Workbench: click to switch' : 'No AWS credentials found: click to pick a profile';
    this.status.show();
    this.changed.fire();
  }

  async selectProfile(name?: string): Promise<void> {
    let chosen = name;
    if (chosen === undefined) {
      const profiles = await listProfiles().catch(() => []);
      if (profiles.length === 0) {
        void vscode.window.showInformationMessage('No AWS profiles found in ~/.aws/config or ~/.aws/credentials. Run "aws configure" (or "aws configure sso") in a terminal to add one.', 'Copy command')
          .then((c) => c && vscode.env.clipboard.writeText('aws configure'));
        return;
      }
      const picked = await vscode.window.showQuickPick(profiles.map((p) => ({ label: p.name, description: [p.kind, p.region].filter(Boolean).join(' · ') })), { title: 'AWS profile for this workspace' });
      chosen = picked?.label;
    }
    if (chosen === undefined) return;
    await this.state.update(PROFILE_KEY, chosen);
    await this.state.update(REGION_KEY, undefined); // follow the new profile's region
    await this.reload();
  }

  async selectRegion(region?: string): Promise<void> {
    const chosen = region ?? await vscode.window.showInputBox({ title: 'AWS region for this workspace', value: this.region, validateInput: (v) => (/^[a-z]{2}(-[a-z]+)+-\d$/.test(v) ? undefined : 'A region such as eu-west-1') });
    if (!chosen) return;
    await this.state.update(REGION_KEY, chosen);
    await this.reload();
  }

  dispose(): void {
    for (const c of [...this.clients.values(), ...this.logsClients.values()]) c.destroy();
    for (const d of this.disposables) d.dispose();
  }
}

/** One client per region, made on first use (credentials and connections are then reused). */
function cachedClient<T>(clients: Map<string, T>, region: string, create: () => T): T {
  let client = clients.get(region);
  if (!client) {
    client = create();
    clients.set(region, client);
  }
  return client;
}
