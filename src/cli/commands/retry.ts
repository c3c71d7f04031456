/**
 * `retry`: records from Make are retried on Make (then pulled again); the others get a simulated
 * retry against the current scenario files (nothing is sent anywhere).
 */
import { retryAction, type RetryResult } from '../../core/executions/actions/retry';
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
import { MAKE_OPTIONS, describeRequests, isMakeSideError, makeError, makeSetup, printRequests } from '../make';
import { explainLookups, printResults } from '../results';

export const retryCommand: Command = {
  name: 'retry',
  summary: 'Retry executions: on Make for records pulled from Make, else a simulated retry (the fault model decides).',
  usage:
    'retry <id…|--all> [--scenario NAME] [--with-local-scenario] [--zone HOST | --api-url URL] [--dry-run] [--json] [--executions FILE] [--workspace DIR]',
  details: [
    'Records from Make (origin "make") are retried on Make: POST /dlqs/{id}/retry (one), POST /dlqs/retry',
    '?scenarioId= with {"ids": [...]} (several) or {"all": true} (--all --scenario NAME), then the scenario is',
    'pulled again and each result says what Make reports now (resolved, failed again, or not finished yet).',
    "With --with-local-scenario each record's stored blueprint is first replaced by the scenario's",
    'blueprint file in the workspace (PATCH /dlqs/{id} with the blueprint and the failing module), so the',
    'retry runs the fixed scenario. The token comes from MAKE_API_TOKEN (or --token-file): dlqs:write.',
    '',
    'Every other record gets a simulated retry, marked "simulated": nothing is sent to Fusion or Make. The',
    "scenario is found by the execution's scenarioFile (relative to --workspace), else by name among the",
    "workspace's scenario files; simulation.faults decides, and where it says nothing the result says",
    'what was assumed. --all retries every execution that waits for a retry (unresolved or pending; of one',
    'scenario with --scenario).',
    '',
    'Exit codes: 0 done; 1 an id was not found, a simulated retry could not run (its scenario or module',
    '            was not found) or a request to Make failed (each listed); 2 usage mistake, no token or zone',
    '            for a record from Make (nothing is changed), the token was refused, or the executions file',
    '            is missing, unreadable, read-only or invalid (it is left untouched).',
  ].join('\n'),
  options: {
    all: { type: 'boolean', short: 'a', description: 'Retry every unresolved or pending execution.' },
    scenario: { type: 'string', valueName: 'NAME', description: 'With --all: only this scenario.' },
    except: { type: 'string', multiple: true, valueName: 'ID', description: 'With --all: leave this execution out (repeatable).' },
    'with-local-scenario': {
      type: 'boolean',
      description: "Records from Make: replace the blueprint Make stored with the workspace's blueprint file first.",
    },
    ...MAKE_OPTIONS,
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
    const exceptRaw = ctx.values.except;
    const except = (Array.isArray(exceptRaw) ? exceptRaw : exceptRaw === undefined ? [] : [exceptRaw])
      .map((v) => String(v).trim())
      .filter((v) => v !== '');
    if (!all && except.length > 0) throw new UsageError("'--except' only works with --all", ctx.command);
    const ids = all ? [] : idsFrom(ctx, 'the ids of the executions to retry (or --all)');
    const profile = profileOpt(ctx);
    const target = executionsTarget(ctx);
    requireExecutionsFile(target);
    const setup = await makeSetup(ctx, target.workspace);
    let out: RetryResult;
    try {
      out = await retryAction({
        executionsFile: target.file,
        scenarioFiles: { kind: 'disk', root: target.workspace },
        select: all ? { all: true, ...(scenario !== undefined ? { scenario } : {}) } : { ids },
        ...(profile ? { profile } : {}),
        make: setup.access,
        ...(boolOpt(ctx.values, 'with-local-scenario') ? { withLocalScenario: true } : {}),
        ...(except.length > 0 ? { exceptIds: except } : {}),
      });
    } catch (e) {
      if (isMakeSideError(e)) makeError(e);
      actionError(e, target, ctx.cwd);
    }
    if (setup.dryRun) {
      if (boolOpt(ctx.values, 'json')) {
        ctx.out(
          JSON.stringify(
            { dryRun: true, requests: describeRequests(setup.captured, setup.token !== undefined), results: out.results },
            null,
            2,
          ) + '\n',
        );
      } else {
        printRequests(ctx, setup.captured, setup.token !== undefined);
        for (const r of out.results) ctx.out(`${r.id}  ${r.message}\n`);
      }
      return out.results.some((r) => r.result === 'error' || r.result === 'not-found' || r.notRun !== undefined) ? 1 : 0;
    }
    const code = printResults(
      ctx,
      target,
      out.results,
      all ? `Nothing to retry${scenario !== undefined ? ` for "${scenario}"` : ''}.` : '',
    );
    explainLookups(ctx, target, out.results, out.lookups);
    for (const pull of out.pulls) for (const p of pull.problems) ctx.err(`! ${p.message}\n`);
    return code;
  },
};
