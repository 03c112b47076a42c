import * as vscode from 'vscode';
import type { EventCatalog } from '../core/events/catalog';
import type { DiscoveredHandler } from '../core/project/handlerDiscovery';
import type { EventChoices } from '../localHandlers/eventChoice';
import type { HandlerIndex } from '../localHandlers/handlerIndex';
import { UNTRUSTED_MESSAGE, type LocalRunner } from '../localHandlers/localRunner';
import type { RunDocuments } from '../localHandlers/runDocuments';
import type { OutputLog } from '../output/outputLog';
import { DebugWarmup } from './debugWarmup';
import { configurationFor, LambdaDebugProvider, PYTHON_DEBUG_TYPE, runIdOf } from './lambdaDebugProvider';
import { trackPauses } from './pauseClock';

/** Registers the `lambda` debug type, debugpy's adapter for Python, and the Debug command. */
export function registerDebugging(context: vscode.ExtensionContext, deps: {
  runner: LocalRunner; index: HandlerIndex; choices: EventChoices; docs: RunDocuments; catalog: EventCatalog; log: OutputLog;
  resolveHandler: (arg: unknown) => Promise<DiscoveredHandler | undefined>;
}): LambdaDebugProvider {
  const provider = new LambdaDebugProvider(deps.runner, deps.index, deps.choices, deps.docs, deps.catalog, deps.log);
  provider.warmup = new DebugWarmup(deps.index, deps.log);
  const ownRunId = (session: vscode.DebugSession): string | undefined => session.configuration.__lambdaRunId as string | undefined;
  context.subscriptions.push(provider.warmup,
    vscode.debug.registerDebugConfigurationProvider('lambda', provider, vscode.DebugConfigurationProviderTriggerKind.Initial),
    vscode.debug.registerDebugConfigurationProvider('lambda', { provideDebugConfigurations: (folder) => provider.dynamicConfigurations(folder) }, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    // debugpy's own adapter (python -m debugpy.adapter) speaks DAP: VS Code runs it; no Python extension needed.
    vscode.debug.registerDebugAdapterDescriptorFactory(PYTHON_DEBUG_TYPE, {
      createDebugAdapterDescriptor: (session) => new vscode.DebugAdapterExecutable(String(session.configuration.__python ?? 'python3'), ['-m', 'debugpy.adapter']),
    }),
    vscode.debug.registerDebugAdapterTrackerFactory(PYTHON_DEBUG_TYPE, {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (message: { type?: string; event?: string }) => {
          // The adapter listens and waits for the debuggee: now the environment may start and connect to it.
          const runId = ownRunId(session);
          if (runId && message.type === 'event' && message.event === 'debugpyWaitingForServer') provider.startPending(runId);
        },
      }),
    }),
    // js-debug runs the function's process in a child session of our attach: once VS Code has sent it the
    // breakpoints (its configurationDone is answered), the runtime may load the handler.
    vscode.debug.registerDebugAdapterTrackerFactory('pwa-node', {
      createDebugAdapterTracker: (session) => {
        const runId = session.parentSession ? runIdOf(session) : undefined;
        if (!runId) return undefined;
        return {
          onDidSendMessage: (message: { type?: string; command?: string }) => {
            if (message.type === 'response' && message.command === 'configurationDone') provider.debuggerReady(runId);
          },
        };
      },
    }),
    trackPauses((session) => provider.pausesOf(session)),
    vscode.debug.onDidStartDebugSession((session) => {
      const runId = ownRunId(session);
      if (runId) provider.sessionStarted(runId);
    }),
    vscode.debug.onDidTerminateDebugSession((session) => {
      const runId = ownRunId(session);
      if (runId) provider.sessionEnded(runId);
    }),
    vscode.commands.registerCommand('lambdaWorkbench.debugHandler', async (arg?: unknown) => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showErrorMessage(UNTRUSTED_MESSAGE);
        return false;
      }
      const handler = await deps.resolveHandler(arg);
      if (!handler) return false;
      const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(handler.codeDir));
      return vscode.debug.startDebugging(folder, configurationFor(handler));
    }),
  );
  return provider;
}
