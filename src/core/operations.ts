// CONTRACT STUB — owned by the "core-domain" helper; replace the bodies, keep the signatures.
// Pure operations over an ExecutionsFile: they return a new document and never touch the disk.
import type { Clock, ExecutionsFile, IncompleteExecution, Profile, Scenario } from './model';

/** Finds the current scenario for an execution (by scenarioFile, else by name); undefined = not found. */
export type ScenarioResolver = (execution: IncompleteExecution) => Scenario | undefined;

export interface OperationResult {
  readonly id: string;
  /** 'resolved' | 'failed' (still stored) | 'not-found' | 'skipped' (e.g. already resolved) | 'deleted' */
  readonly result: 'resolved' | 'failed' | 'not-found' | 'skipped' | 'deleted';
  readonly message: string;
}

export interface OperationOutput {
  readonly doc: ExecutionsFile;
  readonly results: readonly OperationResult[];
}

export interface RetryOptions { readonly clock?: Clock; readonly profile?: Profile; readonly automatic?: boolean }

export function retryExecutions(doc: ExecutionsFile, ids: readonly string[], resolve: ScenarioResolver, options?: RetryOptions): OperationOutput {
  void doc; void ids; void resolve; void options;
  throw new Error('not implemented');
}

export function resolveExecutions(doc: ExecutionsFile, ids: readonly string[], note: string | undefined, clock?: Clock): OperationOutput {
  void doc; void ids; void note; void clock;
  throw new Error('not implemented');
}

export function deleteExecutions(doc: ExecutionsFile, ids: readonly string[]): OperationOutput {
  void doc; void ids;
  throw new Error('not implemented');
}

/** Performs every automatic retry due at `now`, in schedule order, at most 3 per scenario at once. */
export function runDueRetries(doc: ExecutionsFile, resolve: ScenarioResolver, now: Date, profile?: Profile): OperationOutput {
  void doc; void resolve; void now; void profile;
  throw new Error('not implemented');
}

export function appendExecutions(doc: ExecutionsFile, executions: readonly IncompleteExecution[]): ExecutionsFile {
  return { ...doc, executions: [...doc.executions, ...executions] };
}
