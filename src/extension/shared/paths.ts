/** How the extension names files: relative to their workspace folder. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { toPosixPath } from '../../core/scenario/workspace';

/** A path to show the user: relative to the workspace when inside it. */
export function displayPath(uri: vscode.Uri): string {
  if (uri.scheme === 'untitled') return uri.path;
  return vscode.workspace.asRelativePath(uri, false);
}

/** `uri` relative to `folder`, with forward slashes (the form of an execution's `scenarioFile`). */
export function relativePath(folder: vscode.WorkspaceFolder, uri: vscode.Uri): string {
  return toPosixPath(path.posix.relative(folder.uri.path, uri.path));
}
