/** The one way the extension reports an error: one line in a notification, the whole of it in the log. */
import * as vscode from 'vscode';

/** The message of anything thrown. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Shows the first line of `message` as an error with a "Show Log" button (never a stack trace) and
 * writes all of it to the log: as an error with the stack of `err` at debug level, or as a
 * warning for an expected refusal (`severity: 'warning'`). Does not wait for the user.
 */
export function showErrorWithLog(
  log: vscode.LogOutputChannel,
  message: string,
  err?: unknown,
  severity: 'error' | 'warning' = 'error',
): void {
  if (severity === 'warning') {
    log.warn(message);
  } else {
    log.error(message);
    if (err instanceof Error && err.stack) log.debug(err.stack);
  }
  const showLog = vscode.l10n.t('Show Log');
  void vscode.window.showErrorMessage(message.split(/\r?\n/)[0], showLog).then((choice) => {
    if (choice === showLog) log.show();
  });
}
