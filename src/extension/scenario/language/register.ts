import * as vscode from 'vscode';
import { SCENARIO_LANGUAGE_SELECTOR } from '../documentSelector';
import { ScenarioCompletionProvider } from './completion';
import { ScenarioDefinitionProvider, ScenarioReferenceProvider } from './references';
import { ScenarioRenameProvider } from './rename';
import { ScenarioSymbolProvider } from './symbols';

/** Completion, outline, definition / references and rename of module ids, on scenario files. */
export function registerLanguageFeatures(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.languages.registerCompletionItemProvider(
      SCENARIO_LANGUAGE_SELECTOR,
      new ScenarioCompletionProvider(),
      ...ScenarioCompletionProvider.triggerCharacters,
    ),
    vscode.languages.registerDocumentSymbolProvider(SCENARIO_LANGUAGE_SELECTOR, new ScenarioSymbolProvider(), { label: 'Fusion' }),
    vscode.languages.registerDefinitionProvider(SCENARIO_LANGUAGE_SELECTOR, new ScenarioDefinitionProvider()),
    vscode.languages.registerReferenceProvider(SCENARIO_LANGUAGE_SELECTOR, new ScenarioReferenceProvider()),
    vscode.languages.registerRenameProvider(SCENARIO_LANGUAGE_SELECTOR, new ScenarioRenameProvider()),
  );
}
