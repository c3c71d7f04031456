/** Resolve (with an optional note) and Delete (with a modal confirmation). */
import * as vscode from 'vscode';
import { deleteExecutions, resolveExecutions, type OperationResult } from '../../../core/executions/operations';
import { isResolvable } from '../tree/capabilities';
import {
  ensureTrusted,
  guarded,
  isArgs,
  pickExecutions,
  showResults,
  targetsFromArgs,
  withViewProgress,
  type CommandContext,
} from './common';

export async function resolveCommand(ctx: CommandContext, arg?: unknown, selection?: unknown): Promise<OperationResult[] | undefined> {
  const title = vscode.l10n.t('Resolve');
  return guarded(ctx, title, async () => {
    if (!ensureTrusted()) return undefined;
    const targets =
      targetsFromArgs(ctx, arg, selection) ??
      (await pickExecutions(ctx, isResolvable, vscode.l10n.t('Incomplete executions to mark as resolved'), true));
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
    const trimmed = note.trim() === '' ? undefined : note.trim();
    const results = await withViewProgress(vscode.l10n.t('Resolving…'), async () => {
      const all: OperationResult[] = [];
      for (const t of targets) {
        all.push(
          ...(await ctx.model.write(t.folder.key, (doc) => {
            const out = resolveExecutions(doc, t.ids, trimmed);
            return { doc: out.doc, result: [...out.results] };
          })),
        );
      }
      return all;
    });
    showResults(title, results);
    return results;
  });
}

export async function deleteCommand(ctx: CommandContext, arg?: unknown, selection?: unknown): Promise<OperationResult[] | undefined> {
  const title = vscode.l10n.t('Delete');
  return guarded(ctx, title, async () => {
    if (!ensureTrusted()) return undefined;
    const targets =
      targetsFromArgs(ctx, arg, selection) ??
      (await pickExecutions(ctx, () => true, vscode.l10n.t('Incomplete executions to delete'), true));
    if (!targets || targets.length === 0) return undefined;
    const count = targets.reduce((n, t) => n + t.ids.length, 0);
    if (!(isArgs(arg) && arg.confirmed === true)) {
      const del = vscode.l10n.t('Delete');
      const choice = await vscode.window.showWarningMessage(
        count === 1 ? vscode.l10n.t('Delete this incomplete execution?') : vscode.l10n.t('Delete {0} incomplete executions?', count),
        { modal: true, detail: vscode.l10n.t('The record and its bundle are removed from the executions file; this cannot be undone.') },
        del,
      );
      if (choice !== del) return undefined;
    }
    const results = await withViewProgress(vscode.l10n.t('Deleting…'), async () => {
      const all: OperationResult[] = [];
      for (const t of targets) {
        all.push(
          ...(await ctx.model.write(t.folder.key, (doc) => {
            const out = deleteExecutions(doc, t.ids);
            return { doc: out.doc, result: [...out.results] };
          })),
        );
      }
      return all;
    });
    showResults(title, results);
    return results;
  });
}
