import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Fusion Incomplete Executions', { log: true });
  context.subscriptions.push(log);
  log.info('Fusion Incomplete Executions activated');
}

export function deactivate(): void {
  // nothing to clean up beyond context.subscriptions
}
