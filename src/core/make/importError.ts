/**
 * A saved Make API response that cannot be imported: the problem is the input file's (not the
 * executions file's), with a 1-based line/column into that file when known.
 */
import type { JSONPath } from 'jsonc-parser';
import { jsonPathPosition, type JsonProblem } from '../text/json';

export type MakeImportErrorCode =
  /** Not JSON (or empty). */
  | 'SYNTAX'
  /** JSON, but not a Make API response this tool can import (wrong shape, a bundle without its execution...). */
  | 'SHAPE';

export class MakeImportError extends Error {
  /** The message without the `file:line:column: ` prefix. */
  readonly detail: string;

  /** The message is `file[:line:column]: detail`. */
  constructor(
    readonly file: string,
    readonly code: MakeImportErrorCode,
    detail: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${line !== undefined && column !== undefined ? `${file}:${line}:${column}` : file}: ${detail}`);
    this.name = 'MakeImportError';
    this.detail = detail;
  }

  /** The input does not parse as JSON. */
  static syntax(file: string, problem: JsonProblem): MakeImportError {
    return new MakeImportError(file, 'SYNTAX', problem.detail, problem.line, problem.column);
  }

  /** The input's value at JSON path `p` of `text` is not what an import needs. */
  static shape(detail: string, file: string, text: string, p: JSONPath): MakeImportError {
    const at = jsonPathPosition(text, p);
    return new MakeImportError(file, 'SHAPE', detail, at?.line, at?.column);
  }
}
