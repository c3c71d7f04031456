/**
 * Typed, validated reads (and the few writes) of the `fusionExecutions.*` settings, for every
 * feature of the extension. Invalid values fall back to the defaults (the settings editor flags
 * them); a scope (a folder or document URI) reads the folder-level value in a multi-root workspace.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_EXECUTIONS_PATH } from '../../core/executions/model';
import { isLintCode, type LintCode } from '../../core/lint/registry';
import { PROFILES, type Profile, type Severity } from '../../core/model';
import { DEFAULT_SCENARIO_GLOBS } from '../../core/scenario/workspace';

export const SETTINGS_SECTION = 'fusionExecutions';

const SEVERITY_VALUES: ReadonlySet<string> = new Set(['error', 'warning', 'information', 'hint', 'off']);

export type GroupBy = 'scenario' | 'errorType' | 'status';
export const GROUP_BYS: readonly GroupBy[] = ['scenario', 'errorType', 'status'];

function config(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
}

/** The globs of the scenario files (workspace-relative); the default when unset or empty. */
export function scenarioGlobs(scope?: vscode.ConfigurationScope): string[] {
  const value: unknown = config(scope).get('scenarioGlobs');
  if (!Array.isArray(value)) return [...DEFAULT_SCENARIO_GLOBS];
  const globs = value.filter((g): g is string => typeof g === 'string' && g.trim() !== '');
  return globs.length > 0 ? globs : [...DEFAULT_SCENARIO_GLOBS];
}

/** The rules profile from the settings; a file's own `settings.profile` still wins (core decides). */
export function defaultProfile(scope?: vscode.ConfigurationScope): Profile {
  const value: unknown = config(scope).get('profile');
  return typeof value === 'string' && (PROFILES as readonly string[]).includes(value) ? (value as Profile) : 'fusion';
}

// ---------------------------------------------------------------------------------------------
// Executions file and view
// ---------------------------------------------------------------------------------------------

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

/** Minutes between two pulls from Make (0 = no polling); at least 1 when on. */
export function makePollMinutes(): number {
  const value: unknown = config().get('make.pollMinutes');
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return 0;
  return Math.max(1, value);
}

// ---------------------------------------------------------------------------------------------
// Lint and CodeLens
// ---------------------------------------------------------------------------------------------

/** Per-rule overrides; unknown codes and values are ignored (the settings editor flags them). */
export function severityOverrides(scope?: vscode.ConfigurationScope): Partial<Record<LintCode, Severity | 'off'>> {
  const value: unknown = config(scope).get('lint.severity');
  const out: Partial<Record<LintCode, Severity | 'off'>> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [code, sev] of Object.entries(value as Record<string, unknown>)) {
    if (isLintCode(code) && typeof sev === 'string' && SEVERITY_VALUES.has(sev)) {
      out[code] = sev as Severity | 'off';
    }
  }
  return out;
}

export function lintOnType(scope?: vscode.ConfigurationScope): boolean {
  return config(scope).get<boolean>('lint.onType', true) !== false;
}

export function lintOnSave(scope?: vscode.ConfigurationScope): boolean {
  return config(scope).get<boolean>('lint.onSave', true) !== false;
}

export function codeLensEnabled(scope?: vscode.ConfigurationScope): boolean {
  return config(scope).get<boolean>('codeLens.enabled', true) !== false;
}
