import * as vscode from 'vscode';
import { prepareModuleRename, renameModule } from '../../../core/scenario/language';
import { isScenarioDocument } from '../documentSelector';
import { parsedDocument } from '../parsed';
import { toRange } from './convert';

/**
 * F2 on a module id: renames the id, the faults naming it and its IML references. The core
 * refuses a clash with an existing id or a value that is not a positive whole number; the refusal
 * is thrown, which VS Code shows at the cursor.
 */
export class ScenarioRenameProvider implements vscode.RenameProvider {
  prepareRename(doc: vscode.TextDocument, position: vscode.Position): { range: vscode.Range; placeholder: string } {
    if (!isScenarioDocument(doc)) throw new Error(vscode.l10n.t('This file is not a scenario.'));
    const check = prepareModuleRename(parsedDocument(doc), doc.offsetAt(position));
    if (!check.ok) throw new Error(check.message);
    return { range: toRange(doc, check.span), placeholder: String(check.id) };
  }

  provideRenameEdits(doc: vscode.TextDocument, position: vscode.Position, newName: string): vscode.WorkspaceEdit {
    if (!isScenarioDocument(doc)) throw new Error(vscode.l10n.t('This file is not a scenario.'));
    const result = renameModule(parsedDocument(doc), doc.offsetAt(position), newName);
    if (!result.ok) throw new Error(result.message);
    const edit = new vscode.WorkspaceEdit();
    for (const e of result.edits) edit.replace(doc.uri, toRange(doc, e), e.newText);
    return edit;
  }
}
