/** Import Make API Export…: merge Make's `/dlqs` responses into the executions file. */
import * as vscode from 'vscode';
import { importAction } from '../../../core/executions/actions/import';
import type { ImportSummary } from '../../../core/make/importExport';
import type { CommandContext } from '../../shared/commandContext';
import { ensureTrusted, guarded, pickFolder, withNotificationProgress } from './common';

export interface ImportMakeArgs {
  readonly uris?: readonly (vscode.Uri | string)[];
  readonly folder?: string;
}

const decoder = new TextDecoder('utf-8');

export async function importMakeCommand(ctx: CommandContext, arg?: unknown): Promise<ImportSummary | undefined> {
  const title = vscode.l10n.t('Import Make API Export');
  return guarded(ctx, title, async () => {
    if (!ensureTrusted()) return undefined;
    const given = typeof arg === 'object' && arg !== null && 'uris' in arg ? (arg as ImportMakeArgs).uris : undefined;
    const folder = await pickFolder(ctx, arg, vscode.l10n.t('Workspace folder whose executions file receives the import'));
    if (!folder) return undefined;
    let uris: vscode.Uri[] | undefined = given?.map((u) =>
      u instanceof vscode.Uri ? u : u.includes('://') ? vscode.Uri.parse(u) : vscode.Uri.file(u),
    );
    if (!uris) {
      uris = await vscode.window.showOpenDialog({
        canSelectMany: true,
        defaultUri: folder.folder.uri,
        filters: { [vscode.l10n.t('JSON responses of the Make API')]: ['json'] },
        openLabel: vscode.l10n.t('Import'),
        title: vscode.l10n.t('Make API responses (GET /dlqs, /dlqs/{id}, /dlqs/{id}/bundle)'),
      });
    }
    if (!uris || uris.length === 0) return undefined;
    const files = uris;
    const summary = await withNotificationProgress(vscode.l10n.t('Importing incomplete executions…'), async () => {
      const inputs = await Promise.all(
        files.map(async (u) => ({ file: vscode.workspace.asRelativePath(u), text: decoder.decode(await vscode.workspace.fs.readFile(u)) })),
      );
      return (await ctx.model.runWrite(folder.key, (file) => importAction({ executionsFile: file, inputs }))).summary;
    });
    ctx.log.info(`Imported ${files.length} file(s): ${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged`);
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'Imported incomplete executions: {0} added, {1} updated, {2} unchanged.',
        summary.added,
        summary.updated,
        summary.unchanged,
      ),
    );
    return summary;
  });
}
