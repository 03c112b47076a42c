import * as vscode from 'vscode';
import { EventCatalog } from './core/events/catalog';
import { registerOutput } from './output/outputLog';
import { registerGenerateSampleEvent } from './sampleEvents/generateEventCommand';
import { registerNewHandler } from './scaffolding/newHandlerCommand';
import { registerEmptyTree } from './views/emptyTree';

/** Wires the features together; each feature lives in its own folder and registers itself. */
export function activate(context: vscode.ExtensionContext): void {
  const log = registerOutput(context);
  const catalog = new EventCatalog();
  registerNewHandler(context, log);
  registerGenerateSampleEvent(context, log, catalog);
  registerEmptyTree(context, 'lambdaWorkbench.localHandlers');
  registerEmptyTree(context, 'lambdaWorkbench.functions');
  registerEmptyTree(context, 'lambdaWorkbench.logs');
  log.info(`Lambda Workbench ${String(context.extension.packageJSON.version)} activated`);
}

export function deactivate(): void {
  // Every disposable is in context.subscriptions; VS Code disposes them.
}
