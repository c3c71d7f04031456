/** Builds the TreeItems of the Incomplete Executions view (labels, icons, tooltips, context values). */
import * as vscode from 'vscode';
import { lookupErrorType } from '../../../core/catalogue/catalogue';
import {
  RESOLVED_RETENTION_DAYS,
  SCENARIO_STORAGE_LIMIT_BYTES,
  formatBytes,
  formatPercent,
  retentionOf,
  type ScenarioStorage,
} from '../../../core/executions/limits';
import { goneFromMake, originOf, type ExecutionStatus, type IncompleteExecution } from '../../../core/executions/model';
import { executionContextValue } from './capabilities';
import type { GroupBy } from '../../shared/settings';
import type { FolderExecutions } from '../executionsModel';
import type { ExecutionNode, FolderNode, GroupNode } from './treeNodes';

const STATUS_ICONS: Readonly<Record<ExecutionStatus, { icon: string; color: string }>> = {
  unresolved: { icon: 'error', color: 'list.errorForeground' },
  pending: { icon: 'clock', color: 'list.warningForeground' },
  'in-progress': { icon: 'loading~spin', color: 'progressBar.background' },
  resolved: { icon: 'pass', color: 'testing.iconPassed' },
};

export function statusIcon(status: ExecutionStatus): vscode.ThemeIcon {
  const s = STATUS_ICONS[status] ?? STATUS_ICONS.unresolved;
  return new vscode.ThemeIcon(s.icon, new vscode.ThemeColor(s.color));
}

export function statusLabel(status: ExecutionStatus): string {
  switch (status) {
    case 'unresolved':
      return vscode.l10n.t('unresolved');
    case 'pending':
      return vscode.l10n.t('pending');
    case 'in-progress':
      return vscode.l10n.t('in progress');
    case 'resolved':
      return vscode.l10n.t('resolved');
    default:
      return String(status);
  }
}

export function attemptsLabel(n: number): string {
  return n === 1 ? vscode.l10n.t('1 attempt') : vscode.l10n.t('{0} attempts', n);
}

export function moduleLabel(r: IncompleteExecution): string {
  return typeof r.moduleName === 'string' && r.moduleName.trim() !== '' ? r.moduleName : vscode.l10n.t('Module {0}', r.moduleId);
}

/** Where a record is: Make (zone or API URL), or nothing for local records. */
export function makeWhere(r: IncompleteExecution): string | undefined {
  const make = r['make'];
  if (typeof make !== 'object' || make === null) return undefined;
  const m = make as Record<string, unknown>;
  return typeof m.apiUrl === 'string' ? m.apiUrl : typeof m.zone === 'string' ? m.zone : undefined;
}

/** `ErrorType · status · N attempts`, and `· Make` for a record from Make (`no longer on Make` when gone). */
export function executionDescription(r: IncompleteExecution): string {
  if (originOf(r) !== 'make') return `${r.error.type} · ${statusLabel(r.status)} · ${attemptsLabel(r.attempts)}`;
  const status = goneFromMake(r) ? vscode.l10n.t('no longer on Make') : statusLabel(r.status);
  return `${r.error.type} · ${status} · ${attemptsLabel(r.attempts)} · ${vscode.l10n.t('Make')}`;
}

/** The tooltip line that says where the record came from and what a Retry does with it. */
function originLine(r: IncompleteExecution): string {
  const make = r['make'];
  const scenarioId = typeof make === 'object' && make !== null ? (make as Record<string, unknown>).scenarioId : undefined;
  switch (originOf(r)) {
    case 'make': {
      const where = makeWhere(r);
      const sid =
        typeof scenarioId === 'number' || typeof scenarioId === 'string'
          ? vscode.l10n.t('scenario {0}', String(scenarioId))
          : vscode.l10n.t('scenario id unknown');
      return where
        ? vscode.l10n.t('From Make ({0}, {1}): Retry and Delete act on Make.', where, sid)
        : vscode.l10n.t(
            'From a saved Make API response ({0}); it does not say its zone: set make.zone in .fusionlintrc.json to act on Make.',
            sid,
          );
    }
    case 'simulation':
      return vscode.l10n.t('Stored by Run Simulation: a Retry here is simulated (nothing is sent to Fusion or Make).');
    default:
      return vscode.l10n.t(
        'Written into the executions file by hand or by another tool: a Retry here is simulated (nothing is sent to Fusion or Make).',
      );
  }
}

function formatDate(iso: string | null | undefined): string | undefined {
  if (typeof iso !== 'string') return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

const BUNDLE_PREVIEW_CHARS = 300;

export function executionTooltip(r: IncompleteExecution): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown('**');
  md.appendText(moduleLabel(r));
  md.appendMarkdown('** ');
  md.appendText(vscode.l10n.t('(module {0}) in {1}', r.moduleId, r.scenario));
  md.appendMarkdown('\n\n');
  md.appendMarkdown(`$(${STATUS_ICONS[r.status]?.icon ?? 'error'}) `);
  md.appendMarkdown('`');
  md.appendText(r.error.type);
  md.appendMarkdown('`');
  if (r.error.message) {
    md.appendText(`: ${r.error.message}`);
  }
  md.appendMarkdown('\n\n');
  const info = lookupErrorType(r.error.type);
  if (info) {
    md.appendText(info.meaning);
    md.appendMarkdown('\n\n*');
    md.appendText(vscode.l10n.t('What to do:'));
    md.appendMarkdown('* ');
    md.appendText(info.action);
    md.appendMarkdown('\n\n');
  } else {
    md.appendText(vscode.l10n.t('{0} is not in the error catalogue (e.g. a custom app’s error).', r.error.type));
    md.appendMarkdown('\n\n');
  }
  md.appendMarkdown('---\n\n');
  md.appendText(originLine(r));
  md.appendMarkdown('  \n');
  const gone = goneFromMake(r);
  md.appendText(
    gone
      ? vscode.l10n.t('Status: no longer on Make since {0} (resolved or deleted there)', formatDate(gone.at) ?? gone.at)
      : vscode.l10n.t('Status: {0}', statusLabel(r.status)),
  );
  md.appendMarkdown('  \n');
  md.appendText(
    originOf(r) === 'make'
      ? vscode.l10n.t('Attempts on Make: {0}', r.attempts)
      : vscode.l10n.t('Attempts: {0} of {1}', r.attempts, r.maxAttempts),
  );
  md.appendMarkdown('  \n');
  if (originOf(r) === 'make' && r.moduleId === 0) {
    md.appendText(vscode.l10n.t('The failing module is not known yet: Pull from Make reads it from the bundle.'));
    md.appendMarkdown('  \n');
  }
  if (r.status !== 'resolved') {
    const next = formatDate(r.nextRetryAt);
    let line: string;
    if (next) line = vscode.l10n.t('Next automatic retry: {0}', next);
    else if (originOf(r) === 'make') {
      line =
        r.status === 'pending'
          ? vscode.l10n.t('Make retries it automatically; its API does not say when.')
          : vscode.l10n.t('Make does not retry it automatically: retry it on Make (Retry, or Retry with Local Scenario) or delete it.');
    } else line = vscode.l10n.t('No automatic retry scheduled: retry or resolve it by hand.');
    md.appendText(line);
    md.appendMarkdown('  \n');
  }
  const created = formatDate(r.created);
  if (created) {
    md.appendText(vscode.l10n.t('Created: {0}', created));
    md.appendMarkdown('  \n');
  }
  const retention = r.status === 'resolved' && !gone ? retentionOf(r, new Date()) : undefined;
  if (retention && originOf(r) === 'simulation') {
    // A simulated record was never stored by Fusion or Make: say the rule, not that they deleted it.
    md.appendText(
      vscode.l10n.t(
        'Fusion and Make delete a resolved incomplete execution {0} days after it was resolved; this one exists only in the executions file.',
        RESOLVED_RETENTION_DAYS,
      ),
    );
    md.appendMarkdown('  \n');
  } else if (retention) {
    md.appendText(
      retention.purged
        ? vscode.l10n.t(
            'Resolved {0} days ago: Fusion has deleted it (resolved executions are kept {1} days).',
            retention.daysSinceResolved,
            RESOLVED_RETENTION_DAYS,
          )
        : vscode.l10n.t(
            'Fusion deletes it on {0} ({1} days after it was resolved).',
            formatDate(retention.purgeAt) ?? retention.purgeAt,
            RESOLVED_RETENTION_DAYS,
          ),
    );
    md.appendMarkdown('  \n');
  }
  if (r.bundle !== undefined) {
    let preview = JSON.stringify(r.bundle) ?? 'null';
    if (preview.length > BUNDLE_PREVIEW_CHARS) preview = `${preview.slice(0, BUNDLE_PREVIEW_CHARS)}…`;
    md.appendMarkdown('\n');
    md.appendText(typeof r.size === 'number' ? vscode.l10n.t('Bundle ({0} bytes):', r.size) : vscode.l10n.t('Bundle:'));
    md.appendCodeblock(preview, 'json');
  }
  return md;
}

export function executionTreeItem(node: ExecutionNode, r: IncompleteExecution): vscode.TreeItem {
  const item = new vscode.TreeItem(moduleLabel(r), vscode.TreeItemCollapsibleState.None);
  item.id = `${node.folderKey}|${node.groupBy}|e|${r.id}`;
  item.description = executionDescription(r);
  item.iconPath = statusIcon(r.status);
  item.contextValue = executionContextValue(r);
  item.accessibilityInformation = { label: `${moduleLabel(r)}, ${r.scenario}, ${executionDescription(r)}` };
  return item;
}

/** Lazily filled: the tooltip is the only costly part of an execution item. */
export function resolveExecutionTooltip(item: vscode.TreeItem, r: IncompleteExecution): vscode.TreeItem {
  item.tooltip = executionTooltip(r);
  return item;
}

export interface GroupSummary {
  readonly count: number;
  readonly unresolved: number;
  readonly retryable: number;
}

export function groupLabel(groupBy: GroupBy, key: string): string {
  if (groupBy === 'status') return statusLabel(key as ExecutionStatus);
  return key === '' ? vscode.l10n.t('(unnamed)') : key;
}

/** The parts of a scenario group's description that warn about Fusion's limits (empty = none). */
export function storageWarnings(storage: ScenarioStorage | undefined): string[] {
  if (!storage) return [];
  const parts: string[] = [];
  if (storage.level !== 'ok')
    parts.push(
      vscode.l10n.t({
        message: '{0} of {1}',
        args: [formatPercent(storage.fraction), formatBytes(SCENARIO_STORAGE_LIMIT_BYTES)],
        comment: ['Scenario group description: {0} is a percentage (86%), {1} the per-scenario storage limit (10 MB)'],
      }),
    );
  if (storage.blocked) parts.push(vscode.l10n.t('runs wait (sequential)'));
  return parts;
}

/** What a scenario group pulled from Make shows: description parts and tooltip lines. */
export interface MakeGroupInfo {
  readonly parts: readonly string[];
  readonly lines: readonly string[];
}

/**
 * The scenario group's tooltip: storage against the 10 MB per scenario (Fusion's and Make's
 * limit, counted from the records' sizes — for records from Make, the sizes Make reported), runs
 * waiting under sequential processing, and, for a scenario pulled from Make, its sync and state.
 */
export function scenarioGroupTooltip(storage: ScenarioStorage | undefined, make?: MakeGroupInfo, name?: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown('**');
  const title = storage?.scenario ?? name ?? '';
  md.appendText(title === '' ? vscode.l10n.t('(unnamed)') : title);
  md.appendMarkdown('**\n\n');
  if (make) {
    md.appendMarkdown('$(cloud) ');
    md.appendText(vscode.l10n.t('From Make:'));
    md.appendMarkdown('  \n');
    for (const l of make.lines) {
      md.appendText(l);
      md.appendMarkdown('  \n');
    }
    md.appendMarkdown('\n');
  }
  if (!storage) return md;
  if (storage.level !== 'ok') md.appendMarkdown('$(warning) ');
  md.appendText(
    vscode.l10n.t(
      'Storage: {0} of {1} ({2}) of unresolved incomplete executions',
      formatBytes(storage.bytes),
      formatBytes(SCENARIO_STORAGE_LIMIT_BYTES),
      formatPercent(storage.fraction),
    ),
  );
  md.appendMarkdown('  \n');
  if (storage.level === 'full') {
    md.appendText(vscode.l10n.t('The limit is reached: Fusion stores no more incomplete executions for this scenario.'));
    md.appendMarkdown('  \n');
  }
  if (storage.estimated > 0) {
    md.appendText(vscode.l10n.t('{0} without a size, counted by the length of their JSON.', storage.estimated));
    md.appendMarkdown('  \n');
  }
  if (storage.blocked) {
    md.appendMarkdown('$(warning) ');
    md.appendText(
      storage.notResolved === 1
        ? vscode.l10n.t('Sequential processing is on and 1 execution is not resolved: new runs wait until it is resolved.')
        : vscode.l10n.t(
            'Sequential processing is on and {0} executions are not resolved: new runs wait until they are resolved.',
            storage.notResolved,
          ),
    );
    md.appendMarkdown('  \n');
  }
  return md;
}

export function groupTreeItem(node: GroupNode, summary: GroupSummary, storage?: ScenarioStorage, make?: MakeGroupInfo): vscode.TreeItem {
  const item = new vscode.TreeItem(groupLabel(node.groupBy, node.key), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `${node.folderKey}|${node.groupBy}|g|${node.key}`;
  const parts = [summary.count === 1 ? vscode.l10n.t('1 execution') : vscode.l10n.t('{0} executions', summary.count)];
  if (summary.unresolved > 0 && node.groupBy !== 'status') parts.push(vscode.l10n.t('{0} unresolved', summary.unresolved));
  const warnings = node.groupBy === 'scenario' ? storageWarnings(storage) : [];
  item.description = [...parts, ...warnings, ...(make?.parts ?? [])].join(' · ');
  switch (node.groupBy) {
    case 'scenario':
      item.iconPath =
        warnings.length > 0
          ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
          : new vscode.ThemeIcon('type-hierarchy-sub');
      break;
    case 'errorType':
      item.iconPath = new vscode.ThemeIcon('symbol-class');
      item.tooltip = lookupErrorType(node.key)?.meaning;
      break;
    case 'status':
      item.iconPath = statusIcon(node.key as ExecutionStatus);
      break;
  }
  const tokens = ['group', node.groupBy];
  if (node.groupBy === 'scenario' && summary.retryable > 0) tokens.push('retryable');
  if (make) tokens.push('make');
  item.contextValue = tokens.join(' ');
  return item;
}

export function folderTreeItem(node: FolderNode, f: FolderExecutions | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem(f?.folder.name ?? node.folderKey, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `${node.folderKey}|folder`;
  item.iconPath = new vscode.ThemeIcon('root-folder');
  item.contextValue = 'folder';
  if (!f || f.state === undefined) item.description = vscode.l10n.t('loading…');
  else if (f.state === 'missing') item.description = vscode.l10n.t('no executions file');
  else if (f.state === 'error') item.description = f.problem?.message ?? vscode.l10n.t('file has errors');
  else item.description = f.records.size === 1 ? vscode.l10n.t('1 execution') : vscode.l10n.t('{0} executions', f.records.size);
  item.tooltip = f?.uri.toString(true);
  return item;
}
