/** Retry (one or a selection), Retry All (a scenario) and Run Due Retries. */
import * as vscode from 'vscode';
import type { IncompleteExecution } from '../../../core/executions/model';
import { retryExecutions, runDueRetries, type OperationResult } from '../../../core/executions/operations';
import { isRetryable } from '../tree/capabilities';
import { defaultProfile } from '../config';
import { buildScenarioResolver } from '../scenarios';
import { GroupNode } from '../tree/treeNodes';
import type { FolderExecutions } from '../executionsModel';
import {
  ensureTrusted,
  folderFromArg,
  guarded,
  isArgs,
  pickExecutions,
  showResults,
  targetsFromArgs,
  withViewProgress,
  type CommandContext,
  type Target,
} from './common';

async function retryIn(
  ctx: CommandContext,
  folder: FolderExecutions,
  select: (doc: readonly IncompleteExecution[]) => string[],
): Promise<OperationResult[]> {
  const resolver = await buildScenarioResolver(folder.folder, folder.records.values());
  const profile = defaultProfile(folder.folder.uri);
  return ctx.model.write(folder.key, (doc) => {
    const out = retryExecutions(doc, select(doc.executions), resolver.resolve, { profile });
    return { doc: out.doc, result: [...out.results] };
  });
}

export async function retryCommand(ctx: CommandContext, arg?: unknown, selection?: unknown): Promise<OperationResult[] | undefined> {
  const title = vscode.l10n.t('Retry');
  return guarded(ctx, title, async () => {
    if (!ensureTrusted()) return undefined;
    if (arg instanceof GroupNode) return retryAllCommand(ctx, arg);
    const targets: Target[] | undefined =
      targetsFromArgs(ctx, arg, selection) ??
      (await pickExecutions(ctx, isRetryable, vscode.l10n.t('Incomplete executions to retry'), true));
    if (!targets) return undefined;
    const results = await withViewProgress(vscode.l10n.t('Retrying incomplete executions…'), async () => {
      const all: OperationResult[] = [];
      for (const t of targets) all.push(...(await retryIn(ctx, t.folder, () => t.ids)));
      return all;
    });
    showResults(title, results);
    return results;
  });
}

interface ScenarioPick extends vscode.QuickPickItem {
  readonly folderKey: string;
  readonly scenario: string;
}

export async function retryAllCommand(ctx: CommandContext, arg?: unknown): Promise<OperationResult[] | undefined> {
  const title = vscode.l10n.t('Retry All');
  return guarded(ctx, title, async () => {
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
    const results = await withViewProgress(vscode.l10n.t('Retrying the incomplete executions of {0}…', name), () =>
      // The ids are chosen from the freshly read file, under the lock: records added meanwhile are included.
      retryIn(ctx, folder, (records) => records.filter((r) => r.scenario === name && isRetryable(r)).map((r) => r.id)),
    );
    showResults(title, results);
    return results;
  });
}

export async function runDueCommand(ctx: CommandContext, arg?: unknown): Promise<OperationResult[] | undefined> {
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
    const results = await withViewProgress(vscode.l10n.t('Running due retries…'), async () => {
      const all: OperationResult[] = [];
      for (const f of folders) {
        const resolver = await buildScenarioResolver(f.folder, f.records.values());
        const profile = defaultProfile(f.folder.uri);
        all.push(
          ...(await ctx.model.write(f.key, (doc) => {
            const out = runDueRetries(doc, resolver.resolve, now, profile);
            return { doc: out.doc, result: [...out.results] };
          })),
        );
      }
      return all;
    });
    if (results.length === 0) void vscode.window.showInformationMessage(vscode.l10n.t('No automatic retry is due.'));
    else showResults(title, results);
    return results;
  });
}
