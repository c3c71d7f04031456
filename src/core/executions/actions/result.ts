/**
 * What the executions actions report. Each action (retry, run due retries, resolve, delete,
 * import, simulate, list) is one function the CLI and the VS Code extension both call: it finds
 * what it needs, takes the file's lock, applies the change to the freshly read file, writes it
 * and says what happened; the callers only present the result.
 */
import type { ResolutionKind } from '../../scenario/workspace';
import type { OperationResult } from '../operations';

/**
 * What happened to one record: changed (`resolved`, `failed` — a retry that failed again and is
 * still stored —, `deleted`), refused with the reason in `message` (`skipped`), or `not-found`.
 */
export type RecordResult = OperationResult;

export interface RecordsResult {
  /** One entry per record asked for (or chosen by the action), in that order. */
  readonly results: readonly RecordResult[];
  /** Whether the executions file was written (false when nothing changed). */
  readonly written: boolean;
}

/** How the scenario of a replayed record was looked up (for messages such as "that file has an error"). */
export interface ScenarioLookup {
  readonly id: string;
  /** The record's scenario name and `scenarioFile`, as they were before the replay. */
  readonly scenario: string;
  readonly scenarioFile?: string;
  readonly kind: ResolutionKind;
  /** Workspace-relative path of the file used, or of the file that could not be used. */
  readonly path?: string;
}

export interface ReplayResult extends RecordsResult {
  /** One per result whose record was in the file, in the order of `results`. */
  readonly lookups: readonly ScenarioLookup[];
}
