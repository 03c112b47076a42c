import * as vscode from 'vscode';
import { AwsProblemError } from '../core/aws/awsErrors';
import { SEARCH_RANGES } from '../core/logs/logGroups';
import { runLogsInsightsQuery } from '../core/logs/logsInsights';
import { queryTable } from '../core/logs/queryTable';
import type { AwsSession } from '../functions/awsSession';
import type { RunDocuments } from '../localHandlers/runDocuments';
import type { OutputLog } from '../output/outputLog';
import { cancellable } from '../ui/cancellable';
import { BACK, inputStep, settle } from '../ui/quickSteps';

const SAVED_KEY = 'logs.savedQueries';
/** Queries remembered per workspace, newest first. */
const SAVED_LIMIT = 20;
const STARTER = 'fields @timestamp, @message, @logStream | filter @message like /ERROR/ | sort @timestamp desc | limit 100';

export interface QueryArgs { readonly query?: string; readonly rangeMs?: number }

/**
 * "Run Logs Insights Query…" on a log group (or a deployed function's): a query picked from the ones run before in
 * this workspace or typed (the last query to start from), a range, then the rows as an aligned table in a
 * read-only document. Cancellable; the query is stopped on AWS when cancelled.
 */
export function registerLogsQuery(context: vscode.ExtensionContext, deps: { session: AwsSession; docs: RunDocuments; log: OutputLog; groupOf(arg: unknown): string | undefined }): vscode.Disposable {
  const { session, docs, log } = deps;
  const saved = (): string[] => context.workspaceState.get<string[]>(SAVED_KEY) ?? [];
  const remember = (query: string): Thenable<void> => context.workspaceState.update(SAVED_KEY, [query, ...saved().filter((q) => q !== query)].slice(0, SAVED_LIMIT));

  return vscode.commands.registerCommand('lambdaWorkbench.queryLogGroup', async (arg?: unknown, args: QueryArgs = {}) => {
    const group = deps.groupOf(arg) ?? await vscode.window.showInputBox({ title: 'Log group to query', value: '/aws/lambda/' });
    if (!group) return undefined;
    const query = args.query ?? await pickQuery(group, saved(), (q) => context.workspaceState.update(SAVED_KEY, saved().filter((s) => s !== q)));
    if (!query) return undefined;
    const rangeMs = args.rangeMs ?? (await vscode.window.showQuickPick(SEARCH_RANGES.map((r) => ({ label: r.label, ms: r.ms })), { title: `Query ${group}: time range` }))?.ms;
    if (rangeMs === undefined) return undefined;
    await session.ready();
    const endTime = Date.now();
    const uri = docs.uriFor(group, 'query');
    const header = `# Logs Insights · ${group} · ${new Date(endTime - rangeMs).toISOString()} to ${new Date(endTime).toISOString()}\n# ${query}\n`;
    await docs.open(uri, `${header}# running…\n`, false);
    try {
      const result = await cancellable(`Logs Insights: ${group}`, (signal, progress) => runLogsInsightsQuery(session.logs(), {
        logGroups: [group], query, startTime: endTime - rangeMs, endTime, signal, profile: session.profile,
        onProgress: (status, stats) => progress.report({ message: `${status}${stats?.recordsMatched !== undefined ? ` · ${stats.recordsMatched} matched of ${stats.recordsScanned ?? '?'} scanned` : ''}` }),
      }));
      if (!result) {
        await docs.open(uri, `${header}# cancelled (the query was stopped)\n`, false);
        return undefined;
      }
      await remember(query);
      const stats = result.statistics ? ` · ${result.statistics.recordsMatched ?? '?'} matched, ${result.statistics.recordsScanned ?? '?'} scanned, ${((result.statistics.bytesScanned ?? 0) / 1e6).toFixed(1)} MB` : '';
      await docs.open(uri, `${header}# ${result.rows.length} row(s)${stats}\n${queryTable(result.rows)}\n`, false);
      return uri;
    } catch (error) {
      const message = error instanceof AwsProblemError ? error.problem.message : error instanceof Error ? error.message : String(error);
      await docs.open(uri, `${header}# the query failed: ${message}\n`, false);
      log.showError(`Logs Insights query of ${group} failed: ${message}`, error);
      return undefined;
    }
  });
}

/** Step 1: the saved queries (a trash button forgets one) or "New query…"; step 2: the query, to edit (Back returns
 *  to step 1). Both through the quick-step helpers, so the host tests drive the real widgets. */
async function pickQuery(group: string, saved: string[], forget: (query: string) => Thenable<void>): Promise<string | undefined> {
  const remove: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Forget this query' };
  type Item = vscode.QuickPickItem & { query?: string };
  let items: Item[] = [
    { label: '$(add) New query…' },
    ...saved.map((query) => ({ label: query.length > 80 ? `${query.slice(0, 79)}…` : query, detail: query.length > 80 ? query : undefined, query, buttons: [remove] })),
  ];
  for (;;) {
    const pick = vscode.window.createQuickPick<Item>();
    Object.assign(pick, { title: `Logs Insights query of ${group}`, step: 1, totalSteps: 2, placeholder: saved.length ? 'A query run before in this workspace, or a new one' : 'Start a new query' });
    pick.items = items;
    const chosen = await settle<Item>(pick, (resolve) => [
      pick.onDidAccept(() => resolve(pick.selectedItems[0])),
      pick.onDidTriggerItemButton(async (e) => {
        await forget(e.item.query!);
        items = items.filter((i) => i !== e.item);
        pick.items = items;
      }),
    ]);
    if (!chosen || chosen === BACK) return undefined;
    const text = await inputStep({
      title: `Logs Insights query of ${group}`, prompt: 'Logs Insights query language: fields, filter, stats, sort, limit…',
      value: chosen.query ?? saved[0] ?? STARTER, step: 2, total: 2, validate: (v) => (v.trim() ? undefined : 'A query'),
    });
    if (text === BACK) continue;
    return text?.trim() || undefined;
  }
}
