/** `pull`: brings the incomplete executions Make stores into the executions file. */
import { planPull, pullAction, type PullResult, type PullScope, type ScenarioPull } from '../../core/make/pull';
import { EXECUTIONS_OPTIONS, HELP_OPTIONS, JSON_OPTION, boolOpt, noPositionals, type Command, type CommandContext } from '../args';
import { CliError, EXIT_OK, EXIT_PROBLEMS, UsageError } from '../errors';
import { actionError, executionsTarget } from '../files';
import { CONNECT_HINT, MAKE_OPTIONS, describeRequests, isMakeSideError, makeError, makeSetup, printRequests } from '../make';

function ids(ctx: CommandContext, name: string, what: string): number[] {
  const raw = ctx.values[name];
  const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flatMap((v) => String(v).split(','));
  return list.map((v) => {
    const t = v.trim();
    if (!/^\d+$/.test(t) || Number(t) <= 0)
      throw new UsageError(`option '--${name}' must be ${what} (a positive integer; got '${v}')`, ctx.command);
    return Number(t);
  });
}

function scenarioLine(s: ScenarioPull): string {
  const name = s.name ? `${s.name} (${s.scenarioId})` : `scenario ${s.scenarioId}`;
  const state = s.state?.isinvalid
    ? ', invalid on Make'
    : s.state?.isPaused
      ? ', paused on Make'
      : s.state?.isActive === false
        ? ', inactive on Make'
        : '';
  const parts = [`${s.added.length} added`, `${s.updated.length} updated`, `${s.unchanged.length} unchanged`];
  if (s.gone.length > 0) parts.push(`${s.gone.length} no longer on Make`);
  if (s.vanished.length > 0) parts.push(`${s.vanished.length} gone before they were read`);
  return `  ${name}${state}: ${s.listed} listed — ${parts.join(', ')}${s.complete ? '' : ' (incomplete)'}`;
}

export const pullCommand: Command = {
  name: 'pull',
  summary: 'Pull the incomplete executions Make stores for your scenarios into the executions file.',
  usage: 'pull [--scenario ID…] [--team ID] [--zone HOST | --api-url URL] [--dry-run] [--json] [--executions FILE] [--workspace DIR]',
  details: [
    'Which scenarios: --scenario ID (repeatable, or comma-separated), else --team ID (every scenario of the',
    'team with incomplete executions), else make.scenarios of .fusionlintrc.json, else its make.teamId.',
    'The token comes from MAKE_API_TOKEN (or --token-file); it needs the scopes dlqs:read and scenarios:read.',
    '',
    'Requests: GET /scenarios/{id} (or GET /scenarios?teamId=), GET /dlqs?scenarioId= page by page, and for',
    'each new or changed record GET /dlqs/{id} (new ones) and GET /dlqs/{id}/bundle. Records merge by id;',
    'a record Make no longer has is kept and marked "no longer on Make". Nothing is resolved locally.',
    '',
    'Exit codes: 0 pulled; 1 some requests failed (each listed; what was fetched is kept); 2 usage mistake,',
    '            no token, the token was refused (401), Make cannot be reached, or an invalid executions file.',
    '',
    'Example:',
    '  MAKE_API_TOKEN=... fusion-executions pull --zone eu1.make.com --scenario 4321',
  ].join('\n'),
  options: {
    scenario: { type: 'string', multiple: true, valueName: 'ID', description: 'Make scenario id (repeatable).' },
    team: { type: 'string', valueName: 'ID', description: 'Make team id: every scenario of it with incomplete executions.' },
    ...MAKE_OPTIONS,
    ...JSON_OPTION,
    ...EXECUTIONS_OPTIONS,
    ...HELP_OPTIONS,
  },
  async run(ctx) {
    noPositionals(ctx);
    const scenarioIds = ids(ctx, 'scenario', 'a Make scenario id');
    const teams = ids(ctx, 'team', 'a Make team id');
    if (teams.length > 1) throw new UsageError("give '--team' once", ctx.command);
    const target = executionsTarget(ctx);
    const setup = await makeSetup(ctx, target.workspace, true);
    const { config } = setup;
    const teamId = teams[0] ?? config.teamId;
    let scope: PullScope;
    if (scenarioIds.length > 0) scope = { kind: 'scenarios', ids: scenarioIds };
    else if (teams.length > 0) scope = { kind: 'team', teamId: teams[0] };
    else if (config.fileOf.size > 0) scope = { kind: 'scenarios', ids: [...config.fileOf.keys()] };
    else if (config.teamId !== undefined) scope = { kind: 'team', teamId: config.teamId };
    else {
      throw new UsageError(
        'which scenarios? pass --scenario ID or --team ID, or map scenario files to Make scenario ids in .fusionlintrc.json ({"make": {"scenarios": {"scenarios/x.blueprint.json": 4321}}})',
        ctx.command,
      );
    }
    const connection = setup.override ?? config.connection;
    if (!connection)
      throw new UsageError(
        'which Make zone? pass --zone HOST (e.g. eu1.make.com) or --api-url URL, or set make.zone in .fusionlintrc.json',
        ctx.command,
      );
    const clientFor = setup.access.clientFor;
    if (!clientFor) throw new CliError(`pull needs a token: ${CONNECT_HINT}.`);
    const client = clientFor(connection);

    if (setup.dryRun) {
      await planPull(client, scope);
      const note =
        'Then, for each new or changed record: GET /dlqs/{id} (new ones) and GET /dlqs/{id}/bundle; further pages of GET /dlqs while a page is full.';
      if (boolOpt(ctx.values, 'json'))
        ctx.out(
          JSON.stringify({ dryRun: true, requests: describeRequests(setup.captured, setup.token !== undefined), note }, null, 2) + '\n',
        );
      else printRequests(ctx, setup.captured, setup.token !== undefined, note);
      return EXIT_OK;
    }

    let out: PullResult;
    try {
      out = await pullAction({
        executionsFile: target.file,
        client,
        scope,
        ...(teamId !== undefined ? { teamId } : {}),
        fileOf: config.fileOf,
        scenarioFiles: { kind: 'disk', root: target.workspace },
      });
    } catch (e) {
      if (isMakeSideError(e)) makeError(e);
      actionError(e, target, ctx.cwd);
    }
    const where = connection.kind === 'zone' ? connection.host : connection.baseUrl;
    if (boolOpt(ctx.values, 'json')) {
      ctx.out(
        JSON.stringify(
          {
            executionsFile: target.shown,
            api: connection.baseUrl,
            scenarios: out.scenarios,
            problems: out.problems,
            ...(out.fatal ? { error: { kind: out.fatal.kind, message: out.fatal.message } } : {}),
            written: out.written,
            requests: out.stats.requests,
            rateLimited: out.stats.rateLimited,
            ms: out.ms,
          },
          null,
          2,
        ) + '\n',
      );
    } else {
      const lines = [`Pulled from Make (${where}) into ${target.shown}:`];
      for (const s of out.scenarios) lines.push(scenarioLine(s));
      if (out.scenarios.length === 0) lines.push('  no scenario with incomplete executions');
      const limited = out.stats.rateLimited > 0 ? `, ${out.stats.rateLimited} answered 429 (waited as Make asked)` : '';
      lines.push(`${out.stats.requests} request${out.stats.requests === 1 ? '' : 's'} in ${(out.ms / 1000).toFixed(1)} s${limited}.`);
      ctx.out(lines.join('\n') + '\n');
    }
    for (const p of out.problems) ctx.err(`! ${p.message}\n`);
    if (out.fatal) {
      ctx.err(`${out.fatal.kind === 'auth' ? out.fatal.message : `cannot reach Make: ${out.fatal.message}`}\n`);
      if (out.scenarios.length > 0) ctx.err(`What was fetched before it is kept in ${target.shown}.\n`);
      return 2;
    }
    return out.problems.length > 0 ? EXIT_PROBLEMS : EXIT_OK;
  },
};
