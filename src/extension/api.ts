import type * as vscode from 'vscode';
import type { ExecutionsModel } from './executions/executionsModel';
import type { ExecutionsTreeNode } from './executions/tree/treeNodes';
import type { ExecutionsTreeProvider } from './executions/tree/treeProvider';

/**
 * What `activate` returns (`vscode.extensions.getExtension(id).exports`): the live executions
 * model, the tree's data provider and the tree view. The integration tests drive and observe the
 * extension through it.
 */
export interface ExtensionApi {
  readonly model: ExecutionsModel;
  readonly provider: ExecutionsTreeProvider;
  readonly treeView: vscode.TreeView<ExecutionsTreeNode>;
}
