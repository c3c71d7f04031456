/**
 * Pull: brings the incomplete executions Make stores for some scenarios into the executions file.
 *
 * Which scenarios: a list of scenario ids (the workspace config's `make.scenarios`, or the command
 * line), or a team (every scenario of it whose `dlqCount` is above 0, plus those that still have
 * records here that are not resolved, so the ones that disappeared are noticed).
 *
 * For each scenario: `GET /scenarios/{id}` (name, state, dlqCount; from the team's list in team
 * mode), then `GET /dlqs?scenarioId=` page by page (100 a page, oldest first), then for each record
 * that is new or changed (its attempts, retry, resolved, size or reason differ from what the file
 * has) and not resolved: `GET /dlqs/{id}` (new records only) and `GET /dlqs/{id}/bundle` (the
 * failing module and the error). A scenario whose dlqCount is 0 and which has no open record here
 * is not listed at all. Records already resolved on Make are taken from the list alone.
 *
 * The responses merge by id through the importer (importExport.ts), so a pull of unchanged data
 * changes no record. Records get `origin: "make"`, `make.zone` (or `make.apiUrl`), `make.teamId`,
 * `make.scenarioId` and, when the config maps the scenario to a file, `scenarioFile`.
 *
 * Never resolved locally: a record's status comes from Make. A record Make no longer has (not
 * listed by a complete listing, or 404 on its detail) is marked `make.gone` with status
 * `resolved` (Make no longer stores it: resolved or deleted there) and a history entry saying so;
 * it is never deleted by a pull. A record that disappears between the list and its detail and
 * was not in the file is not added (the result says so).
 *
 * Failures: a 401 or a connection that cannot be made stops the pull (`fatal`); anything else (a
 * page, a detail or a bundle that failed after the client's retries, a scenario Make does not
 * know) is a problem of that scenario or record, the rest goes on, and what was fetched is kept. A
 * scenario whose listing did not complete marks nothing gone.
 *
 * The network part runs without the file's lock (it can take minutes under a small request
 * budget); the merge then runs under the lock on the file as it is at that moment.
 *
 * The executions file records the state of each pulled scenario under `makeSync` (top level),
 * keyed by the API base URL and the scenario id: name, state (active / paused / invalid), dlqCount,
 * `lastSyncedAt` (the last complete pull), `lastAttemptAt` and the problems of the last pull.
 */
import { promises as fsp } from 'node:fs';
import type { ExecutionsFile, HistoryEntry, IncompleteExecution } from '../executions/model';
import { goneFromMake, originOf } from '../executions/model';
import { scenarioResolverFor, type ScenarioFileSource } from '../executions/scenarioFiles';
import { loadExecutions, updateExecutionsFile } from '../executions/store';
import { findModule } from '../model';
import { MakeApiError, type MakeApiErrorKind, type MakeClient, type MakeClientStats } from './client';
import { connectionFields, connectionKey, connectionOfMakeFields, type MakeConnection } from './connection';
import { failingModuleOf, mergeMakeResponses, parseMakeResponses, type ImportSummary } from './importExport';
import { MakeImportError } from './importError';

export type PullScope =
  { readonly kind: 'scenarios'; readonly ids: readonly number[] } | { readonly kind: 'team'; readonly teamId: number };

export interface PullInput {
  /** Absolute path of the executions file (created when missing). */
  readonly executionsFile: string;
  readonly client: MakeClient;
  readonly scope: PullScope;
  /** Team recorded on the records (the scope's team in team mode). */
  readonly teamId?: number;
  /** Make scenario id → workspace-relative scenario file. */
  readonly fileOf?: ReadonlyMap<number, string>;
  /** Where the scenario files are read (module names for records that lack one). */
  readonly scenarioFiles?: ScenarioFileSource;
  readonly now?: () => Date;
  /** Detail / bundle requests in flight at once per scenario; default 4. */
  readonly concurrency?: number;
  /** Page size of `GET /dlqs`; default 100. */
  readonly pageSize?: number;
}

export interface PullProblem {
  readonly scenarioId?: number;
  readonly id?: string;
  /** e.g. `GET /dlqs/abc/bundle` */
  readonly request?: string;
  readonly kind: MakeApiErrorKind | 'invalid';
  readonly message: string;
}

export interface ScenarioState {
  readonly isActive?: boolean;
  readonly isPaused?: boolean;
  readonly isinvalid?: boolean;
  readonly dlqCount?: number;
}

export interface ScenarioPull {
  readonly scenarioId: number;
  readonly name?: string;
  readonly state?: ScenarioState;
  /** Records Make listed. */
  readonly listed: number;
  /** Every page, detail and bundle needed was fetched. */
  readonly complete: boolean;
  readonly added: readonly string[];
  readonly updated: readonly string[];
  readonly unchanged: readonly string[];
  /** Records of the file Make no longer has (marked `make.gone`, not deleted). */
  readonly gone: readonly string[];
  /** Listed, then 404 before their detail was read: not added. */
  readonly vanished: readonly string[];
  readonly problems: readonly PullProblem[];
}

export interface PullResult {
  readonly scenarios: readonly ScenarioPull[];
  readonly problems: readonly PullProblem[];
  /** Whether the executions file was written. */
  readonly written: boolean;
  readonly stats: MakeClientStats;
  /** A 401 or a connection failure that stopped the pull (what was fetched before it is kept). */
  readonly fatal?: MakeApiError;
  /** Time the pull took, ms. */
  readonly ms: number;
}

/** The record fields a list entry shares with a record, compared to decide "changed". */
const LIST_FIELDS = ['resolved', 'retry', 'attempts', 'size', 'reason'] as const;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isFatal(e: unknown): e is MakeApiError {
  return e instanceof MakeApiError && (e.kind === 'auth' || e.kind === 'network');
}

/** The `makeSync` key of a scenario. */
export function syncKey(connection: MakeConnection, scenarioId: number): string {
  return `${connectionKey(connection)}#${scenarioId}`;
}

/** Whether `r` is a record of `scenarioId` pulled through `connection`. */
function belongsTo(r: IncompleteExecution, connection: MakeConnection, scenarioId: number): boolean {
  if (originOf(r) !== 'make' || !isObject(r.make)) return false;
  if (Number(r.make.scenarioId) !== scenarioId) return false;
  const c = connectionOfMakeFields(r.make);
  return c !== undefined && connectionKey(c) === connectionKey(connection);
}

function stateOf(s: Json): ScenarioState {
  const out: { -readonly [K in keyof ScenarioState]: ScenarioState[K] } = {};
  if (typeof s.isActive === 'boolean') out.isActive = s.isActive;
  if (typeof s.isPaused === 'boolean') out.isPaused = s.isPaused;
  if (typeof s.isinvalid === 'boolean') out.isinvalid = s.isinvalid;
  if (typeof s.dlqCount === 'number') out.dlqCount = s.dlqCount;
  return out;
}

/** Runs `tasks` with at most `n` at once. */
async function pool<T>(items: readonly T[], n: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(n, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await task(item);
    }
  });
  await Promise.all(workers);
}

/** What was fetched for one scenario, before the merge. */
interface Fetched {
  readonly scenarioId: number;
  name?: string;
  state?: ScenarioState;
  listedIds: string[];
  complete: boolean;
  /** Per record: the responses to merge (list entry, detail, bundle), as import inputs. */
  inputs: { id: string; file: string; text: string }[];
  goneIds: Map<string, 'not-listed' | 'not-found'>;
  vanished: string[];
  problems: PullProblem[];
  moduleNames: Map<number, string>;
  /** Failing modules named by the bundles fetched. */
  moduleIds: Set<number>;
}

async function fetchScenario(
  input: PullInput,
  scenarioId: number,
  info: Json | undefined,
  existing: ReadonlyMap<string, IncompleteExecution>,
  local: readonly IncompleteExecution[],
): Promise<Fetched> {
  const { client } = input;
  const f: Fetched = {
    scenarioId,
    listedIds: [],
    complete: true,
    inputs: [],
    goneIds: new Map(),
    vanished: [],
    problems: [],
    moduleNames: new Map(),
    moduleIds: new Set(),
  };
  const problem = (e: unknown, extra: { id?: string } = {}): void => {
    if (isFatal(e)) throw e;
    if (e instanceof MakeApiError) f.problems.push({ scenarioId, ...extra, request: e.request, kind: e.kind, message: e.message });
    else throw e;
  };
  let scenario = info;
  if (!scenario) {
    try {
      scenario = await client.getScenario(scenarioId);
    } catch (e) {
      problem(e);
      f.complete = false;
      return f;
    }
  }
  f.name = typeof scenario.name === 'string' && scenario.name.trim() !== '' ? scenario.name : undefined;
  f.state = stateOf(scenario);

  const open = local.filter((r) => r.status !== 'resolved');
  if (f.state.dlqCount === 0 && open.length === 0) return f;

  // The listing, page by page.
  const pageSize = input.pageSize ?? 100;
  const entries: Json[] = [];
  for (let offset = 0; ;) {
    let page: unknown[];
    let served = pageSize;
    try {
      const answer = await client.listDlqsPage(scenarioId, offset, pageSize);
      page = answer.dlqs;
      // Make may serve fewer per page than asked (its own maximum): its `pg.limit` says how many.
      const pg = answer.raw.pg;
      if (isObject(pg) && typeof pg.limit === 'number' && pg.limit > 0 && pg.limit < pageSize) served = pg.limit;
    } catch (e) {
      problem(e);
      f.complete = false;
      break;
    }
    for (const entry of page) {
      if (!isObject(entry) || typeof entry.id !== 'string' || entry.id.trim() === '') {
        f.problems.push({ scenarioId, kind: 'invalid', message: `GET /dlqs?scenarioId=${scenarioId}: an entry without an id was skipped` });
        continue;
      }
      entries.push(entry);
    }
    if (page.length === 0 || page.length < served) break;
    offset += page.length;
    if (offset > 1_000_000) {
      f.problems.push({ scenarioId, kind: 'invalid', message: `GET /dlqs?scenarioId=${scenarioId}: stopped after 1,000,000 records` });
      f.complete = false;
      break;
    }
  }
  const seen = new Set<string>();
  const where = connectionFields(client.connection);
  const extra: Json = { ...where, scenarioId, ...(input.teamId !== undefined ? { teamId: input.teamId } : {}) };

  const work: { entry: Json; detail: boolean; bundle: boolean }[] = [];
  for (const entry of entries) {
    const id = (entry.id as string).trim();
    if (seen.has(id)) continue; // a record that moved across a page boundary meanwhile
    seen.add(id);
    f.listedIds.push(id);
    const before = existing.get(id);
    const beforeMake = before && isObject(before.make) ? before.make : undefined;
    const changed = !beforeMake || LIST_FIELDS.some((k) => JSON.stringify(beforeMake[k]) !== JSON.stringify(entry[k]));
    const open = entry.resolved !== true;
    work.push({ entry, detail: open && !before, bundle: open && (changed || before?.bundle === undefined) });
  }

  await pool(work, input.concurrency ?? 4, async ({ entry, detail, bundle }) => {
    const id = (entry.id as string).trim();
    const parts: { file: string; value: unknown }[] = [
      { file: `GET /dlqs?scenarioId=${scenarioId}`, value: { dlqs: [{ ...entry, id, ...extra }] } },
    ];
    const isNew = !existing.has(id);
    try {
      if (detail) parts.push({ file: `GET /dlqs/${id}`, value: await client.getDlq(id) });
      if (bundle) parts.push({ file: `GET /dlqs/${id}/bundle`, value: await client.getBundle(id) });
    } catch (e) {
      if (e instanceof MakeApiError && e.kind === 'not-found') {
        // Listed a moment ago, gone now: resolved or deleted on Make meanwhile.
        if (isNew) f.vanished.push(id);
        else f.goneIds.set(id, 'not-found');
        return;
      }
      // Keep what was fetched (at least the list entry): the record is there, its details come next time.
      problem(e, { id });
      f.complete = false;
    }
    for (const p of parts) {
      const response = isObject(p.value) && isObject(p.value.response) ? p.value.response : undefined;
      const failing = response ? failingModuleOf(response) : undefined;
      if (failing !== undefined) f.moduleIds.add(failing);
    }
    const texts = parts.map((p) => ({ file: p.file, text: JSON.stringify(p.value) }));
    try {
      parseMakeResponses(texts); // each record on its own: one malformed answer does not stop the others
      for (const t of texts) f.inputs.push({ id, ...t });
    } catch (e) {
      if (!(e instanceof MakeImportError)) throw e;
      f.problems.push({ scenarioId, id, kind: 'invalid', message: `${id}: Make's answer cannot be used (${e.detail})` });
      f.complete = false;
    }
  });

  if (f.complete) {
    for (const r of local) {
      if (!seen.has(r.id) && !goneFromMake(r) && !f.goneIds.has(r.id)) f.goneIds.set(r.id, 'not-listed');
    }
  }
  return f;
}

async function fileExists(file: string): Promise<boolean> {
  try {
    await fsp.access(file);
    return true;
  } catch {
    return false;
  }
}

/** Pulls the scope's scenarios from Make into the executions file (see the header). */
export async function pullAction(input: PullInput): Promise<PullResult> {
  const started = Date.now();
  const now = input.now ?? (() => new Date());
  const { client } = input;
  const connection = client.connection;
  const before: ExecutionsFile = (await fileExists(input.executionsFile))
    ? (await loadExecutions(input.executionsFile)).doc
    : { version: 1, executions: [] };
  const existing = new Map(before.executions.map((r) => [r.id, r]));
  const fetched: Fetched[] = [];
  const problems: PullProblem[] = [];
  let fatal: MakeApiError | undefined;

  try {
    let targets: { id: number; info?: Json }[];
    if (input.scope.kind === 'team') {
      const teamId = input.scope.teamId;
      let list: Json[] = [];
      try {
        list = await client.listScenarios(teamId);
      } catch (e) {
        if (isFatal(e) || !(e instanceof MakeApiError)) throw e;
        problems.push({ request: e.request, kind: e.kind, message: e.message });
      }
      const withRecords = list.filter((s) => typeof s.id === 'number' && typeof s.dlqCount === 'number' && s.dlqCount > 0);
      targets = withRecords.map((s) => ({ id: s.id as number, info: s }));
      // Scenarios with open records here are listed too, so the records Make no longer has are noticed.
      const known = new Map(list.filter((s) => typeof s.id === 'number').map((s) => [s.id as number, s]));
      const have = new Set(targets.map((t) => t.id));
      for (const r of before.executions) {
        if (originOf(r) !== 'make' || r.status === 'resolved' || !isObject(r.make)) continue;
        const sid = Number(r.make.scenarioId);
        if (!Number.isInteger(sid) || have.has(sid) || Number(r.make.teamId) !== teamId || !belongsTo(r, connection, sid)) continue;
        have.add(sid);
        targets.push({ id: sid, info: known.get(sid) });
      }
    } else {
      targets = [...new Set(input.scope.ids)].map((id) => ({ id }));
    }
    for (const t of targets) {
      const local = before.executions.filter((r) => belongsTo(r, connection, t.id));
      const f = await fetchScenario(input, t.id, t.info, existing, local);
      fetched.push(f);
      problems.push(...f.problems);
    }
  } catch (e) {
    if (!isFatal(e)) throw e;
    fatal = e;
  }

  // Module names of the mapped scenario files, for records that have none.
  if (input.scenarioFiles && input.fileOf) {
    const resolver = await scenarioResolverFor(input.scenarioFiles, []);
    for (const f of fetched) {
      const file = input.fileOf.get(f.scenarioId);
      if (!file) continue;
      const probe: IncompleteExecution = {
        id: '',
        scenario: f.name ?? '',
        scenarioFile: file,
        moduleId: 0,
        error: { type: '', message: '' },
        status: 'unresolved',
        autoRetry: false,
        attempts: 0,
        maxAttempts: 0,
        nextRetryAt: null,
        created: '',
        updated: '',
        history: [],
      };
      const scenario = resolver.resolve(probe);
      if (!scenario) continue;
      for (const id of f.moduleIds) {
        const m = findModule(scenario, id);
        if (m) f.moduleNames.set(id, m.name ?? m.app);
      }
    }
  }

  const summaries = new Map<number, ImportSummary>();
  const goneDone = new Map<number, string[]>();
  const anything = fetched.length > 0;
  let written = false;
  if (anything) {
    const outcome = await updateExecutionsFile(
      input.executionsFile,
      (doc) => {
        const at = now();
        const iso = at.toISOString();
        let current = doc;
        for (const f of fetched) {
          const file = input.fileOf?.get(f.scenarioId);
          if (f.inputs.length > 0) {
            const responses = parseMakeResponses(f.inputs.map((i) => ({ file: i.file, text: i.text })));
            const label = `${connection.kind === 'zone' ? connection.host : connection.baseUrl}, scenario ${f.scenarioId}`;
            const out = mergeMakeResponses(current, responses, at, {
              live: true,
              source: () => ({ added: `Pulled from Make (${label})`, updated: `Updated by a pull from Make (${label})` }),
              decorate: (_id, rec) => {
                const make: Json = { ...(isObject(rec.make) ? rec.make : {}), ...connectionFields(connection), scenarioId: f.scenarioId };
                if (input.teamId !== undefined) make.teamId = input.teamId;
                if (connection.kind === 'zone') delete make.apiUrl;
                else delete make.zone;
                delete make.gone;
                const next: Json = { ...rec, origin: 'make', make };
                if (f.name) next.scenario = f.name;
                if (file) next.scenarioFile = file;
                const moduleId = typeof rec.moduleId === 'number' ? rec.moduleId : undefined;
                if (rec.moduleName === undefined && moduleId !== undefined && f.moduleNames.has(moduleId))
                  next.moduleName = f.moduleNames.get(moduleId);
                return next;
              },
            });
            current = out.doc;
            summaries.set(f.scenarioId, out.summary);
          }
          const goneNow: string[] = [];
          if (f.goneIds.size > 0) {
            const executions = current.executions.map((r) => {
              const how = f.goneIds.get(r.id);
              if (!how || !belongsTo(r, connection, f.scenarioId) || goneFromMake(r)) return r;
              goneNow.push(r.id);
              const note =
                how === 'not-found'
                  ? 'Make answered 404: it no longer has this incomplete execution (resolved or deleted on Make)'
                  : 'Make no longer lists this incomplete execution (resolved or deleted on Make)';
              const entry: HistoryEntry = { at: iso, action: 'pull', result: 'gone', note };
              return {
                ...r,
                status: 'resolved' as const,
                nextRetryAt: null,
                make: { ...(isObject(r.make) ? r.make : {}), gone: { at: iso, how } },
                updated: iso,
                history: [...r.history, entry],
              };
            });
            current = { ...current, executions };
          }
          goneDone.set(f.scenarioId, goneNow);
          // The scenario's sync state.
          const sync: Json = isObject(current.makeSync) ? { ...current.makeSync } : {};
          const key = syncKey(connection, f.scenarioId);
          const previous = isObject(sync[key]) ? sync[key] : {};
          sync[key] = {
            scenarioId: f.scenarioId,
            ...connectionFields(connection),
            ...(input.teamId !== undefined ? { teamId: input.teamId } : {}),
            ...(f.name ? { name: f.name } : typeof previous.name === 'string' ? { name: previous.name } : {}),
            ...(file ? { scenarioFile: file } : {}),
            ...(f.state && Object.keys(f.state).length > 0
              ? { state: f.state }
              : isObject(previous.state)
                ? { state: previous.state }
                : {}),
            ...(f.complete
              ? { lastSyncedAt: iso }
              : typeof previous.lastSyncedAt === 'string'
                ? { lastSyncedAt: previous.lastSyncedAt }
                : {}),
            lastAttemptAt: iso,
            complete: f.complete,
            ...(f.problems.length > 0 ? { problems: f.problems.map((p) => p.message) } : {}),
          };
          current = { ...current, makeSync: sync };
        }
        return { doc: current, result: undefined };
      },
      { create: true },
    );
    written = outcome.written;
  }

  const scenarios: ScenarioPull[] = fetched.map((f) => {
    const s = summaries.get(f.scenarioId);
    return {
      scenarioId: f.scenarioId,
      ...(f.name ? { name: f.name } : {}),
      ...(f.state ? { state: f.state } : {}),
      listed: f.listedIds.length,
      complete: f.complete,
      added: s?.addedIds ?? [],
      updated: s?.updatedIds ?? [],
      unchanged: s?.unchangedIds ?? [],
      gone: goneDone.get(f.scenarioId) ?? [],
      vanished: f.vanished,
      problems: f.problems,
    };
  });
  return { scenarios, problems, written, stats: { ...client.stats }, ...(fatal ? { fatal } : {}), ms: Date.now() - started };
}

/**
 * The first requests a pull sends (for `--dry-run`): the scenario (or team) lookup and the first
 * page of each listing. `client` must capture (MakeClientOptions.capture); nothing is sent.
 */
export async function planPull(client: MakeClient, scope: PullScope, pageSize = 100): Promise<void> {
  if (scope.kind === 'team') {
    await client.listScenarios(scope.teamId, pageSize);
    return;
  }
  for (const id of new Set(scope.ids)) {
    await client.getScenario(id);
    await client.listDlqsPage(id, 0, pageSize);
  }
}
