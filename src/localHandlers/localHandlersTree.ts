import * as vscode from 'vscode';
import type { DiscoveredHandler } from '../core/project/handlerDiscovery';
import type { EventChoices } from './eventChoice';
import type { HandlerIndex } from './handlerIndex';

export class GroupItem extends vscode.TreeItem {
  constructor(readonly group: string, readonly handlers: DiscoveredHandler[]) {
    super(group, vscode.TreeItemCollapsibleState.Expanded);
    this.contextValue = 'handlerGroup';
    this.iconPath = new vscode.ThemeIcon(/template\.(ya?ml|json)$|serverless\.ya?ml$/.test(group) ? 'file-code' : 'folder');
    this.description = `${handlers.length} handler${handlers.length === 1 ? '' : 's'}`;
  }
}

export class HandlerItem extends vscode.TreeItem {
  constructor(readonly handler: DiscoveredHandler, eventLabel: string) {
    super(handler.name, vscode.TreeItemCollapsibleState.None);
    this.id = handler.id;
    this.contextValue = 'handler';
    this.description = `${handler.runtime ?? '?'} · ${eventLabel}`;
    this.iconPath = new vscode.ThemeIcon('symbol-function');
    this.tooltip = new vscode.MarkdownString([
      `**${handler.name}**`, '', `Handler: \`${handler.handler}\``, `Runtime: ${handler.runtime ?? 'unknown'}`,
      `Code: ${vscode.workspace.asRelativePath(handler.codeDir)}`, `Event: ${eventLabel}`,
      ...(handler.events && Object.keys(handler.events).length ? [`Triggers: ${Object.entries(handler.events).map(([n, t]) => `${n} (${t})`).join(', ')}`] : []),
    ].join('  \n'));
    if (handler.file) {
      this.resourceUri = vscode.Uri.file(handler.file);
      this.command = { command: 'lambdaWorkbench.openHandler', title: 'Open Handler', arguments: [this] };
    }
  }
}

/** Items another feature shows at the top of the view (the running local API and its routes). */
export interface TreeSection {
  readonly onDidChange: vscode.Event<void>;
  roots(): vscode.TreeItem[];
  children(item: vscode.TreeItem): vscode.TreeItem[];
}

type Node = GroupItem | HandlerItem | vscode.TreeItem;

/** The Local Handlers view: handlers grouped by template or folder, each with its runtime and chosen event. */
export class LocalHandlersTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private groups = new Map<string, GroupItem>();
  private section?: TreeSection;

  constructor(private readonly index: HandlerIndex, private readonly choices: EventChoices) {
    index.onDidChange(() => this.changed.fire());
    choices.onDidChange(() => this.changed.fire());
  }

  getTreeItem(element: Node): vscode.TreeItem {
    return element;
  }

  /** Shows a section above the handlers (one: the local API). */
  setSection(section: TreeSection): vscode.Disposable {
    this.section = section;
    const listening = section.onDidChange(() => this.changed.fire());
    return new vscode.Disposable(() => { listening.dispose(); this.section = undefined; });
  }

  async getChildren(element?: Node): Promise<Node[]> {
    if (element instanceof GroupItem) return element.handlers.map((h) => new HandlerItem(h, this.choices.get(h).label));
    if (element instanceof HandlerItem) return [];
    if (element) return this.section?.children(element) ?? [];
    await this.index.whenReady(); // the view being shown is what starts discovery
    const byGroup = new Map<string, DiscoveredHandler[]>();
    for (const h of this.index.all()) byGroup.set(h.group, [...(byGroup.get(h.group) ?? []), h]);
    this.groups = new Map([...byGroup].sort(([a], [b]) => a.localeCompare(b)).map(([g, hs]) => [g, new GroupItem(g, hs.sort((a, b) => a.name.localeCompare(b.name)))]));
    return [...(this.section?.roots() ?? []), ...this.groups.values()];
  }

  getParent(element: Node): Node | undefined {
    return element instanceof HandlerItem ? this.groups.get(element.handler.group) : undefined;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
