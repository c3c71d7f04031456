/** Feeds the core's scenario resolver from the workspace file system (works on virtual folders too). */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { IncompleteExecution } from '../../core/executions/model';
import {
  createScenarioResolver,
  filterScenarioFiles,
  toPosixPath,
  type ScenarioFileSource,
  type WorkspaceScenarioResolver,
} from '../../core/scenario/workspace';
import { scenarioGlobs } from './config';

const decoder = new TextDecoder('utf-8');
const EXCLUDE = '**/{node_modules,.git}/**';

export async function readText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open && !open.isDirty) return open.getText();
  try {
    return decoder.decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

export function relativePath(folder: vscode.WorkspaceFolder, uri: vscode.Uri): string {
  return toPosixPath(path.posix.relative(folder.uri.path, uri.path));
}

/** Scenario files of a folder, as URIs, in the resolver's preferred order. */
export async function findScenarioFiles(folder: vscode.WorkspaceFolder): Promise<vscode.Uri[]> {
  const globs = scenarioGlobs(folder.uri);
  const found = new Map<string, vscode.Uri>();
  for (const glob of globs) {
    for (const uri of await vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob), EXCLUDE)) {
      found.set(relativePath(folder, uri), uri);
    }
  }
  return filterScenarioFiles([...found.keys()], globs).map((rel) => found.get(rel) ?? vscode.Uri.joinPath(folder.uri, rel));
}

/**
 * A resolver over the folder's scenario files (read from disk now, parsed on first need), plus any
 * `scenarioFile` the given executions name that the globs do not match.
 */
export async function buildScenarioResolver(
  folder: vscode.WorkspaceFolder,
  executions: Iterable<IncompleteExecution>,
): Promise<WorkspaceScenarioResolver> {
  const uris = await findScenarioFiles(folder);
  const known = new Set(uris.map((u) => relativePath(folder, u)));
  for (const r of executions) {
    if (typeof r.scenarioFile !== 'string' || r.scenarioFile.trim() === '') continue;
    const rel = toPosixPath(r.scenarioFile.trim());
    if (known.has(rel) || rel.startsWith('../') || path.posix.isAbsolute(rel)) continue;
    known.add(rel);
    uris.push(vscode.Uri.joinPath(folder.uri, ...rel.split('/')));
  }
  const texts = await Promise.all(uris.map((u) => readText(u)));
  const sources: ScenarioFileSource[] = [];
  uris.forEach((u, i) => {
    const text = texts[i];
    if (text !== undefined) sources.push({ path: relativePath(folder, u), text });
  });
  return createScenarioResolver(sources);
}
