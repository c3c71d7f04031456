/** Command definitions and strict argument parsing over node's `util.parseArgs`. */
import { parseArgs } from 'node:util';
import type { Profile } from '../core/model';
import { PROFILES } from '../core/model';
import { closest } from '../core/text/spelling';
import { executionIdProblem } from '../core/executions/validate';
import { UsageError } from './errors';

export const TOOL = 'fusion-executions';

export interface OptionDef {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  /** Shown in help after the option name, e.g. `FILE`. */
  readonly valueName?: string;
  readonly description: string;
}

export type OptionDefs = Readonly<Record<string, OptionDef>>;

export type OptionValue = string | boolean | (string | boolean)[] | undefined;

export interface ParsedArgs {
  readonly values: Readonly<Record<string, OptionValue>>;
  readonly positionals: readonly string[];
}

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export interface CommandContext extends ParsedArgs, Output {
  readonly command: string;
  readonly cwd: string;
}

export interface Command {
  readonly name: string;
  /** One line for the tool's help. */
  readonly summary: string;
  /** Synopsis after the tool name, e.g. `lint <files|dirs…> [options]`. */
  readonly usage: string;
  /** Longer help text (examples, exit codes). */
  readonly details?: string;
  readonly options: OptionDefs;
  run(ctx: CommandContext): Promise<number>;
}

export const HELP_OPTIONS: OptionDefs = {
  help: { type: 'boolean', short: 'h', description: 'Show this help.' },
  debug: { type: 'boolean', description: 'Show stack traces of internal errors.' },
};

export const PROFILE_OPTION: OptionDefs = {
  profile: {
    type: 'string',
    valueName: 'fusion|make',
    description: 'Rules profile when the scenario does not set settings.profile (default: fusion).',
  },
};

export const JSON_OPTION: OptionDefs = {
  json: { type: 'boolean', description: 'Print JSON (stable, for scripts and CI).' },
};

export const EXECUTIONS_OPTIONS: OptionDefs = {
  executions: {
    type: 'string',
    valueName: 'FILE',
    description: 'Incomplete executions file (default: <workspace>/.fusion/incomplete-executions.json).',
  },
  workspace: {
    type: 'string',
    valueName: 'DIR',
    description:
      'Workspace root: where scenarioFile paths are resolved (default: with --executions, the folder holding its .fusion/ folder, else its own folder; otherwise the current directory).',
  },
};

/** The closest candidate within a small edit distance, or undefined. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  return closest(word, candidates, Math.max(1, Math.floor(word.length / 3)));
}

/** Parses a subcommand's arguments strictly; every parser complaint becomes a one-line UsageError. */
export function parseCommandArgs(command: string, options: OptionDefs, args: readonly string[]): ParsedArgs {
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, def] of Object.entries(options)) {
    config[name] = { type: def.type, ...(def.short ? { short: def.short } : {}), ...(def.multiple ? { multiple: true } : {}) };
  }
  try {
    const { values, positionals } = parseArgs({ args: [...args], options: config, strict: true, allowPositionals: true });
    return { values: values, positionals };
  } catch (e) {
    throw new UsageError(describeParseError(e, options), command);
  }
}

function describeParseError(e: unknown, options: OptionDefs): string {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const m = /option '([^']+)'/i.exec(message);
    const opt = m ? m[1] : '';
    const bare = opt.replace(/^-+/, '').split('=')[0];
    const hint = suggest(bare, Object.keys(options));
    return `unknown option '${opt}'${hint ? ` (did you mean '--${hint}'?)` : ''}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // "Option '-f, --format <value>' argument missing" / "Option '--json' does not take an argument"
    const name = /(--[\w-]+)/.exec(message)?.[1];
    if (name && /argument missing/.test(message)) return `option '${name}' needs a value`;
    if (name && /does not take an argument/.test(message)) return `option '${name}' does not take a value`;
  }
  return firstSentence(message);
}

function firstSentence(message: string): string {
  const line = message.split('\n')[0];
  const dot = line.indexOf('. ');
  return (dot > 0 ? line.slice(0, dot) : line).replace(/\.$/, '');
}

// ---------------------------------------------------------------------------------------------
// Typed access to the parsed values
// ---------------------------------------------------------------------------------------------

export function stringOpt(values: ParsedArgs['values'], name: string): string | undefined {
  const v = values[name];
  if (Array.isArray(v)) {
    const last = v[v.length - 1];
    return typeof last === 'string' ? last : undefined;
  }
  return typeof v === 'string' ? v : undefined;
}

export function boolOpt(values: ParsedArgs['values'], name: string): boolean {
  return values[name] === true;
}

/** `--name` as a non-empty string, or undefined when absent. */
export function nonEmptyOpt(ctx: CommandContext, name: string): string | undefined {
  const v = stringOpt(ctx.values, name);
  if (v === undefined) return undefined;
  if (v.trim() === '') throw new UsageError(`option '--${name}' needs a non-empty value`, ctx.command);
  return v;
}

export function requiredOpt(ctx: CommandContext, name: string, what: string): string {
  const v = nonEmptyOpt(ctx, name);
  if (v === undefined) throw new UsageError(`missing option '--${name}' (${what})`, ctx.command);
  return v;
}

export function profileOpt(ctx: CommandContext): Profile | undefined {
  const v = stringOpt(ctx.values, 'profile');
  if (v === undefined) return undefined;
  const p = PROFILES.find((x) => x === v);
  if (!p) throw new UsageError(`option '--profile' must be one of ${PROFILES.join(', ')} (got '${v}')`, ctx.command);
  return p;
}

export function choiceOpt<T extends string>(ctx: CommandContext, name: string, choices: readonly T[]): T | undefined {
  const v = stringOpt(ctx.values, name);
  if (v === undefined) return undefined;
  const c = choices.find((x) => x === v);
  if (!c) throw new UsageError(`option '--${name}' must be one of ${choices.join(', ')} (got '${v}')`, ctx.command);
  return c;
}

/** Exactly one positional argument. */
export function onePositional(ctx: CommandContext, what: string): string {
  if (ctx.positionals.length === 0) throw new UsageError(`missing argument: ${what}`, ctx.command);
  if (ctx.positionals.length > 1) {
    throw new UsageError(
      `expected one argument (${what}), got ${ctx.positionals.length}: ${ctx.positionals.map((p) => `'${p}'`).join(' ')}`,
      ctx.command,
    );
  }
  const v = ctx.positionals[0];
  if (v.trim() === '') throw new UsageError(`missing argument: ${what} (got an empty string)`, ctx.command);
  return v;
}

/** No positional argument at all. */
export function noPositionals(ctx: CommandContext): void {
  if (ctx.positionals.length > 0) throw new UsageError(`unexpected argument '${ctx.positionals[0]}'`, ctx.command);
}

/** The positional arguments as execution ids (trimmed, each once); `what` names them when none is given. */
export function idsFrom(ctx: CommandContext, what: string): string[] {
  const ids: string[] = [];
  for (const p of ctx.positionals) {
    const id = p.trim();
    if (id === '') throw new UsageError(`an empty execution id`, ctx.command);
    const problem = executionIdProblem(id);
    if (problem) throw new UsageError(`the execution id '${id.length > 40 ? `${id.slice(0, 37)}...` : id}' ${problem}`, ctx.command);
    if (!ids.includes(id)) ids.push(id);
  }
  if (ids.length === 0) throw new UsageError(`missing argument: ${what}`, ctx.command);
  return ids;
}

// ---------------------------------------------------------------------------------------------
// Help
// ---------------------------------------------------------------------------------------------

export function commandHelp(cmd: Command): string {
  const rows = Object.entries(cmd.options).map(([name, def]) => {
    const flag = `${def.short ? `-${def.short}, ` : '    '}--${name}${def.type === 'string' ? ` ${def.valueName ?? 'VALUE'}` : ''}`;
    return [flag, def.description] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length));
  const lines = [`Usage: ${TOOL} ${cmd.usage}`, '', cmd.summary, '', 'Options:', ...rows.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`)];
  if (cmd.details) lines.push('', cmd.details.trimEnd());
  return lines.join('\n') + '\n';
}

export function toolHelp(commands: readonly Command[], version: string): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `${TOOL} ${version} — lint, classify and simulate Fusion / Make scenarios; manage incomplete executions.`,
    '',
    `Usage: ${TOOL} <command> [options]`,
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    '  -h, --help     Show help (for a command: <command> --help).',
    '  -V, --version  Show the version.',
    '      --debug    Show stack traces of internal errors.',
    '',
    'Exit codes: 0 ok; 1 problems found (lint errors, unknown execution ids, requests to Make that failed);',
    '            2 the command could not run (usage mistake, unreadable file, unusable input; for Make:',
    '            no token, the token refused, Make not reachable).',
    '',
  ].join('\n');
}
