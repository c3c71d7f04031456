/**
 * Import: merges saved Make API responses into the executions file (created when missing), by id.
 * Every input is checked before the file is locked or created: a malformed one throws a
 * MakeImportError naming it, and nothing is written.
 */
import { promises as fsp } from 'node:fs';
import { connectionFields, type MakeConnection } from '../../make/connection';
import { mergeMakeResponses, parseMakeResponses, type ImportSummary, type MergeOptions } from '../../make/importExport';
import { emptyExecutionsFile, updateExecutionsFile } from '../store';

export interface ImportInput {
  /** Absolute path of the executions file. */
  readonly executionsFile: string;
  /** The responses; `file` is how the input is named in messages and in the records' history. */
  readonly inputs: readonly { readonly file: string; readonly text: string }[];
  readonly now?: Date;
  /**
   * What the saved responses do not say, so the records can be acted on Make later: the scenario
   * they belong to (a list response has no scenario id), where they came from, and the workspace
   * file of each scenario (from the config). Applied where a record does not say otherwise.
   */
  readonly context?: ImportContext;
}

export interface ImportContext {
  readonly scenarioId?: number;
  readonly connection?: MakeConnection;
  readonly teamId?: number;
  /** Make scenario id → workspace-relative scenario file. */
  readonly fileOf?: ReadonlyMap<number, string>;
}

/** Adds the import's context to each merged record (see ImportInput.context). */
function decorateWith(context: ImportContext | undefined): MergeOptions {
  if (!context) return {};
  return {
    decorate: (_id, rec) => {
      const make: Record<string, unknown> =
        typeof rec.make === 'object' && rec.make !== null ? { ...(rec.make as Record<string, unknown>) } : {};
      if (make.scenarioId === undefined && context.scenarioId !== undefined) make.scenarioId = context.scenarioId;
      if (context.connection && make.zone === undefined && make.apiUrl === undefined)
        Object.assign(make, connectionFields(context.connection));
      if (context.teamId !== undefined && make.teamId === undefined) make.teamId = context.teamId;
      const next: Record<string, unknown> = { ...rec, make };
      const sid = Number(make.scenarioId);
      const file = Number.isInteger(sid) ? context.fileOf?.get(sid) : undefined;
      if (file && rec.scenarioFile === undefined) next.scenarioFile = file;
      return next;
    },
  };
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
  const options = decorateWith(input.context);
  if (!(await exists(input.executionsFile))) mergeMakeResponses(emptyExecutionsFile(), responses, now, options);
  const { result, written } = await updateExecutionsFile(
    input.executionsFile,
    (doc) => {
      const out = mergeMakeResponses(doc, responses, now, options);
      return { doc: out.doc, result: out.summary };
    },
    { create: true },
  );
  return { summary: result, written };
}
