/** Run Due Retries: the automatic retries that are due at `now` (see operations.ts), under the lock. */
import type { Profile } from '../../model';
import { dueExecutions, runDueRetries } from '../operations';
import { scenarioResolverFor, type ScenarioFileSource } from '../scenarioFiles';
import { updateExecutionsFile } from '../store';
import { lookupsOf } from './common';
import type { ReplayResult } from './result';

export interface RunDueInput {
  /** Absolute path of the executions file (it must exist). */
  readonly executionsFile: string;
  readonly scenarioFiles: ScenarioFileSource;
  /** The clock of the retries: what is due at this time runs, as attempts made at it. */
  readonly now: Date;
  /** For scenarios that do not set `settings.profile`. */
  readonly profile?: Profile;
}

export async function runDueAction(input: RunDueInput): Promise<ReplayResult> {
  const { result, written } = await updateExecutionsFile(input.executionsFile, async (doc) => {
    const resolver = await scenarioResolverFor(input.scenarioFiles, dueExecutions(doc, input.now));
    const out = runDueRetries(doc, resolver.resolve, input.now, input.profile);
    return { doc: out.doc, result: { results: out.results, lookups: lookupsOf(doc.executions, out.results, resolver) } };
  });
  return { ...result, written };
}
