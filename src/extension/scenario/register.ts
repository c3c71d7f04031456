// CONTRACT STUB — owned by the "extension-scenario" helper.
import type * as vscode from 'vscode';

/** Diagnostics, hovers, code actions, CodeLens, Classify Failure and Convert on scenario files. */
export function registerScenarioFeatures(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  void context; void log;
}
