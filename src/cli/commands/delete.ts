/** `delete`: removes executions from the executions file; records from Make are deleted on Make first. */
import { deleteAction, type DeleteResult } from '../../core/executions/actions/delete';
import { listAction } from '../../core/executions/actions/list';
import { EXECUTIONS_OPTIONS, HELP_OPTIONS, JSON_OPTION, boolOpt, idsFrom, nonEmptyOpt, type Command } from '../args';
import { UsageError } from '../errors';
import { actionError, executionsTarget, requireExecutionsFile } from '../files';
import { MAKE_OPTIONS, describeRequests, isMakeSideError, makeError, makeSetup, printRequests } from '../make';
import { printResults } from '../results';

export const deleteCommand: Command = {
  name: 'delete',
  summary: 'Remove executions from the executions file; records from Make are deleted on Make first.',
  usage:
    'delete <id…> | --all --scenario NAME --yes [--except ID…] [--zone HOST | --api-url URL] [--dry-run] [--json] [--executions FILE] [--workspace DIR]',
  details: [
    'Records from Make (origin "make") are deleted on Make: DELETE /dlqs?scenarioId= with {"ids": [...]};',
    'with --all --scenario NAME --yes, {"all": true} and confirmed=true: every incomplete execution of that',
    'scenario on Make, pulled or not. They leave the file once Make accepted; the scenario is then pulled',
    'again. Records Make no longer has, and every record not from Make, are only removed from the file.',
    'The token comes from MAKE_API_TOKEN (or --token-file): dlqs:write.',
    '',
    'Exit codes: 0 done; 1 an id was not found or a request to Make failed (each listed); 2 usage mistake,',
    '            no token or zone for a record from Make (nothing is changed), the token was refused, or the',
    '            executions file is missing, unreadable, read-only or invalid (it is left untouched).',
  ].join('\n'),
  options: {
    all: { type: 'boolean', short: 'a', description: 'Every execution of --scenario (on Make: all of that scenario). Needs --yes.' },
    scenario: { type: 'string', valueName: 'NAME', description: 'With --all: the scenario.' },
    except: { type: 'string', multiple: true, valueName: 'ID', description: 'With --all: keep this execution (repeatable).' },
    yes: { type: 'boolean', short: 'y', description: 'With --all: confirm deleting them all.' },
    ...MAKE_OPTIONS,
    ...JSON_OPTION,
    ...EXECUTIONS_OPTIONS,
    ...HELP_OPTIONS,
  },
  async run(ctx) {
    const all = boolOpt(ctx.values, 'all');
    const scenario = nonEmptyOpt(ctx, 'scenario');
    const exceptRaw = ctx.values.except;
    const except = (Array.isArray(exceptRaw) ? exceptRaw : exceptRaw === undefined ? [] : [exceptRaw])
      .map((v) => String(v).trim())
      .filter((v) => v !== '');
    if (all && ctx.positionals.length > 0) throw new UsageError('give execution ids or --all, not both', ctx.command);
    if (!all && (scenario !== undefined || except.length > 0))
      throw new UsageError("'--scenario' and '--except' only work with --all", ctx.command);
    if (all && scenario === undefined)
      throw new UsageError("'--all' needs '--scenario NAME' (the scenario whose executions to delete)", ctx.command);
    if (all && !boolOpt(ctx.values, 'yes') && !boolOpt(ctx.values, 'dry-run')) {
      throw new UsageError(`deleting every execution of "${scenario}" (on Make too, for records from Make) needs --yes`, ctx.command);
    }
    const target = executionsTarget(ctx);
    requireExecutionsFile(target);
    const setup = await makeSetup(ctx, target.workspace);
    let out: DeleteResult;
    try {
      const ids = all
        ? (await listAction({ executionsFile: target.file, ...(scenario !== undefined ? { scenario } : {}) })).shown
            .map((r) => r.id)
            .filter((id) => !except.includes(id))
        : idsFrom(ctx, 'the ids of the executions to delete');
      out = await deleteAction({
        executionsFile: target.file,
        ids,
        make: setup.access,
        ...(all ? { all: { exceptIds: except, confirmed: boolOpt(ctx.values, 'yes') } } : {}),
        scenarioFiles: { kind: 'disk', root: target.workspace },
      });
    } catch (e) {
      if (isMakeSideError(e)) makeError(e);
      actionError(e, target, ctx.cwd);
    }
    if (setup.dryRun) {
      if (boolOpt(ctx.values, 'json'))
        ctx.out(
          JSON.stringify(
            { dryRun: true, requests: describeRequests(setup.captured, setup.token !== undefined), results: out.results },
            null,
            2,
          ) + '\n',
        );
      else {
        printRequests(ctx, setup.captured, setup.token !== undefined);
        for (const r of out.results) ctx.out(`${r.id}  ${r.message}\n`);
      }
      return out.results.some((r) => r.result === 'error' || r.result === 'not-found') ? 1 : 0;
    }
    const code = printResults(ctx, target, out.results, all ? `Nothing to delete for "${scenario}".` : '');
    for (const pull of out.pulls) for (const p of pull.problems) ctx.err(`! ${p.message}\n`);
    return code;
  },
};
