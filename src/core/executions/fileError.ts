/** The one error type of everything that reads, validates, locks or writes the executions file. */

export type ExecutionsFileErrorCode =
  /** The file does not exist. */
  | 'ENOENT'
  /** Not JSON (or empty). */
  | 'SYNTAX'
  /** JSON, but not an executions file (wrong field type, missing field, duplicate id...). */
  | 'SHAPE'
  /** The file changed since it was loaded (saveIfUnchanged). */
  | 'CONFLICT'
  /** Another process holds the lock for too long. */
  | 'LOCKED'
  /** Reading or writing failed (permissions, disk full, read-only file, not a regular file...). */
  | 'IO'
  /** The reader's own code failed (a bug); the file is left alone. */
  | 'INTERNAL';

/** A problem with the executions file, pointing at the place (1-based line/column when known). */
export class ExecutionsFileError extends Error {
  /** What kind of problem (absent when constructed by other code without one). */
  readonly code?: ExecutionsFileErrorCode;
  /** The message without the `file:line:column: ` prefix. */
  readonly detail: string;

  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    readonly column?: number,
    code?: ExecutionsFileErrorCode,
    detail?: string,
  ) {
    super(message);
    this.name = 'ExecutionsFileError';
    this.code = code;
    this.detail = detail ?? message;
  }

  /** Builds an error whose message is `file[:line:column]: detail`. */
  static at(detail: string, file: string, code: ExecutionsFileErrorCode, line?: number, column?: number): ExecutionsFileError {
    const where = line !== undefined && column !== undefined ? `${file}:${line}:${column}` : file;
    return new ExecutionsFileError(`${where}: ${detail}`, file, line, column, code, detail);
  }
}

/** A file-system failure while `doing` something to the executions file, as an ExecutionsFileError. */
export function ioError(e: unknown, file: string, doing: string): ExecutionsFileError {
  const code = (e as { code?: unknown }).code;
  // Only a missing file is "not found"; a vanished temp file or folder while writing is an I/O failure.
  if (code === 'ENOENT' && (doing === 'read' || doing === 'open'))
    return ExecutionsFileError.at('executions file not found', file, 'ENOENT');
  const message = e instanceof Error ? e.message : String(e);
  return ExecutionsFileError.at(`cannot ${doing} the executions file (${typeof code === 'string' ? code : message})`, file, 'IO');
}
