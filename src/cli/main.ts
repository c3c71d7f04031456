/**
 * `fusion-executions`: the command-line tool over src/core (bundled to dist/cli.js by esbuild).
 * Exit codes: 0 ok, 1 problems found, 2 the command could not run. Never a stack trace unless --debug.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { version } from '../../package.json';
import { HELP_OPTIONS, TOOL, commandHelp, parseCommandArgs, suggest, toolHelp, type Command, type Output } from './args';
import { COMMANDS } from './commands/index';
import { CliError, CliErrors, EXIT_OK, EXIT_USAGE, UsageError, messageOf } from './errors';
import { escapeForTerminal } from './terminal';

const processOutput: Output = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** Runs the tool; resolves to the exit code. Everything thrown is turned into a message here. */
export async function run(argv: readonly string[], rawIo: Output = processOutput, cwd: string = process.cwd()): Promise<number> {
  const debug = argv.includes('--debug');
  // Every byte a command prints passes here: no control character from a file reaches the terminal.
  const io: Output = { out: (text) => rawIo.out(escapeForTerminal(text)), err: (text) => rawIo.err(escapeForTerminal(text)) };
  let command: Command | undefined;
  try {
    const args = [...argv];
    while (args[0] === '--debug') args.shift();
    const first = args[0];
    if (first === undefined) {
      io.err(toolHelp(COMMANDS, version));
      return EXIT_USAGE;
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      const topic = args[1] !== undefined && first === 'help' ? COMMANDS.find((c) => c.name === args[1]) : undefined;
      if (first === 'help' && args[1] !== undefined && !topic) throw new UsageError(`unknown command '${args[1]}'`);
      io.out(topic ? commandHelp(topic) : toolHelp(COMMANDS, version));
      return EXIT_OK;
    }
    if (first === '--version' || first === '-V' || first === 'version') {
      io.out(`${version}\n`);
      return EXIT_OK;
    }
    if (first.startsWith('-')) throw new UsageError(`unknown option '${first}' (options go after the command)`);
    command = COMMANDS.find((c) => c.name === first);
    if (!command) {
      const hint = suggest(
        first,
        COMMANDS.map((c) => c.name),
      );
      throw new UsageError(`unknown command '${first}'${hint ? ` (did you mean '${hint}'?)` : ''}`);
    }
    const parsed = parseCommandArgs(command.name, { ...command.options, ...HELP_OPTIONS }, args.slice(1));
    if (parsed.values.help === true) {
      io.out(commandHelp(command));
      return EXIT_OK;
    }
    return await command.run({ ...parsed, ...io, command: command.name, cwd });
  } catch (e) {
    return report(e, io, debug, command);
  }
}

function report(e: unknown, io: Output, debug: boolean, command: Command | undefined): number {
  if (e instanceof UsageError) {
    const name = e.command ?? command?.name;
    io.err(`${TOOL}${name ? ` ${name}` : ''}: ${e.message}\nRun '${TOOL}${name ? ` ${name}` : ''} --help' for usage.\n`);
    return e.exitCode;
  }
  if (e instanceof CliError) {
    io.err(`${e.message}\n`);
    if (debug && e.stack) io.err(`${e.stack}\n`);
    return e.exitCode;
  }
  if (e instanceof CliErrors) {
    io.err(e.messages.map((m) => `${m}\n`).join(''));
    return e.exitCode;
  }
  io.err(`${TOOL}: internal error: ${messageOf(e).split('\n')[0]}\n`);
  if (debug) io.err(`${e instanceof Error && e.stack ? e.stack : String(e)}\n`);
  else io.err(`Run again with --debug to see the stack trace, and please report it.\n`);
  return EXIT_USAGE;
}

/**
 * Lets the store ask for a full garbage collection after reading a large executions file (see
 * COLLECT_AFTER_BYTES in core/executions/store.ts), so a 100,000-record file does not stay resident
 * twice. Only the CLI process does this; a library user's runtime is left as it is.
 */
function exposeGc(): void {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    if (typeof gc === 'function') (globalThis as { gc?: unknown }).gc = gc;
  } catch {
    // Without it the CLI only uses more memory.
  }
}

if (require.main === module) {
  exposeGc();
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  run(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(escapeForTerminal(`${TOOL}: internal error: ${messageOf(e)}\n`));
      process.exitCode = EXIT_USAGE;
    },
  );
}
