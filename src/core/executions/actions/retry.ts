/**
 * Retry: records from Make are retried on Make (core/make/actions.ts: the requests, then a pull of
 * their scenario, and what Make says now); every other record gets a simulated retry against the
 * current scenario files (see operations.ts for what a replay does), under the executions file's
 * lock, and the outcome is written. Records from Make without a way to reach Make stop the whole
 * command before anything changes (MakeNotConnectedError).
 */
import { retryOnMake, type MakeAccess } from '../../make/actions';
import type { PullResult } from '../../make/pull';
import type { Profile } from '../../model';
import { isRetryable, originOf, type Clock, type IncompleteExecution } from '../model';
import { retryExecutions } from '../operations';
import { scenarioResolverFor, type ScenarioFileSource } from '../scenarioFiles';
import { collectGarbage, readExecutions, updateExecutionsFile } from '../store';
import { lookupsOf } from './common';
import type { ReplayResult } from './result';

/**
 * Replays between two garbage collections (where the runtime offers them, see collectGarbage):
 * the short-lived objects of a replay otherwise pile up; with 50,000 records, five collections of
 * a few hundred milliseconds keep the peak about 80 MB lower.
 */
const COLLECT_EVERY_REPLAYS = 10_000;
/** A first read of at least this many records is collected before the next read (see retryAction). */
const COLLECT_AFTER_RECORDS = 10_000;

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
  /** How to reach Make for records of origin `make` (absent: such records stop the command). */
  readonly make?: MakeAccess;
  /** Records from Make: replace the blueprint Make stored with the local scenario's before retrying. */
  readonly withLocalScenario?: boolean;
  /** Retry All: records to leave out (on Make: `exceptIds`). */
  readonly exceptIds?: readonly string[];
}

export interface RetryResult extends ReplayResult {
  /** The pulls that followed retries on Make. */
  readonly pulls: readonly PullResult[];
}

export async function retryAction(input: RetryInput): Promise<RetryResult> {
  const { select } = input;
  const except = new Set(input.exceptIds ?? []);
  // Records from Make go to Make; which ones they are is read before anything is locked or sent.
  const { fromMake, dryRun, read } = await readChoices(input, except);
  // The document read there is garbage now; with a large file, collect it before the file is read
  // again (under the lock), else it is still held while the next read holds the file's text.
  if (read >= COLLECT_AFTER_RECORDS) collectGarbage();
  let onMake: Awaited<ReturnType<typeof retryOnMake>> | undefined;
  if (fromMake.length > 0) {
    onMake = await retryOnMake({
      executionsFile: input.executionsFile,
      records: fromMake,
      access: input.make ?? {},
      ...('all' in select ? { all: { exceptIds: [...except] } } : {}),
      ...(input.withLocalScenario ? { withLocalScenario: input.scenarioFiles } : {}),
      scenarioFiles: input.scenarioFiles,
    });
  }
  const makeIds = new Set(fromMake.map((r) => r.id));
  const local = dryRun ? dryRunLocally(dryRun) : await retryLocally(input, makeIds, except);
  if (!onMake) return { ...local, pulls: [] };
  const makeResults = new Map(onMake.results.map((r) => [r.id, r]));
  const localResults = new Map(local.results.map((r) => [r.id, r]));
  const results =
    'ids' in select
      ? [...new Set(select.ids)].map((id) => makeResults.get(id) ?? localResults.get(id)).filter((r) => r !== undefined)
      : [...onMake.results, ...local.results];
  return { results, lookups: local.lookups, written: local.written || onMake.written, pulls: onMake.pulls };
}

/**
 * The chosen records from Make and, for a dry run, the chosen other ones, from a read of the file
 * that nothing keeps: only these records outlive this call, not the whole document (the retry then
 * reads the file again under the lock, and a large file must not be held twice).
 */
async function readChoices(
  input: RetryInput,
  except: ReadonlySet<string>,
): Promise<{ fromMake: IncompleteExecution[]; dryRun: IncompleteExecution[] | undefined; read: number }> {
  const { select } = input;
  const ids = 'ids' in select ? new Set(select.ids) : undefined;
  const scenario = 'all' in select ? select.scenario : undefined;
  const chosen = (r: IncompleteExecution): boolean =>
    ids ? ids.has(r.id) : isRetryable(r) && !except.has(r.id) && (scenario === undefined || r.scenario === scenario);
  const fromMake: IncompleteExecution[] = [];
  const local: IncompleteExecution[] = [];
  const all = (await readExecutions(input.executionsFile)).executions;
  for (const r of all) {
    if (!chosen(r)) continue;
    if (originOf(r) === 'make') fromMake.push(r);
    else local.push(r);
  }
  return { fromMake, dryRun: input.make?.dryRun ? local : undefined, read: all.length };
}

/** A dry run sends nothing and writes nothing: the simulated retries are only named. */
function dryRunLocally(chosen: readonly IncompleteExecution[]): ReplayResult {
  return {
    results: chosen.map((r) => ({
      id: r.id,
      result: 'skipped',
      simulated: true,
      where: 'local',
      message: `Dry run: ${r.id} would get a simulated retry here (no request; the file is not written).`,
    })),
    lookups: [],
    written: false,
  };
}

/** The simulated retries (every chosen record not from Make). */
async function retryLocally(input: RetryInput, makeIds: ReadonlySet<string>, except: ReadonlySet<string>): Promise<ReplayResult> {
  const { select } = input;
  if ('ids' in select && select.ids.every((id) => makeIds.has(id))) return { results: [], lookups: [], written: false };
  const { result, written } = await updateExecutionsFile(input.executionsFile, async (doc) => {
    const ids =
      'ids' in select
        ? select.ids.filter((id) => !makeIds.has(id))
        : doc.executions
            .filter(
              (r) =>
                isRetryable(r) &&
                originOf(r) !== 'make' &&
                !except.has(r.id) &&
                (select.scenario === undefined || r.scenario === select.scenario),
            )
            .map((r) => r.id);
    const wanted = new Set(ids);
    const resolver = await scenarioResolverFor(
      input.scenarioFiles,
      doc.executions.filter((r) => wanted.has(r.id)),
    );
    const out = retryExecutions(doc, ids, resolver.resolve, {
      ...(input.profile ? { profile: input.profile } : {}),
      ...(input.clock ? { clock: input.clock } : {}),
      checkpoint: { every: COLLECT_EVERY_REPLAYS, run: collectGarbage },
    });
    return { doc: out.doc, result: { results: out.results, lookups: lookupsOf(doc.executions, out.results, resolver) } };
  });
  return { ...result, written };
}
