/** Reveal Module: open the scenario file at the module that failed. */
import * as vscode from 'vscode';
import { parseScenario } from '../../../core/lint/lint';
import { findModule } from '../../../core/model';
import type { IncompleteExecution } from '../../../core/executions/model';
import { toPosixPath } from '../../../core/scenario/workspace';
import type { FolderExecutions } from '../executionsModel';
import { scenarioResolverFor } from '../../../core/executions/scenarioFiles';
import { folderScenarioFiles } from '../../shared/workspaceScenarioFiles';
import { guarded, pickExecutions, targetsFromArgs } from './common';
import type { CommandContext } from '../../shared/commandContext';
import { hasModule } from '../tree/capabilities';

export interface RevealResult {
  readonly uri: vscode.Uri;
  /** The module's anchor range, or undefined when the module is not in the file any more. */
  readonly range: vscode.Range | undefined;
}

async function scenarioUri(folder: FolderExecutions, r: IncompleteExecution): Promise<vscode.Uri | undefined> {
  if (typeof r.scenarioFile === 'string' && r.scenarioFile.trim() !== '') {
    const rel = toPosixPath(r.scenarioFile.trim());
    const uri = vscode.Uri.joinPath(folder.folder.uri, ...rel.split('/'));
    try {
      await vscode.workspace.fs.stat(uri);
      return uri;
    } catch {
      // fall back to the scenario name
    }
  }
  const resolution = (await scenarioResolverFor(folderScenarioFiles(folder.folder), [])).explain({ ...r, scenarioFile: undefined });
  return resolution.path ? vscode.Uri.joinPath(folder.folder.uri, ...resolution.path.split('/')) : undefined;
}

export async function revealModuleCommand(ctx: CommandContext, arg?: unknown): Promise<RevealResult | undefined> {
  const title = vscode.l10n.t('Reveal Module');
  return guarded(ctx, title, async () => {
    const targets =
      targetsFromArgs(ctx, arg, undefined) ??
      (await pickExecutions(ctx, hasModule, vscode.l10n.t('Incomplete execution whose module to show'), false));
    const t = targets?.[0];
    const id = t?.ids[0];
    const r = t && id !== undefined ? t.folder.records.get(id) : undefined;
    if (!t || !r) return undefined;
    const uri = await scenarioUri(t.folder, r);
    if (!uri) throw new Error(vscode.l10n.t('No scenario file for "{0}" was found in {1}.', r.scenario, t.folder.folder.name));
    const document = await vscode.workspace.openTextDocument(uri);
    const parsed = parseScenario(document.fileName, document.getText());
    const module = parsed.scenario ? findModule(parsed.scenario, r.moduleId) : undefined;
    const editor = await vscode.window.showTextDocument(document, { preview: true });
    if (!module) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t('Module {0} is not in {1} any more.', r.moduleId, vscode.workspace.asRelativePath(uri)),
      );
      return { uri, range: undefined };
    }
    const range = new vscode.Range(document.positionAt(module.anchor.start), document.positionAt(module.anchor.end));
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return { uri, range };
  });
}
