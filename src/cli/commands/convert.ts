import * as fs from 'node:fs';
import * as path from 'node:path';
import { blueprintToYaml, yamlToBlueprint } from '../../core/scenario/convert';
import { isBlueprint } from '../../core/lint/lint';
import { HELP_OPTIONS, choiceOpt, nonEmptyOpt, onePositional, type Command } from '../args';
import { CliError, EXIT_OK, UsageError, messageOf } from '../errors';
import { describeFsError, displayPath, loadUsableScenario, oneLine } from '../files';

/**
 * Whether writing `out` would write `input`: the same path, a symbolic link to it (followed by the
 * write), or another hard link of it (same device and inode).
 */
function sameFile(out: string, input: string, hops = 0): boolean {
  if (out === input) return true;
  if (hops > 40) return false;
  try {
    const a = fs.statSync(out);
    const b = fs.statSync(input);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    // `out` does not exist (or dangles): compare where a dangling link would write.
  }
  try {
    const target = fs.readlinkSync(out);
    return sameFile(path.resolve(path.dirname(out), target), input, hops + 1);
  } catch {
    return false;
  }
}

export const convertCommand: Command = {
  name: 'convert',
  summary: 'Convert an exported blueprint (JSON) to scenario YAML, or scenario YAML to a blueprint.',
  usage: 'convert <file> [--to yaml|blueprint] [--out FILE]',
  details: [
    'Without --to, a blueprint becomes YAML and YAML becomes a blueprint. The result goes to',
    'standard output unless --out is given.',
    '',
    'Exit codes: 0 converted; 2 usage mistake, unreadable file, or a scenario with a structural error.',
    '',
    'Examples:',
    '  fusion-executions convert exports/invoices.blueprint.json --out scenarios/invoices.scenario.yaml',
    '  fusion-executions convert scenarios/invoices.scenario.yaml --to blueprint > invoices.blueprint.json',
  ].join('\n'),
  options: {
    to: { type: 'string', short: 't', valueName: 'yaml|blueprint', description: 'Target format (default: the other one).' },
    out: { type: 'string', short: 'o', valueName: 'FILE', description: 'Write the result to FILE instead of standard output.' },
    ...HELP_OPTIONS,
  },
  async run(ctx) {
    const file = onePositional(ctx, 'the scenario or blueprint file to convert');
    const requested = choiceOpt(ctx, 'to', ['yaml', 'blueprint'] as const);
    const out = nonEmptyOpt(ctx, 'out');
    const { text, shown } = loadUsableScenario(file, ctx.cwd);
    const abs = path.resolve(ctx.cwd, file);
    const from = isBlueprint(abs, text) ? 'blueprint' : 'yaml';
    const to = requested ?? (from === 'blueprint' ? 'yaml' : 'blueprint');
    if (to === from) {
      throw new UsageError(
        `${shown} is already ${from === 'yaml' ? 'scenario YAML' : 'a blueprint'}; use --to ${from === 'yaml' ? 'blueprint' : 'yaml'}`,
        ctx.command,
      );
    }
    if (out !== undefined && sameFile(path.resolve(ctx.cwd, out), abs)) {
      throw new UsageError(`--out ${out} is the input file; choose another file`, ctx.command);
    }
    let result: string;
    try {
      result = to === 'yaml' ? blueprintToYaml(text, abs) : yamlToBlueprint(text, abs);
    } catch (e) {
      // The scenario passed the structural checks, so this is the converter refusing something specific.
      // Programming errors stay internal errors (shown as such, stack trace with --debug).
      if (e instanceof TypeError || e instanceof ReferenceError || (e instanceof Error && e.message === 'not implemented')) throw e;
      const msg = oneLine(messageOf(e));
      // The converter says "<base name>:line:col: message"; show the path as the user gave it.
      const m = /^(.*?):(\d+):(\d+): (.*)$/.exec(msg);
      if (m && path.basename(m[1]) === path.basename(abs)) throw new CliError(`${shown}:${m[2]}:${m[3]}: cannot convert: ${m[4]}`);
      throw new CliError(`${shown}: cannot convert: ${msg}`);
    }
    if (!result.endsWith('\n')) result += '\n';
    if (out === undefined) {
      ctx.out(result);
    } else {
      try {
        fs.writeFileSync(path.resolve(ctx.cwd, out), result);
      } catch (e) {
        throw new CliError(`${displayPath(out, ctx.cwd)}: cannot write: ${describeFsError(e)}`);
      }
      ctx.err(`Wrote ${displayPath(out, ctx.cwd)} (${to === 'yaml' ? 'scenario YAML' : 'blueprint JSON'}).\n`);
    }
    return EXIT_OK;
  },
};
