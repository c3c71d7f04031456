import * as vscode from 'vscode';
import { registerExecutionFeatures } from './executions/register';
import { registerScenarioFeatures } from './scenario/register';

/**
 * Wires the adapters. Every command is registered synchronously, before any await; nothing here
 * blocks on I/O (the tree and the workspace lint load in the background).
 */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Fusion Incomplete Executions', { log: true });
  context.subscriptions.push(log);
  registerExecutionFeatures(context, log);
  registerScenarioFeatures(context, log);
  log.info('Fusion Incomplete Executions activated');
}

export function deactivate(): void {
  // everything is disposed through context.subscriptions
}
