/**
 * Retry: replays chosen records against the current scenario files (see operations.ts for what a
 * replay does), under the executions file's lock, and writes the outcome.
 */
import type { Profile } from '../../model';
import { isRetryable, type Clock } from '../model';
import { retryExecutions } from '../operations';
import { scenarioResolverFor, type ScenarioFileSource } from '../scenarioFiles';
import { updateExecutionsFile } from '../store';
import { lookupsOf } from './common';
import type { ReplayResult } from './result';

export type RetrySelection =
  /** These records (an unknown id is reported `not-found`, a resolved or in-progress one `skipped`). */
  | { readonly ids: readonly string[] }
  /**
   * Retry All: every retryable record (unresolved or pending) of `scenario`, or of every scenario,
   * chosen from the file as it is when the lock is held (records added meanwhile are included).
   */
  | { readonly all: true; readonly scenario?: string };

export interface RetryInput {
  /** Absolute path of the executions file (it must exist). */
  readonly executionsFile: string;
  readonly scenarioFiles: ScenarioFileSource;
  readonly select: RetrySelection;
  /** For scenarios that do not set `settings.profile`. */
  readonly profile?: Profile;
  readonly clock?: Clock;
}

export async function retryAction(input: RetryInput): Promise<ReplayResult> {
  const { select } = input;
  const { result, written } = await updateExecutionsFile(input.executionsFile, async (doc) => {
    const ids =
      'ids' in select
        ? select.ids
        : doc.executions
            .filter((r) => isRetryable(r) && (select.scenario === undefined || r.scenario === select.scenario))
            .map((r) => r.id);
    const wanted = new Set(ids);
    const resolver = await scenarioResolverFor(
      input.scenarioFiles,
      doc.executions.filter((r) => wanted.has(r.id)),
    );
    const out = retryExecutions(doc, ids, resolver.resolve, {
      ...(input.profile ? { profile: input.profile } : {}),
      ...(input.clock ? { clock: input.clock } : {}),
    });
    return { doc: out.doc, result: { results: out.results, lookups: lookupsOf(doc.executions, out.results, resolver) } };
  });
  return { ...result, written };
}
