import { classify } from '../../core/classify/classifier';
import { unknownWords } from '../../core/classify/outcomes';
import { findModule, isUnsetTrigger, walkModules } from '../../core/model';
import type { Classification } from '../../core/model';
import {
  HELP_OPTIONS,
  JSON_OPTION,
  PROFILE_OPTION,
  boolOpt,
  onePositional,
  profileOpt,
  requiredOpt,
  stringOpt,
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

/**
 * A classification without the source-span details of its handler route. When the outcome
 * depends on something not given, `outcome` is `depends`, the other top-level fields are the worst
 * case's, and `cases` lists each possibility.
 */
export function classificationJson(c: Classification): Record<string, unknown> {
  return {
    moduleId: c.moduleId,
    errorType: c.errorType,
    ...(c.message !== undefined ? { message: c.message } : {}),
    outcome: c.outcome,
    storesIncompleteExecution: c.storesIncompleteExecution,
    autoRetry: c.autoRetry,
    handler: c.handler,
    reason: c.reason,
    ...(c.unknownDirective !== undefined ? { unknownDirective: c.unknownDirective } : {}),
    ...(c.cases
      ? {
          dependsOn: c.dependsOn,
          worst: c.worst,
          cases: c.cases.map((k) => ({
            when: k.when,
            outcome: k.outcome,
            storesIncompleteExecution: k.storesIncompleteExecution,
            autoRetry: k.autoRetry,
            handler: k.handler,
          })),
        }
      : {}),
  };
}

function yesNo(b: boolean): string {
  return b ? 'yes' : 'no';
}

export const classifyCommand: Command = {
  name: 'classify',
  summary: 'Say what happens to a run when one module fails with one error type.',
  usage: 'classify <scenario> --module <id> --error <Type> [--message TEXT] [--profile fusion|make] [--json]',
  details: [
    'When what happens turns on something not given (an error-handler route filtered on the error',
    'message, a router or if-else in it, a Break setting decided at run time), the outcome is',
    '"depends": the JSON lists "cases" ({when, outcome, storesIncompleteExecution, autoRetry,',
    'handler}) and the top-level fields describe the worst case (failed, then stopped, then stored',
    'without retry, then stored with retry, then succeeded). --message decides message filters.',
    'An error-handler route ending with a directive Fusion does not know gives outcome "unknown"',
    '(with "unknownDirective": the directive as written); such a file also has an unknown-directive',
    'error, so this command refuses it (exit 2) until the directive is fixed.',
    '',
    'Exit codes: 0 classified; 2 usage mistake, unreadable file, unknown module id, or a scenario',
    '            with a structural error (syntax, invalid structure, duplicate id, ...).',
    '',
    'Example:',
    '  fusion-executions classify invoices.scenario.yaml --module 2 --error ConnectionError --json',
  ].join('\n'),
  options: {
    module: { type: 'string', short: 'm', valueName: 'ID', description: 'Id of the failing module (required).' },
    error: { type: 'string', short: 'e', valueName: 'TYPE', description: 'Error type name, e.g. ConnectionError (required).' },
    message: { type: 'string', valueName: 'TEXT', description: 'The error message (decides filters on the message).' },
    ...PROFILE_OPTION,
    ...JSON_OPTION,
    ...HELP_OPTIONS,
  },
  async run(ctx) {
    const file = onePositional(ctx, 'the scenario file');
    const moduleId = moduleIdOpt(ctx);
    const errorType = requiredOpt(ctx, 'error', 'the error type, e.g. ConnectionError').trim();
    const profile = profileOpt(ctx);
    const message = stringOpt(ctx.values, 'message');
    const { scenario, shown } = loadUsableScenario(file, ctx.cwd, profile);
    const mod = findModule(scenario, moduleId);
    if (!mod) {
      const ids = [...walkModules(scenario.modules)].filter((m) => !isUnsetTrigger(m)).map((m) => m.id);
      const list = ids.length > 12 ? `${ids.slice(0, 12).join(', ')}, …` : ids.join(', ');
      throw new CliError(`${shown}: no module with id ${moduleId} (the scenario has ${ids.length === 1 ? 'module' : 'modules'} ${list})`);
    }
    const c = classify(scenario, moduleId, errorType, profile, message);
    if (boolOpt(ctx.values, 'json')) {
      ctx.out(JSON.stringify(classificationJson(c), null, 2) + '\n');
    } else {
      const label = [mod.name ? `"${mod.name}"` : undefined, `(${mod.app})`].filter(Boolean).join(' ');
      ctx.out(
        [
          `${shown}: module ${moduleId} ${label} fails with ${c.errorType}`,
          `  outcome:                  ${c.outcome}${c.outcome === 'unknown' ? ` (${unknownWords(c.unknownDirective)})` : ''}`,
          `  stores incomplete exec.:  ${yesNo(c.storesIncompleteExecution)}`,
          `  automatic retry:          ${yesNo(c.autoRetry)}`,
          `  handler:                  ${c.handler ?? 'none'}`,
          `  profile:                  ${c.profile}`,
          `  reason:                   ${c.reason}`,
          ...(c.cases
            ? [
                `  depends on:               ${c.dependsOn === 'message' ? 'the error message (give it with --message)' : "the run's data (decided at run time)"}; the fields above are the worst case`,
                ...c.cases.map(
                  (k) =>
                    `  - when ${k.when}: ${k.outcome}${k.handler ? ` (${k.handler})` : ''}, stores: ${yesNo(k.storesIncompleteExecution)}, retry: ${yesNo(k.autoRetry)}`,
                ),
              ]
            : []),
        ].join('\n') + '\n',
      );
    }
    return EXIT_OK;
  },
};
