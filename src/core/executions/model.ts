/**
 * The records of the incomplete-executions file (`.fusion/incomplete-executions.json`): what one
 * incomplete execution looks like, its statuses, and the few rules about a record that every
 * caller shares. Pure types and tiny helpers; reading and writing the file is store.ts.
 */

export type ExecutionStatus = 'unresolved' | 'pending' | 'in-progress' | 'resolved';
export const EXECUTION_STATUSES: readonly ExecutionStatus[] = ['unresolved', 'pending', 'in-progress', 'resolved'];

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

/** A clock the simulator and retry operations read; tests inject a fixed one. */

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
