import * as vscode from 'vscode';

/** A tree with nothing in it yet, so a view shows its welcome content until its feature provides items. */
export function registerEmptyTree(context: vscode.ExtensionContext, viewId: string): vscode.TreeView<never> {
  const provider: vscode.TreeDataProvider<never> = {
    getTreeItem: (element) => element,
    getChildren: () => [],
  };
  const view = vscode.window.createTreeView(viewId, { treeDataProvider: provider });
  context.subscriptions.push(view);
  return view;
}
