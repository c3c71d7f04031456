/** `run-due`: performs the automatic retries that are due. */
import type { ReplayResult } from '../../core/executions/actions/result';
import { runDueAction } from '../../core/executions/actions/runDue';
import {
  EXECUTIONS_OPTIONS,
  HELP_OPTIONS,
  JSON_OPTION,
  PROFILE_OPTION,
  noPositionals,
  profileOpt,
  stringOpt,
  type Command,
  type CommandContext,
} from '../args';
import { UsageError } from '../errors';
import { actionError, executionsTarget, requireExecutionsFile } from '../files';
import { EXIT_CODES_NOTE, explainLookups, printResults } from '../results';

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
    requireExecutionsFile(target);
    let out: ReplayResult;
    try {
      out = await runDueAction({
        executionsFile: target.file,
        scenarioFiles: { kind: 'disk', root: target.workspace },
        now,
        ...(profile ? { profile } : {}),
      });
    } catch (e) {
      actionError(e, target, ctx.cwd);
    }
    const code = printResults(ctx, target, out.results, `No retries due at ${now.toISOString()}.`);
    explainLookups(ctx, target, out.results, out.lookups);
    return code;
  },
};
