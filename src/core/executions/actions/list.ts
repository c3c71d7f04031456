/** List: the records of the executions file, optionally only one status or one scenario. */
import type { ExecutionStatus, IncompleteExecution } from '../model';
import { readExecutions } from '../store';

export interface ListInput {
  /** Absolute path of the executions file; a missing file is an ExecutionsFileError with code 'ENOENT'. */
  readonly executionsFile: string;
  readonly status?: ExecutionStatus;
  /** Exact scenario name. */
  readonly scenario?: string;
}

export interface ListResult {
  /** Every record of the file, in file order. */
  readonly all: readonly IncompleteExecution[];
  /** The records that pass the filters, in file order. */
  readonly shown: readonly IncompleteExecution[];
}

export async function listAction(input: ListInput): Promise<ListResult> {
  const all = (await readExecutions(input.executionsFile)).executions;
  const shown = all.filter(
    (x) => (!input.status || x.status === input.status) && (input.scenario === undefined || x.scenario === input.scenario),
  );
  return { all, shown };
}
