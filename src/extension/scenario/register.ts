import * as vscode from 'vscode';
import { classifyFailureCommand } from './commands/classify';
import { ScenarioCodeActionProvider } from './codeActions';
import { ScenarioCodeLensProvider } from './codeLens';
import { convertScenarioCommand } from './commands/convert';
import type { CommandContext } from '../shared/commandContext';
import type { ScenarioFiles } from '../shared/scenarioFiles';
import { ScenarioDiagnostics } from './diagnostics';
import { SCENARIO_LANGUAGE_SELECTOR } from './documentSelector';
import { ScenarioHoverProvider } from './hoverProvider';

/**
 * Diagnostics, hovers, code actions, CodeLens, Classify Failure and Convert on scenario files.
 * Everything is registered synchronously; the workspace lint runs in the background.
 */
export function registerScenarioFeatures(context: vscode.ExtensionContext, ctx: CommandContext, scenarioFiles: ScenarioFiles): void {
  const codeLens = new ScenarioCodeLensProvider();
  context.subscriptions.push(
    vscode.commands.registerCommand('fusionExecutions.classifyFailure', (uri?: unknown, moduleId?: unknown, errorType?: unknown) =>
      classifyFailureCommand(ctx, uri, moduleId, errorType),
    ),
    vscode.commands.registerCommand('fusionExecutions.convertScenario', (uri?: unknown) => convertScenarioCommand(ctx, uri)),
    vscode.languages.registerHoverProvider(SCENARIO_LANGUAGE_SELECTOR, new ScenarioHoverProvider()),
    vscode.languages.registerCodeActionsProvider(
      SCENARIO_LANGUAGE_SELECTOR,
      new ScenarioCodeActionProvider(),
      ScenarioCodeActionProvider.metadata,
    ),
    codeLens,
    vscode.languages.registerCodeLensProvider(SCENARIO_LANGUAGE_SELECTOR, codeLens),
  );
  const diagnostics = new ScenarioDiagnostics(context.extensionUri, ctx.log, scenarioFiles);
  context.subscriptions.push(diagnostics);
  diagnostics.start();
}
