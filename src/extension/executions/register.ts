/**
 * Entry of the executions adapters: every command of the Incomplete Executions view and what keeps
 * the view in step with the executions files. Every command is registered synchronously, before
 * anything is awaited; the files load in the background.
 *
 * Virtual workspaces: the tree reads through `vscode.workspace.fs`; writing commands refuse with a
 * clear message (the core's actions write with Node's fs under a lock file, which a virtual file
 * system cannot give).
 */
import * as vscode from 'vscode';
import type { CommandContext } from '../shared/commandContext';
import { guarded } from './commands/common';
import { groupByCommand, showResolvedCommand } from './commands/grouping';
import { importMakeCommand } from './commands/importMake';
import { createFileCommand, openFileCommand } from './commands/openFile';
import { resolveCommand, deleteCommand } from './commands/resolve';
import { retryAllCommand, retryCommand, runDueCommand } from './commands/retry';
import { revealModuleCommand } from './commands/revealModule';
import { runSimulationCommand } from './commands/runSimulation';
import { BUNDLE_SCHEME, BundleContentProvider, showBundleCommand } from './commands/showBundle';
import type { ExecutionsTreeNode } from './tree/treeNodes';

/**
 * Every command that reads or writes the executions file, the bundle documents, and what keeps the
 * view's badge, message and menus in step with the model; then starts loading the files.
 */
export function registerExecutionFeatures(
  context: vscode.ExtensionContext,
  ctx: CommandContext,
  treeView: vscode.TreeView<ExecutionsTreeNode>,
): void {
  const { model, provider, log } = ctx;
  const bundles = new BundleContentProvider(model);

  const cmd = (id: string, fn: (...args: unknown[]) => unknown): vscode.Disposable => vscode.commands.registerCommand(id, fn);
  context.subscriptions.push(
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
