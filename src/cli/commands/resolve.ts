/** `resolve`: marks executions resolved, with an optional note. */
import { resolveAction } from '../../core/executions/actions/resolve';
import type { RecordsResult } from '../../core/executions/actions/result';
import { EXECUTIONS_OPTIONS, HELP_OPTIONS, JSON_OPTION, idsFrom, stringOpt, type Command } from '../args';
import { actionError, executionsTarget, requireExecutionsFile } from '../files';
import { EXIT_CODES_NOTE, printResults } from '../results';

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
    requireExecutionsFile(target);
    let out: RecordsResult;
    try {
      out = await resolveAction({ executionsFile: target.file, ids, ...(note !== undefined ? { note } : {}) });
    } catch (e) {
      actionError(e, target, ctx.cwd);
    }
    return printResults(ctx, target, out.results, '');
  },
};
