import * as vscode from 'vscode';
import type { EventChoices } from './eventChoice';
import type { HandlerIndex } from './handlerIndex';

/** `Run · Debug · Event: <name> · Insights` above every handler definition the index knows in the open file. */
export class HandlerCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly index: HandlerIndex, private readonly choices: EventChoices) {
    index.onDidChange(() => this.changed.fire());
    choices.onDidChange(() => this.changed.fire());
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    await this.index.whenReady(); // CodeLens asking is what starts discovery in a workspace whose view is closed
    const lenses: vscode.CodeLens[] = [];
    for (const handler of this.index.inFile(document.uri.fsPath)) {
      if (handler.line === undefined || handler.line >= document.lineCount) continue;
      const range = document.lineAt(handler.line).range;
      const event = this.choices.get(handler).label;
      lenses.push(
        new vscode.CodeLens(range, { title: '$(play) Run', command: 'lambdaWorkbench.runHandler', arguments: [handler.id], tooltip: `Run ${handler.name} locally with ${event}` }),
        new vscode.CodeLens(range, { title: '$(debug-alt) Debug', command: 'lambdaWorkbench.debugHandler', arguments: [handler.id], tooltip: `Debug ${handler.name} with ${event}` }),
        new vscode.CodeLens(range, { title: `Event: ${event}`, command: 'lambdaWorkbench.chooseEvent', arguments: [handler.id], tooltip: 'Choose the event Run and Debug send' }),
        new vscode.CodeLens(range, { title: '$(graph) Insights', command: 'lambdaWorkbench.showInsights', arguments: [handler.id], tooltip: `Cold starts, durations, memory and cost of ${handler.name}'s local runs` }),
      );
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
