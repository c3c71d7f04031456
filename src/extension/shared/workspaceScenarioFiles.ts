/**
 * The scenario files of a workspace folder as the core's lookups read them: listed with
 * `workspace.findFiles` for the folder's `scenarioGlobs` (node_modules and .git left out) and read
 * through the workspace file system, so virtual folders work too. Which of the listed files are
 * scenario files, and the order they are preferred in, is the core's decision.
 */
import * as vscode from 'vscode';
import type { ScenarioFileSource } from '../../core/executions/scenarioFiles';
import { filterScenarioFiles } from '../../core/scenario/workspace';
import { relativePath } from './paths';
import { scenarioGlobs } from './settings';

const decoder = new TextDecoder('utf-8');
const EXCLUDE = '**/{node_modules,.git}/**';

/** A file's text as saved: an open editor's when it has no unsaved change, else the file's. */
async function readText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open && !open.isDirty) return open.getText();
  try {
    return decoder.decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

async function findFiles(folder: vscode.WorkspaceFolder, globs: readonly string[]): Promise<Map<string, vscode.Uri>> {
  const found = new Map<string, vscode.Uri>();
  for (const glob of globs) {
    for (const uri of await vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob), EXCLUDE))
      found.set(relativePath(folder, uri), uri);
  }
  return found;
}

/** The folder's scenario files for the core's scenario lookups (retry, run due, the tree's limits). */
export function folderScenarioFiles(folder: vscode.WorkspaceFolder): ScenarioFileSource {
  return {
    kind: 'reader',
    globs: scenarioGlobs(folder.uri),
    reader: {
      findFiles: async (globs) => [...(await findFiles(folder, globs)).keys()],
      readFile: (rel) => readText(vscode.Uri.joinPath(folder.uri, ...rel.split('/'))),
    },
  };
}

/** The folder's scenario files as URIs, in the core's preferred order (for pickers). */
export async function findScenarioFiles(folder: vscode.WorkspaceFolder): Promise<vscode.Uri[]> {
  const globs = scenarioGlobs(folder.uri);
  const found = await findFiles(folder, globs);
  return filterScenarioFiles([...found.keys()], globs).map((rel) => found.get(rel) ?? vscode.Uri.joinPath(folder.uri, rel));
}
