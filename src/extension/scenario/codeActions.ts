import * as vscode from 'vscode';
import type { TextEdit } from '../../core/text/edits';
import type { Directive } from '../../core/model';
import { isLintCode, isSuppressible } from '../../core/lint/registry';
import { disableLineEdit, errorHandlerEdit } from '../../core/fixes/quickfix';
import { diagnosticCode } from './diagnostics';
import { isScenarioDocument } from './documentSelector';
import { moduleAtOffset } from './modules';
import { parsedDocument } from './parsed';

/** Quick fixes: add an error-handler route (four directives) and "disable for this line". */
export class ScenarioCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  };

  provideCodeActions(
    doc: vscode.TextDocument,
    _range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
    const ours = context.diagnostics.filter((d) => diagnosticCode(d) !== undefined);
    if (ours.length === 0 || !isScenarioDocument(doc)) return [];
    const parsed = parsedDocument(doc);
    const actions: vscode.CodeAction[] = [];
    for (const diag of ours) {
      const code = diagnosticCode(diag);
      if (code === undefined || !isLintCode(code)) continue;
      if (code === 'missing-error-handler') {
        const module = moduleAtOffset(parsed, doc.offsetAt(diag.range.start));
        if (module) {
          const fixes: [Directive, string][] = [
            ['break', vscode.l10n.t('Add error handler (Break with auto-retry)')],
            ['resume', vscode.l10n.t('Add error handler (Resume)')],
            ['ignore', vscode.l10n.t('Add error handler (Ignore)')],
            ['rollback', vscode.l10n.t('Add error handler (Rollback)')],
          ];
          for (const [directive, title] of fixes) {
            const edit = errorHandlerEdit(parsed, module.id, directive);
            if (!edit) continue;
            const action = this.action(doc, title, edit, diag);
            action.isPreferred = directive === 'break';
            actions.push(action);
          }
        }
      }
      if (isSuppressible(code)) {
        const edit = disableLineEdit(parsed, diag.range.start.line, code);
        if (edit) actions.push(this.action(doc, vscode.l10n.t('Disable {0} for this line', code), edit, diag));
      }
    }
    return actions;
  }

  private action(doc: vscode.TextDocument, title: string, edit: TextEdit, diag: vscode.Diagnostic): vscode.CodeAction {
    const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diag];
    const we = new vscode.WorkspaceEdit();
    we.replace(doc.uri, new vscode.Range(doc.positionAt(edit.start), doc.positionAt(edit.end)), edit.newText);
    action.edit = we;
    return action;
  }
}
