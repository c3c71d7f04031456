/** Errors the CLI turns into a message and an exit code (never a stack trace). */

export const EXIT_OK = 0;
/** The command ran and found problems (lint errors, unknown ids). */
export const EXIT_PROBLEMS = 1;
/** The command could not run: usage mistake, I/O problem, unusable input. */
export const EXIT_USAGE = 2;

/** A problem the user can fix (bad input, missing file, ...): printed as is, exit code 2 by default. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A mistake in the command line: printed with a hint to `--help`, exit code 2. */
export class UsageError extends CliError {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message, EXIT_USAGE);
    this.name = 'UsageError';
  }
}

/** Several problems found before anything was done (e.g. lint inputs that cannot be read). */
export class CliErrors extends Error {
  constructor(
    readonly messages: readonly string[],
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(messages.join('\n'));
    this.name = 'CliErrors';
  }
}

/** `error.message` of anything thrown, without assuming it is an Error. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  try {
    return JSON.stringify(e) ?? String(e);
  } catch {
    return String(e);
  }
}
