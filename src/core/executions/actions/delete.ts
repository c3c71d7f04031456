/** Delete: removes records (and their bundles) from the executions file. */
import { deleteExecutions } from '../operations';
import { updateExecutionsFile } from '../store';
import type { RecordsResult } from './result';

export interface DeleteInput {
  /** Absolute path of the executions file (it must exist). */
  readonly executionsFile: string;
  readonly ids: readonly string[];
}

export async function deleteAction(input: DeleteInput): Promise<RecordsResult> {
  const { result, written } = await updateExecutionsFile(input.executionsFile, (doc) => {
    const out = deleteExecutions(doc, input.ids);
    return { doc: out.doc, result: out.results };
  });
  return { results: result, written };
}
