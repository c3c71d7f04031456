/** Resolve (with an optional note) and Delete (with a modal confirmation). */
import * as vscode from 'vscode';
import { deleteAction } from '../../../core/executions/actions/delete';
import { resolveAction } from '../../../core/executions/actions/resolve';
import type { RecordResult } from '../../../core/executions/actions/result';
import { goneFromMake, isResolvable, originOf } from '../../../core/executions/model';
import { guardedMake } from '../../make/commands';
import type { CommandContext } from '../../shared/commandContext';
import { ensureTrusted, guarded, isArgs, pickExecutions, resultsTitle, showResults, targetsFromArgs, withViewProgress } from './common';

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
    const results = await withViewProgress(vscode.l10n.t('Resolving…'), async () => {
      const all: RecordResult[] = [];
      for (const t of targets) {
        const out = await ctx.model.runWrite(t.folder.key, (file) => resolveAction({ executionsFile: file, ids: t.ids, note: given }));
        all.push(...out.results);
      }
      return all;
    });
    showResults(title, results);
    return results;
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
    const onMake = targets.reduce(
      (n, t) =>
        n +
        t.ids.filter((id) => {
          const r = t.folder.records.get(id);
          return r !== undefined && originOf(r) === 'make' && !goneFromMake(r);
        }).length,
      0,
    );
    if (!(isArgs(arg) && arg.confirmed === true)) {
      const del = onMake > 0 ? vscode.l10n.t('Delete on Make') : vscode.l10n.t('Delete');
      const detail =
        onMake > 0
          ? vscode.l10n.t(
              '{0} of them come from Make: they are deleted on Make (they cannot be retried afterwards), then removed from the executions file. This cannot be undone.',
              onMake,
            )
          : vscode.l10n.t('The record and its bundle are removed from the executions file; this cannot be undone.');
      const choice = await vscode.window.showWarningMessage(
        count === 1 ? vscode.l10n.t('Delete this incomplete execution?') : vscode.l10n.t('Delete {0} incomplete executions?', count),
        { modal: true, detail },
        del,
      );
      if (choice !== del) return undefined;
    }
    const results = await withViewProgress(onMake > 0 ? vscode.l10n.t('Deleting on Make…') : vscode.l10n.t('Deleting…'), async () => {
      const all: RecordResult[] = [];
      for (const t of targets) {
        const make = await ctx.make.access(t.folder.folder);
        const out = await ctx.model.runWrite(t.folder.key, (file) => deleteAction({ executionsFile: file, ids: t.ids, make }));
        all.push(...out.results);
      }
      return all;
    });
    showResults(resultsTitle(title, results), results);
    return results;
  });
}
