/** Steps the actions that replay records share. */
import type { IncompleteExecution } from '../model';
import type { WorkspaceScenarioResolver } from '../../scenario/workspace';
import type { RecordResult, ScenarioLookup } from './result';

/** How each result's record (as it was in `before`) found its scenario. */
export function lookupsOf(
  before: readonly IncompleteExecution[],
  results: readonly RecordResult[],
  resolver: WorkspaceScenarioResolver,
): ScenarioLookup[] {
  const byId = new Map(before.map((r) => [r.id, r]));
  const out: ScenarioLookup[] = [];
  for (const res of results) {
    const r = byId.get(res.id);
    if (!r) continue;
    const how = resolver.explain(r);
    out.push({
      id: r.id,
      scenario: r.scenario,
      ...(r.scenarioFile !== undefined ? { scenarioFile: r.scenarioFile } : {}),
      kind: how.kind,
      ...(how.path !== undefined ? { path: how.path } : {}),
    });
  }
  return out;
}
