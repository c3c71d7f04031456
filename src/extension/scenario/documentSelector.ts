import * as path from 'node:path';
import * as vscode from 'vscode';
import { isBlueprint } from '../../core/lint/lint';
import { isScenarioPath } from '../../core/scenario/workspace';
import { relativePath } from '../shared/paths';
import { scenarioGlobs } from '../shared/settings';
import { VersionCache } from '../shared/versionCache';

/**
 * Which documents and files are scenario files. Providers are registered for YAML and JSON
 * documents and then ask `isScenarioDocument`, so a custom `fusionExecutions.scenarioGlobs` entry
 * and any JSON file whose top level has `flow` and `metadata` (an exported blueprint with another
 * name) work without re-registering anything.
 *
 * Names and globs are matched by the core's `isScenarioPath`, the predicate the CLI uses too:
 * case-insensitive, and never inside node_modules or .git.
 */
export const SCENARIO_LANGUAGE_SELECTOR: vscode.DocumentSelector = [{ language: 'yaml' }, { language: 'json' }, { language: 'jsonc' }];

/** Schemes whose documents are views of something else (diff bases, output), never linted. */
const IGNORED_SCHEMES = new Set(['git', 'output', 'vscode-scm', 'debug', 'vscode-settings', 'walkThroughSnippet']);

/** Whether a file's name is a scenario file's by the default globs (`*.scenario.yaml|yml`, `*.blueprint.json`), in any folder. */
export function isScenarioFileName(filePath: string): boolean {
  return isScenarioPath(path.posix.basename(filePath.replace(/\\/g, '/')));
}

/**
 * The file name to give the core for a document: its own, or for a document without a telling
 * extension (an untitled editor, a custom glob) one that matches its language, since the core
 * dispatches YAML / JSON on the name.
 */
export function scenarioFileName(doc: vscode.TextDocument): string {
  const name = doc.fileName;
  if ((doc.languageId === 'json' || doc.languageId === 'jsonc') && !/\.json$/i.test(name)) return `${name}.json`;
  if (doc.languageId === 'yaml' && !/\.ya?ml$/i.test(name)) return `${name}.yaml`;
  return name;
}

export function isScenarioDocument(doc: vscode.TextDocument): boolean {
  if (IGNORED_SCHEMES.has(doc.uri.scheme)) return false;
  if (isScenarioFileName(doc.uri.path)) return true;
  if (doc.languageId !== 'yaml' && doc.languageId !== 'json' && doc.languageId !== 'jsonc') return false;
  if (matchesScenarioGlobs(doc.uri)) return true;
  if (doc.languageId === 'json' || doc.languageId === 'jsonc') {
    // Asked on every provider call (code actions: every cursor move), so the verdict is kept per
    // version; a quick textual pre-check keeps the parse off ordinary JSON files.
    return blueprintVerdicts.get(doc, () => {
      const text = doc.getText();
      return text.includes('"flow"') && text.includes('"metadata"') && isBlueprint(scenarioFileName(doc), text);
    });
  }
  return false;
}

const blueprintVerdicts = new VersionCache<boolean>();

export function forgetBlueprintVerdict(uri: vscode.Uri): void {
  blueprintVerdicts.forget(uri);
}

/** Whether a file is one the workspace scan covers: inside a workspace folder, its path there matching the folder's globs. */
export function matchesScenarioGlobs(uri: vscode.Uri): boolean {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return folder !== undefined && isScenarioPath(relativePath(folder, uri), scenarioGlobs(uri));
}
