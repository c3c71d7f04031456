/** Retry (one or a selection), Retry All (a scenario) and Run Due Retries. */
import * as vscode from 'vscode';
import { retryAction, type RetrySelection } from '../../../core/executions/actions/retry';
import type { RecordResult } from '../../../core/executions/actions/result';
import { runDueAction } from '../../../core/executions/actions/runDue';
import { isRetryable, originOf } from '../../../core/executions/model';
import { guardedMake } from '../../make/commands';
import type { CommandContext } from '../../shared/commandContext';
import { defaultProfile } from '../../shared/settings';
import { folderScenarioFiles } from '../../shared/workspaceScenarioFiles';
import type { FolderExecutions } from '../executionsModel';
import { GroupNode } from '../tree/treeNodes';
import {
  ensureTrusted,
  folderFromArg,
  guarded,
  isArgs,
  resultsTitle,
  pickExecutions,
  showResults,
  targetsFromArgs,
  withViewProgress,
  type Target,
} from './common';

/**
 * Retries in one folder: records from Make on Make (with the folder's Make access), the others as
 * simulated retries. Without a way to reach Make for its records nothing changes (the error says
 * how to connect).
 */
async function retryIn(ctx: CommandContext, folder: FolderExecutions, select: RetrySelection): Promise<RecordResult[]> {
  const make = await ctx.make.access(folder.folder);
  const out = await ctx.model.runWrite(folder.key, (file) =>
    retryAction({
      executionsFile: file,
      scenarioFiles: folderScenarioFiles(folder.folder),
      select,
      profile: defaultProfile(folder.folder.uri),
      make,
    }),
  );
  return [...out.results];
}

/** "Retrying on Make…" or "Simulating retries…" for the records chosen. */
function progressTitle(targets: readonly Target[]): string {
  const fromMake = targets.some((t) =>
    t.ids.some((id) => {
      const r = t.folder.records.get(id);
      return r !== undefined && originOf(r) === 'make';
    }),
  );
  return fromMake ? vscode.l10n.t('Retrying on Make…') : vscode.l10n.t('Simulating retries (nothing is sent to Fusion or Make)…');
}

export async function retryCommand(ctx: CommandContext, arg?: unknown, selection?: unknown): Promise<RecordResult[] | undefined> {
  const title = vscode.l10n.t('Retry');
  return guardedMake(ctx, title, async () => {
    if (!ensureTrusted()) return undefined;
    if (arg instanceof GroupNode) return retryAllCommand(ctx, arg);
    const targets: Target[] | undefined =
      targetsFromArgs(ctx, arg, selection) ??
      (await pickExecutions(ctx, isRetryable, vscode.l10n.t('Incomplete executions to retry'), true));
    if (!targets) return undefined;
    const results = await withViewProgress(progressTitle(targets), async () => {
      const all: RecordResult[] = [];
      for (const t of targets) all.push(...(await retryIn(ctx, t.folder, { ids: t.ids })));
      return all;
    });
    showResults(resultsTitle(title, results), results);
    return results;
  });
}

interface ScenarioPick extends vscode.QuickPickItem {
  readonly folderKey: string;
  readonly scenario: string;
}

export async function retryAllCommand(ctx: CommandContext, arg?: unknown): Promise<RecordResult[] | undefined> {
  const title = vscode.l10n.t('Retry All');
  return guardedMake(ctx, title, async () => {
    if (!ensureTrusted()) return undefined;
    let folderKey: string | undefined;
    let scenario: string | undefined;
    if (arg instanceof GroupNode && arg.groupBy === 'scenario') {
      folderKey = arg.folderKey;
      scenario = arg.key;
    } else if (isArgs(arg) && arg.scenario !== undefined) {
      scenario = arg.scenario;
      folderKey = (
        folderFromArg(ctx, arg.folder) ?? ctx.model.folders().find((f) => [...f.records.values()].some((r) => r.scenario === scenario))
      )?.key;
    } else {
      const multi = ctx.model.folders().length > 1;
      const items: ScenarioPick[] = [];
      for (const f of ctx.model.folders()) {
        const counts = new Map<string, number>();
        for (const r of f.records.values()) if (isRetryable(r)) counts.set(r.scenario, (counts.get(r.scenario) ?? 0) + 1);
        for (const [name, n] of [...counts].sort((a, b) => a[0].localeCompare(b[0]))) {
          items.push({
            label: name,
            description: `${multi ? `${f.folder.name} · ` : ''}${vscode.l10n.t('{0} retryable', n)}`,
            folderKey: f.key,
            scenario: name,
          });
        }
      }
      if (items.length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('There are no incomplete executions to retry.'));
        return undefined;
      }
      const picked = await vscode.window.showQuickPick(items, {
        placeHolder: vscode.l10n.t('Retry every incomplete execution of a scenario'),
      });
      if (!picked) return undefined;
      folderKey = picked.folderKey;
      scenario = picked.scenario;
    }
    const folder = folderKey ? ctx.model.folder(folderKey) : undefined;
    if (!folder || scenario === undefined) return undefined;
    const name = scenario;
    const fromMake = [...folder.records.values()].some((r) => r.scenario === name && isRetryable(r) && originOf(r) === 'make');
    const results = await withViewProgress(
      fromMake
        ? vscode.l10n.t('Retrying the incomplete executions of {0} on Make…', name)
        : vscode.l10n.t('Simulating retries of the incomplete executions of {0}…', name),
      () => retryIn(ctx, folder, { all: true, scenario: name }),
    );
    showResults(resultsTitle(title, results), results);
    return results;
  });
}

export async function runDueCommand(ctx: CommandContext, arg?: unknown): Promise<RecordResult[] | undefined> {
  const title = vscode.l10n.t('Run Due Retries');
  return guarded(ctx, title, async () => {
    if (!ensureTrusted()) return undefined;
    let now = new Date();
    if (isArgs(arg) && typeof arg.now === 'string') {
      const d = new Date(arg.now);
      if (Number.isNaN(d.getTime())) throw new Error(vscode.l10n.t('"{0}" is not a date and time.', arg.now));
      now = d;
    }
    const only = isArgs(arg) ? folderFromArg(ctx, arg.folder) : undefined;
    const folders = (only ? [only] : ctx.model.folders()).filter((f) => f.state === 'ok' && f.writable);
    if (folders.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There is no executions file to run due retries on.'));
      return [];
    }
    const results = await withViewProgress(vscode.l10n.t('Simulating the due retries (nothing is sent to Fusion or Make)…'), async () => {
      const all: RecordResult[] = [];
      for (const f of folders) {
        const out = await ctx.model.runWrite(f.key, (file) =>
          runDueAction({ executionsFile: file, scenarioFiles: folderScenarioFiles(f.folder), now, profile: defaultProfile(f.folder.uri) }),
        );
        all.push(...out.results);
      }
      return all;
    });
    if (results.length === 0) void vscode.window.showInformationMessage(vscode.l10n.t('No automatic retry is due.'));
    else showResults(resultsTitle(title, results), results);
    return results;
  });
}
