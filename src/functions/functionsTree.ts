import * as vscode from 'vscode';
import { AwsProblemError } from '../core/aws/awsErrors';
import { listFunctionsPage, type FunctionSummary } from '../core/aws/lambdaFunctions';
import { deprecationNote } from '../core/runtime/runtimeSchedule';
import type { AwsSession } from './awsSession';

export class RegionItem extends vscode.TreeItem {
  constructor(readonly region: string) {
    super(region, vscode.TreeItemCollapsibleState.Expanded);
    this.id = `region:${region}`;
    this.contextValue = 'region';
    this.iconPath = new vscode.ThemeIcon('globe');
  }
}

export class FunctionItem extends vscode.TreeItem {
  constructor(readonly region: string, readonly fn: FunctionSummary) {
    super(fn.name, vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `fn:${region}:${fn.name}`;
    this.contextValue = 'function';
    // A runtime Lambda has deprecated is marked: with hundreds of functions, which ones need moving is one look.
    const deprecated = fn.runtime ? deprecationNote(fn.runtime) : undefined;
    this.iconPath = deprecated ? new vscode.ThemeIcon('symbol-function', new vscode.ThemeColor('list.warningForeground')) : new vscode.ThemeIcon('symbol-function');
    this.description = [deprecated ? `${fn.runtime} (deprecated)` : fn.runtime, fn.memorySize ? `${fn.memorySize} MB` : undefined].filter(Boolean).join(' · ');
    this.tooltip = new vscode.MarkdownString([
      `**${fn.name}**`, '', ...(deprecated ? [`$(warning) ${deprecated}`, ''] : []), `Runtime: ${fn.runtime ?? '—'} (${fn.architecture ?? 'x86_64'})`, `Handler: \`${fn.handler ?? '—'}\``,
      `Memory: ${fn.memorySize ?? '—'} MB · Timeout: ${fn.timeout ?? '—'} s`, `Code size: ${fn.codeSize !== undefined ? `${(fn.codeSize / 1024).toFixed(1)} KiB` : '—'}`,
      `Last modified: ${fn.lastModified ?? '—'}`, `Region: ${region}`,
    ].join('  \n'), true);
  }
}

export class DetailItem extends vscode.TreeItem {
  constructor(label: string, description: string | undefined, readonly fnItem: FunctionItem, contextValue = 'detail', readonly variable?: string) {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.description = description;
    this.contextValue = contextValue;
  }
}

export class GroupDetailItem extends vscode.TreeItem {
  constructor(label: string, readonly kind: 'configuration' | 'environment', readonly fnItem: FunctionItem, icon: string) {
    super(label, vscode.TreeItemCollapsibleState.Collapsed);
    this.contextValue = kind;
    this.iconPath = new vscode.ThemeIcon(icon);
  }
}

export class LoadMoreItem extends vscode.TreeItem {
  constructor(readonly region: string, loaded: number) {
    super('Load more…', vscode.TreeItemCollapsibleState.None);
    this.id = `more:${region}:${loaded}`;
    this.contextValue = 'loadMore';
    this.description = `${loaded} loaded`;
    this.iconPath = new vscode.ThemeIcon('ellipsis');
    this.command = { command: 'lambdaWorkbench.loadMoreFunctions', title: 'Load more', arguments: [region] };
  }
}

export class MessageItem extends vscode.TreeItem {
  constructor(message: string, readonly region: string, icon = 'error') {
    super(message, vscode.TreeItemCollapsibleState.None);
    this.contextValue = 'message';
    this.iconPath = new vscode.ThemeIcon(icon);
    this.tooltip = message;
  }
}

export type FunctionsNode = RegionItem | FunctionItem | GroupDetailItem | DetailItem | LoadMoreItem | MessageItem;

interface RegionState { functions: FunctionSummary[]; next?: string; done: boolean; error?: string; loading?: Promise<void> }

const PAGE_SIZE = 50;

/**
 * Deployed functions, region by region, loaded a page at a time: the first page shows as soon as it arrives and
 * "Load more" fetches the next, so an account with thousands of functions opens instantly. Memory grows with what
 * is loaded, not with the account. A name filter applies to what is loaded (and to every page loaded after).
 */
export class FunctionsTree implements vscode.TreeDataProvider<FunctionsNode> {
  private readonly changed = new vscode.EventEmitter<FunctionsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly regions = new Map<string, RegionState>();
  private readonly revealed = new Set<string>();
  private filterText = '';

  constructor(private readonly session: AwsSession) {
    session.onDidChange(() => this.refresh());
  }

  get filter(): string { return this.filterText; }

  setFilter(text: string): void {
    this.filterText = text.trim();
    this.changed.fire(undefined);
  }

  refresh(): void {
    this.regions.clear();
    this.revealed.clear();
    this.changed.fire(undefined);
  }

  /** Fetches the next page of a region (the "Load more" item). With a filter, keeps fetching (up to 20 pages a
   *  click) until a new match turns up, so finding one function among thousands takes a click or two. */
  async loadMore(region: string): Promise<void> {
    const state = this.regions.get(region);
    if (!state || state.done) return;
    const needle = this.filterText.toLowerCase();
    const matches = (): number => state.functions.filter((f) => f.name.toLowerCase().includes(needle)).length;
    const before = matches();
    for (let pages = 0; pages < (needle ? 20 : 1) && !state.done && !state.error; pages++) {
      await this.load(region, state);
      if (needle && matches() > before) break;
    }
    this.changed.fire(undefined);
  }

  reveal(variableKey: string): void {
    this.revealed.add(variableKey);
    this.changed.fire(undefined);
  }

  loaded(region: string): readonly FunctionSummary[] {
    return this.regions.get(region)?.functions ?? [];
  }

  getTreeItem(element: FunctionsNode): vscode.TreeItem {
    return element;
  }

  async getChildren(element?: FunctionsNode): Promise<FunctionsNode[]> {
    if (!element) await this.session.ready(); // the view being shown is what first asks AWS
    if (!element) return this.session.hasCredentials ? this.session.regions.map((r) => new RegionItem(r)) : [];
    if (element instanceof RegionItem) return this.regionChildren(element.region);
    if (element instanceof FunctionItem) {
      return [
        new GroupDetailItem('Configuration', 'configuration', element, 'settings-gear'),
        new GroupDetailItem(`Environment variables (${Object.keys(element.fn.environment).length})`, 'environment', element, 'symbol-variable'),
        Object.assign(new DetailItem('Log group', element.fn.logGroup, element, 'logGroup'), { iconPath: new vscode.ThemeIcon('output') }),
      ];
    }
    if (element instanceof GroupDetailItem) {
      const fn = element.fnItem.fn;
      if (element.kind === 'configuration') {
        return ([['Runtime', fn.runtime], ['Architecture', fn.architecture], ['Handler', fn.handler], ['Memory', fn.memorySize && `${fn.memorySize} MB`],
          ['Timeout', fn.timeout && `${fn.timeout} s`], ['Code size', fn.codeSize !== undefined ? `${fn.codeSize} bytes` : undefined], ['Last modified', fn.lastModified],
          ['Role', fn.role], ['ARN', fn.arn]] as [string, string | number | undefined][]).map(([k, v]) => new DetailItem(k, v === undefined ? '—' : String(v), element.fnItem));
      }
      return Object.entries(fn.environment).sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => {
        const id = `${element.fnItem.id}:${key}`;
        const shown = this.revealed.has(id);
        const item = new DetailItem(key, shown ? value : '••••••••', element.fnItem, shown ? 'envVarRevealed' : 'envVar', key);
        item.id = `env:${id}:${shown}`;
        item.tooltip = shown ? undefined : 'Value hidden: use "Reveal Value" to show it';
        return item;
      });
    }
    return [];
  }

  getParent(element: FunctionsNode): FunctionsNode | undefined {
    if (element instanceof FunctionItem || element instanceof LoadMoreItem || element instanceof MessageItem) return new RegionItem(element.region);
    if (element instanceof GroupDetailItem) return element.fnItem;
    if (element instanceof DetailItem) return element.fnItem;
    return undefined;
  }

  dispose(): void {
    this.changed.dispose();
  }

  private async regionChildren(region: string): Promise<FunctionsNode[]> {
    let state = this.regions.get(region);
    if (!state) {
      state = { functions: [], done: false };
      this.regions.set(region, state);
      await this.load(region, state);
    } else if (state.loading) {
      await state.loading;
    }
    const nodes: FunctionsNode[] = [];
    const needle = this.filterText.toLowerCase();
    const shown = state.functions.filter((f) => !needle || f.name.toLowerCase().includes(needle)).sort((a, b) => a.name.localeCompare(b.name));
    for (const fn of shown) nodes.push(new FunctionItem(region, fn));
    if (state.error) nodes.push(new MessageItem(state.error, region));
    else if (shown.length === 0 && state.done) nodes.push(new MessageItem(needle ? `No loaded function matches '${this.filterText}'` : 'No functions in this region', region, 'info'));
    if (!state.done) nodes.push(new LoadMoreItem(region, state.functions.length));
    return nodes;
  }

  private load(region: string, state: RegionState): Promise<void> {
    state.loading ??= (async () => {
      try {
        const page = await listFunctionsPage(this.session.lambda(region), { marker: state.next, pageSize: PAGE_SIZE, profile: this.session.profile });
        state.functions.push(...page.items);
        state.next = page.next;
        state.done = !page.next;
        state.error = undefined;
      } catch (error) {
        state.error = error instanceof AwsProblemError ? error.problem.message : error instanceof Error ? error.message : String(error);
      } finally {
        state.loading = undefined;
      }
    })();
    return state.loading;
  }
}
