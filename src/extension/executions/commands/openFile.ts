/** Open Executions File and Create Executions File. */
import * as fsp from 'node:fs/promises';
import * as vscode from 'vscode';
import { guarded, ensureTrusted, pickFolder } from './common';
import type { CommandContext } from '../../shared/commandContext';

const EMPTY_FILE = '{\n  "version": 1,\n  "executions": []\n}\n';

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

export async function openFileCommand(ctx: CommandContext, arg?: unknown): Promise<vscode.Uri | undefined> {
  const title = vscode.l10n.t('Open Executions File');
  return guarded(ctx, title, async () => {
    const folder = await pickFolder(ctx, arg, vscode.l10n.t('Workspace folder whose executions file to open'));
    if (!folder) return undefined;
    if (!(await exists(folder.uri))) {
      const create = vscode.l10n.t('Create Executions File');
      void vscode.window
        .showInformationMessage(vscode.l10n.t('There is no executions file at {0}.', vscode.workspace.asRelativePath(folder.uri)), create)
        .then((choice) =>
          choice === create ? vscode.commands.executeCommand('fusionExecutions.createExecutionsFile', { folder: folder.key }) : undefined,
        );
      return undefined;
    }
    const doc = await vscode.workspace.openTextDocument(folder.uri);
    const problem = folder.state === 'error' ? folder.problem : undefined;
    const editor = await vscode.window.showTextDocument(doc);
    if (problem?.line !== undefined) {
      const pos = new vscode.Position(problem.line - 1, Math.max(0, (problem.column ?? 1) - 1));
      editor.selection = new vscode.Selection(pos, pos);
      editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
    return folder.uri;
  });
}

/**
 * Writes `{"version":1,"executions":[]}` at the configured path (creating the folder) through the
 * workspace file system; an existing file is left alone and opened.
 */
export async function createFileCommand(ctx: CommandContext, arg?: unknown): Promise<vscode.Uri | undefined> {
  const title = vscode.l10n.t('Create Executions File');
  return guarded(ctx, title, async () => {
    if (!ensureTrusted()) return undefined;
    const folder = await pickFolder(ctx, arg, vscode.l10n.t('Workspace folder in which to create the executions file'));
    if (!folder) return undefined;
    const open = !(typeof arg === 'object' && arg !== null && 'open' in arg && (arg as { open?: unknown }).open === false);
    if (await exists(folder.uri)) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('The executions file already exists: {0}', vscode.workspace.asRelativePath(folder.uri)),
      );
    } else {
      await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(folder.uri, '..'));
      if (folder.uri.scheme === 'file') {
        // 'wx': never overwrite a file another process created in the meantime.
        await fsp.writeFile(folder.uri.fsPath, EMPTY_FILE, { flag: 'wx' }).catch((e: unknown) => {
          if ((e as { code?: unknown }).code !== 'EEXIST') throw e;
        });
      } else {
        await vscode.workspace.fs.writeFile(folder.uri, new TextEncoder().encode(EMPTY_FILE));
      }
      ctx.log.info(`Created ${folder.uri.toString(true)}`);
    }
    await ctx.model.reload(folder.key);
    if (open) await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(folder.uri), { preview: true });
    return folder.uri;
  });
}
