import * as vscode from 'vscode';
import type { TextEdit } from '../../core/text/edits';
import type { Directive } from '../../core/model';
import { isLintCode, isSuppressible } from '../../core/lint/registry';
import { directiveTypoFixes, disableLineEdit, errorHandlerEdit } from '../../core/fixes/quickfix';
import { diagnosticCode } from './diagnostics';
import { isScenarioDocument } from './documentSelector';
import { moduleAtOffset } from './modules';
import { parsedDocument } from './parsed';
import type { ParsedScenario } from '../../core/lint/lint';

function fixTitles(): readonly [Directive, string][] {
  return [
    ['break', vscode.l10n.t('Add error handler (Break with auto-retry)')],
    ['resume', vscode.l10n.t('Add error handler (Resume)')],
    ['ignore', vscode.l10n.t('Add error handler (Ignore)')],
    ['rollback', vscode.l10n.t('Add error handler (Rollback)')],
  ];
}

/**
 * Quick fixes: add an error-handler route (four directives), "Change to 'break'" on a directive
 * Fusion does not know (the nearest by spelling; preferred when it is the only one that near) and
 * "disable for this line". The
 * handler fixes of a module are offered wherever the cursor is on that module (its `name:`, its
 * `app:`…), not only on the line its missing-error-handler diagnostic sits on.
 */
export class ScenarioCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  };

  provideCodeActions(
    doc: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
    if (!isScenarioDocument(doc)) return [];
    const ours = context.diagnostics.filter((d) => diagnosticCode(d) !== undefined);
    const parsed = parsedDocument(doc);
    const actions: vscode.CodeAction[] = [];
    const handled = new Set<number>();
    for (const diag of ours) {
      const code = diagnosticCode(diag);
      if (code === undefined || !isLintCode(code)) continue;
      if (code === 'unknown-directive') {
        for (const fix of directiveTypoFixes(parsed, doc.offsetAt(diag.range.start))) {
          const action = this.action(doc, vscode.l10n.t("Change to '{0}'", fix.directive), fix.edit, diag);
          action.isPreferred = fix.preferred;
          actions.push(action);
        }
      }
      if (code === 'missing-error-handler') {
        const module = moduleAtOffset(parsed, doc.offsetAt(diag.range.start));
        if (module && !handled.has(module.id)) {
          handled.add(module.id);
          actions.push(...this.handlerFixes(doc, parsed, module.id, diag));
        }
      }
      if (isSuppressible(code)) {
        const edit = disableLineEdit(parsed, diag.range.start.line, code);
        if (edit) actions.push(this.action(doc, vscode.l10n.t('Disable {0} for this line', code), edit, diag));
      }
    }
    // the cursor elsewhere on a module whose missing-error-handler diagnostic is on another line
    const here = parsed.scenario ? moduleAtOffset(parsed, doc.offsetAt(range.start)) : undefined;
    if (here && !handled.has(here.id)) {
      const diag = vscode.languages
        .getDiagnostics(doc.uri)
        .find((d) => diagnosticCode(d) === 'missing-error-handler' && moduleAtOffset(parsed, doc.offsetAt(d.range.start))?.id === here.id);
      if (diag) actions.unshift(...this.handlerFixes(doc, parsed, here.id, diag));
    }
    return actions;
  }

  /** The four "Add error handler" fixes of a module (Break preferred), those that apply. */
  private handlerFixes(doc: vscode.TextDocument, parsed: ParsedScenario, moduleId: number, diag: vscode.Diagnostic): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    for (const [directive, title] of fixTitles()) {
      const edit = errorHandlerEdit(parsed, moduleId, directive);
      if (!edit) continue;
      const action = this.action(doc, title, edit, diag);
      action.isPreferred = directive === 'break';
      out.push(action);
    }
    return out;
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
