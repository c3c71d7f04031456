/** Resolve: marks records resolved (fixed elsewhere), with an optional note in their history. */
import type { Clock } from '../model';
import { resolveExecutions } from '../operations';
import { updateExecutionsFile } from '../store';
import type { RecordsResult } from './result';

export interface ResolveInput {
  /** Absolute path of the executions file (it must exist). */
  readonly executionsFile: string;
  readonly ids: readonly string[];
  /** Kept in the history when not blank (trimmed). */
  readonly note?: string;
  readonly clock?: Clock;
}

export async function resolveAction(input: ResolveInput): Promise<RecordsResult> {
  const { result, written } = await updateExecutionsFile(input.executionsFile, (doc) => {
    const out = resolveExecutions(doc, input.ids, input.note, input.clock);
    return { doc: out.doc, result: out.results };
  });
  return { results: result, written };
}
