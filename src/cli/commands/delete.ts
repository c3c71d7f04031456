/** `delete`: removes executions from the executions file. */
import { deleteAction } from '../../core/executions/actions/delete';
import type { RecordsResult } from '../../core/executions/actions/result';
import { EXECUTIONS_OPTIONS, HELP_OPTIONS, JSON_OPTION, idsFrom, type Command } from '../args';
import { actionError, executionsTarget, requireExecutionsFile } from '../files';
import { EXIT_CODES_NOTE, printResults } from '../results';

export const deleteCommand: Command = {
  name: 'delete',
  summary: 'Remove executions from the executions file.',
  usage: 'delete <id…> [--json] [--executions FILE] [--workspace DIR]',
  details: EXIT_CODES_NOTE,
  options: { ...JSON_OPTION, ...EXECUTIONS_OPTIONS, ...HELP_OPTIONS },
  async run(ctx) {
    const ids = idsFrom(ctx, 'the ids of the executions to delete');
    const target = executionsTarget(ctx);
    requireExecutionsFile(target);
    let out: RecordsResult;
    try {
      out = await deleteAction({ executionsFile: target.file, ids });
    } catch (e) {
      actionError(e, target, ctx.cwd);
    }
    return printResults(ctx, target, out.results, '');
  },
};
