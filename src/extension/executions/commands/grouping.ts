/** Group by scenario / error type / status, and hide / show resolved executions (view settings). */
import * as vscode from 'vscode';
import { updateViewSetting, type GroupBy } from '../../shared/settings';
import { guarded } from './common';
import type { CommandContext } from '../../shared/commandContext';

export async function groupByCommand(ctx: CommandContext, groupBy: GroupBy): Promise<void> {
  await guarded(ctx, vscode.l10n.t('Group the incomplete executions'), async () => {
    await updateViewSetting('tree.groupBy', groupBy);
    ctx.provider.applySettings();
  });
}

export async function showResolvedCommand(ctx: CommandContext, show: boolean): Promise<void> {
  await guarded(ctx, vscode.l10n.t('Filter the incomplete executions'), async () => {
    await updateViewSetting('tree.showResolved', show);
    ctx.provider.applySettings();
  });
}
