/** How the commands that change records print what an action did to each record. */
import type { RecordResult, ScenarioLookup } from '../core/executions/actions/result';
import { boolOpt, type CommandContext } from './args';
import { EXIT_OK, EXIT_PROBLEMS } from './errors';
import { displayPath, oneLine, type ExecutionsTarget } from './files';

/** The exit-code paragraph of the help of retry, resolve, delete and run-due. */
export const EXIT_CODES_NOTE = [
  'Exit codes: 0 done; 1 one or more ids were not found, or could not be retried (scenario or module',
  '            not found); 2 usage mistake, or the executions file is missing, unreadable, read-only',
  '            or invalid (it is left untouched).',
].join('\n');

/** Rows per write of the results table. */
const PRINT_BATCH = 1000;

const RESULT_LABEL: Record<RecordResult['result'], string> = {
  resolved: 'resolved',
  failed: 'failed',
  'not-found': 'not found',
  skipped: 'skipped',
  deleted: 'deleted',
  sent: 'sent',
  gone: 'gone from Make',
  error: 'error',
};

/** The result column: the outcome, and where it happened when that is not obvious. */
function labelOf(r: RecordResult): string {
  const base = RESULT_LABEL[r.result];
  if (r.simulated) return `${base} (simulated)`;
  if (r.where === 'make' && (r.result === 'resolved' || r.result === 'failed' || r.result === 'deleted')) return `${base} on Make`;
  return base;
}

/**
 * A table of `id  result  message` and a count line (or, with --json, an array of
 * `{id, result, message}`); `empty` is printed when there is no result. Exit 1 when an id was not
 * found or a retry could not run at all (its scenario or module was not found: nothing was
 * replayed), else 0.
 */
export function printResults(ctx: CommandContext, target: ExecutionsTarget, results: readonly RecordResult[], empty: string): number {
  if (boolOpt(ctx.values, 'json')) {
    ctx.out(
      JSON.stringify(
        results.map((r) => ({
          id: r.id,
          result: r.result,
          message: r.message,
          ...(r.simulated !== undefined ? { simulated: r.simulated } : {}),
          ...(r.assumed !== undefined ? { assumed: r.assumed } : {}),
          ...(r.where !== undefined ? { where: r.where } : {}),
        })),
        null,
        2,
      ) + '\n',
    );
  } else if (results.length === 0) {
    ctx.out(`${empty}\n`);
  } else {
    const idW = Math.max(...results.map((r) => r.id.length));
    const resW = Math.max(...results.map((r) => labelOf(r).length));
    const counts = new Map<string, number>();
    // Printed a thousand rows at a time: a retry --all of 50,000 records is a 15 MB table, which
    // is never built as one string (and copied again by the terminal escaping).
    for (let i = 0; i < results.length; i += PRINT_BATCH) {
      let chunk = '';
      for (const r of results.slice(i, i + PRINT_BATCH)) {
        const label = labelOf(r);
        counts.set(label, (counts.get(label) ?? 0) + 1);
        chunk += `${r.id.padEnd(idW)}  ${label.padEnd(resW)}  ${oneLine(r.message)}\n`;
      }
      ctx.out(chunk);
    }
    ctx.out(`${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')} (${target.shown}).\n`);
  }
  const missing = results.filter((r) => r.result === 'not-found');
  if (missing.length > 0 && boolOpt(ctx.values, 'json')) {
    ctx.err(`not found in ${target.shown}: ${missing.map((r) => r.id).join(', ')}\n`);
  }
  const errors = results.filter((r) => r.result === 'error');
  if (errors.length > 0 && boolOpt(ctx.values, 'json')) ctx.err(`could not be done: ${errors.map((r) => r.id).join(', ')}\n`);
  // A retry that could not run at all (its scenario or module was not found) did nothing: exit 1.
  return missing.length > 0 || errors.length > 0 || results.some((r) => r.notRun !== undefined) ? EXIT_PROBLEMS : EXIT_OK;
}

/** Tells, on stderr, why a replay could not use a scenario: its file has an error, or none was found. */
export function explainLookups(
  ctx: CommandContext,
  target: ExecutionsTarget,
  results: readonly RecordResult[],
  lookups: readonly ScenarioLookup[],
): void {
  const resultOf = new Map(results.map((r) => [r.id, r.result]));
  const notes = new Set<string>();
  for (const l of lookups) {
    if (l.kind === 'file-unusable' && l.path) {
      notes.add(`note: ${l.path} cannot be used (a syntax or structural error); run 'fusion-executions lint ${l.path}'.`);
    } else if (l.kind === 'not-found' && resultOf.get(l.id) === 'failed') {
      notes.add(
        `note: no scenario file in ${displayPath(target.workspace, ctx.cwd)} is named "${l.scenario}"${l.scenarioFile ? ` or is at ${l.scenarioFile}` : ''} (use --workspace).`,
      );
    }
  }
  for (const n of notes) ctx.err(`${n}\n`);
}
