/** What every command of the executions view shares: argument decoding, pickers, errors, trust, progress. */
import * as vscode from 'vscode';
import type { RecordResult } from '../../../core/executions/actions/result';
import type { IncompleteExecution } from '../../../core/executions/model';
import type { CommandContext } from '../../shared/commandContext';
import { errorText, showErrorWithLog } from '../../shared/messages';
import type { FolderExecutions } from '../executionsModel';
import { ReadOnlyExecutionsError } from '../executionsModel';
import { ExecutionNode, FolderNode, GroupNode } from '../tree/treeNodes';
import { moduleLabel, executionDescription } from '../tree/treeItems';

export const VIEW_ID = 'fusionExecutions.executions';

/**
 * Programmatic arguments every execution command accepts (keybindings, other extensions, tests):
 * `ids` picks records without a QuickPick; `folder` (a folder URI string or name) says which
 * folder's file when several are open; `note` answers Resolve's InputBox; `confirmed: true` answers
 * Delete's modal confirmation.
 */
export interface ExecutionCommandArgs {
  readonly ids?: readonly string[];
  readonly folder?: string;
  readonly note?: string;
  readonly confirmed?: boolean;
  readonly scenario?: string;
  readonly now?: string;
}

export function isArgs(value: unknown): value is ExecutionCommandArgs {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof ExecutionNode) &&
    !(value instanceof GroupNode) &&
    !(value instanceof FolderNode) &&
    !(value instanceof vscode.Uri) &&
    !Array.isArray(value)
  );
}

export interface Target {
  readonly folder: FolderExecutions;
  readonly ids: string[];
}

/** Finds the folder an argument names (URI string, fsPath or folder name). */
export function folderFromArg(ctx: CommandContext, folder: string | undefined): FolderExecutions | undefined {
  if (folder === undefined) return undefined;
  return ctx.model.folders().find((f) => f.key === folder || f.folder.name === folder || f.folder.uri.fsPath === folder);
}

/** Decodes (item, selectedItems) from a tree menu, or programmatic args, into ids per folder. */
export function targetsFromArgs(ctx: CommandContext, arg: unknown, selection: unknown): Target[] | undefined {
  if (arg instanceof ExecutionNode) {
    const nodes =
      Array.isArray(selection) && selection.some((s) => s === arg)
        ? selection.filter((s): s is ExecutionNode => s instanceof ExecutionNode)
        : [arg];
    return groupByFolder(
      ctx,
      nodes.map((n) => ({ folderKey: n.folderKey, id: n.id })),
    );
  }
  if (typeof arg === 'string') return targetsFromIds(ctx, [arg], undefined);
  if (isArgs(arg) && arg.ids) return targetsFromIds(ctx, arg.ids, arg.folder);
  return undefined;
}

function targetsFromIds(ctx: CommandContext, ids: readonly string[], folder: string | undefined): Target[] {
  const f = folderFromArg(ctx, folder);
  const pairs: { folderKey: string; id: string }[] = [];
  for (const id of ids) {
    if (f) pairs.push({ folderKey: f.key, id });
    else {
      const hit = ctx.model.find(id)[0];
      const fallback = ctx.model.folders()[0];
      if (hit) pairs.push({ folderKey: hit.folder.key, id });
      else if (fallback) pairs.push({ folderKey: fallback.key, id });
    }
  }
  return groupByFolder(ctx, pairs);
}

function groupByFolder(ctx: CommandContext, pairs: readonly { folderKey: string; id: string }[]): Target[] {
  const out = new Map<string, Target>();
  for (const p of pairs) {
    const folder = ctx.model.folder(p.folderKey);
    if (!folder) continue;
    let t = out.get(p.folderKey);
    if (!t) {
      t = { folder, ids: [] };
      out.set(p.folderKey, t);
    }
    if (!t.ids.includes(p.id)) t.ids.push(p.id);
  }
  return [...out.values()];
}

interface ExecutionPick extends vscode.QuickPickItem {
  readonly folderKey: string;
  readonly id: string;
}

/** A QuickPick over the loaded records that pass `filter`; undefined when cancelled or none. */
export async function pickExecutions(
  ctx: CommandContext,
  filter: (r: IncompleteExecution) => boolean,
  placeHolder: string,
  canPickMany: boolean,
): Promise<Target[] | undefined> {
  const folders = ctx.model.folders();
  const multi = folders.length > 1;
  const items: ExecutionPick[] = [];
  for (const f of folders) {
    for (const r of f.records.values()) {
      if (!filter(r)) continue;
      items.push({
        label: moduleLabel(r),
        description: `${multi ? `${f.folder.name} · ` : ''}${r.scenario}`,
        detail: `${executionDescription(r)} · ${r.id}`,
        folderKey: f.key,
        id: r.id,
      });
    }
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There are no matching incomplete executions.'));
    return undefined;
  }
  const picked = canPickMany
    ? await vscode.window.showQuickPick(items, { placeHolder, canPickMany: true, matchOnDescription: true, matchOnDetail: true })
    : await vscode.window
        .showQuickPick(items, { placeHolder, matchOnDescription: true, matchOnDetail: true })
        .then((p) => (p ? [p] : undefined));
  if (!picked || picked.length === 0) return undefined;
  return groupByFolder(ctx, picked);
}

/** A folder for folder-level commands: the argument, the only one, or a pick. */
export async function pickFolder(ctx: CommandContext, arg: unknown, placeHolder: string): Promise<FolderExecutions | undefined> {
  if (arg instanceof FolderNode || arg instanceof GroupNode || arg instanceof ExecutionNode) return ctx.model.folder(arg.folderKey);
  if (isArgs(arg) && arg.folder !== undefined) return folderFromArg(ctx, arg.folder);
  if (arg instanceof vscode.Uri) {
    const wf = vscode.workspace.getWorkspaceFolder(arg);
    if (wf) return ctx.model.folderOf(wf);
  }
  const folders = ctx.model.folders();
  if (folders.length <= 1) return folders[0];
  const picked = await vscode.window.showWorkspaceFolderPick({ placeHolder });
  return picked ? ctx.model.folderOf(picked) : undefined;
}

/** Writes are refused in untrusted workspaces (the commands also carry `enablement`). */
export function ensureTrusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(vscode.l10n.t('This workspace is not trusted: the executions file is not changed.'));
  return false;
}

/**
 * Runs the body of a command; an error becomes one line "<what>: <message>" with a "Show Log"
 * button (a refusal to write a read-only file is logged as a warning, anything else as an error).
 * The body's result is returned to callers (undefined after an error).
 */
export async function guarded<T>(ctx: CommandContext, what: string, body: () => Promise<T>): Promise<T | undefined> {
  try {
    return await body();
  } catch (err) {
    showErrorWithLog(ctx.log, `${what}: ${errorText(err)}`, err, err instanceof ReadOnlyExecutionsError ? 'warning' : 'error');
    return undefined;
  }
}

export function withViewProgress<T>(title: string, task: () => Promise<T>): Promise<T> {
  return Promise.resolve(vscode.window.withProgress({ location: { viewId: VIEW_ID }, title }, () => task()));
}

export function withNotificationProgress<T>(title: string, task: () => Promise<T>): Promise<T> {
  return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () => task()));
}

/**
 * The title of a results message: "Simulated Retry" when every result is a simulated retry,
 * "Retry on Make" when every one happened on Make, else the command's title.
 */
export function resultsTitle(title: string, results: readonly RecordResult[]): string {
  if (results.length > 0 && results.every((r) => r.simulated === true)) return vscode.l10n.t('Simulated {0}', title);
  if (results.length > 0 && results.every((r) => r.where === 'make')) return vscode.l10n.t('{0} on Make', title);
  return title;
}

/**
 * One line summing up operation results, e.g. "2 resolved in the simulation, 1 failed again on
 * Make": every count says where it happened when that was not this file alone.
 */
export function summarizeResults(results: readonly RecordResult[]): string {
  const groups = new Map<string, { result: RecordResult['result']; where: 'simulated' | 'make' | 'local'; n: number }>();
  for (const r of results) {
    const where = r.simulated ? 'simulated' : r.where === 'make' ? 'make' : 'local';
    const key = `${r.result}|${where}`;
    const g = groups.get(key) ?? { result: r.result, where, n: 0 };
    g.n++;
    groups.set(key, g);
  }
  const parts: string[] = [];
  const suffix = (where: 'simulated' | 'make' | 'local', text: string): string =>
    where === 'simulated' ? vscode.l10n.t('{0} in the simulation', text) : where === 'make' ? vscode.l10n.t('{0} on Make', text) : text;
  const label: Record<RecordResult['result'], (n: number) => string> = {
    resolved: (n) => vscode.l10n.t('{0} resolved', n),
    failed: (n) => vscode.l10n.t('{0} failed again', n),
    'not-found': (n) => vscode.l10n.t('{0} not found', n),
    skipped: (n) => vscode.l10n.t('{0} skipped', n),
    deleted: (n) => vscode.l10n.t('{0} deleted', n),
    sent: (n) => vscode.l10n.t('{0} sent to Make, outcome not reported yet', n),
    gone: (n) => vscode.l10n.t('{0} no longer on Make', n),
    error: (n) => vscode.l10n.t('{0} could not be done', n),
  };
  for (const g of groups.values()) {
    // A local "resolved" is the Resolve command marking the record in the file.
    const text = g.result === 'resolved' && g.where === 'local' ? vscode.l10n.t('{0} marked resolved', g.n) : label[g.result](g.n);
    parts.push(g.result === 'resolved' || g.result === 'failed' || g.result === 'deleted' ? suffix(g.where, text) : text);
  }
  const simulated = results.some((r) => r.simulated === true);
  return parts.join(', ') + (simulated ? ` ${vscode.l10n.t('(simulated: nothing was sent to Fusion or Make)')}` : '');
}

/** Tells the outcome: the message of a single result, or the summary of several. */
export function showResults(title: string, results: readonly RecordResult[]): void {
  if (results.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0}: nothing to do.', title));
    return;
  }
  const text = results.length === 1 ? results[0].message : summarizeResults(results);
  const anyProblem = results.some((r) => r.result === 'not-found' || r.result === 'failed' || r.result === 'error');
  if (anyProblem) void vscode.window.showWarningMessage(`${title}: ${text}`);
  else void vscode.window.showInformationMessage(`${title}: ${text}`);
}
