import * as vscode from 'vscode';

export const SHOW_LOG_COMMAND = 'fusionExecutions.showLog';

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** An error message with a "Show Log" action; the full text goes to the log. Does not wait for the user. */
export function showErrorWithLog(log: vscode.LogOutputChannel, message: string, err?: unknown): void {
  log.error(message);
  if (err instanceof Error && err.stack) log.debug(err.stack);
  const showLog = vscode.l10n.t('Show Log');
  void vscode.window.showErrorMessage(message, showLog).then((choice) => {
    if (choice === showLog) void vscode.commands.executeCommand(SHOW_LOG_COMMAND);
  });
}

/** A path to show the user: relative to the workspace when inside it. */
export function displayPath(uri: vscode.Uri): string {
  if (uri.scheme === 'untitled') return uri.path;
  return vscode.workspace.asRelativePath(uri, false);
}
