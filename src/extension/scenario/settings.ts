import * as vscode from 'vscode';
import { isLintCode } from '../../core/lint/registry';
import { PROFILES, type LintCode, type Profile, type Severity } from '../../core/model';

/** Typed, validated reads of the `fusionExecutions.*` settings the scenario features use. */
const SECTION = 'fusionExecutions';
const DEFAULT_GLOBS = ['**/*.scenario.yaml', '**/*.scenario.yml', '**/*.blueprint.json'];
const SEVERITY_VALUES: ReadonlySet<string> = new Set(['error', 'warning', 'information', 'hint', 'off']);

function config(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION, scope);
}

export function scenarioGlobs(scope?: vscode.ConfigurationScope): string[] {
  const value: unknown = config(scope).get('scenarioGlobs');
  if (!Array.isArray(value)) return DEFAULT_GLOBS;
  const globs = value.filter((g): g is string => typeof g === 'string' && g.trim() !== '');
  return globs.length > 0 ? globs : DEFAULT_GLOBS;
}

/** The rules profile from the settings; a file's own `settings.profile` still wins (core decides). */
export function defaultProfile(scope?: vscode.ConfigurationScope): Profile {
  const value: unknown = config(scope).get('profile');
  return typeof value === 'string' && (PROFILES as readonly string[]).includes(value) ? (value as Profile) : 'fusion';
}

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

export const SETTINGS_SECTION = SECTION;
