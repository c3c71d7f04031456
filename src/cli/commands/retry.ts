/** `retry`: replays executions against the current scenario files. */
import { retryAction } from '../../core/executions/actions/retry';
import type { ReplayResult } from '../../core/executions/actions/result';
import {
  EXECUTIONS_OPTIONS,
  HELP_OPTIONS,
  JSON_OPTION,
  PROFILE_OPTION,
  boolOpt,
  idsFrom,
  nonEmptyOpt,
  profileOpt,
  type Command,
} from '../args';
import { UsageError } from '../errors';
import { actionError, executionsTarget, requireExecutionsFile } from '../files';
import { EXIT_CODES_NOTE, explainLookups, printResults } from '../results';

export const retryCommand: Command = {
  name: 'retry',
  summary: 'Replay stored executions against the current scenario files (the fault model decides).',
  usage: 'retry <id…|--all> [--scenario NAME] [--json] [--executions FILE] [--workspace DIR]',
  details: [
    "The scenario is found by the execution's scenarioFile (relative to --workspace), else by name",
    "among the workspace's scenario files. --all retries every execution that is not resolved",
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
    requireExecutionsFile(target);
    let out: ReplayResult;
    try {
      out = await retryAction({
        executionsFile: target.file,
        scenarioFiles: { kind: 'disk', root: target.workspace },
        select: all ? { all: true, ...(scenario !== undefined ? { scenario } : {}) } : { ids },
        ...(profile ? { profile } : {}),
      });
    } catch (e) {
      actionError(e, target, ctx.cwd);
    }
    const code = printResults(
      ctx,
      target,
      out.results,
      all ? `Nothing to retry${scenario !== undefined ? ` for "${scenario}"` : ''}.` : '',
    );
    explainLookups(ctx, target, out.results, out.lookups);
    return code;
  },
};
