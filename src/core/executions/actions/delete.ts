/**
 * Delete: removes records (and their bundles) from the executions file. Records from Make are
 * deleted on Make first (core/make/actions.ts) and leave the file once Make accepted it; records
 * Make no longer has only leave the file. Records from Make without a way to reach Make stop the
 * whole command before anything changes (MakeNotConnectedError).
 */
import { deleteOnMake, type MakeAccess } from '../../make/actions';
import type { PullResult } from '../../make/pull';
import { originOf } from '../model';
import { deleteExecutions } from '../operations';
import type { ScenarioFileSource } from '../scenarioFiles';
import { readExecutions, updateExecutionsFile } from '../store';
import type { RecordsResult } from './result';

export interface DeleteInput {
  /** Absolute path of the executions file (it must exist). */
  readonly executionsFile: string;
  readonly ids: readonly string[];
  /** How to reach Make for records of origin `make` (absent: such records stop the command). */
  readonly make?: MakeAccess;
  /**
   * Delete every record of the scenario(s) of `ids` on Make (`all`), leaving out `exceptIds`;
   * `confirmed` says the person confirmed deleting all of them.
   */
  readonly all?: { readonly exceptIds: readonly string[]; readonly confirmed: boolean };
  /** For the pull after a delete on Make (module names). */
  readonly scenarioFiles?: ScenarioFileSource;
}

export interface DeleteResult extends RecordsResult {
  readonly pulls: readonly PullResult[];
}

export async function deleteAction(input: DeleteInput): Promise<DeleteResult> {
  const wanted = new Set(input.ids);
  const fromMake = (await readExecutions(input.executionsFile)).executions.filter((r) => wanted.has(r.id) && originOf(r) === 'make');
  if (fromMake.length === 0 && input.make?.dryRun) {
    return {
      results: [...wanted].map((id) => ({ id, result: 'skipped', where: 'local', message: `Dry run: ${id} was not deleted.` })),
      written: false,
      pulls: [],
    };
  }
  if (fromMake.length === 0) {
    const { result, written } = await updateExecutionsFile(input.executionsFile, (doc) => {
      const out = deleteExecutions(doc, input.ids);
      return { doc: out.doc, result: out.results };
    });
    return { results: result, written, pulls: [] };
  }
  const onMake = await deleteOnMake({
    executionsFile: input.executionsFile,
    records: fromMake,
    access: input.make ?? {},
    ...(input.all ? { all: input.all } : {}),
    ...(input.scenarioFiles ? { scenarioFiles: input.scenarioFiles } : {}),
  });
  const makeIds = new Set(fromMake.map((r) => r.id));
  const rest = input.ids.filter((id) => !makeIds.has(id));
  let local: RecordsResult = { results: [], written: false };
  if (input.make?.dryRun) {
    local = {
      results: rest.map((id) => ({ id, result: 'skipped', where: 'local', message: `Dry run: ${id} was not deleted.` })),
      written: false,
    };
  } else if (rest.length > 0) {
    const out = await updateExecutionsFile(input.executionsFile, (doc) => {
      const d = deleteExecutions(doc, rest);
      return { doc: d.doc, result: d.results };
    });
    local = { results: out.result, written: out.written };
  }
  const byId = new Map([...onMake.results, ...local.results].map((r) => [r.id, r]));
  const results = [...new Set(input.ids)].map((id) => byId.get(id)).filter((r) => r !== undefined);
  return { results, written: onMake.written || local.written, pulls: onMake.pulls };
}
