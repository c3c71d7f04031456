/** The commands over the incomplete executions file: list, retry, resolve, delete, run-due, import. */
import type { Scenario } from '../../core/model';
import type { ExecutionStatus, ExecutionsFile, IncompleteExecution } from '../../core/executions/model';
import { EXECUTION_STATUSES } from '../../core/executions/model';
import { deleteExecutions, resolveExecutions, retryExecutions, runDueRetries, type OperationOutput, type OperationResult } from '../../core/executions/operations';
import { loadExecutions, updateExecutions } from '../../core/executions/store';
import { importMakeResponses, type ImportSummary } from '../../core/make/importExport';
import { MakeImportError } from '../../core/make/importError';
import { createFsScenarioResolver, type WorkspaceScenarioResolver } from '../../core/scenario/workspace';
import {
  SCENARIO_STORAGE_LIMIT_BYTES,
  TEAM_STORAGE_LIMIT_BYTES,
  formatBytes,
  formatPercent,
  needsAttention,
  sequentialByScenarioFrom,
  storageReport,
} from '../../core/executions/limits';
import {
  EXECUTIONS_OPTIONS,
  HELP_OPTIONS,
  JSON_OPTION,
  PROFILE_OPTION,
  boolOpt,
  choiceOpt,
  nonEmptyOpt,
  profileOpt,
  stringOpt,
  type Command,
  type CommandContext,
} from '../args';
import { CliError, CliErrors, EXIT_OK, EXIT_PROBLEMS, UsageError, messageOf } from '../errors';
import {
  displayPath,
  executionsFileExists,
  executionsTarget,
  formatFileError,
  isExecutionsFileError,
  oneLine,
  readTextFile,
  requireExecutionsFile,
  storeError,
  type ExecutionsTarget,
} from '../files';

const EXIT_CODES_NOTE = [
  'Exit codes: 0 done; 1 one or more ids were not found; 2 usage mistake, or the executions file',
  '            is missing, unreadable or invalid (it is left untouched).',
].join('\n');

function noPositionals(ctx: CommandContext): void {
  if (ctx.positionals.length > 0) throw new UsageError(`unexpected argument '${ctx.positionals[0]}'`, ctx.command);
}

function idsFrom(ctx: CommandContext, what: string): string[] {
  const ids: string[] = [];
  for (const p of ctx.positionals) {
    const id = p.trim();
    if (id === '') throw new UsageError(`an empty execution id`, ctx.command);
    if (!ids.includes(id)) ids.push(id);
  }
  if (ids.length === 0) throw new UsageError(`missing argument: ${what}`, ctx.command);
  return ids;
}

/** Read-modify-write of the executions file; store problems become one-line CliErrors. */
async function update<T>(
  ctx: CommandContext,
  target: ExecutionsTarget,
  mutate: (doc: ExecutionsFile) => { doc: ExecutionsFile; result: T },
  create = false,
): Promise<T> {
  if (!create) requireExecutionsFile(target);
  try {
    return await updateExecutions(target.file, mutate, { create });
  } catch (e) {
    return storeError(e, target, ctx.cwd);
  }
}

/** Applies an operation to the executions file under its lock; returns what it did to each id. */
function apply(ctx: CommandContext, target: ExecutionsTarget, op: (doc: ExecutionsFile) => OperationOutput): Promise<readonly OperationResult[]> {
  return update(ctx, target, (doc) => {
    const out = op(doc);
    return { doc: out.doc, result: out.results };
  });
}

/** `apply` for operations that replay executions: prints the results, then why a scenario could not be used. */
async function applyRetries(
  ctx: CommandContext,
  target: ExecutionsTarget,
  resolver: WorkspaceScenarioResolver & { readonly root: string },
  op: (doc: ExecutionsFile) => OperationOutput,
  empty: string,
): Promise<number> {
  let before: ExecutionsFile | undefined;
  const results = await apply(ctx, target, (doc) => {
    before = doc;
    return op(doc);
  });
  const code = printResults(ctx, target, results, empty);
  explainUnusable(ctx, resolver, before, results);
  return code;
}

const RESULT_LABEL: Record<OperationResult['result'], string> = {
  resolved: 'resolved',
  failed: 'failed',
  'not-found': 'not found',
  skipped: 'skipped',
  deleted: 'deleted',
};

function printResults(ctx: CommandContext, target: ExecutionsTarget, results: readonly OperationResult[], empty: string): number {
  if (boolOpt(ctx.values, 'json')) {
    ctx.out(JSON.stringify(results.map((r) => ({ id: r.id, result: r.result, message: r.message })), null, 2) + '\n');
  } else if (results.length === 0) {
    ctx.out(`${empty}\n`);
  } else {
    const idW = Math.max(...results.map((r) => r.id.length));
    const resW = Math.max(...results.map((r) => RESULT_LABEL[r.result].length));
    const lines = results.map((r) => `${r.id.padEnd(idW)}  ${RESULT_LABEL[r.result].padEnd(resW)}  ${oneLine(r.message)}`);
    const counts = new Map<string, number>();
    for (const r of results) counts.set(RESULT_LABEL[r.result], (counts.get(RESULT_LABEL[r.result]) ?? 0) + 1);
    lines.push(`${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')} (${target.shown}).`);
    ctx.out(lines.join('\n') + '\n');
  }
  const missing = results.filter((r) => r.result === 'not-found');
  if (missing.length > 0 && boolOpt(ctx.values, 'json')) {
    ctx.err(`not found in ${target.shown}: ${missing.map((r) => r.id).join(', ')}\n`);
  }
  return missing.length > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

/** Tells why a retry could not find its scenario when the file exists but is unusable. */
function explainUnusable(
  ctx: CommandContext,
  resolver: WorkspaceScenarioResolver & { readonly root: string },
  doc: ExecutionsFile | undefined,
  results: readonly OperationResult[],
): void {
  if (!doc) return;
  const notes = new Set<string>();
  for (const r of results) {
    const x = doc.executions.find((e) => e.id === r.id);
    if (!x) continue;
    const how = resolver.explain(x);
    if (how.kind === 'file-unusable' && how.path) {
      notes.add(`note: ${how.path} cannot be used (a syntax or structural error); run 'fusion-executions lint ${how.path}'.`);
    } else if (how.kind === 'not-found' && r.result === 'failed') {
      notes.add(`note: no scenario file in ${displayPath(resolver.root, ctx.cwd)} is named "${x.scenario}"${x.scenarioFile ? ` or is at ${x.scenarioFile}` : ''} (use --workspace).`);
    }
  }
  for (const n of notes) ctx.err(`${n}\n`);
}

// ---------------------------------------------------------------------------------------------
// list
// ---------------------------------------------------------------------------------------------

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

function shortTime(iso: string | null): string {
  if (!iso) return '-';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')}Z`;
}

export function renderTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

/**
 * Fusion's storage limits as `! …` lines for the scenarios listed: at 80 % of the 10 MB or more,
 * runs waiting under sequential processing, resolved records Fusion has deleted (30 days), and the
 * team's 500 MB. Counts cover the whole file (a filter does not shrink a scenario's storage).
 */
export function limitNotes(
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
      const n = s.notResolved === 1 ? '1 execution is not resolved: new runs wait until it is resolved' : `${s.notResolved} executions are not resolved: new runs wait until they are resolved`;
      notes.push(`! ${s.scenario}: sequential processing is on and ${n}`);
    }
  }
  const shownIds = new Set(shown.map((x) => x.id));
  for (const r of report.resolved) {
    if (r.purged && shownIds.has(r.id)) notes.push(`! ${r.id} (${r.scenario}): resolved ${r.daysSinceResolved} days ago: Fusion has deleted it`);
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
    const exists = executionsFileExists(target);
    if (exists) {
      try {
        all = (await loadExecutions(target.file)).doc.executions;
      } catch (e) {
        storeError(e, target, ctx.cwd);
      }
    }
    const shown = all.filter((x) => (!status || x.status === status) && (scenario === undefined || x.scenario === scenario));
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
        x.status,
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

// ---------------------------------------------------------------------------------------------
// retry / resolve / delete / run-due
// ---------------------------------------------------------------------------------------------

export const retryCommand: Command = {
  name: 'retry',
  summary: 'Replay stored executions against the current scenario files (the fault model decides).',
  usage: 'retry <id…|--all> [--scenario NAME] [--json] [--executions FILE] [--workspace DIR]',
  details: [
    'The scenario is found by the execution\'s scenarioFile (relative to --workspace), else by name',
    'among the workspace\'s scenario files. --all retries every execution that is not resolved',
    '(of one scenario with --scenario).',
    '',
    EXIT_CODES_NOTE,
  ].join('\n'),
  options: {
    all: { type: 'boolean', short: 'a', description: 'Retry every execution that is not resolved.' },
    scenario: { type: 'string', valueName: 'NAME', description: 'With --all: only this scenario.' },
    ...JSON_OPTION,
    ...EXECUTIONS_OPTIONS,
    ...PROFILE_OPTION,
    ...HELP_OPTIONS,
  },
  async run(ctx) {
    const all = boolOpt(ctx.values, 'all');
    const scenario = nonEmptyOpt(ctx, 'scenario');
    if (all && ctx.positionals.length > 0) throw new UsageError('give execution ids or --all, not both', ctx.command);
    if (!all && scenario !== undefined) throw new UsageError("'--scenario' only works with --all", ctx.command);
    const ids = all ? [] : idsFrom(ctx, 'the ids of the executions to retry (or --all)');
    const profile = profileOpt(ctx);
    const target = executionsTarget(ctx);
    const resolver = createFsScenarioResolver(target.workspace);
    const retry = (doc: ExecutionsFile): OperationOutput => {
      const chosen = all
        ? doc.executions.filter((x) => x.status !== 'resolved' && (scenario === undefined || x.scenario === scenario)).map((x) => x.id)
        : ids;
      if (chosen.length === 0) return { doc, results: [] };
      return retryExecutions(doc, chosen, resolver.resolve, profile ? { profile } : {});
    };
    return applyRetries(ctx, target, resolver, retry, all ? `Nothing to retry${scenario !== undefined ? ` for "${scenario}"` : ''}.` : '');
  },
};

export const resolveCommand: Command = {
  name: 'resolve',
  summary: 'Mark executions as resolved (fixed elsewhere), with an optional note.',
  usage: 'resolve <id…> [--note TEXT] [--json] [--executions FILE] [--workspace DIR]',
  details: EXIT_CODES_NOTE,
  options: {
    note: { type: 'string', valueName: 'TEXT', description: 'Why it is resolved (kept in the history).' },
    ...JSON_OPTION,
    ...EXECUTIONS_OPTIONS,
    ...HELP_OPTIONS,
  },
  async run(ctx) {
    const ids = idsFrom(ctx, 'the ids of the executions to resolve');
    const note = stringOpt(ctx.values, 'note');
    const target = executionsTarget(ctx);
    const results = await apply(ctx, target, (doc) => resolveExecutions(doc, ids, note !== undefined && note.trim() !== '' ? note : undefined));
    return printResults(ctx, target, results, '');
  },
};

export const deleteCommand: Command = {
  name: 'delete',
  summary: 'Remove executions from the executions file.',
  usage: 'delete <id…> [--json] [--executions FILE] [--workspace DIR]',
  details: EXIT_CODES_NOTE,
  options: { ...JSON_OPTION, ...EXECUTIONS_OPTIONS, ...HELP_OPTIONS },
  async run(ctx) {
    const ids = idsFrom(ctx, 'the ids of the executions to delete');
    const target = executionsTarget(ctx);
    const results = await apply(ctx, target, (doc) => deleteExecutions(doc, ids));
    return printResults(ctx, target, results, '');
  },
};

/** `--now` as a date: an ISO 8601 date or date-time. */
function nowOpt(ctx: CommandContext): Date {
  const raw = stringOpt(ctx.values, 'now');
  if (raw === undefined) return new Date();
  const t = raw.trim();
  const d = new Date(t);
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(t) || Number.isNaN(d.getTime())) {
    throw new UsageError(`option '--now' must be an ISO 8601 date-time, e.g. 2026-11-20T10:15:00Z (got '${raw}')`, ctx.command);
  }
  return d;
}

export const runDueCommand: Command = {
  name: 'run-due',
  summary: 'Perform every automatic retry that is due (now, or at --now), at most 3 per scenario.',
  usage: 'run-due [--now ISO] [--json] [--executions FILE] [--workspace DIR]',
  details: EXIT_CODES_NOTE,
  options: {
    now: { type: 'string', valueName: 'ISO', description: 'The clock, e.g. 2026-11-20T10:15:00Z (default: the current time).' },
    ...JSON_OPTION,
    ...EXECUTIONS_OPTIONS,
    ...PROFILE_OPTION,
    ...HELP_OPTIONS,
  },
  async run(ctx) {
    noPositionals(ctx);
    const now = nowOpt(ctx);
    const profile = profileOpt(ctx);
    const target = executionsTarget(ctx);
    const resolver = createFsScenarioResolver(target.workspace);
    return applyRetries(ctx, target, resolver, (doc) => runDueRetries(doc, resolver.resolve, now, profile), `No retries due at ${now.toISOString()}.`);
  },
};

// ---------------------------------------------------------------------------------------------
// import
// ---------------------------------------------------------------------------------------------

function importError(e: unknown, cwd: string): never {
  if (isExecutionsFileError(e) || e instanceof MakeImportError) throw new CliError(formatFileError(e, cwd));
  if (e instanceof SyntaxError) throw new CliError(oneLine(e.message));
  throw e;
}

export const importCommand: Command = {
  name: 'import',
  summary: "Import incomplete executions exported from Make's API (GET /dlqs, /dlqs/{id}, ...), merging by id.",
  usage: 'import <file…> [--json] [--executions FILE] [--workspace DIR]',
  details: [
    'Each file is a saved API response: the list ({"dlqs": [...]}), a detail ({"dlq": {...}}) or bundles.',
    'Records already in the executions file (same id) are updated; the file is created when missing.',
    '',
    'Exit codes: 0 imported; 2 usage mistake, an unreadable or malformed input (nothing is written),',
    '            or an invalid executions file (left untouched).',
    '',
    'Example:',
    '  curl -H "Authorization: Token $MAKE_TOKEN" "https://eu1.make.com/api/v2/dlqs?scenarioId=42" > dlqs.json',
    '  fusion-executions import dlqs.json',
  ].join('\n'),
  options: { ...JSON_OPTION, ...EXECUTIONS_OPTIONS, ...HELP_OPTIONS },
  async run(ctx) {
    if (ctx.positionals.length === 0) throw new UsageError('missing argument: the Make API response files to import', ctx.command);
    const target = executionsTarget(ctx);
    const inputs: { file: string; text: string }[] = [];
    const problems: string[] = [];
    for (const f of ctx.positionals) {
      try {
        inputs.push({ file: displayPath(f, ctx.cwd), text: readTextFile(f, ctx.cwd) });
      } catch (e) {
        problems.push(messageOf(e));
      }
    }
    if (problems.length > 0) throw new CliErrors(problems);
    const now = new Date();
    // Validate every input before the executions file is locked or created.
    try {
      importMakeResponses({ version: 1, executions: [] }, inputs, now);
    } catch (e) {
      importError(e, ctx.cwd);
    }
    const summary: ImportSummary = await update(
      ctx,
      target,
      (doc) => {
        const r = importMakeResponses(doc, inputs, now);
        return { doc: r.doc, result: r.summary };
      },
      true,
    );
    if (boolOpt(ctx.values, 'json')) {
      ctx.out(JSON.stringify({ ...summary, executionsFile: target.shown, files: inputs.map((i) => i.file) }, null, 2) + '\n');
    } else {
      ctx.out(
        `Imported ${inputs.length} file${inputs.length === 1 ? '' : 's'} into ${target.shown}: ${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged.\n`,
      );
    }
    return EXIT_OK;
  },
};
