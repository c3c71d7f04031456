/**
 * The rule pages (docs/rules/<code>.md, packaged with the extension) opened rendered and
 * read-only: a diagnostic's code links to the command `fusionExecutions.showRuleDoc`, which opens
 * the page in the Markdown preview — not the page's source in an editor, where it could be edited.
 * The hover, the Problems panel and the peek view all open command links of a diagnostic's code.
 */
import * as vscode from 'vscode';
import { isLintCode, LINT_CODES, type LintCode } from '../../core/lint/registry';
import { showMarkdownPreview } from '../shared/readOnlyDocuments';
import { errorText } from '../shared/messages';

export const SHOW_RULE_DOC_COMMAND = 'fusionExecutions.showRuleDoc';

/** The page of a rule inside the installed extension (docs/rules/<code>.md). */
export function ruleDocUri(extensionUri: vscode.Uri, code: LintCode): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'docs', 'rules', `${code}.md`);
}

/** The target of a diagnostic's code: `command:fusionExecutions.showRuleDoc?["<code>"]`. */
export function ruleDocLink(code: LintCode): vscode.Uri {
  return vscode.Uri.from({ scheme: 'command', path: SHOW_RULE_DOC_COMMAND, query: JSON.stringify([code]) });
}

/** Show Rule Documentation…: `(code?)`, a pick of the rules without one. Returns the page shown. */
export async function showRuleDocCommand(
  extensionUri: vscode.Uri,
  log: vscode.LogOutputChannel,
  arg?: unknown,
): Promise<vscode.Uri | undefined> {
  let code: LintCode | undefined;
  if (typeof arg === 'string' && isLintCode(arg)) code = arg;
  else if (arg !== undefined) {
    void vscode.window.showErrorMessage(vscode.l10n.t('There is no lint rule {0}.', JSON.stringify(arg) ?? String(typeof arg)));
    return undefined;
  } else {
    const pick = await vscode.window.showQuickPick(
      LINT_CODES.map((c) => ({ label: c })),
      { placeHolder: vscode.l10n.t('Lint rule whose documentation to show') },
    );
    code = pick?.label;
  }
  if (!code) return undefined;
  const uri = ruleDocUri(extensionUri, code);
  try {
    await showMarkdownPreview(uri);
  } catch (err) {
    log.error(`Could not open ${uri.toString(true)}: ${errorText(err)}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('The documentation of {0} could not be opened: {1}', code, errorText(err)));
    return undefined;
  }
  return uri;
}
