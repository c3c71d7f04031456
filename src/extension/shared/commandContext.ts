import type * as vscode from 'vscode';
import type { ExecutionsModel } from '../executions/executionsModel';
import type { ExecutionsTreeProvider } from '../executions/tree/treeProvider';
import type { MakeService } from '../make/service';
import type { DetailsDocuments } from './readOnlyDocuments';

/** What every command handler of the extension is given; made once, in extension.ts. */
export interface CommandContext {
  /** The extension's output channel ("Fusion Incomplete Executions"). */
  readonly log: vscode.LogOutputChannel;
  /** Read-only documents for reports (never left as unsaved untitled tabs). */
  readonly details: DetailsDocuments;
  /** The executions file of every workspace folder. */
  readonly model: ExecutionsModel;
  /** The Incomplete Executions tree. */
  readonly provider: ExecutionsTreeProvider;
  /** Tokens, config and request budgets for Make. */
  readonly make: MakeService;
}
