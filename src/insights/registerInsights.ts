import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { recordOf } from '../core/insights/invocationRecord';
import { InvocationStore, RECORD_FILE, RecordFile, addRecordLines, loadRecords } from '../core/insights/invocationStore';
import { localFunctionName } from '../localHandlers/localRunner';
import type { LocalHandlers } from '../localHandlers/registerLocalHandlers';
import { insightsLoadRuns } from './insightsLoadRuns';
import type { OutputLog } from '../output/outputLog';
import { deployedFeed, localFeed, type DeployedTarget, type InsightsFeed, type InsightsPanelState } from './insightsFeeds';
import { INSIGHTS_VIEW_TYPE, InsightsPanel } from './insightsPanel';
import type { AwsSession } from '../functions/awsSession';

export interface InsightsDeps {
  readonly log: OutputLog;
  readonly local: Pick<LocalHandlers, 'index' | 'runner' | 'choices' | 'resolveHandler'>;
  /** Deployed functions' panels read CloudWatch Logs through the session's clients. */
  readonly session: Pick<AwsSession, 'logs' | 'profile'>;
}

/**
 * Insights for local functions: every finished local invocation (Run, F5, the local API) becomes a record in a
 * bounded per-function store, kept across reloads in the workspace's storage (not in the project). Record files the
 * CLI writes with `--record` (.lambda-workbench/invocations.jsonl in a workspace folder) are read too, and followed.
 */
export function registerInsights(context: vscode.ExtensionContext, deps: InsightsDeps): { store: InvocationStore; panels: Map<string, InsightsPanel>; open(fn: string): InsightsPanel; openDeployed(target: DeployedTarget): InsightsPanel; restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> } {
  const store = new InvocationStore();
  const panels = new Map<string, InsightsPanel>();
  const saved = context.storageUri ? new RecordFile(vscode.Uri.joinPath(context.storageUri, 'invocations.jsonl').fsPath, (e) => deps.log.warn(`Insights: could not save records: ${String(e)}`)) : undefined;
  let loading: Promise<void> | undefined;
  // Nothing is read at activation: the first record or the first panel loads what earlier sessions kept.
  const loaded = (): Promise<void> => (loading ??= (async () => {
    if (saved) await loadRecords(saved.file, store).catch(() => undefined);
    for (const folder of vscode.workspace.workspaceFolders ?? []) await follower.read(vscode.Uri.joinPath(folder.uri, RECORD_FILE));
  })());
  const follower = new RecordFileFollower(store, deps.log);
  const loads = insightsLoadRuns(deps.local, deps.log);

  const feedOf = (state: InsightsPanelState): InsightsFeed => (state.deployed
    ? deployedFeed(state.deployed, (region) => deps.session.logs(region), () => deps.session.profile)
    : localFeed(state.function, store, loaded));
  const show = (feed: InsightsFeed): InsightsPanel => {
    const existing = panels.get(feed.key);
    if (existing) { existing.panel.reveal(); return existing; }
    const panel = vscode.window.createWebviewPanel(INSIGHTS_VIEW_TYPE, `Insights: ${feed.fn}`, vscode.ViewColumn.Active, { enableScripts: true });
    return track(panel, feed);
  };
  const track = (panel: vscode.WebviewPanel, feed: InsightsFeed): InsightsPanel => {
    const insights = new InsightsPanel(panel, feed, loads, deps.log, context.extensionUri, () => panels.delete(feed.key));
    panels.set(feed.key, insights);
    return insights;
  };
  const open = (fn: string): InsightsPanel => show(feedOf({ function: fn }));
  /** A panel VS Code brings back after a reload, with the state its page kept (which function, local or deployed). */
  const restore = async (panel: vscode.WebviewPanel, state: unknown): Promise<void> => {
    const saved = (state as { panel?: InsightsPanelState } | undefined)?.panel;
    if (typeof saved?.function === 'string') track(panel, feedOf(saved));
    else panel.dispose();
  };
  const openDeployed = (target: DeployedTarget): InsightsPanel => show(feedOf({ function: target.name, deployed: target }));

  const watcher = vscode.workspace.createFileSystemWatcher(`**/${RECORD_FILE}`);
  context.subscriptions.push(
    deps.local.runner.onDidInvoke(({ config, result, source: where }) => {
      const record = recordOf(config, result, where);
      void loaded().then(() => store.add(record));
      saved?.add(record);
    }),
    watcher, watcher.onDidChange((uri) => void follower.read(uri)), watcher.onDidCreate((uri) => void follower.read(uri)),
    vscode.window.registerWebviewPanelSerializer(INSIGHTS_VIEW_TYPE, { deserializeWebviewPanel: restore }),
    vscode.commands.registerCommand('lambdaWorkbench.showInsights', async (arg?: unknown) => {
      const deployed = deployedTargetOf(arg);
      if (deployed) return void openDeployed(deployed);
      const fn = typeof arg === 'string' && store.functions().includes(arg) ? arg : await pickFunction(arg, deps, store, loaded);
      if (fn) open(fn);
    }),
    { dispose: () => { for (const p of panels.values()) p.panel.dispose(); void saved?.flush(); } },
  );
  return { store, panels, open, openDeployed, restore };
}

/** A Functions view item (a deployed function) as the target of its panel. */
function deployedTargetOf(arg: unknown): DeployedTarget | undefined {
  const item = arg as { region?: unknown; fn?: { name?: unknown; logGroup?: unknown; architecture?: unknown } } | undefined;
  if (typeof item?.region !== 'string' || typeof item.fn?.name !== 'string' || typeof item.fn.logGroup !== 'string') return undefined;
  return { name: item.fn.name, region: item.region, logGroup: item.fn.logGroup, architecture: typeof item.fn.architecture === 'string' ? item.fn.architecture : undefined };
}

async function pickFunction(arg: unknown, deps: InsightsDeps, store: InvocationStore, loaded: () => Promise<void>): Promise<string | undefined> {
  if (arg !== undefined) {
    const handler = await deps.local.resolveHandler(arg);
    return handler && localFunctionName(handler);
  }
  await loaded();
  const names = store.functions();
  if (names.length === 0) {
    const handler = await deps.local.resolveHandler(undefined);
    return handler && localFunctionName(handler);
  }
  const pick = await vscode.window.showQuickPick(names.map((name) => ({ label: name, description: `${store.records(name).length} invocations` })),
    { title: 'Lambda Insights', placeHolder: 'The function whose invocations to show' });
  return pick?.label;
}

/** Reads what was appended to a CLI record file since the last read (the file only grows; a shorter one restarts). */
class RecordFileFollower {
  private readonly offsets = new Map<string, number>();

  constructor(private readonly store: InvocationStore, private readonly log: OutputLog) {}

  async read(uri: vscode.Uri): Promise<void> {
    let bytes: Uint8Array;
    // A local folder is read here: workspace.fs goes through the window, which is busy making the panel (~100 ms
    // for a file that does not exist, measured at a panel's first open).
    try { bytes = uri.scheme === 'file' ? await readFile(uri.fsPath) : await vscode.workspace.fs.readFile(uri); } catch { return; }
    let offset = this.offsets.get(uri.fsPath) ?? 0;
    if (bytes.length < offset) offset = 0;
    const text = Buffer.from(bytes.subarray(offset)).toString('utf8');
    const complete = text.lastIndexOf('\n') + 1;
    this.offsets.set(uri.fsPath, offset + Buffer.byteLength(text.slice(0, complete)));
    const { skipped } = addRecordLines(text.slice(0, complete), this.store);
    if (skipped) this.log.warn(`Insights: ${skipped} lines of ${uri.fsPath} are not invocation records`);
  }
}
