import * as vscode from 'vscode';
import { AwsProblemError } from '../core/aws/awsErrors';
import { listLogGroupsPage, listLogStreams, readStream, searchLogGroup, SEARCH_RANGES, type LogGroupSummary } from '../core/logs/logGroups';
import type { TailEvent } from '../core/logs/pollingTail';
import type { AwsSession } from '../functions/awsSession';
import type { FunctionItem } from '../functions/functionsTree';
import type { RunDocuments } from '../localHandlers/runDocuments';
import type { OutputLog } from '../output/outputLog';
import { formatEvents, LogTails, type TailMode } from './logTails';
import { registerLogsQuery } from './logsQuery';

const LIVE_TAIL_ACKNOWLEDGED = 'logs.liveTailBillingAcknowledged';

class GroupItem extends vscode.TreeItem {
  constructor(readonly group: LogGroupSummary) {
    super(group.name, vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `group:${group.name}`;
    this.contextValue = 'logGroup';
    this.iconPath = new vscode.ThemeIcon('output');
  }
}

class StreamItem extends vscode.TreeItem {
  constructor(readonly group: string, readonly stream: string, lastEventTime?: number) {
    super(stream, vscode.TreeItemCollapsibleState.None);
    this.contextValue = 'logStream';
    this.description = lastEventTime ? new Date(lastEventTime).toISOString().replace('T', ' ').slice(0, 19) : undefined;
    this.command = { command: 'lambdaWorkbench.openLogStream', title: 'Open', arguments: [group, stream] };
  }
}

class LogsMessage extends vscode.TreeItem {
  constructor(label: string, command?: vscode.Command) {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.contextValue = command ? 'loadMore' : 'message';
    this.command = command;
  }
}

type Node = GroupItem | StreamItem | LogsMessage;

/** Log groups a page at a time (with a name-prefix filter), each group's streams by last event time. */
class LogsTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private groups: LogGroupSummary[] = [];
  private next?: string;
  private loaded = false;
  private error?: string;
  prefix = '';

  constructor(private readonly session: AwsSession) {
    session.onDidChange(() => this.refresh());
  }

  refresh(): void {
    this.groups = [];
    this.next = undefined;
    this.loaded = false;
    this.error = undefined;
    this.changed.fire();
  }

  async loadMore(): Promise<void> {
    await this.load();
    this.changed.fire();
  }

  getTreeItem(element: Node): vscode.TreeItem {
    return element;
  }

  async getChildren(element?: Node): Promise<Node[]> {
    if (element instanceof GroupItem) {
      try {
        const streams = await listLogStreams(this.session.logs(), element.group.name, { profile: this.session.profile });
        return streams.length ? streams.map((s) => new StreamItem(element.group.name, s.name, s.lastEventTime)) : [new LogsMessage('No streams yet')];
      } catch (error) {
        return [new LogsMessage(error instanceof AwsProblemError ? error.problem.message : String(error))];
      }
    }
    if (!element) await this.session.ready();
    if (element || !this.session.hasCredentials) return [];
    if (!this.loaded) await this.load();
    const nodes: Node[] = this.groups.map((g) => new GroupItem(g));
    if (this.error) nodes.push(new LogsMessage(this.error));
    if (this.next) nodes.push(new LogsMessage('Load more…', { command: 'lambdaWorkbench.loadMoreLogGroups', title: 'Load more' }));
    if (!nodes.length) nodes.push(new LogsMessage(this.prefix ? `No log group starts with ${this.prefix}` : 'No log groups in this region'));
    return nodes;
  }

  private async load(): Promise<void> {
    try {
      const page = await listLogGroupsPage(this.session.logs(), { prefix: this.prefix, nextToken: this.next, profile: this.session.profile });
      this.groups.push(...page.items);
      this.next = page.next;
      this.error = undefined;
    } catch (error) {
      this.error = error instanceof AwsProblemError ? error.problem.message : String(error);
    }
    this.loaded = true;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export interface Logs { readonly tails: LogTails; readonly tree: LogsTree }

interface OpenStream { group: string; stream: string; older?: string; newer?: string; events: TailEvent[] }

/** A search range: a preset, or a custom start (ISO time or a duration back such as 90m, 2d) and end. */
async function pickRange(): Promise<{ start: number; end: number } | undefined> {
  const picked = await vscode.window.showQuickPick([...SEARCH_RANGES.map((r) => ({ label: r.label, ms: r.ms as number | undefined })), { label: 'Custom range…', ms: undefined }], { title: 'Time range' });
  if (!picked) return undefined;
  if (picked.ms !== undefined) return { start: Date.now() - picked.ms, end: Date.now() };
  const parse = (text: string): number | undefined => {
    const ago = /^(\d+(?:\.\d+)?)(m|h|d)$/.exec(text.trim());
    if (ago) return Date.now() - Number(ago[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[ago[2] as 'm'];
    const t = Date.parse(text);
    return Number.isNaN(t) ? undefined : t;
  };
  const startText = await vscode.window.showInputBox({ title: 'Search from', prompt: 'An ISO time (2026-11-23T08:00:00Z) or a duration back (90m, 6h, 2d)', validateInput: (v) => (parse(v) === undefined ? 'An ISO time or a duration such as 90m' : undefined) });
  if (!startText) return undefined;
  const endText = await vscode.window.showInputBox({ title: 'Search until', prompt: 'An ISO time; empty for now', validateInput: (v) => (!v || parse(v) !== undefined ? undefined : 'An ISO time, or empty for now') });
  if (endText === undefined) return undefined;
  const start = parse(startText)!;
  const end = endText ? parse(endText)! : Date.now();
  return start < end ? { start, end } : undefined;
}

function renderStream(s: OpenStream): string {
  return `# ${s.group} > ${s.stream} · ${s.events.length} events, oldest first · "Load Older" / "Load Newer" in the editor title\n${formatEvents(s.events)}`;
}

/** The Logs view: browse groups and streams, open a stream, search a group, tail a group or a function. */
export function registerLogs(context: vscode.ExtensionContext, deps: { session: AwsSession; docs: RunDocuments; log: OutputLog }): Logs {
  const { session, docs, log } = deps;
  const tree = new LogsTree(session);
  const tails = new LogTails(session, docs, log);
  const view = vscode.window.createTreeView('lambdaWorkbench.logs', { treeDataProvider: tree, showCollapseAll: true });
  const streams = new Map<string, OpenStream>();
  // A log group by name, a group item, a deployed function, or a Local Handler (its deployed twin of the same name).
  const groupOf = (arg: unknown): string | undefined =>
    typeof arg === 'string' ? arg : arg instanceof GroupItem ? arg.group.name : (arg as FunctionItem | undefined)?.fn?.logGroup
      ?? ((arg as { handler?: { name?: string } } | undefined)?.handler?.name ? `/aws/lambda/${(arg as { handler: { name: string } }).handler.name}` : undefined);
  const report = (action: string, error: unknown): undefined => {
    log.showError(`${action}: ${error instanceof AwsProblemError ? error.problem.message : error instanceof Error ? error.message : String(error)}`, error);
    return undefined;
  };

  context.subscriptions.push(tree, tails, view,
    registerLogsQuery(context, { session, docs, log, groupOf }),
    vscode.commands.registerCommand('lambdaWorkbench.refreshLogs', () => tree.refresh()),
    vscode.commands.registerCommand('lambdaWorkbench.loadMoreLogGroups', () => tree.loadMore()),
    vscode.commands.registerCommand('lambdaWorkbench.filterLogGroups', async (prefix?: string) => {
      const value = prefix ?? await vscode.window.showInputBox({ title: 'Show log groups starting with', value: tree.prefix || '/aws/lambda/' });
      if (value === undefined) return;
      tree.prefix = value;
      view.description = value ? `prefix: ${value}` : undefined;
      tree.refresh();
    }),
    vscode.commands.registerCommand('lambdaWorkbench.openLogStream', async (group: string, stream: string) => {
      try {
        await session.ready();
        const page = await readStream(session.logs(), group, stream, { profile: session.profile });
        // `2026/12/02/[$LATEST]0f3c9a…` reads as `2026-12-02 [$LATEST]0f3c9a1b` in the tab, under its group.
        const uri = docs.uriFor(`${group}/${stream.replace(/^(\d{4})\/(\d{2})\/(\d{2})\//, '$1-$2-$3 ').replace(/([0-9a-f]{8})[0-9a-f]{9,}$/, '$1')}`, 'stream');
        const opened = { group, stream, older: page.older, newer: page.newer, events: page.events };
        streams.set(uri.toString(), opened);
        await docs.open(uri, renderStream(opened), false, true);
        return uri;
      } catch (error) {
        return report(`Open ${stream}`, error);
      }
    }),
    // "Load older" / "Load newer" on an open stream document (editor title actions).
    ...(['older', 'newer'] as const).map((direction) => vscode.commands.registerCommand(`lambdaWorkbench.load${direction === 'older' ? 'Older' : 'Newer'}LogEvents`, async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      const opened = target ? streams.get(target.toString()) : undefined;
      if (!target || !opened) return 0;
      try {
        await session.ready();
        const page = await readStream(session.logs(), opened.group, opened.stream, { token: opened[direction], fromHead: direction === 'newer', profile: session.profile });
        const known = new Set(opened.events.map((e) => `${e.timestamp}\u0000${e.message}`));
        const fresh = page.events.filter((e) => !known.has(`${e.timestamp}\u0000${e.message}`));
        opened.events = direction === 'older' ? [...fresh, ...opened.events] : [...opened.events, ...fresh];
        if (direction === 'older') opened.older = page.older; else opened.newer = page.newer;
        await docs.open(target, renderStream(opened), false);
        if (!fresh.length) void vscode.window.setStatusBarMessage(`No ${direction} events in ${opened.stream}`, 3000);
        return fresh.length;
      } catch (error) {
        report(`Load ${direction} events`, error);
        return 0;
      }
    })),
    vscode.commands.registerCommand('lambdaWorkbench.searchLogGroup', async (arg?: unknown, args: { pattern?: string; rangeMs?: number } = {}) => {
      const group = groupOf(arg) ?? await vscode.window.showInputBox({ title: 'Log group to search', value: '/aws/lambda/' });
      if (!group) return undefined;
      const pattern = args.pattern ?? await vscode.window.showInputBox({ title: `Search ${group}: filter pattern`, prompt: 'e.g. ERROR, "Task timed out", ?ERROR ?WARN, { $.level = "ERROR" } — empty for everything' });
      if (pattern === undefined) return undefined;
      const range = args.rangeMs !== undefined ? { start: Date.now() - args.rangeMs, end: Date.now() } : await pickRange();
      if (!range) return undefined;
      await session.ready();
      const uri = docs.uriFor(group, 'search');
      await docs.open(uri, `# Search ${group} for ${pattern || 'everything'} from ${new Date(range.start).toISOString()} to ${new Date(range.end).toISOString()}\n`, false);
      try {
        const total = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Searching ${group}`, cancellable: true }, (progress, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          let found = 0;
          return searchLogGroup(session.logs(), group, { pattern, startTime: range.start, endTime: range.end, signal: controller.signal, profile: session.profile, onPage: (events) => {
            found += events.length;
            progress.report({ message: `${found} events` });
            docs.append(uri, formatEvents(events));
          } });
        });
        docs.append(uri, `# ${total} event(s)\n`);
        docs.flush();
        return uri;
      } catch (error) {
        return report(`Search ${group}`, error);
      }
    }),
    vscode.commands.registerCommand('lambdaWorkbench.tailLogGroup', async (arg?: unknown, args: { pattern?: string; mode?: TailMode } = {}) => {
      const group = groupOf(arg) ?? await vscode.window.showInputBox({ title: 'Log group to tail', value: '/aws/lambda/' });
      if (!group) return undefined;
      const mode = args.mode ?? (await vscode.window.showQuickPick([
        { label: 'Polling', description: 'free: FilterLogEvents about once a second', mode: 'polling' as const },
        { label: 'Live Tail', description: 'CloudWatch Live Tail: streams as it happens, billed per minute of session', mode: 'live' as const },
      ], { title: `Tail ${group}` }))?.mode;
      if (!mode) return undefined;
      if (mode === 'live' && !context.globalState.get<boolean>(LIVE_TAIL_ACKNOWLEDGED)) {
        // Live Tail costs money per minute: the first use asks, once.
        const answer = await vscode.window.showWarningMessage('CloudWatch Live Tail is billed per minute of session (see CloudWatch pricing). The tail stops when you close its document, click Stop in the status bar, or close VS Code. Start it?', { modal: true }, 'Start Live Tail');
        if (answer !== 'Start Live Tail') return undefined;
        await context.globalState.update(LIVE_TAIL_ACKNOWLEDGED, true);
      }
      await session.ready();
      return tails.start(group, args.pattern, mode);
    }),
    vscode.commands.registerCommand('lambdaWorkbench.stopTail', async (uri?: vscode.Uri) => {
      const running = tails.running();
      if (uri || running.length <= 1) return tails.stop(uri);
      const picked = await vscode.window.showQuickPick([{ label: 'Stop all tails' }, ...running.map((t) => ({ label: t.group, uri: t.uri }))], { title: 'Stop which tail?' });
      if (picked) tails.stop('uri' in picked ? picked.uri : undefined);
    }),
  );
  return { tails, tree };
}
