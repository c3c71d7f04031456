/**
 * What the tree says about a scenario pulled from Make: when it was last synced (from `makeSync`
 * in the executions file, which every pull writes), whether Make can be reached now (the
 * service's contact state), and the scenario's state on Make (inactive, paused, invalid).
 */
import * as vscode from 'vscode';
import type { ExecutionsFile } from '../../core/executions/model';

export interface ScenarioSync {
  readonly scenarioId: number;
  /** The API it was pulled from (base URL). */
  readonly baseUrl: string;
  readonly lastSyncedAt?: string;
  readonly lastAttemptAt?: string;
  readonly complete: boolean;
  readonly isActive?: boolean;
  readonly isPaused?: boolean;
  readonly isinvalid?: boolean;
  readonly dlqCount?: number;
  readonly problems: readonly string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The sync entries of the scenario named `scenario` (one per API it was pulled from). */
export function scenarioSyncs(doc: ExecutionsFile | undefined, scenario: string): ScenarioSync[] {
  const all = doc?.['makeSync'];
  if (!isObject(all)) return [];
  const out: ScenarioSync[] = [];
  for (const [key, v] of Object.entries(all)) {
    if (!isObject(v) || v.name !== scenario || typeof v.scenarioId !== 'number') continue;
    const state = isObject(v.state) ? v.state : {};
    out.push({
      scenarioId: v.scenarioId,
      baseUrl: key.replace(/#\d+$/, ''),
      ...(typeof v.lastSyncedAt === 'string' ? { lastSyncedAt: v.lastSyncedAt } : {}),
      ...(typeof v.lastAttemptAt === 'string' ? { lastAttemptAt: v.lastAttemptAt } : {}),
      complete: v.complete === true,
      ...(typeof state.isActive === 'boolean' ? { isActive: state.isActive } : {}),
      ...(typeof state.isPaused === 'boolean' ? { isPaused: state.isPaused } : {}),
      ...(typeof state.isinvalid === 'boolean' ? { isinvalid: state.isinvalid } : {}),
      ...(typeof state.dlqCount === 'number' ? { dlqCount: state.dlqCount } : {}),
      problems: Array.isArray(v.problems) ? v.problems.filter((p): p is string => typeof p === 'string') : [],
    });
  }
  return out;
}

/** "just now", "2 min ago", "3 h ago", else the date. */
export function ago(iso: string, now = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const min = Math.floor((now - t) / 60_000);
  if (min < 1) return vscode.l10n.t('just now');
  if (min < 60) return vscode.l10n.t('{0} min ago', min);
  const h = Math.floor(min / 60);
  if (h < 24) return vscode.l10n.t('{0} h ago', h);
  return new Date(t).toLocaleDateString();
}

/** The scenario's state on Make as description parts ("paused on Make", …). */
export function stateParts(s: ScenarioSync): string[] {
  const parts: string[] = [];
  if (s.isinvalid) parts.push(vscode.l10n.t('invalid on Make'));
  if (s.isPaused) parts.push(vscode.l10n.t('paused on Make'));
  else if (s.isActive === false) parts.push(vscode.l10n.t('inactive on Make'));
  return parts;
}

/**
 * "synced 2 min ago", or "offline (last sync …)" when the last contact with the API failed, or
 * "last pull incomplete" when it listed only part of the records.
 */
export function syncText(s: ScenarioSync, offline: boolean, now = Date.now()): string {
  const last = s.lastSyncedAt ? ago(s.lastSyncedAt, now) : vscode.l10n.t('never');
  if (offline) return vscode.l10n.t('offline (last sync {0})', last);
  if (!s.complete) return vscode.l10n.t('last pull incomplete (last full sync {0})', last);
  return vscode.l10n.t('synced {0}', last);
}
