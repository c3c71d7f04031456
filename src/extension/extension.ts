import * as vscode from 'vscode';
import type { ExtensionApi } from './api';
import { ExecutionsModel } from './executions/executionsModel';
import { registerExecutionFeatures } from './executions/register';
import { VIEW_ID } from './executions/commands/common';
import { ExecutionsTreeProvider } from './executions/tree/treeProvider';
import { registerMakeFeatures } from './make/register';
import { MakeService } from './make/service';
import { registerScenarioFeatures } from './scenario/register';
import type { CommandContext } from './shared/commandContext';
import { DETAILS_SCHEME, DetailsDocuments } from './shared/readOnlyDocuments';
import { ScenarioFiles } from './shared/scenarioFiles';

/**
 * Wires the adapters: the objects every feature shares are made here, once, and handed to the two
 * feature groups (the executions view, the scenario editor features). Every command is registered
 * synchronously, before any await; nothing here blocks on I/O (the tree and the workspace lint load
 * in the background). Returns the extension's API (`getExtension(id).exports`).
 */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const log = vscode.window.createOutputChannel('Fusion Incomplete Executions', { log: true });
  const details = new DetailsDocuments();
  // one watch on scenario files, shared by the diagnostics and the tree's storage limits
  const scenarioFiles = new ScenarioFiles();
  const model = new ExecutionsModel(log);
  const provider = new ExecutionsTreeProvider(model, scenarioFiles.onDidChange);
  const treeView = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, canSelectMany: true, showCollapseAll: true });
  context.subscriptions.push(
    log,
    details,
    scenarioFiles,
    vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, details),
    model,
    provider,
    treeView,
  );
  const make = new MakeService(context.secrets, context.globalState, log);
  provider.setMakeStatus(make);
  context.subscriptions.push(make);
  const ctx: CommandContext = { log, details, model, provider, make };
  registerExecutionFeatures(context, ctx, treeView);
  registerScenarioFeatures(context, ctx, scenarioFiles);
  const makeWatcher = registerMakeFeatures(context, ctx);
  log.info('Fusion Incomplete Executions activated');
  return { model, provider, treeView, make, makeWatcher, logUri: context.logUri };
}

export function deactivate(): void {
  // everything is disposed through context.subscriptions
}
