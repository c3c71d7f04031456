/** `list`: the incomplete executions as a table (with Fusion's storage limits) or as JSON. */
import { listAction } from '../../core/executions/actions/list';
import {
  SCENARIO_STORAGE_LIMIT_BYTES,
  TEAM_STORAGE_LIMIT_BYTES,
  formatBytes,
  formatPercent,
  needsAttention,
  sequentialByScenarioFrom,
  storageReport,
} from '../../core/executions/limits';
import { EXECUTION_STATUSES, goneFromMake, type ExecutionStatus, type IncompleteExecution } from '../../core/executions/model';
import type { Scenario } from '../../core/model';
import { createFsScenarioResolver } from '../../core/scenario/workspace';
import { EXECUTIONS_OPTIONS, HELP_OPTIONS, JSON_OPTION, boolOpt, choiceOpt, noPositionals, nonEmptyOpt, type Command } from '../args';
import { EXIT_OK } from '../errors';
import { actionError, executionsFileExists, executionsTarget } from '../files';

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

function shortTime(iso: string | null): string {
  if (!iso) return '-';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')}Z`;
}

function renderTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * Fusion's storage limits as `! …` lines for the scenarios listed: at 80 % of the 10 MB or more,
 * runs waiting under sequential processing, resolved records Fusion has deleted (30 days), and the
 * team's 500 MB. Counts cover the whole file (a filter does not shrink a scenario's storage).
 */
function limitNotes(
  all: readonly IncompleteExecution[],
  shown: readonly IncompleteExecution[],
  resolve: (execution: IncompleteExecution) => Scenario | undefined,
  now: Date,
): string[] {
  const listed = new Set(shown.map((x) => x.scenario));
  const notResolvedListed = all.filter((x) => x.status !== 'resolved' && listed.has(x.scenario));
  const report = storageReport({ executions: all }, { now, sequentialByScenario: sequentialByScenarioFrom(notResolvedListed, resolve) });
  const notes: string[] = [];
  for (const s of report.scenarios) {
    if (!listed.has(s.scenario) || !needsAttention(s)) continue;
    if (s.level !== 'ok') {
      const estimate = s.estimated > 0 ? ` (${s.estimated} without a size, counted by their JSON length)` : '';
      const full = s.level === 'full' ? ': the limit is reached, Fusion stores no more for this scenario' : '';
      notes.push(
        `! ${s.scenario}: ${formatBytes(s.bytes)} of ${formatBytes(SCENARIO_STORAGE_LIMIT_BYTES)} of unresolved incomplete executions (${formatPercent(s.fraction)})${estimate}${full}`,
      );
    }
    if (s.blocked) {
      const n =
        s.notResolved === 1
          ? '1 execution is not resolved: new runs wait until it is resolved'
          : `${s.notResolved} executions are not resolved: new runs wait until they are resolved`;
      notes.push(`! ${s.scenario}: sequential processing is on and ${n}`);
    }
  }
  const shownIds = new Set(shown.map((x) => x.id));
  const simulatedIds = new Set(shown.filter((x) => x.origin === 'simulation').map((x) => x.id));
  for (const r of report.resolved) {
    if (!r.purged || !shownIds.has(r.id)) continue;
    // A simulated record was never stored by Fusion: only the rule applies to it.
    const simulated = simulatedIds.has(r.id);
    notes.push(
      `! ${r.id} (${r.scenario}): resolved ${r.daysSinceResolved} days ago: ${simulated ? 'Fusion would have deleted it (a simulated record)' : 'Fusion has deleted it'}`,
    );
  }
  if (report.team.level !== 'ok') {
    notes.push(
      `! Team: ${formatBytes(report.team.bytes)} of ${formatBytes(TEAM_STORAGE_LIMIT_BYTES)} of unresolved incomplete executions (${formatPercent(report.team.fraction)})`,
    );
  }
  return notes;
}

export const listCommand: Command = {
  name: 'list',
  summary: 'List the incomplete executions in the executions file.',
  usage: 'list [--json] [--status S] [--scenario NAME] [--executions FILE] [--workspace DIR]',
  details: [
    `Statuses: ${EXECUTION_STATUSES.join(', ')}. A missing executions file lists nothing (exit 0).`,
    'Exit codes: 0 listed; 2 usage mistake, or an unreadable or invalid executions file.',
  ].join('\n'),
  options: {
    ...JSON_OPTION,
    status: { type: 'string', short: 's', valueName: 'S', description: `Only this status (${EXECUTION_STATUSES.join('|')}).` },
    scenario: { type: 'string', valueName: 'NAME', description: 'Only executions of this scenario (exact name).' },
    ...EXECUTIONS_OPTIONS,
    ...HELP_OPTIONS,
  },
  async run(ctx) {
    noPositionals(ctx);
    const status = choiceOpt<ExecutionStatus>(ctx, 'status', EXECUTION_STATUSES);
    const scenario = nonEmptyOpt(ctx, 'scenario');
    const target = executionsTarget(ctx);
    let all: readonly IncompleteExecution[] = [];
    let shown: readonly IncompleteExecution[] = [];
    const exists = executionsFileExists(target);
    if (exists) {
      try {
        ({ all, shown } = await listAction({
          executionsFile: target.file,
          ...(status ? { status } : {}),
          ...(scenario !== undefined ? { scenario } : {}),
        }));
      } catch (e) {
        actionError(e, target, ctx.cwd);
      }
    }
    if (boolOpt(ctx.values, 'json')) {
      ctx.out(JSON.stringify(shown, null, 2) + '\n');
      if (!exists) ctx.err(`note: ${target.shown} does not exist yet.\n`);
      return EXIT_OK;
    }
    if (!exists) {
      ctx.out(`No incomplete executions: ${target.shown} does not exist yet.\n`);
      return EXIT_OK;
    }
    if (shown.length === 0) {
      ctx.out(`No incomplete executions${all.length > 0 ? ` match (${all.length} in total)` : ''} in ${target.shown}.\n`);
      return EXIT_OK;
    }
    const rows: string[][] = [['ID', 'STATUS', 'SCENARIO', 'MODULE', 'ERROR', 'ATTEMPTS', 'NEXT RETRY']];
    for (const x of shown) {
      rows.push([
        x.id,
        goneFromMake(x) ? 'gone' : x.status,
        truncate(x.scenario, 28),
        truncate(x.moduleName ? `${x.moduleId} ${x.moduleName}` : String(x.moduleId), 28),
        truncate(x.error?.type ?? '', 26),
        `${x.attempts}/${x.maxAttempts}`,
        x.status === 'resolved' ? '-' : shortTime(x.nextRetryAt),
      ]);
    }
    const byStatus = EXECUTION_STATUSES.map((s) => [s, shown.filter((x) => x.status === s).length] as const).filter(([, n]) => n > 0);
    const total = shown.length === all.length ? `${all.length}` : `${shown.length} of ${all.length}`;
    ctx.out(
      `${renderTable(rows)}\n\n${total} execution${all.length === 1 ? '' : 's'} (${byStatus.map(([s, n]) => `${n} ${s}`).join(', ')}) in ${target.shown}.\n`,
    );
    const notes = limitNotes(all, shown, createFsScenarioResolver(target.workspace).resolve, new Date());
    if (notes.length > 0) ctx.out(`\n${notes.join('\n')}\n`);
    return EXIT_OK;
  },
};
