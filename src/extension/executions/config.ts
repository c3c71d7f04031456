import * as path from 'node:path';
import * as vscode from 'vscode';
import { PROFILES, type Profile } from '../../core/model';
import { DEFAULT_EXECUTIONS_PATH } from '../../core/executions/model';
import { DEFAULT_SCENARIO_GLOBS } from '../../core/scenario/workspace';

/** Typed reads (and the few writes) of the `fusionExecutions.*` settings the executions view uses. */
const SECTION = 'fusionExecutions';

export type GroupBy = 'scenario' | 'errorType' | 'status';
export const GROUP_BYS: readonly GroupBy[] = ['scenario', 'errorType', 'status'];

function config(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION, scope);
}

/** The configured executions-file path of a folder (workspace-relative, or absolute). */
export function executionsFileSetting(folder: vscode.WorkspaceFolder): string {
  const value: unknown = config(folder.uri).get('executionsFile');
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : DEFAULT_EXECUTIONS_PATH;
}

/** The executions file of a folder as a URI (absolute settings only make sense on a `file` folder). */
export function executionsFileUri(folder: vscode.WorkspaceFolder): vscode.Uri {
  const setting = executionsFileSetting(folder);
  if (folder.uri.scheme === 'file' && path.isAbsolute(setting)) return vscode.Uri.file(setting);
  const parts = setting
    .replace(/\\/g, '/')
    .split('/')
    .filter((p) => p !== '' && p !== '.');
  return vscode.Uri.joinPath(folder.uri, ...parts);
}

export function scenarioGlobs(scope?: vscode.ConfigurationScope): string[] {
  const value: unknown = config(scope).get('scenarioGlobs');
  if (!Array.isArray(value)) return [...DEFAULT_SCENARIO_GLOBS];
  const globs = value.filter((g): g is string => typeof g === 'string' && g.trim() !== '');
  return globs.length > 0 ? globs : [...DEFAULT_SCENARIO_GLOBS];
}

export function defaultProfile(scope?: vscode.ConfigurationScope): Profile {
  const value: unknown = config(scope).get('profile');
  return typeof value === 'string' && (PROFILES as readonly string[]).includes(value) ? (value as Profile) : 'fusion';
}

export function groupBySetting(): GroupBy {
  const value: unknown = config().get('tree.groupBy');
  return typeof value === 'string' && (GROUP_BYS as readonly string[]).includes(value) ? (value as GroupBy) : 'scenario';
}

export function showResolvedSetting(): boolean {
  return config().get<boolean>('tree.showResolved', true) !== false;
}

/** Writes a view setting where it is currently defined (workspace when set there, else the user settings). */
export async function updateViewSetting(key: 'tree.groupBy' | 'tree.showResolved', value: unknown): Promise<void> {
  const cfg = config();
  const inspected = cfg.inspect(key);
  const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await cfg.update(key, value, target);
}

export const SETTINGS_SECTION = SECTION;
