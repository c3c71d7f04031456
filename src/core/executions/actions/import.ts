/**
 * Import: merges saved Make API responses into the executions file (created when missing), by id.
 * Every input is checked before the file is locked or created: a malformed one throws a
 * MakeImportError naming it, and nothing is written.
 */
import { promises as fsp } from 'node:fs';
import { mergeMakeResponses, parseMakeResponses, type ImportSummary } from '../../make/importExport';
import { emptyExecutionsFile, updateExecutionsFile } from '../store';

export interface ImportInput {
  /** Absolute path of the executions file. */
  readonly executionsFile: string;
  /** The responses; `file` is how the input is named in messages and in the records' history. */
  readonly inputs: readonly { readonly file: string; readonly text: string }[];
  readonly now?: Date;
}

export interface ImportResult {
  readonly summary: ImportSummary;
  /** Whether the executions file was written (false when every record was unchanged). */
  readonly written: boolean;
}

async function exists(file: string): Promise<boolean> {
  try {
    await fsp.access(file);
    return true;
  } catch {
    return false;
  }
}

export async function importAction(input: ImportInput): Promise<ImportResult> {
  const now = input.now ?? new Date();
  const responses = parseMakeResponses(input.inputs);
  // Without a file there are no records a bundle could belong to: refuse before creating it.
  if (!(await exists(input.executionsFile))) mergeMakeResponses(emptyExecutionsFile(), responses, now);
  const { result, written } = await updateExecutionsFile(
    input.executionsFile,
    (doc) => {
      const out = mergeMakeResponses(doc, responses, now);
      return { doc: out.doc, result: out.summary };
    },
    { create: true },
  );
  return { summary: result, written };
}
