// CONTRACT STUB — owned by the "core-store" helper; replace the bodies, keep the signatures.
import type { ExecutionsFile } from './model';

/** A problem with the executions file, pointing at the place (1-based line/column when known). */
export class ExecutionsFileError extends Error {
  constructor(message: string, readonly file: string, readonly line?: number, readonly column?: number) {
    super(message);
    this.name = 'ExecutionsFileError';
  }
}

export type ParseExecutionsResult =
  | { readonly ok: true; readonly doc: ExecutionsFile }
  | { readonly ok: false; readonly error: ExecutionsFileError };

/** Validates the text of an executions file. Never throws. */
export function parseExecutionsText(text: string, file: string): ParseExecutionsResult {
  void text; void file;
  throw new Error('not implemented');
}

export interface LoadedExecutions {
  readonly doc: ExecutionsFile;
  /** Content hash of the text that was read (for change detection). */
  readonly version: string;
}

/** Reads and validates. A missing file throws ExecutionsFileError with code-like message 'not found'. */
export async function loadExecutions(file: string): Promise<LoadedExecutions> {
  void file;
  throw new Error('not implemented');
}

export interface UpdateOptions {
  /** Create the file (and its folder) when missing. Default false. */
  readonly create?: boolean;
}

/**
 * Read-modify-write under a cross-process lock; atomic save (temp file in the same folder, fsync,
 * rename). `mutate` gets the freshly read document, so concurrent writers never lose an update.
 */
export async function updateExecutions<T>(
  file: string,
  mutate: (doc: ExecutionsFile) => { doc: ExecutionsFile; result: T },
  options?: UpdateOptions,
): Promise<T> {
  void file; void mutate; void options;
  throw new Error('not implemented');
}
