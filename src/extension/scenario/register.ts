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
import { CONFIG_LOAD_GRACE_MS, ProjectConfigs } from './projectConfig';
import { SHOW_RULE_DOC_COMMAND, showRuleDocCommand } from './ruleDocs';

/**
 * Diagnostics, hovers, code actions, CodeLens, Classify Failure and Convert on scenario files.
 * Everything is registered synchronously; the project configuration files are read and the
 * workspace lint runs in the background.
 */
export function registerScenarioFeatures(context: vscode.ExtensionContext, ctx: CommandContext, scenarioFiles: ScenarioFiles): void {
  const codeLens = new ScenarioCodeLensProvider();
  context.subscriptions.push(
    vscode.commands.registerCommand(
      'fusionExecutions.classifyFailure',
      (uri?: unknown, moduleId?: unknown, errorType?: unknown, message?: unknown) =>
        classifyFailureCommand(ctx, uri, moduleId, errorType, message),
    ),
    vscode.commands.registerCommand('fusionExecutions.convertScenario', (uri?: unknown) => convertScenarioCommand(ctx, uri)),
    vscode.commands.registerCommand(SHOW_RULE_DOC_COMMAND, (code?: unknown) => showRuleDocCommand(context.extensionUri, ctx.log, code)),
    vscode.languages.registerHoverProvider(SCENARIO_LANGUAGE_SELECTOR, new ScenarioHoverProvider()),
    vscode.languages.registerCodeActionsProvider(
      SCENARIO_LANGUAGE_SELECTOR,
      new ScenarioCodeActionProvider(),
      ScenarioCodeActionProvider.metadata,
    ),
    codeLens,
    vscode.languages.registerCodeLensProvider(SCENARIO_LANGUAGE_SELECTOR, codeLens),
  );
  const projectConfigs = new ProjectConfigs(ctx.log);
  const diagnostics = new ScenarioDiagnostics(ctx.log, scenarioFiles, projectConfigs);
  // The first lint waits (briefly) for the .fusionlintrc.json files, so a warning the project
  // silences does not flash up; after that, every change of one lints the scenario files again.
  let started = false;
  const start = (): void => {
    if (started) return;
    started = true;
    diagnostics.start();
  };
  const grace = setTimeout(start, CONFIG_LOAD_GRACE_MS);
  context.subscriptions.push(
    projectConfigs,
    diagnostics,
    projectConfigs.onDidChange(() => {
      if (started) diagnostics.relintAll();
    }),
    { dispose: () => clearTimeout(grace) },
  );
  void projectConfigs.start().then(() => {
    clearTimeout(grace);
    if (started) diagnostics.relintAll();
    else start();
  });
}
