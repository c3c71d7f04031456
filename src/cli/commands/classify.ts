import { classify } from '../../core/classify/classifier';
import { findModule, walkModules } from '../../core/model';
import type { Classification } from '../../core/model';
import {
  HELP_OPTIONS,
  JSON_OPTION,
  PROFILE_OPTION,
  boolOpt,
  onePositional,
  profileOpt,
  requiredOpt,
  type Command,
  type CommandContext,
} from '../args';
import { CliError, EXIT_OK, UsageError } from '../errors';
import { loadUsableScenario } from '../files';

/** `--module` as a positive integer. */
export function moduleIdOpt(ctx: CommandContext): number {
  const raw = requiredOpt(ctx, 'module', 'the id of the failing module');
  const t = raw.trim();
  if (!/^\d+$/.test(t) || Number(t) < 1 || !Number.isSafeInteger(Number(t))) {
    throw new UsageError(`option '--module' must be a module id, a positive whole number (got '${raw}')`, ctx.command);
  }
  return Number(t);
}

/** A classification without the source-span details of its handler route. */
export function classificationJson(c: Classification): Record<string, unknown> {
  return {
    moduleId: c.moduleId,
    errorType: c.errorType,
    outcome: c.outcome,
    storesIncompleteExecution: c.storesIncompleteExecution,
    autoRetry: c.autoRetry,
    handler: c.handler,
    reason: c.reason,
  };
}

function yesNo(b: boolean): string {
  return b ? 'yes' : 'no';
}

export const classifyCommand: Command = {
  name: 'classify',
  summary: 'Say what happens to a run when one module fails with one error type.',
  usage: 'classify <scenario> --module <id> --error <Type> [--profile fusion|make] [--json]',
  details: [
    'Exit codes: 0 classified; 2 usage mistake, unreadable file, unknown module id, or a scenario',
    '            with a structural error (syntax, invalid structure, duplicate id, ...).',
    '',
    'Example:',
    '  fusion-executions classify invoices.scenario.yaml --module 2 --error ConnectionError --json',
  ].join('\n'),
  options: {
    module: { type: 'string', short: 'm', valueName: 'ID', description: 'Id of the failing module (required).' },
    error: { type: 'string', short: 'e', valueName: 'TYPE', description: 'Error type name, e.g. ConnectionError (required).' },
    ...PROFILE_OPTION,
    ...JSON_OPTION,
    ...HELP_OPTIONS,
  },
  async run(ctx) {
    const file = onePositional(ctx, 'the scenario file');
    const moduleId = moduleIdOpt(ctx);
    const errorType = requiredOpt(ctx, 'error', 'the error type, e.g. ConnectionError').trim();
    const profile = profileOpt(ctx);
    const { scenario, shown } = loadUsableScenario(file, ctx.cwd, profile);
    const mod = findModule(scenario, moduleId);
    if (!mod) {
      const ids = [...walkModules(scenario.modules)].map((m) => m.id);
      const list = ids.length > 12 ? `${ids.slice(0, 12).join(', ')}, …` : ids.join(', ');
      throw new CliError(`${shown}: no module with id ${moduleId} (the scenario has ${ids.length === 1 ? 'module' : 'modules'} ${list})`);
    }
    const c = classify(scenario, moduleId, errorType, profile);
    if (boolOpt(ctx.values, 'json')) {
      ctx.out(JSON.stringify(classificationJson(c), null, 2) + '\n');
    } else {
      const label = [mod.name ? `"${mod.name}"` : undefined, `(${mod.app})`].filter(Boolean).join(' ');
      ctx.out(
        [
          `${shown}: module ${moduleId} ${label} fails with ${c.errorType}`,
          `  outcome:                  ${c.outcome}`,
          `  stores incomplete exec.:  ${yesNo(c.storesIncompleteExecution)}`,
          `  automatic retry:          ${yesNo(c.autoRetry)}`,
          `  handler:                  ${c.handler ?? 'none'}`,
          `  profile:                  ${c.profile}`,
          `  reason:                   ${c.reason}`,
        ].join('\n') + '\n',
      );
    }
    return EXIT_OK;
  },
};
