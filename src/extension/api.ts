import type * as vscode from 'vscode';
import type { ExecutionsModel } from './executions/executionsModel';
import type { ExecutionsTreeNode } from './executions/tree/treeNodes';
import type { ExecutionsTreeProvider } from './executions/tree/treeProvider';
import type { MakeService } from './make/service';
import type { MakeWatcher } from './make/watch';

/**
 * What `activate` returns (`vscode.extensions.getExtension(id).exports`): the live executions
 * model, the tree's data provider and the tree view, the Make connection and its watch. The
 * integration tests drive and observe the extension through it.
 */
export interface ExtensionApi {
  readonly model: ExecutionsModel;
  readonly provider: ExecutionsTreeProvider;
  readonly treeView: vscode.TreeView<ExecutionsTreeNode>;
  /** The connection to Make (tokens in SecretStorage, budgets, contact state). */
  readonly make: MakeService;
  /** The polling of Make (`poll()` runs one now) and its status-bar count. */
  readonly makeWatcher: MakeWatcher;
  /** Where this extension's logs are written (tests check that no token reaches them). */
  readonly logUri: vscode.Uri;
}
