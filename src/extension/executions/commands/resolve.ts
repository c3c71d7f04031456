/** Resolve (with an optional note), Delete (with a modal confirmation) and Delete Resolved (a group's, or a folder's). */
import * as vscode from 'vscode';
import { deleteAction } from '../../../core/executions/actions/delete';
import { resolveAction } from '../../../core/executions/actions/resolve';
import type { RecordResult } from '../../../core/executions/actions/result';
import { goneFromMake, isResolvable, originOf, type IncompleteExecution } from '../../../core/executions/model';
import { guardedMake } from '../../make/commands';
import type { CommandContext } from '../../shared/commandContext';
import { groupLabel } from '../tree/treeItems';
import { ExecutionNode, GroupNode } from '../tree/treeNodes';
import {
  ensureTrusted,
  executionSubject,
  guarded,
  isArgs,
  pickExecutions,
  pickFolder,
  resultsTitle,
  showResults,
  snapshotOf,
  targetsFromArgs,
  withViewProgress,
  type Target,
} from './common';

export async function resolveCommand(ctx: CommandContext, arg?: unknown, selection?: unknown): Promise<RecordResult[] | undefined> {
  const title = vscode.l10n.t('Resolve');
  return guarded(ctx, title, async () => {
    if (!ensureTrusted()) return undefined;
    const targets =
      targetsFromArgs(ctx, arg, selection) ??
      (await pickExecutions(
        ctx,
        (r) => isResolvable(r) && originOf(r) !== 'make',
        vscode.l10n.t('Incomplete executions to mark as resolved'),
        true,
      ));
    if (!targets || targets.length === 0) return undefined;
    let note: string | undefined;
    if (isArgs(arg) && arg.note !== undefined) note = arg.note;
    else {
      note = await vscode.window.showInputBox({
        title: vscode.l10n.t('Resolve incomplete executions'),
        prompt: vscode.l10n.t('Optional note: how was it fixed? (Escape cancels)'),
        placeHolder: vscode.l10n.t('e.g. Re-sent the invoice by hand'),
      });
      if (note === undefined) return undefined;
    }
    const given = note;
    const known = snapshotOf(targets);
    const results = await withViewProgress(vscode.l10n.t('Resolving…'), async () => {
      const all: RecordResult[] = [];
      for (const t of targets) {
        const out = await ctx.model.runWrite(t.folder.key, (file) => resolveAction({ executionsFile: file, ids: t.ids, note: given }));
        all.push(...out.results);
      }
      return all;
    });
    showResults(title, results, 'resolve', known);
    return results;
  });
}

/** Records listed in the confirmation of a deletion of several. */
const LISTED = 5;

/** How many of the targets' records a deletion removes on Make first (from Make and still listed there). */
function countOnMake(targets: readonly Target[]): number {
  return targets.reduce(
    (n, t) =>
      n +
      t.ids.filter((id) => {
        const r = t.folder.records.get(id);
        return r !== undefined && originOf(r) === 'make' && !goneFromMake(r);
      }).length,
    0,
  );
}

/**
 * The modal confirmation of a deletion: it names the execution (module, scenario, error), or lists
 * the first few of several. `what` replaces the question for a group ("the 3 resolved … of X").
 * `onMake` records come from Make: the detail says they are deleted there, and the button says so.
 */
export function deleteConfirmation(
  records: readonly IncompleteExecution[],
  count: number,
  what?: string,
  onMake = 0,
): { message: string; detail: string; button: string } {
  const undone =
    onMake > 0
      ? vscode.l10n.t(
          '{0} of them come from Make: they are deleted on Make (they cannot be retried afterwards), then removed from the executions file. This cannot be undone.',
          onMake,
        )
      : count === 1
        ? vscode.l10n.t('The record and its bundle are removed from the executions file; this cannot be undone.')
        : vscode.l10n.t('The records and their bundles are removed from the executions file; this cannot be undone.');
  const button = onMake > 0 ? vscode.l10n.t('Delete on Make') : vscode.l10n.t('Delete');
  const errorOf = (r: IncompleteExecution): string => (r.error.message ? `${r.error.type}: ${r.error.message}` : r.error.type);
  if (count === 1 && records.length === 1 && what === undefined) {
    const r = records[0];
    return {
      message: vscode.l10n.t('Delete the incomplete execution of {0}?', executionSubject(r)),
      detail: `${errorOf(r)}\n\n${undone}`,
      button,
    };
  }
  const lines = records.slice(0, LISTED).map((r) => `• ${executionSubject(r)} — ${r.error.type}`);
  if (count > LISTED) lines.push(vscode.l10n.t('…and {0} more', count - LISTED));
  return {
    message: what ?? vscode.l10n.t('Delete {0} incomplete executions?', count),
    detail: `${lines.join('\n')}\n\n${undone}`,
    button,
  };
}

/** Asks before deleting (unless `confirmed: true` was passed); true to go on. */
async function confirmDelete(arg: unknown, confirmation: { message: string; detail: string; button: string }): Promise<boolean> {
  if (isArgs(arg) && arg.confirmed === true) return true;
  const choice = await vscode.window.showWarningMessage(
    confirmation.message,
    { modal: true, detail: confirmation.detail },
    confirmation.button,
  );
  return choice === confirmation.button;
}

/** Deletes the targets' records: those from Make on Make first (with the folder's Make access), then from the file. */
async function deleteTargets(ctx: CommandContext, targets: readonly Target[], onMake: number): Promise<RecordResult[]> {
  return withViewProgress(onMake > 0 ? vscode.l10n.t('Deleting on Make…') : vscode.l10n.t('Deleting…'), async () => {
    const all: RecordResult[] = [];
    for (const t of targets) {
      const make = await ctx.make.access(t.folder.folder);
      const out = await ctx.model.runWrite(t.folder.key, (file) => deleteAction({ executionsFile: file, ids: t.ids, make }));
      all.push(...out.results);
    }
    return all;
  });
}

export async function deleteCommand(ctx: CommandContext, arg?: unknown, selection?: unknown): Promise<RecordResult[] | undefined> {
  const title = vscode.l10n.t('Delete');
  return guardedMake(ctx, title, async () => {
    if (!ensureTrusted()) return undefined;
    const targets =
      targetsFromArgs(ctx, arg, selection) ??
      (await pickExecutions(ctx, () => true, vscode.l10n.t('Incomplete executions to delete'), true));
    if (!targets || targets.length === 0) return undefined;
    const count = targets.reduce((n, t) => n + t.ids.length, 0);
    const onMake = countOnMake(targets);
    const known = snapshotOf(targets);
    const records = targets.flatMap((t) => t.ids.map((id) => known(id)).filter((r): r is IncompleteExecution => r !== undefined));
    if (!(await confirmDelete(arg, deleteConfirmation(records, count, undefined, onMake)))) return undefined;
    const results = await deleteTargets(ctx, targets, onMake);
    showResults(resultsTitle(title, results), results, 'delete', known);
    return results;
  });
}

/**
 * Delete Resolved: the resolved executions a group of the view shows (its context menu), or, from
 * the palette, every resolved execution of a folder's file. Asks first, naming how many and whose.
 * `options.confirmed: true` (or `confirmed` in the first argument) answers the confirmation.
 */
export async function deleteResolvedCommand(ctx: CommandContext, arg?: unknown, options?: unknown): Promise<RecordResult[] | undefined> {
  const title = vscode.l10n.t('Delete Resolved');
  return guardedMake(ctx, title, async () => {
    if (!ensureTrusted()) return undefined;
    let target: Target | undefined;
    let whose: string;
    if (arg instanceof GroupNode) {
      const folder = ctx.model.folder(arg.folderKey);
      if (!folder) return undefined;
      const ids = ctx.provider
        .getChildren(arg)
        .filter((n): n is ExecutionNode => n instanceof ExecutionNode)
        .map((n) => n.id)
        .filter((id) => folder.records.get(id)?.status === 'resolved');
      target = { folder, ids };
      whose = groupLabel(arg.groupBy, arg.key);
    } else {
      const folder = await pickFolder(ctx, arg, vscode.l10n.t('Workspace folder whose resolved executions to delete'));
      if (!folder) return undefined;
      target = { folder, ids: [...folder.records.values()].filter((r) => r.status === 'resolved').map((r) => r.id) };
      whose = folder.folder.name;
    }
    const count = target.ids.length;
    if (count === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0}: there are no resolved incomplete executions in {1}.', title, whose));
      return [];
    }
    const onMake = countOnMake([target]);
    const known = snapshotOf([target]);
    const records = target.ids.map((id) => known(id)).filter((r): r is IncompleteExecution => r !== undefined);
    const question =
      count === 1
        ? vscode.l10n.t('Delete the resolved incomplete execution of {0}?', whose)
        : vscode.l10n.t('Delete the {0} resolved incomplete executions of {1}?', count, whose);
    // from a menu the second argument is the selection; programmatic callers may pass `{ confirmed: true }` there
    if (!(await confirmDelete(isArgs(options) ? options : arg, deleteConfirmation(records, count, question, onMake)))) return undefined;
    const results = await deleteTargets(ctx, [target], onMake);
    showResults(resultsTitle(title, results), results, 'delete', known);
    return results;
  });
}
