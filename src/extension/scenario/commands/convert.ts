import * as vscode from 'vscode';
import { blueprintToYaml, yamlToBlueprint } from '../../../core/scenario/convert';
import { isBlueprint } from '../../../core/lint/lint';
import { scenarioFileName } from '../documentSelector';
import type { CommandContext } from '../../shared/commandContext';
import { errorText, showErrorWithLog } from '../../shared/messages';
import { displayPath } from '../../shared/paths';

/**
 * Convert Blueprint ⇄ Scenario YAML: converts the given (or active) file and opens the result in a
 * new untitled editor of the right language, named after the source (`x.blueprint.json` →
 * `x.scenario.yaml` and back) so that Save proposes a sensible name; nothing is written to disk.
 * Returns the new document's URI (undefined when nothing was converted).
 */
export async function convertScenarioCommand(ctx: CommandContext, target?: unknown): Promise<vscode.Uri | undefined> {
  const { log } = ctx;
  let source: vscode.TextDocument | undefined;
  try {
    if (target instanceof vscode.Uri) source = await vscode.workspace.openTextDocument(target);
    else if (typeof target === 'string' && target !== '') source = await vscode.workspace.openTextDocument(vscode.Uri.parse(target));
    else source = vscode.window.activeTextEditor?.document;
  } catch (err) {
    showErrorWithLog(log, vscode.l10n.t('Cannot open {0}: {1}', String(target), errorText(err)), err);
    return undefined;
  }
  if (!source) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Open a scenario YAML or blueprint JSON file to convert it.'));
    return undefined;
  }
  const text = source.getText();
  const where = displayPath(source.uri);
  const toYaml = isBlueprint(scenarioFileName(source), text);
  if (!toYaml && !/\.ya?ml$/i.test(source.uri.path) && source.languageId !== 'yaml') {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} is neither a scenario YAML nor a blueprint JSON file.', where));
    return undefined;
  }
  let converted: string;
  try {
    converted = toYaml ? blueprintToYaml(text, scenarioFileName(source)) : yamlToBlueprint(text, scenarioFileName(source));
  } catch (err) {
    showErrorWithLog(log, vscode.l10n.t('Cannot convert {0}: {1}', where, errorText(err)), err);
    return undefined;
  }
  const language = toYaml ? 'yaml' : 'json';
  const doc = await openUntitled(source.uri, toYaml, language, converted);
  await vscode.window.showTextDocument(doc, { preview: false });
  log.info(`Converted ${where} to ${toYaml ? 'scenario YAML' : 'blueprint JSON'} (${doc.uri.toString()})`);
  return doc.uri;
}

function targetName(path: string, toYaml: boolean): string {
  const base = path.replace(/^.*\//, '');
  const stem = base.replace(/\.(blueprint\.json|scenario\.ya?ml|json|ya?ml)$/i, '');
  return toYaml ? `${stem}.scenario.yaml` : `${stem}.blueprint.json`;
}

async function openUntitled(source: vscode.Uri, toYaml: boolean, language: string, content: string): Promise<vscode.TextDocument> {
  if (source.scheme !== 'untitled') {
    try {
      const dir = source.path.replace(/\/[^/]*$/, '');
      const uri = vscode.Uri.from({ scheme: 'untitled', path: `${dir}/${targetName(source.path, toYaml)}` });
      const doc = await vscode.workspace.openTextDocument(uri);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), content);
      if (await vscode.workspace.applyEdit(edit)) {
        return doc.languageId === language ? doc : await vscode.languages.setTextDocumentLanguage(doc, language);
      }
    } catch {
      // fall back to a nameless untitled document
    }
  }
  return vscode.workspace.openTextDocument({ language, content });
}
