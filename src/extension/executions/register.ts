// CONTRACT STUB — owned by the "extension-executions" helper.
import type * as vscode from 'vscode';

/** Tree view, executions-file watcher and every command that reads or writes the executions file. */
export function registerExecutionFeatures(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  void context; void log;
}
