import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CONFIG_FILE_NAME,
  CONFIGURABLE_CODES,
  ConfigResolver,
  RULE_SETTINGS,
  applyProjectConfig,
  configRelativePath,
  isConfigurableCode,
  isIgnoredByConfig,
  type RuleSetting,
  type RuleSettings,
} from '../../core/config';
import { lintScenario } from '../../core/lint/lint';
import { DEFAULT_SEVERITIES } from '../../core/lint/registry';
import type { Finding, LintCode, Severity } from '../../core/model';
import { DEFAULT_SCENARIO_GLOBS } from '../../core/scenario/workspace';
import { nearest } from '../../core/text/spelling';
import {
  HELP_OPTIONS,
  PROFILE_OPTION,
  boolOpt,
  choiceOpt,
  profileOpt,
  stringOpt,
  suggest,
  type Command,
  type CommandContext,
} from '../args';
import { CliError, CliErrors, EXIT_OK, EXIT_PROBLEMS, UsageError } from '../errors';
import { LINT_MAX_BYTES, describeFsError, displayPath, oneLine, readTextSafely, specialFileProblem, walkLintTargets } from '../files';
import type { SkipReason, WalkSkipped } from '../files';
import type { TextRead } from '../../core/text/decode';

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
  /** The long form of a summary message (e.g. what each group of error types does). */
  readonly detail?: string;
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
    ...(f.detail !== undefined ? { detail: f.detail } : {}),
  };
}

const SEVERITY_LABEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'info', hint: 'hint' };

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

interface Target {
  readonly abs: string;
  readonly shown: string;
  readonly read: TextRead;
  /** Found by a directory search (not named on the command line). */
  readonly found: boolean;
}

// ---------------------------------------------------------------------------------------------
// Project configuration
// ---------------------------------------------------------------------------------------------

/**
 * The configuration of each linted file (core/config's resolver on node:fs): the one given with
 * --config, else the nearest `.fusionlintrc.json` from the file's folder up to the repository root
 * (the first folder holding `.git`) or the file system root. Each file is read and parsed once.
 */
function configResolver(explicit: string | undefined): ConfigResolver {
  return new ConfigResolver(
    { fileExists: isRegularFile, isRoot: (d) => fs.existsSync(path.join(d, '.git')), readText: (f) => readTextSafely(f, LINT_MAX_BYTES) },
    explicit !== undefined ? { explicit } : {},
  );
}

function isRegularFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** `--config FILE`: must be a readable file (exit 2 otherwise: a wrong path must not pass silently). */
function explicitConfig(ctx: CommandContext): string | undefined {
  const v = stringOpt(ctx.values, 'config');
  if (v === undefined) return undefined;
  if (v.trim() === '') throw new UsageError(`option '--config' needs a non-empty value`, ctx.command);
  const abs = path.resolve(ctx.cwd, v);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch (e) {
    throw new CliError(`--config ${displayPath(abs, ctx.cwd)}: ${describeFsError(e)}`);
  }
  if (!stat.isFile()) throw new CliError(`--config ${displayPath(abs, ctx.cwd)}: not a file`);
  return abs;
}

/** `--rule code=severity`, repeatable; a later one wins. */
function ruleOptions(ctx: CommandContext): RuleSettings {
  const raw = ctx.values.rule;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const out: Partial<Record<LintCode, RuleSetting>> = {};
  for (const item of list) {
    const text = String(item);
    const m = /^\s*([^=\s]+)\s*=\s*(\S+)\s*$/.exec(text);
    if (!m)
      throw new UsageError(`option '--rule' must be code=severity, e.g. --rule missing-error-handler=off (got '${text}')`, ctx.command);
    const [, code, setting] = m;
    if (!isConfigurableCode(code)) {
      const hint = nearest(code, CONFIGURABLE_CODES);
      throw new UsageError(`--rule ${text}: '${code}' is not a rule code${hint ? ` (did you mean '${hint}'?)` : ''}`, ctx.command);
    }
    const s = RULE_SETTINGS.find((x) => x === setting);
    if (!s) {
      const hint = suggest(setting, RULE_SETTINGS) ?? ({ warn: 'warning', info: 'information' } as Record<string, string>)[setting];
      throw new UsageError(
        `--rule ${text}: the severity must be one of ${RULE_SETTINGS.join(', ')}${hint ? ` (did you mean '${hint}'?)` : ''}`,
        ctx.command,
      );
    }
    out[code] = s;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------

interface Collected {
  readonly targets: Target[];
  readonly skipped: WalkSkipped[];
  /** A directory was searched (the summary then says what was checked and skipped). */
  readonly walked: boolean;
}

/** Expands the arguments into files; a missing argument or an empty directory stops the run. */
function collectTargets(ctx: CommandContext, configs: ConfigResolver): Collected {
  const problems: string[] = [];
  const seen = new Set<string>();
  const targets: Target[] = [];
  const skipped: WalkSkipped[] = [];
  let walked = false;
  const add = (abs: string, read: TextRead, found: boolean): void => {
    if (seen.has(abs)) return;
    seen.add(abs);
    targets.push({ abs, shown: displayPath(abs, ctx.cwd), read, found });
  };
  const isIgnored = (abs: string): boolean => {
    const lc = configs.forFile(abs);
    return lc !== undefined && isIgnoredByConfig(lc.config, configRelativePath(lc.file, abs));
  };
  for (const arg of ctx.positionals) {
    if (arg.trim() === '') {
      problems.push(`'': an empty path`);
      continue;
    }
    const abs = path.resolve(ctx.cwd, arg);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs); // follows links; never opens, so a FIFO cannot block here
    } catch (e) {
      problems.push(`${displayPath(abs, ctx.cwd)}: ${describeFsError(e)}`);
      continue;
    }
    if (stat.isDirectory()) {
      walked = true;
      const result = walkLintTargets(abs, { isIgnored });
      skipped.push(...result.skipped);
      if (result.found.length === 0) {
        const why = result.skipped.length > 0 ? `; skipped ${describeSkipped(result.skipped)}` : '';
        problems.push(
          `${displayPath(abs, ctx.cwd)}: no scenario files found in this directory (looked for ${DEFAULT_SCENARIO_GLOBS.join(', ')} and other *.json files that are scenario exports${why})`,
        );
      }
      for (const f of result.found) add(f.abs, f.read, true);
    } else if (!stat.isFile()) {
      // Named explicitly: always linted, so a FIFO or device is reported, never opened.
      add(abs, { ok: false, problem: specialFileProblem(stat) }, false);
    } else {
      const read = readTextSafely(abs);
      if (!read.ok && read.missing) problems.push(`${displayPath(abs, ctx.cwd)}: ${read.problem}`);
      else add(abs, read, false);
    }
  }
  if (problems.length > 0) throw new CliErrors(problems);
  return { targets, skipped, walked };
}

const SKIP_LABELS: Readonly<Record<SkipReason, readonly [string, string]>> = {
  'not-a-scenario': ['JSON file that is not a scenario', 'JSON files that are not scenarios'],
  'symlink-outside': ['symbolic link to outside the linted folder', 'symbolic links to outside the linted folder'],
  'symlink-folder': ['symbolic link to a folder (not followed)', 'symbolic links to folders (not followed)'],
  'broken-symlink': ['broken symbolic link', 'broken symbolic links'],
  duplicate: ['file reached twice (linted once)', 'files reached twice (linted once)'],
  ignored: ['ignored by ignorePatterns', 'ignored by ignorePatterns'],
  'unreadable-folder': ['folder that cannot be read', 'folders that cannot be read'],
};

/** "3: 2 JSON files that are not scenarios, 1 symbolic link to outside the linted folder". */
function describeSkipped(skipped: readonly WalkSkipped[]): string {
  const counts = new Map<SkipReason, number>();
  for (const s of skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  const parts = (Object.keys(SKIP_LABELS) as SkipReason[])
    .filter((reason) => counts.has(reason))
    .map((reason) => {
      const n = counts.get(reason) ?? 0;
      return `${n} ${SKIP_LABELS[reason][n === 1 ? 0 : 1]}`;
    });
  return `${skipped.length}: ${parts.join(', ')}`;
}

function unreadableFinding(problem: string, found: boolean): Finding {
  const hint = found
    ? ` If it is not a scenario, list it in ignorePatterns of ${CONFIG_FILE_NAME} or move it out of the linted folder.`
    : '';
  return {
    code: 'unreadable-file',
    severity: DEFAULT_SEVERITIES['unreadable-file'],
    message: `This file cannot be checked: ${problem}.${hint}`,
    span: { start: 0, end: 0 },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  };
}

// ---------------------------------------------------------------------------------------------

export const lintCommand: Command = {
  name: 'lint',
  summary: 'Check scenario files (YAML or blueprint JSON) for missing error handlers and mistakes.',
  usage:
    'lint <files|dirs…> [--format text|json] [--max-warnings N] [--config FILE] [--rule code=severity]… [--verbose] [--profile fusion|make]',
  details: [
    'Directories are searched for *.scenario.yaml, *.scenario.yml and *.blueprint.json, and for any',
    'other *.json whose content is a scenario export (top-level flow and metadata, or the Make API',
    "response / template wrappers), whatever it is called: blueprint.json, 'Orders sync.json', ….",
    'node_modules and .git are skipped; symbolic links pointing outside the directory are never',
    'followed. Files given by name are linted whatever their name.',
    '',
    `Project configuration: the nearest ${CONFIG_FILE_NAME} from each file's folder up to the`,
    'repository root (the folder holding .git): rules, exemptions, overrides, ignorePatterns.',
    '--config FILE uses that file instead; --rule wins over both.',
    '',
    'A file that cannot be read as text (binary, not UTF-8, over 20 MB, a FIFO) is an',
    'unreadable-file error and the run goes on.',
    '',
    'Exit codes: 0 no errors (and at most N warnings); 1 errors, or more than N warnings;',
    '            2 usage mistake, a missing file, a directory without scenario files.',
    '',
    'Examples:',
    '  fusion-executions lint scenarios/',
    '  fusion-executions lint . --max-warnings 0 --rule partial-error-handler=off',
    '  fusion-executions lint invoices.scenario.yaml --format json --max-warnings 0',
  ].join('\n'),
  options: {
    format: { type: 'string', short: 'f', valueName: 'text|json', description: 'Output format (default: text).' },
    'max-warnings': {
      type: 'string',
      valueName: 'N',
      description: 'Exit 1 when there are more than N warnings (default: no limit).',
    },
    config: {
      type: 'string',
      short: 'c',
      valueName: 'FILE',
      description: `Project configuration to use (default: the nearest ${CONFIG_FILE_NAME}).`,
    },
    rule: {
      type: 'string',
      multiple: true,
      valueName: 'CODE=SEVERITY',
      description: 'Severity of a rule (error, warning, information, hint, off); repeatable; wins over the configuration.',
    },
    verbose: { type: 'boolean', description: 'Also list every file a directory search skipped, and why.' },
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
    const cliRules = ruleOptions(ctx);
    const verbose = boolOpt(ctx.values, 'verbose');
    if (ctx.positionals.length === 0) throw new UsageError('missing argument: the scenario files or directories to lint', ctx.command);

    const configs = configResolver(explicitConfig(ctx));
    const { targets, skipped, walked } = collectTargets(ctx, configs);

    const perFile: JsonFinding[] = [];
    let yamlFiles = 0;
    let blueprintFiles = 0;
    let unreadableFiles = 0;
    for (const target of targets) {
      const lc = configs.forFile(target.abs);
      const rel = lc ? configRelativePath(lc.file, target.abs) : path.relative(ctx.cwd, target.abs).split(path.sep).join('/');
      let findings: Finding[];
      if (!target.read.ok) {
        unreadableFiles++;
        findings = applyProjectConfig([unreadableFinding(target.read.problem, target.found)], null, rel, lc?.config, { cliRules });
      } else {
        const linted = lintScenario(target.abs, target.read.text, profile ? { profile } : {});
        if (linted.format === 'yaml') yamlFiles++;
        else blueprintFiles++;
        findings = applyProjectConfig(linted.findings, linted.scenario, rel, lc?.config, { cliRules });
      }
      for (const f of findings) perFile.push(toJson(target.shown, f)); // lintScenario returns them in file order
    }
    // Mistakes in the configuration files come first: they change what the rest means.
    const results: JsonFinding[] = [];
    for (const lc of configs.used) {
      const shown = displayPath(lc.file, ctx.cwd);
      for (const f of lc.findings) results.push(toJson(shown, f));
    }
    results.push(...perFile);

    const count = (s: Severity): number => results.filter((r) => r.severity === s).length;
    const errors = count('error');
    const warnings = count('warning');
    const infos = count('information');
    const hints = count('hint');
    const tooManyWarnings = warnings > maxWarnings;
    const skippedLines = skipped.map((s) => `skipped ${displayPath(s.abs, ctx.cwd)}: ${s.detail}`);

    if (format === 'json') {
      ctx.out(JSON.stringify(results, null, 2) + '\n');
      if (verbose && skippedLines.length > 0) ctx.err(skippedLines.join('\n') + '\n');
      if (tooManyWarnings) ctx.err(`Too many warnings: ${warnings} (--max-warnings ${maxWarnings}).\n`);
    } else {
      const lines = results.map((r) => `${r.file}:${r.line}:${r.column}  ${SEVERITY_LABEL[r.severity]}  ${oneLine(r.message)}  ${r.code}`);
      if (verbose && skippedLines.length > 0) lines.push(...(lines.length > 0 ? [''] : []), ...skippedLines);
      const files = plural(targets.length, 'file');
      if (results.length === 0) lines.push(`${lines.length > 0 ? '\n' : ''}No problems in ${files}.`);
      else {
        const parts = [plural(errors, 'error'), plural(warnings, 'warning'), plural(infos, 'info')];
        if (hints > 0) parts.push(plural(hints, 'hint'));
        lines.push('', `${plural(results.length, 'problem')} (${parts.join(', ')}) in ${files}.`);
      }
      if (walked || skipped.length > 0) {
        const kinds = [
          blueprintFiles > 0 ? plural(blueprintFiles, 'blueprint') : undefined,
          yamlFiles > 0 ? `${yamlFiles} YAML` : undefined,
          unreadableFiles > 0 ? `${unreadableFiles} unreadable` : undefined,
        ].filter((k): k is string => k !== undefined);
        const checked = `Checked ${files}${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}`;
        lines.push(skipped.length > 0 ? `${checked}; skipped ${describeSkipped(skipped)}.` : `${checked}.`);
      }
      if (tooManyWarnings) lines.push(`Too many warnings: ${warnings} (--max-warnings ${maxWarnings}).`);
      ctx.out(lines.join('\n') + '\n');
    }
    return errors > 0 || tooManyWarnings ? EXIT_PROBLEMS : EXIT_OK;
  },
};
