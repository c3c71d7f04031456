/** `import`: merges saved Make API responses into the executions file. */
import { importAction, type ImportResult } from '../../core/executions/actions/import';
import { EXECUTIONS_OPTIONS, HELP_OPTIONS, JSON_OPTION, boolOpt, stringOpt, type Command } from '../args';
import { CliErrors, EXIT_OK, UsageError, messageOf } from '../errors';
import { actionError, displayPath, executionsTarget, readTextFile } from '../files';
import { overrideConnection, workspaceMakeConfig } from '../make';

export const importCommand: Command = {
  name: 'import',
  summary: "Import incomplete executions exported from Make's API (GET /dlqs, /dlqs/{id}, ...), merging by id.",
  usage: 'import <file…> [--json] [--executions FILE] [--workspace DIR]',
  details: [
    'Each file is a saved API response: the list ({"dlqs": [...]}), a detail ({"dlq": {...}}) or bundles.',
    'Records already in the executions file (same id) are updated; the file is created when missing.',
    'A list response does not say its scenario or zone: --scenario-id and --zone / --api-url record them, so',
    'the records can be retried on Make later (make.zone and make.scenarios of .fusionlintrc.json are used',
    'when given). `fusion-executions pull` fetches them from Make directly.',
    '',
    'Exit codes: 0 imported; 2 usage mistake, an unreadable or malformed input (nothing is written),',
    '            or an invalid executions file (left untouched).',
    '',
    'Example:',
    '  curl -H "Authorization: Token $MAKE_TOKEN" "https://eu1.make.com/api/v2/dlqs?scenarioId=42" > dlqs.json',
    '  fusion-executions import dlqs.json',
  ].join('\n'),
  options: {
    'scenario-id': {
      type: 'string',
      valueName: 'ID',
      description: 'The Make scenario the responses belong to (a list response does not say).',
    },
    zone: { type: 'string', valueName: 'HOST', description: 'The Make zone they came from (default: make.zone of .fusionlintrc.json).' },
    'api-url': { type: 'string', valueName: 'URL', description: "The API's base URL they came from (wins over --zone)." },
    ...JSON_OPTION,
    ...EXECUTIONS_OPTIONS,
    ...HELP_OPTIONS,
  },
  async run(ctx) {
    if (ctx.positionals.length === 0) throw new UsageError('missing argument: the Make API response files to import', ctx.command);
    const rawId = stringOpt(ctx.values, 'scenario-id');
    if (rawId !== undefined && !/^\s*\d+\s*$/.test(rawId))
      throw new UsageError(`option '--scenario-id' must be a Make scenario id (got '${rawId}')`, ctx.command);
    const override = overrideConnection(ctx);
    const target = executionsTarget(ctx);
    const config = await workspaceMakeConfig(target.workspace, ctx.cwd);
    const connection = override ?? config.connection;
    const context = {
      ...(rawId !== undefined ? { scenarioId: Number(rawId) } : {}),
      ...(connection ? { connection } : {}),
      ...(config.teamId !== undefined ? { teamId: config.teamId } : {}),
      fileOf: config.fileOf,
    };
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
    let out: ImportResult;
    try {
      out = await importAction({ executionsFile: target.file, inputs, context });
    } catch (e) {
      actionError(e, target, ctx.cwd);
    }
    const { summary } = out;
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
