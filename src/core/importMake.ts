// CONTRACT STUB — owned by the "core-store" helper.
import type { ExecutionsFile } from './model';

export interface ImportSummary { readonly added: number; readonly updated: number; readonly unchanged: number }

/** Parses one Make API response text (list / detail / bundle shape) and merges by id. Throws ExecutionsFileError-like errors with a clear message on malformed input. */
export function importMakeResponses(doc: ExecutionsFile, inputs: readonly { file: string; text: string }[], now?: Date): { doc: ExecutionsFile; summary: ImportSummary } {
  void doc; void inputs; void now;
  throw new Error('not implemented');
}
