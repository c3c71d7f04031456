/*
 * Pure operations over an ExecutionsFile: they return a new document and never touch the disk,
 * never mutate their input, and keep every field of a record they do not know.
 * Every change appends to `history` and sets `updated`.
 *
 * Retry here is a *simulated* retry: nothing is sent to Fusion or Make. It applies to records of
 * origin `simulation` and `file` (records from Make are retried on Make, core/make/actions.ts, and
 * are skipped here). Its results, messages and history entries say `simulated`.
 * - The stored bundle is replayed from the failed module against the *current* scenario (via the
 *   resolver), with the scenario's `simulation.faults` as the fault model. Retry number =
 *   attempts so far + 1; a fault with `recoverAfter: n` fails while the retry number is < n.
 *   The bundle number of the record (`bundleNumber`, else `bundle.bundle`) selects faults that
 *   have a `bundles` list; a record without one only meets faults that apply to all bundles.
 * - The fault model is the only source of recoveries. When no fault of `simulation.faults`
 *   matches the failed module for the record's bundle (whatever its `recoverAfter`):
 *   · a `simulation` record whose error is transient (ConnectionError, RateLimitError,
 *     ModuleTimeoutError) takes the module as working now: the fault that stored it was removed
 *     from the model;
 *   · any other record (a data or configuration error, or a record the model did not produce)
 *     meets its stored error again: replaying an unchanged bundle repeats it. A handler added to
 *     the scenario since still applies to it (an Ignore or Resume then ends the replay well).
 *   The result and the history entry say which of these was assumed (`assumed`).
 * - Success at the failed module → the rest of that branch runs (the rest of the list the module
 *   sits in, routers expanded: their routes run in order). A later fault can fail it again.
 * - A retry stops at its first failure that is not absorbed by a handler (Resume continues,
 *   Ignore / Commit end the replay successfully).
 * - Success → `resolved` (attempts unchanged; they count failed attempts).
 * - Failure → attempts + 1; the failure is classified again; the record moves to the failing
 *   module and error; status `pending` with `nextRetryAt` from the schedule while automatic
 *   attempts remain, else `unresolved` (`nextRetryAt` null).
 * - A failure whose new classification stores nothing (failed / stopped / rollback, or storage now
 *   off) keeps the record as `unresolved` without automatic retry: it waits for a person.
 * - The attempt counter belongs to the execution: when it moves to another module the schedule
 *   continues from the number of attempts already made.
 * - Scenario or module not found → result 'failed' with a message; the record only gains a
 *   history entry (and `updated`).
 * - Resolved records are 'skipped' by retry / resolve; `in-progress` records are 'skipped' by retry.
 * - Resolve skips records from Make: Make's API cannot mark one resolved, and marking it here
 *   would say something Make does not.
 *
 * Run due retries:
 * - Every `pending` record with `nextRetryAt` ≤ now is due, except records from Make (Make runs
 *   their automatic retries itself). They run in schedule order (earliest `nextRetryAt` first,
 *   then `created`, then id), as attempts made at `now`, at most 3 per scenario (keyed by
 *   `scenarioFile`, else `scenario`) per call — "3 at once" is read as one batch per call. The
 *   rest stay due and are reported 'skipped' ("deferred"); the next call picks them up.
 */
import { effectiveProfile } from '../classify/classifier';
import { lookupErrorType } from '../catalogue/catalogue';
import type { Fault, Profile, Scenario } from '../model';
import type { Clock, ExecutionsFile, HistoryEntry, IncompleteExecution } from './model';
import { findModule } from '../model';
import { originOf, systemClock } from './model';
import { maxAttempts, nextRetryAt, retryPolicyFor } from './schedule';
import { TextPool, flatText } from './compactText';
import type { FlowContext, FlowFailure } from '../simulate/simulator';
import { locateModule, runList } from '../simulate/simulator';

/** Finds the current scenario for an execution (by scenarioFile, else by name); undefined = not found. */
export type ScenarioResolver = (execution: IncompleteExecution) => Scenario | undefined;

export interface OperationResult {
  readonly id: string;
  /**
   * 'resolved' | 'failed' (still stored) | 'not-found' | 'skipped' (e.g. already resolved) |
   * 'deleted' | 'sent' (a request Make accepted whose outcome Make has not reported yet) |
   * 'gone' (Make no longer has the record) | 'error' (the operation could not be done: a request
   * to Make failed; the message says why and nothing was changed for that record).
   */
  readonly result: 'resolved' | 'failed' | 'not-found' | 'skipped' | 'deleted' | 'sent' | 'gone' | 'error';
  readonly message: string;
  /**
   * Set when a retry could not run at all (result 'failed', the record only gained a history
   * entry): its scenario was not found (or its file is unusable), or the module is gone.
   */
  readonly notRun?: 'scenario-not-found' | 'module-not-found';
  /** A simulated retry: nothing was sent to Fusion or Make. */
  readonly simulated?: boolean;
  /** What the simulated retry assumed where the fault model says nothing. */
  readonly assumed?: string;
  /** Where the change happened: 'local' (this file only) or 'make' (on Make, then pulled). */
  readonly where?: 'local' | 'make';
}

export interface OperationOutput {
  readonly doc: ExecutionsFile;
  readonly results: readonly OperationResult[];
}

export interface RetryOptions {
  readonly clock?: Clock;
  readonly profile?: Profile;
  readonly automatic?: boolean;
  /**
   * Called after every `every` replayed records. A replay leaves a few kilobytes of short-lived
   * objects per record that the runtime would only collect much later (with 50,000 records that is
   * about 100 MB on top of what is kept): the CLI collects garbage here (actions/retry.ts).
   */
  readonly checkpoint?: { readonly every: number; readonly run: () => void };
}

/** Most retries run per scenario by one `runDueRetries` call. */
export const MAX_RETRIES_PER_SCENARIO_AT_ONCE = 3;

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

function withHistory(rec: IncompleteExecution, entry: HistoryEntry, changes: Partial<IncompleteExecution> = {}): IncompleteExecution {
  return {
    ...rec,
    ...changes,
    updated: entry.at,
    // concat allocates the exact length (a spread into a literal leaves room to grow in each copy).
    history: (Array.isArray(rec.history) ? (rec.history as readonly HistoryEntry[]) : []).concat([entry]),
  };
}

/** The bundle number the record was stored for, if it says so. */
export function bundleNumberOf(rec: IncompleteExecution): number | null {
  const n = rec['bundleNumber'];
  if (typeof n === 'number' && Number.isInteger(n)) return n;
  const b = rec.bundle;
  if (b !== null && typeof b === 'object' && !Array.isArray(b)) {
    const inner = (b as Record<string, unknown>)['bundle'];
    if (typeof inner === 'number' && Number.isInteger(inner)) return inner;
  }
  return null;
}

function scenarioLabel(rec: IncompleteExecution): string {
  return `"${rec.scenario}"${rec.scenarioFile ? ` (${rec.scenarioFile})` : ''}`;
}

/** Error types whose cause usually passes by itself (the catalogue's connection family). */
function isTransient(errorType: string): boolean {
  return lookupErrorType(errorType)?.family === 'connection';
}

/** Whether a fault of the model names `moduleId` for this bundle, whatever its `recoverAfter`. */
function faultMatches(faults: readonly Fault[], moduleId: number, bundle: number | null): boolean {
  return faults.some((f) => f.module === moduleId && (f.bundles === null || (bundle !== null && f.bundles.includes(bundle))));
}

/**
 * The scenario the replay runs, and what was assumed: when the model has no fault for the failed
 * module, the record's stored error is added as a fault that never recovers (see the header).
 */
function replayModel(rec: IncompleteExecution, scenario: Scenario, bundle: number | null): { scenario: Scenario; assumed?: string } {
  const faults = scenario.simulation?.faults ?? [];
  if (faultMatches(faults, rec.moduleId, bundle)) return { scenario };
  const type = rec.error?.type ?? 'UnknownError';
  const forBundle = bundle !== null ? ` for bundle ${bundle}` : '';
  if (originOf(rec) === 'simulation' && isTransient(type)) {
    return {
      scenario,
      assumed: `no fault in simulation.faults makes module ${rec.moduleId} fail${forBundle} any more, so the ${type} is taken to have passed`,
    };
  }
  const repeat: Fault = {
    module: rec.moduleId,
    error: type,
    message: rec.error?.message ?? type,
    bundles: null,
    recoverAfter: null,
    span: { start: 0, end: 0 },
  };
  const why =
    originOf(rec) === 'simulation'
      ? `replaying the unchanged bundle repeats a ${type}`
      : `the record did not come from this fault model, so its stored ${type} is taken to repeat`;
  return {
    scenario: { ...scenario, simulation: { bundles: scenario.simulation?.bundles ?? 1, faults: [...faults, repeat] } },
    assumed: `no fault in simulation.faults matches module ${rec.moduleId}${forBundle}; ${why}`,
  };
}

const NOTHING_SENT = 'nothing was sent to Fusion or Make';

/**
 * What the retries of one call share: the time they are made at, and one copy of each text that
 * repeats across records (the `assumed` sentences, the next retry times). A retry of 50,000
 * records keeps 50,000 results and history entries: their texts are kept flat and shared
 * (compactText.ts), which is most of what such a call holds besides the document.
 */
interface RetryRun {
  readonly now: Date;
  /** `now` as ISO text, one string for every history entry and `updated` of the call. */
  readonly at: string;
  readonly texts: TextPool;
  /** Records replayed so far (for `RetryOptions.checkpoint`). */
  replayed: number;
}

function retryRunAt(now: Date): RetryRun {
  return { now, at: now.toISOString(), texts: new TextPool(), replayed: 0 };
}

/** One simulated retry of one record at `run.now`. Returns the new record and the result. */
function retryOne(
  rec: IncompleteExecution,
  resolve: ScenarioResolver,
  run: RetryRun,
  options: RetryOptions,
): { rec: IncompleteExecution; result: OperationResult } {
  const { now, at } = run;
  const action = options.automatic ? 'auto-retry' : 'retry';
  const fail = (text: string, notRun: NonNullable<OperationResult['notRun']>): { rec: IncompleteExecution; result: OperationResult } => {
    const message = flatText(text);
    return {
      rec: withHistory(rec, { at, action, result: 'failed', error: rec.error?.type, message, simulated: true }),
      result: { id: rec.id, result: 'failed', message, notRun, simulated: true, where: 'local' },
    };
  };

  const scenario = resolve(rec);
  if (!scenario) return fail(`Cannot retry ${rec.id}: scenario ${scenarioLabel(rec)} was not found.`, 'scenario-not-found');
  const where = locateModule(scenario, rec.moduleId);
  if (!where || !findModule(scenario, rec.moduleId)) {
    return fail(`Cannot retry ${rec.id}: module ${rec.moduleId} no longer exists in scenario ${scenarioLabel(rec)}.`, 'module-not-found');
  }

  const retryNumber = rec.attempts + 1;
  const bundle = bundleNumberOf(rec);
  const model = replayModel(rec, scenario, bundle);
  const assumed = model.assumed !== undefined ? run.texts.intern(model.assumed) : undefined;
  const assumedText = assumed !== undefined ? ` Assumed: ${assumed}.` : '';
  let failure: FlowFailure | undefined;
  const ctx: FlowContext = {
    scenario: model.scenario,
    profile: effectiveProfile(scenario, options.profile),
    bundle,
    retryNumber,
    steps: [],
    hooks: {
      onStored: (f) => {
        failure ??= f;
        return 'run-ended';
      },
      onRunFailure: (f) => {
        failure ??= f;
      },
      onDropped: () => undefined,
      onCommit: () => undefined,
      onResumed: () => undefined,
    },
  };
  runList(where.list, where.index, ctx);
  const noted = assumed ? { assumed } : {};

  if (!failure) {
    const message = flatText(
      `Simulated retry ${retryNumber} of ${rec.id} succeeded: the record is marked resolved in the executions file (${NOTHING_SENT}).${assumedText}`,
    );
    return {
      rec: withHistory(rec, { at, action, result: 'succeeded', simulated: true, ...noted }, { status: 'resolved', nextRetryAt: null }),
      result: { id: rec.id, result: 'resolved', message, simulated: true, where: 'local', ...noted },
    };
  }

  const { module, fault, classification: c } = failure;
  const attempts = rec.attempts + 1;
  const policy = retryPolicyFor(c);
  const max = maxAttempts(policy);
  const next = c.autoRetry ? nextRetryAt(policy, attempts, now) : null;
  const status = next ? 'pending' : 'unresolved';
  const sameError = module.id === rec.moduleId && fault.error === rec.error?.type;
  const errorMessage = fault.message ?? (sameError ? rec.error.message : `${fault.error} (simulated fault)`);
  // The same error again keeps the stored error object (the copy would be equal, key order included).
  const error =
    sameError && rec.error.message === errorMessage
      ? rec.error
      : { ...(sameError ? rec.error : {}), type: fault.error, message: errorMessage };
  const nextAt = next ? run.texts.intern(next.toISOString()) : null;
  const moved = module.id !== rec.moduleId ? ` (the execution moves to module ${module.id})` : '';
  let tail: string;
  if (nextAt) tail = `next automatic retry at ${nextAt} (${attempts} of ${max} attempts made).`;
  else if (c.autoRetry) tail = `automatic attempts exhausted (${attempts} of ${max}); the execution is unresolved.`;
  else if (c.storesIncompleteExecution) tail = 'no automatic retry; the execution is unresolved.';
  else tail = `${c.reason} The execution stays unresolved.`;
  const message = flatText(
    `Simulated retry ${retryNumber} of ${rec.id} failed at module ${module.id} with ${fault.error}${moved}: ${tail}${assumedText}`,
  );
  return {
    rec: withHistory(
      rec,
      {
        at,
        action,
        result: 'failed',
        error: fault.error,
        ...(module.id !== rec.moduleId ? { moduleId: module.id } : {}),
        simulated: true,
        ...noted,
      },
      {
        moduleId: module.id,
        moduleName: module.name ?? module.app,
        error,
        attempts,
        maxAttempts: max,
        autoRetry: c.autoRetry,
        status,
        nextRetryAt: nextAt,
      },
    ),
    result: { id: rec.id, result: 'failed', message, simulated: true, where: 'local', ...noted },
  };
}

/** Record index by id, built once per operation (a lookup per id stays O(1): no quadratic scans). */
function indexById(executions: readonly IncompleteExecution[]): Map<string, number> {
  const index = new Map<string, number>();
  for (let i = 0; i < executions.length; i++) if (!index.has(executions[i].id)) index.set(executions[i].id, i);
  return index;
}

/**
 * The index in `executions` of the unresolved record `id`, or -1 after adding to `results` why it
 * cannot be changed (no such id, already resolved).
 */
function unresolvedIndex(
  executions: readonly IncompleteExecution[],
  index: ReadonlyMap<string, number>,
  id: string,
  results: OperationResult[],
): number {
  const i = index.get(id);
  if (i === undefined) {
    results.push({ id, result: 'not-found', message: `No incomplete execution with id ${id}.` });
    return -1;
  }
  if (executions[i].status === 'resolved') {
    results.push({ id, result: 'skipped', message: `${id} is already resolved.` });
    return -1;
  }
  return i;
}

/** Retries `ids` in `executions` (changed in place), at `run.now`; appends one result per id. */
function retryInPlace(
  executions: IncompleteExecution[],
  index: ReadonlyMap<string, number>,
  ids: readonly string[],
  resolve: ScenarioResolver,
  run: RetryRun,
  options: RetryOptions,
  results: OperationResult[],
): void {
  for (const id of ids) {
    const i = unresolvedIndex(executions, index, id, results);
    if (i < 0) continue;
    const rec = executions[i];
    if (rec.status === 'in-progress') {
      results.push({ id, result: 'skipped', message: `${id} is in progress.` });
      continue;
    }
    if (originOf(rec) === 'make') {
      results.push({ id, result: 'skipped', message: `${id} comes from Make: it is retried on Make, not simulated.` });
      continue;
    }
    const out = retryOne(rec, resolve, run, options);
    executions[i] = out.rec;
    results.push(out.result);
    const checkpoint = options.checkpoint;
    if (checkpoint && ++run.replayed % checkpoint.every === 0) checkpoint.run();
  }
}

export function retryExecutions(
  doc: ExecutionsFile,
  ids: readonly string[],
  resolve: ScenarioResolver,
  options: RetryOptions = {},
): OperationOutput {
  const now = (options.clock ?? systemClock)();
  const executions = [...doc.executions];
  const results: OperationResult[] = [];
  retryInPlace(executions, indexById(executions), unique(ids), resolve, retryRunAt(now), options, results);
  return { doc: { ...doc, executions }, results };
}

export function resolveExecutions(doc: ExecutionsFile, ids: readonly string[], note: string | undefined, clock?: Clock): OperationOutput {
  const at = (clock ?? systemClock)().toISOString();
  const executions = [...doc.executions];
  const index = indexById(executions);
  const results: OperationResult[] = [];
  const trimmed = note?.trim();
  for (const id of unique(ids)) {
    const i = unresolvedIndex(executions, index, id, results);
    if (i < 0) continue;
    const rec = executions[i];
    if (originOf(rec) === 'make') {
      results.push({
        id,
        result: 'skipped',
        message: `${id} comes from Make, and Make's API cannot mark an incomplete execution resolved: retry it on Make or delete it there; a pull then shows what Make says.`,
      });
      continue;
    }
    executions[i] = withHistory(
      rec,
      { at, action: 'resolve', result: 'resolved', ...(trimmed ? { note: trimmed } : {}) },
      { status: 'resolved', nextRetryAt: null },
    );
    results.push({ id, result: 'resolved', message: `${id} marked resolved${trimmed ? ` (${trimmed})` : ''}.` });
  }
  return { doc: { ...doc, executions }, results };
}

export function deleteExecutions(doc: ExecutionsFile, ids: readonly string[]): OperationOutput {
  const wanted = new Set(ids);
  const present = new Set(doc.executions.map((e) => e.id));
  const results: OperationResult[] = unique(ids).map((id) =>
    present.has(id)
      ? { id, result: 'deleted', message: `${id} deleted.` }
      : { id, result: 'not-found', message: `No incomplete execution with id ${id}.` },
  );
  return { doc: { ...doc, executions: doc.executions.filter((e) => !wanted.has(e.id)) }, results };
}

function dueTime(rec: IncompleteExecution): number | null {
  if (rec.status !== 'pending' || typeof rec.nextRetryAt !== 'string') return null;
  const t = Date.parse(rec.nextRetryAt);
  return Number.isNaN(t) ? null : t;
}

/** Records due at `now`, in schedule order. */
export function dueExecutions(doc: ExecutionsFile, now: Date): IncompleteExecution[] {
  const limit = now.getTime();
  const due: { rec: IncompleteExecution; t: number }[] = [];
  for (const rec of doc.executions) {
    if (originOf(rec) === 'make') continue;
    const t = dueTime(rec);
    if (t !== null && t <= limit) due.push({ rec, t });
  }
  due.sort((a, b) => a.t - b.t || String(a.rec.created).localeCompare(String(b.rec.created)) || a.rec.id.localeCompare(b.rec.id));
  return due.map((d) => d.rec);
}

/** Performs every automatic retry due at `now`, in schedule order, at most 3 per scenario at once. */
export function runDueRetries(doc: ExecutionsFile, resolve: ScenarioResolver, now: Date, profile?: Profile): OperationOutput {
  const perScenario = new Map<string, number>();
  const executions = [...doc.executions];
  const index = indexById(executions);
  const options: RetryOptions = { clock: () => now, automatic: true, ...(profile ? { profile } : {}) };
  const results: OperationResult[] = [];
  const run = retryRunAt(now);
  for (const rec of dueExecutions(doc, now)) {
    const key = rec.scenarioFile ?? rec.scenario;
    const done = perScenario.get(key) ?? 0;
    if (done >= MAX_RETRIES_PER_SCENARIO_AT_ONCE) {
      results.push({
        id: rec.id,
        result: 'skipped',
        message: `${rec.id} deferred: at most ${MAX_RETRIES_PER_SCENARIO_AT_ONCE} retries per scenario run at once; it stays due.`,
      });
      continue;
    }
    perScenario.set(key, done + 1);
    retryInPlace(executions, index, [rec.id], resolve, run, options, results);
  }
  return { doc: { ...doc, executions }, results };
}

export function appendExecutions(doc: ExecutionsFile, executions: readonly IncompleteExecution[]): ExecutionsFile {
  return { ...doc, executions: [...doc.executions, ...executions] };
}
