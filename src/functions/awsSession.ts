import * as vscode from 'vscode';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { createIamClient, createLambdaClient, createLogsClient, type AwsContext } from '../core/aws/awsContext';
import { memoizeCredentials, resolveProfileCredentials, type ExpiringCredentials } from '../core/aws/credentials';
import { defaultRegion, listProfiles } from '../core/aws/profiles';
import { regionChoices } from '../core/aws/regions';
import type { AwsCredentials } from '../core/runtime/environmentVariables';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { OutputLog } from '../output/outputLog';
import { settle } from '../ui/quickSteps';

const PROFILE_KEY = 'aws.profile';
const REGION_KEY = 'aws.region';
/** The workspace endpoint the user answered about, and the answer (kept in VS Code's storage, not the workspace). */
const ENDPOINT_ANSWER_KEY = 'aws.workspaceEndpointAnswer';

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
  private readonly iamClients = new Map<string, IAMClient>();
  private readonly disposables: vscode.Disposable[] = [];
  private region = 'us-east-1';
  private loaded?: Promise<void>;
  hasCredentials = false;
  /** Counted for the activation test: how often credentials were resolved (each may be a network call). */
  readonly stats = { credentialChecks: 0 };

  constructor(private readonly state: vscode.Memento, private readonly log: OutputLog) {
    this.shared = this.sharedCredentials();
    this.status = vscode.window.createStatusBarItem('lambdaWorkbench.awsProfile', vscode.StatusBarAlignment.Left, 49);
    this.status.name = 'Lambda: AWS profile and region';
    this.status.command = 'lambdaWorkbench.selectProfile';
    this.disposables.push(this.status, this.changed, vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('lambdaWorkbench.aws') && this.loaded) void this.reload();
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
    return { profile: this.profile, region, endpoint: this.endpoint().value, credentials: this.sdkCredentials };
  }

  /** The profile's credentials, resolved once and again only near expiry, for every client of the session and for
   *  local runs and debug sessions (so an SSO or credential_process profile costs one round trip for all of them). */
  private shared: () => Promise<ExpiringCredentials | undefined>;

  private sharedCredentials(): () => Promise<ExpiringCredentials | undefined> {
    const profile = this.profile;
    return memoizeCredentials(() => resolveProfileCredentials({ profile }));
  }

  /** What a local run hands the function: the shared credentials, or none (told in the log) when there are none. */
  async runCredentials(): Promise<AwsCredentials | undefined> {
    try {
      return await this.shared();
    } catch (error) {
      this.log.warn(`Local runs get no AWS credentials: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private readonly sdkCredentials: AwsCredentialIdentityProvider = async () => {
    const credentials = await this.shared();
    if (!credentials) throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    return credentials;
  };

  /**
   * The endpoint AWS calls go to. A value from the workspace (a cloned repository's settings) would receive every
   * request signed with the user's credentials, so it counts only once the user agreed to it; until then the user's
   * own setting (or AWS) is used. In Restricted Mode VS Code ignores the workspace value altogether.
   */
  endpoint(): { value?: string; pending?: string } {
    const config = vscode.workspace.getConfiguration('lambdaWorkbench');
    const effective = config.get<string>('aws.endpoint') || undefined;
    const inspected = config.inspect<string>('aws.endpoint');
    const own = inspected?.globalValue || undefined;
    const fromWorkspace = effective !== undefined && effective !== own && (effective === inspected?.workspaceValue || effective === inspected?.workspaceFolderValue);
    if (!fromWorkspace) return { value: effective };
    const answer = this.state.get<{ value: string; allowed: boolean }>(ENDPOINT_ANSWER_KEY);
    if (answer?.value === effective) return answer.allowed ? { value: effective } : { value: own };
    return { value: own, pending: effective };
  }

  /** Records the user's answer about the workspace endpoint (the prompt's buttons) and rebuilds the clients. */
  async answerWorkspaceEndpoint(value: string, allowed: boolean): Promise<void> {
    await this.state.update(ENDPOINT_ANSWER_KEY, { value, allowed });
    await this.reload();
  }

  private asked?: string;

  /** Asks once per value, without blocking: AWS calls meanwhile go where they would without the workspace value. */
  private askAboutWorkspaceEndpoint(): void {
    const { pending } = this.endpoint();
    if (!pending || this.asked === pending) return;
    this.asked = pending;
    void vscode.window.showWarningMessage(`This workspace sets lambdaWorkbench.aws.endpoint to ${pending}. Every AWS request, signed with your credentials, would go there. Use it for this workspace?`,
      'Use This Endpoint', 'Ignore').then((choice) => (choice ? this.answerWorkspaceEndpoint(pending, choice === 'Use This Endpoint') : undefined));
  }

  lambda(region = this.region): LambdaClient {
    return cachedClient(this.clients, region, () => createLambdaClient(this.context(region)));
  }

  logs(region = this.region): CloudWatchLogsClient {
    return cachedClient(this.logsClients, region, () => createLogsClient(this.context(region)));
  }

  iam(region = this.region): IAMClient {
    return cachedClient(this.iamClients, region, () => createIamClient(this.context(region)));
  }

  /** The region and the credential check, done once on first need (a view shown, a command run), never at activation. */
  ready(): Promise<void> {
    this.loaded ??= this.load();
    return this.loaded;
  }

  /** Re-reads the region and whether any credentials resolve (never throws), then tells the views. */
  reload(): Promise<void> {
    this.loaded = this.load();
    return this.loaded;
  }

  private async load(): Promise<void> {
    this.askAboutWorkspaceEndpoint();
    this.shared = this.sharedCredentials(); // the profile or the AWS settings changed: resolve afresh
    for (const c of this.allClients()) c.destroy();
    this.clients.clear();
    this.logsClients.clear();
    this.iamClients.clear();
    this.region = this.state.get<string>(REGION_KEY) ?? await defaultRegion(this.profile);
    try {
      this.stats.credentialChecks++;
      // The clients' own provider, asked directly: a client built just for this check would load the SDK's clients
      // (1.7 MB) while the sidebar opens — a 30–50 ms stall of the host beside the first Local Handlers tree.
      await this.sdkCredentials();
      this.hasCredentials = true;
    } catch (error) {
      this.hasCredentials = false;
      this.log.info(`No AWS credentials for ${this.profile ? `profile ${this.profile}` : 'the default chain'}: ${error instanceof Error ? error.message : String(error)}`);
    }
    await vscode.commands.executeCommand('setContext', 'lambdaWorkbench.hasCredentials', this.hasCredentials);
    // Until the first check the views say they are looking, not that there are no credentials.
    await vscode.commands.executeCommand('setContext', 'lambdaWorkbench.awsChecked', true);
    this.status.text = this.hasCredentials ? `$(cloud) ${this.profile ?? 'default'} · ${this.region}` : `$(warning) No AWS credentials`;
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
      const current = this.profile ?? 'default';
      const picked = await vscode.window.showQuickPick(profiles.map((p) => ({
        label: p.name, iconPath: new vscode.ThemeIcon(p.name === current ? 'check' : 'account'),
        description: [p.name === current ? 'current' : undefined, p.kind, p.region].filter(Boolean).join(' · '),
      })), { title: 'AWS profile for this workspace', placeHolder: `Now: ${current}` });
      chosen = picked?.label;
    }
    if (chosen === undefined) return;
    await this.state.update(PROFILE_KEY, chosen);
    await this.state.update(REGION_KEY, undefined); // follow the new profile's region
    await this.reload();
  }

  async selectRegion(region?: string): Promise<void> {
    const chosen = region ?? await this.pickRegion();
    if (!chosen) return;
    await this.state.update(REGION_KEY, chosen);
    await this.reload();
  }

  private async pickRegion(): Promise<string | undefined> {
    const profileRegion = await defaultRegion(this.profile).catch(() => undefined);
    const items = regionChoices(this.region, profileRegion).map((c) => ({
      label: c.region, description: [c.name, c.current ? 'current' : undefined, c.profileDefault ? `profile ${this.profile ?? 'default'}` : undefined].filter(Boolean).join(' · '),
      iconPath: c.current ? new vscode.ThemeIcon('check') : undefined, region: c.region,
    }));
    const other = { label: '$(edit) Another region…', description: 'type its code', region: undefined };
    const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { region?: string }>();
    Object.assign(pick, { title: 'AWS region for this workspace', placeholder: `Now: ${this.region}`, matchOnDescription: true, items: [...items, other] });
    const picked = await settle<vscode.QuickPickItem & { region?: string }>(pick, (resolve) => [pick.onDidAccept(() => resolve(pick.selectedItems[0]))]);
    if (!picked || typeof picked === 'symbol' || picked.region) return typeof picked === 'object' ? picked.region : undefined;
    return vscode.window.showInputBox({ title: 'AWS region code', value: this.region, validateInput: (v) => (/^[a-z]{2}(-[a-z]+)+-\d$/.test(v) ? undefined : 'A region code such as eu-west-1') });
  }

  /** What the status-bar item says (the tests read it). */
  get statusText(): string { return this.status.text; }

  private allClients(): { destroy(): void }[] {
    return [...this.clients.values(), ...this.logsClients.values(), ...this.iamClients.values()];
  }

  dispose(): void {
    for (const c of this.allClients()) c.destroy();
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
