/**
 * The records of the incomplete-executions file (`.fusion/incomplete-executions.json`): what one
 * incomplete execution looks like, its statuses, and the few rules about a record that every
 * caller shares. Pure types and tiny helpers; reading and writing the file is store.ts.
 */

export type ExecutionStatus = 'unresolved' | 'pending' | 'in-progress' | 'resolved';
export const EXECUTION_STATUSES: readonly ExecutionStatus[] = ['unresolved', 'pending', 'in-progress', 'resolved'];

/**
 * Where a record came from:
 * - `simulation`: stored by Run Simulation / `simulate` (the scenario's fault model);
 * - `make`: pulled from (or imported from a saved response of) Make's API; `make` holds Make's
 *   fields and where it came from (`zone` or `apiUrl`, `teamId`, `scenarioId`);
 * - `file`: written by hand or by another tool — the default when a record does not say.
 * A retry of a `simulation` or `file` record is a simulated retry (nothing is sent anywhere); a
 * `make` record is retried on Make or not at all.
 */
export type ExecutionOrigin = 'simulation' | 'make' | 'file';
export const EXECUTION_ORIGINS: readonly ExecutionOrigin[] = ['simulation', 'make', 'file'];

export interface HistoryEntry {
  readonly at: string;
  /** e.g. 'created' | 'retry' | 'auto-retry' | 'resolve' | 'import' */
  readonly action: string;
  readonly result?: string;
  readonly error?: string;
  readonly note?: string;
  readonly [extra: string]: unknown;
}

export interface ExecutionError {
  readonly type: string;
  readonly message: string;
  readonly [extra: string]: unknown;
}

export interface IncompleteExecution {
  readonly id: string;
  /** Where the record came from; absent = `file`. */
  readonly origin?: ExecutionOrigin;
  readonly scenario: string;
  readonly scenarioFile?: string;
  readonly moduleId: number;
  readonly moduleName?: string;
  readonly error: ExecutionError;
  readonly status: ExecutionStatus;
  readonly autoRetry: boolean;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly nextRetryAt: string | null;
  readonly created: string;
  readonly updated: string;
  readonly size?: number;
  readonly bundle?: unknown;
  readonly history: readonly HistoryEntry[];
  /** Fields the tool does not know are kept on every write. */
  readonly [extra: string]: unknown;
}

export interface ExecutionsFile {
  readonly version: 1;
  readonly executions: readonly IncompleteExecution[];
  readonly [extra: string]: unknown;
}

export const DEFAULT_EXECUTIONS_PATH = '.fusion/incomplete-executions.json';

/** A clock the simulator and the retry operations read; tests inject a fixed one. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/**
 * Whether Retry applies to the record: it waits for a person (`unresolved`) or for its automatic
 * retry (`pending`). Resolved records are done; `in-progress` ones are being retried elsewhere.
 */
export function isRetryable(r: Pick<IncompleteExecution, 'status'>): boolean {
  return r.status === 'unresolved' || r.status === 'pending';
}

/** Whether Resolve applies to the record (anything not resolved yet). */
export function isResolvable(r: Pick<IncompleteExecution, 'status'>): boolean {
  return r.status !== 'resolved';
}

/** The record's origin (`file` when it does not say). */
export function originOf(r: Pick<IncompleteExecution, 'origin'>): ExecutionOrigin {
  return r.origin === 'simulation' || r.origin === 'make' ? r.origin : 'file';
}

/**
 * Make no longer has the record (a pull did not list it any more, or Make answered 404): it was
 * resolved or deleted on Make. Such a record has status `resolved` and `make.gone` says when and
 * how it was noticed; messages say "no longer on Make", never "resolved".
 */
export function goneFromMake(r: IncompleteExecution): { readonly at: string; readonly how: string } | undefined {
  const make = r['make'];
  if (typeof make !== 'object' || make === null) return undefined;
  const gone = (make as Record<string, unknown>).gone;
  if (typeof gone !== 'object' || gone === null) return undefined;
  const g = gone as Record<string, unknown>;
  return typeof g.at === 'string' ? { at: g.at, how: typeof g.how === 'string' ? g.how : 'not-listed' } : undefined;
}
