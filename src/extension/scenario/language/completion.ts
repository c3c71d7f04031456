import * as vscode from 'vscode';
import { completionsAt, type CompletionData, type CompletionResult } from '../../../core/scenario/language';
import { isScenarioDocument } from '../documentSelector';
import { parsedDocument } from '../parsed';
import { directiveDescription } from '../presentation';
import { toRange } from './convert';

const KIND: Readonly<Record<CompletionData['kind'], vscode.CompletionItemKind>> = {
  directive: vscode.CompletionItemKind.EnumMember,
  errorType: vscode.CompletionItemKind.Class,
  settingKey: vscode.CompletionItemKind.Property,
  routeKey: vscode.CompletionItemKind.Property,
  faultKey: vscode.CompletionItemKind.Property,
  moduleId: vscode.CompletionItemKind.Reference,
  value: vscode.CompletionItemKind.Value,
};

/** Only a space right after `key:`, `- ` or `[`/`,` opens the list by itself; Ctrl+Space works anywhere. */
const TRIGGER_PREFIX = /(:|-|\[|,)\s$/;

/**
 * Completion in scenario YAML: directives, error types, setting keys and values, handler-route and
 * fault keys, module ids in faults. The core decides what fits at the cursor; this only converts.
 */
export class ScenarioCompletionProvider implements vscode.CompletionItemProvider {
  static readonly triggerCharacters = [' '];

  provideCompletionItems(
    doc: vscode.TextDocument,
    position: vscode.Position,
    _token: vscode.CancellationToken,
    context: vscode.CompletionContext,
  ): vscode.CompletionList | undefined {
    if (!isScenarioDocument(doc)) return undefined;
    if (context.triggerKind === vscode.CompletionTriggerKind.TriggerCharacter) {
      const prefix = doc.lineAt(position.line).text.slice(0, position.character);
      if (!TRIGGER_PREFIX.test(prefix)) return undefined;
    }
    const parsed = parsedDocument(doc);
    const result = completionsAt(parsed, doc.offsetAt(position));
    if (!result || result.items.length === 0) return undefined;
    return new vscode.CompletionList(
      result.items.map((item) => toItem(doc, result, item)),
      false,
    );
  }
}

function toItem(doc: vscode.TextDocument, result: CompletionResult, data: CompletionData): vscode.CompletionItem {
  const item = new vscode.CompletionItem(data.label, KIND[data.kind]);
  item.range = toRange(doc, result.replace);
  item.sortText = data.sortText;
  if (data.insertText !== undefined) item.insertText = data.insertText;
  if (data.detail !== undefined) item.detail = data.detail;
  if (data.kind === 'directive') {
    item.documentation = new vscode.MarkdownString(directiveDescription(data.label as Parameters<typeof directiveDescription>[0]));
  } else if (data.documentation !== undefined) {
    item.documentation = new vscode.MarkdownString(data.documentation);
  }
  return item;
}
