import * as vscode from 'vscode';
import { isBlueprint } from '../../core/lint';
import { scenarioGlobs } from './settings';

/**
 * Which documents are scenario files. Providers are registered for YAML and JSON documents and
 * then ask `isScenarioDocument`, so a custom `fusionExecutions.scenarioGlobs` entry and any JSON
 * file whose top level has `flow` and `metadata` (an exported blueprint with another name) work
 * without re-registering anything.
 */
export const SCENARIO_LANGUAGE_SELECTOR: vscode.DocumentSelector = [
  { language: 'yaml' },
  { language: 'json' },
  { language: 'jsonc' },
];

const YAML_NAME = /\.scenario\.ya?ml$/i;
const BLUEPRINT_NAME = /\.blueprint\.json$/i;
/** Schemes whose documents are views of something else (diff bases, output), never linted. */
const IGNORED_SCHEMES = new Set(['git', 'output', 'vscode-scm', 'debug', 'vscode-settings', 'walkThroughSnippet']);

export function isScenarioFileName(path: string): boolean {
  return YAML_NAME.test(path) || BLUEPRINT_NAME.test(path);
}

export function isScenarioDocument(doc: vscode.TextDocument): boolean {
  if (IGNORED_SCHEMES.has(doc.uri.scheme)) return false;
  const path = doc.uri.path;
  if (isScenarioFileName(path)) return true;
  if (doc.languageId !== 'yaml' && doc.languageId !== 'json' && doc.languageId !== 'jsonc') return false;
  for (const pattern of scenarioGlobs(doc.uri)) {
    if (vscode.languages.match({ pattern }, doc) > 0) return true;
  }
  if (doc.languageId === 'json' || doc.languageId === 'jsonc') {
    // A quick textual pre-check keeps the full parse off ordinary JSON files.
    const text = doc.getText();
    if (text.includes('"flow"') && text.includes('"metadata"')) return isBlueprint(doc.fileName, text);
  }
  return false;
}

/** Whether a path (of a file on disk) is one the workspace scan covers. */
export function matchesScenarioGlobs(uri: vscode.Uri): boolean {
  if (isScenarioFileName(uri.path)) return true;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return false;
  const rel = vscode.workspace.asRelativePath(uri, false);
  return scenarioGlobs(uri).some((g) => globToRegExp(g).test(rel));
}

/** Minimal glob → RegExp for `**`, `*`, `?` and `{a,b}` (the forms the setting documents). */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let inBrace = false;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      inBrace = true;
      re += '(?:';
    } else if (c === '}' && inBrace) {
      inBrace = false;
      re += ')';
    } else if (c === ',' && inBrace) re += '|';
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}
