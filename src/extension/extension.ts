import * as vscode from 'vscode';
import { registerExecutionFeatures } from './executions/register';
import { DETAILS_SCHEME, DetailsDocuments } from './shared/readOnlyDocuments';
import { registerScenarioFeatures } from './scenario/register';
import { ScenarioFiles } from './shared/scenarioFiles';
import { registerFailureMap } from './map/register';
import { registerLanguageFeatures } from './scenario/language/register';

/**
 * Wires the adapters. Every command is registered synchronously, before any await; nothing here
 * blocks on I/O (the tree and the workspace lint load in the background).
 */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Fusion Incomplete Executions', { log: true });
  const details = new DetailsDocuments();
  // one watch on scenario files, shared by the diagnostics and the tree's storage limits
  const scenarioFiles = new ScenarioFiles();
  context.subscriptions.push(log, details, scenarioFiles, vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, details));
  registerExecutionFeatures(context, log, details, scenarioFiles);
  registerScenarioFeatures(context, log, details, scenarioFiles);
  // "See the scenario": language features and the failure map (each registers its own providers)
  registerLanguageFeatures(context);
  registerFailureMap(context, log);
  log.info('Fusion Incomplete Executions activated');
}

export function deactivate(): void {
  // everything is disposed through context.subscriptions
}
