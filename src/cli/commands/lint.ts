import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintScenario } from '../../core/lint/lint';
import type { Finding, Severity } from '../../core/model';
import { DEFAULT_SCENARIO_GLOBS, findScenarioFilesSync } from '../../core/scenario/workspace';
import { HELP_OPTIONS, PROFILE_OPTION, choiceOpt, profileOpt, stringOpt, type Command, type CommandContext } from '../args';
import { CliErrors, EXIT_OK, EXIT_PROBLEMS, UsageError } from '../errors';
import { describeFsError, displayPath, oneLine, readTextFile } from '../files';

/** One finding as printed by `lint --format json` (1-based positions). */
export interface JsonFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly moduleId?: number;
}

function toJson(file: string, f: Finding): JsonFinding {
  return {
    file,
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    severity: f.severity,
    code: f.code,
    message: f.message,
    ...(f.moduleId !== undefined ? { moduleId: f.moduleId } : {}),
  };
}

const SEVERITY_LABEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'info', hint: 'hint' };

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

interface Target {
  readonly abs: string;
  readonly shown: string;
}

/** Expands the arguments into files; every unusable argument is reported, then the run stops. */
function collectTargets(ctx: CommandContext): Target[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const targets: Target[] = [];
  const add = (abs: string): void => {
    if (seen.has(abs)) return;
    seen.add(abs);
    targets.push({ abs, shown: displayPath(abs, ctx.cwd) });
  };
  for (const arg of ctx.positionals) {
    if (arg.trim() === '') {
      problems.push(`'': an empty path`);
      continue;
    }
    const abs = path.resolve(ctx.cwd, arg);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (e) {
      problems.push(`${displayPath(abs, ctx.cwd)}: ${describeFsError(e)}`);
      continue;
    }
    if (stat.isDirectory()) {
      const found = findScenarioFilesSync(abs);
      if (found.length === 0) {
        problems.push(
          `${displayPath(abs, ctx.cwd)}: no scenario files found in this directory (looked for ${DEFAULT_SCENARIO_GLOBS.join(', ')})`,
        );
      }
      for (const rel of found) add(path.join(abs, ...rel.split('/')));
    } else {
      add(abs);
    }
  }
  return problems.length > 0 ? fail(problems) : targets;
}

function fail(problems: string[]): never {
  throw new CliErrors(problems);
}

export const lintCommand: Command = {
  name: 'lint',
  summary: 'Check scenario files (YAML or blueprint JSON) for missing error handlers and mistakes.',
  usage: 'lint <files|dirs…> [--format text|json] [--max-warnings N] [--profile fusion|make]',
  details: [
    'Directories are searched for **/*.scenario.yaml, **/*.scenario.yml and **/*.blueprint.json',
    '(node_modules and .git are skipped). Files given by name are linted whatever their name.',
    '',
    'Exit codes: 0 no errors (and at most N warnings); 1 errors, or more than N warnings;',
    '            2 usage mistake or a file that cannot be read (missing, binary, not UTF-8).',
    '',
    'Examples:',
    '  fusion-executions lint scenarios/',
    '  fusion-executions lint invoices.scenario.yaml --format json --max-warnings 0',
  ].join('\n'),
  options: {
    format: { type: 'string', short: 'f', valueName: 'text|json', description: 'Output format (default: text).' },
    'max-warnings': {
      type: 'string',
      valueName: 'N',
      description: 'Exit 1 when there are more than N warnings (default: no limit).',
    },
    ...PROFILE_OPTION,
    ...HELP_OPTIONS,
  },
  async run(ctx) {
    const format = choiceOpt(ctx, 'format', ['text', 'json'] as const) ?? 'text';
    const maxText = stringOpt(ctx.values, 'max-warnings');
    let maxWarnings = Infinity;
    if (maxText !== undefined) {
      if (!/^\d+$/.test(maxText.trim())) {
        throw new UsageError(`option '--max-warnings' must be a whole number ≥ 0 (got '${maxText}')`, ctx.command);
      }
      maxWarnings = Number(maxText.trim());
    }
    const profile = profileOpt(ctx);
    if (ctx.positionals.length === 0) throw new UsageError('missing argument: the scenario files or directories to lint', ctx.command);

    const targets = collectTargets(ctx);
    const texts: { target: Target; text: string }[] = [];
    const problems: string[] = [];
    for (const target of targets) {
      try {
        texts.push({ target, text: readTextFile(target.abs, ctx.cwd) });
      } catch (e) {
        problems.push(e instanceof Error ? e.message : String(e));
      }
    }
    if (problems.length > 0) fail(problems);

    const results: JsonFinding[] = [];
    for (const { target, text } of texts) {
      const linted = lintScenario(target.abs, text, profile ? { profile } : {});
      for (const f of linted.findings) results.push(toJson(target.shown, f)); // lintScenario returns them in file order
    }

    const count = (s: Severity): number => results.filter((r) => r.severity === s).length;
    const errors = count('error');
    const warnings = count('warning');
    const infos = count('information');
    const hints = count('hint');
    const tooManyWarnings = warnings > maxWarnings;

    if (format === 'json') {
      ctx.out(JSON.stringify(results, null, 2) + '\n');
      if (tooManyWarnings) ctx.err(`Too many warnings: ${warnings} (--max-warnings ${maxWarnings}).\n`);
    } else {
      const lines = results.map((r) => `${r.file}:${r.line}:${r.column}  ${SEVERITY_LABEL[r.severity]}  ${oneLine(r.message)}  ${r.code}`);
      const files = plural(texts.length, 'file');
      if (results.length === 0) lines.push(`No problems in ${files}.`);
      else {
        const parts = [plural(errors, 'error'), plural(warnings, 'warning'), plural(infos, 'info')];
        if (hints > 0) parts.push(plural(hints, 'hint'));
        lines.push('', `${plural(results.length, 'problem')} (${parts.join(', ')}) in ${files}.`);
      }
      if (tooManyWarnings) lines.push(`Too many warnings: ${warnings} (--max-warnings ${maxWarnings}).`);
      ctx.out(lines.join('\n') + '\n');
    }
    return errors > 0 || tooManyWarnings ? EXIT_PROBLEMS : EXIT_OK;
  },
};
