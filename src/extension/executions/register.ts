/**
 * Entry of the executions adapters: the Incomplete Executions tree, the executions-file watcher
 * and every command that reads or writes the executions file. Every command is registered
 * synchronously, before anything is awaited; the file loads in the background.
 *
 * Virtual workspaces: the tree reads through `vscode.workspace.fs`; writing commands refuse with a
 * clear message (the core store writes with Node's fs under a lock file, which a virtual file
 * system cannot give).
 */
import * as vscode from 'vscode';
import type { ScenarioFiles } from '../shared/scenarioFiles';
import { guarded, VIEW_ID, type CommandContext } from './commands/common';
import { groupByCommand, showResolvedCommand } from './commands/grouping';
import { importMakeCommand } from './commands/importMake';
import { createFileCommand, openFileCommand } from './commands/openFile';
import { resolveCommand, deleteCommand } from './commands/resolve';
import { retryAllCommand, retryCommand, runDueCommand } from './commands/retry';
import { revealModuleCommand } from './commands/revealModule';
import { runSimulationCommand } from './commands/runSimulation';
import { BUNDLE_SCHEME, BundleContentProvider, showBundleCommand } from './commands/showBundle';
import { ExecutionsModel } from './executionsModel';
import { ExecutionsTreeProvider } from './tree/treeProvider';
import type { ExecutionsTreeNode } from './tree/treeNodes';
import type { DetailsDocuments } from '../shared/readOnlyDocuments';

/** What the integration tests reach through the hidden `fusionExecutions._testApi` command. */
export interface ExecutionsTestApi {
  readonly model: ExecutionsModel;
  readonly provider: ExecutionsTreeProvider;
  readonly treeView: vscode.TreeView<ExecutionsTreeNode>;
}

/** Hidden command (not contributed, so never in the palette) returning the live objects to tests. */
export const TEST_API_COMMAND = 'fusionExecutions._testApi';

let current: ExecutionsTestApi | undefined;

/** The live objects of the running extension (undefined before activation). */
export function executionsTestApi(): ExecutionsTestApi | undefined {
  return current;
}

/** Tree view, executions-file watcher and every command that reads or writes the executions file. */
export function registerExecutionFeatures(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  details: DetailsDocuments,
  scenarioFiles: ScenarioFiles,
): void {
  const model = new ExecutionsModel(log);
  const provider = new ExecutionsTreeProvider(model, scenarioFiles.onDidChange);
  const treeView = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, canSelectMany: true, showCollapseAll: true });
  const bundles = new BundleContentProvider(model);
  const ctx: CommandContext = { model, provider, log, details };
  current = { model, provider, treeView };

  const cmd = (id: string, fn: (...args: unknown[]) => unknown): vscode.Disposable => vscode.commands.registerCommand(id, fn);
  context.subscriptions.push(
    model,
    provider,
    treeView,
    bundles,
    vscode.workspace.registerTextDocumentContentProvider(BUNDLE_SCHEME, bundles),
    cmd('fusionExecutions.retry', (a, b) => retryCommand(ctx, a, b)),
    cmd('fusionExecutions.retryAll', (a) => retryAllCommand(ctx, a)),
    cmd('fusionExecutions.runDueRetries', (a) => runDueCommand(ctx, a)),
    cmd('fusionExecutions.resolve', (a, b) => resolveCommand(ctx, a, b)),
    cmd('fusionExecutions.delete', (a, b) => deleteCommand(ctx, a, b)),
    cmd('fusionExecutions.refresh', () =>
      guarded(ctx, vscode.l10n.t('Refresh'), async () => {
        await model.reload();
        provider.refreshAll();
      }),
    ),
    cmd('fusionExecutions.openExecutionsFile', (a) => openFileCommand(ctx, a)),
    cmd('fusionExecutions.createExecutionsFile', (a) => createFileCommand(ctx, a)),
    cmd('fusionExecutions.revealModule', (a) => revealModuleCommand(ctx, a)),
    cmd('fusionExecutions.showBundle', (a) => showBundleCommand(ctx, a)),
    cmd('fusionExecutions.runSimulation', (a) => runSimulationCommand(ctx, a)),
    cmd('fusionExecutions.importMakeExport', (a) => importMakeCommand(ctx, a)),
    cmd('fusionExecutions.groupByScenario', () => groupByCommand(ctx, 'scenario')),
    cmd('fusionExecutions.groupByErrorType', () => groupByCommand(ctx, 'errorType')),
    cmd('fusionExecutions.groupByStatus', () => groupByCommand(ctx, 'status')),
    cmd('fusionExecutions.hideResolved', () => showResolvedCommand(ctx, false)),
    cmd('fusionExecutions.showResolved', () => showResolvedCommand(ctx, true)),
    cmd('fusionExecutions.showLog', () => log.show()),
    cmd(TEST_API_COMMAND, () => current),
    { dispose: () => (current = undefined) },
  );

  const updateView = (): void => {
    const state = model.aggregateState();
    void vscode.commands.executeCommand('setContext', 'fusionExecutions.fileState', state ?? '');
    const problems = model
      .folders()
      .filter((f) => f.state === 'error' && f.problem)
      .map((f) => (model.folders().length > 1 ? `${f.folder.name}: ${f.problem?.message}` : (f.problem?.message ?? '')));
    treeView.message = problems.length > 0 ? problems.join('\n') : undefined;
    const unresolved = model.unresolvedCount();
    treeView.badge =
      unresolved > 0
        ? {
            value: unresolved,
            tooltip:
              unresolved === 1
                ? vscode.l10n.t('1 unresolved incomplete execution')
                : vscode.l10n.t('{0} unresolved incomplete executions', unresolved),
          }
        : undefined;
  };
  const updateFilterContext = (): void => {
    void vscode.commands.executeCommand('setContext', 'fusionExecutions.hideResolved', !provider.resolvedShown);
  };
  context.subscriptions.push(
    model.onDidChange(updateView),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('fusionExecutions.tree')) {
        provider.applySettings();
        updateFilterContext();
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => updateView()),
  );
  updateFilterContext();
  model.start();
  void model.whenIdle().then(updateView);
}
