/**
 * Acting on Make for records of origin `make`: retry (one, several, all of a scenario), retry with
 * the local scenario (replace the blueprint Make stored with the record, then retry), delete.
 * Every action sends its requests, then pulls the scenario again (pull.ts) and reports what Make
 * says now — nothing is concluded locally:
 *
 *   retry one            POST /dlqs/{id}/retry
 *   retry several        POST /dlqs/retry?scenarioId=N  {"ids": [...]}
 *   retry all            POST /dlqs/retry?scenarioId=N  {"all": true, "exceptIds"?: [...]}
 *   with local scenario  PATCH /dlqs/{id}  {"blueprint": "<the blueprint file's JSON, as a string>", "failer": <module id>}
 *                        for each record, then the retry above
 *   delete               DELETE /dlqs?scenarioId=N  {"ids": [...]}
 *   delete all           DELETE /dlqs?scenarioId=N&confirmed=true  {"all": true, "exceptIds"?: [...]}
 *                        (`confirmed=true` only when the caller says the person confirmed)
 *
 * The outcome of a record after the pull: Make reports it resolved → `resolved`; more attempts and
 * still stored → `failed` (with Make's new error); no longer listed → `gone`; unchanged → `sent`
 * (Make accepted the request and has not finished it: pull again later). A request that failed →
 * `error` for its records, which stay as they were. A deleted record is removed from the file once
 * Make accepted the delete.
 *
 * "Retry with the local scenario" uses a blueprint file (`*.blueprint.json`, an export) as it is:
 * Make needs the modules' parameters and mappings, which a blueprint has. A scenario YAML file has
 * none of them (YAML keeps modules, routes, handlers and settings only), so a blueprint converted
 * from it would make the retry run modules without their configuration; a YAML scenario is refused
 * with that reason.
 *
 * Which API: the command's --zone / --api-url, else the record's own (`make.zone` / `make.apiUrl`),
 * else the workspace config's. A record with none of them, or no token at all, stops the command
 * before anything is sent (MakeNotConnectedError).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { RecordResult } from '../executions/actions/result';
import type { IncompleteExecution } from '../executions/model';
import { goneFromMake, isRetryable, originOf } from '../executions/model';
import { scenarioResolverFor, type ScenarioFileSource } from '../executions/scenarioFiles';
import { loadExecutions, updateExecutionsFile } from '../executions/store';
import { lintScenario, structuralFindings } from '../lint/lint';
import { findModule } from '../model';
import { MakeApiError, type MakeClient } from './client';
import { connectionKey, connectionOfMakeFields, type MakeConnection } from './connection';
import { pullAction, type PullResult } from './pull';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What the caller provides to reach Make. */
export interface MakeAccess {
  /** Undefined when no token is available: records from Make are then refused (MakeNotConnectedError). */
  readonly clientFor?: (connection: MakeConnection) => MakeClient;
  /** Whether `clientFor` has a token for that API (default: for every one). */
  readonly canReach?: (connection: MakeConnection) => boolean;
  /** The command's --zone / --api-url; wins over each record's own. */
  readonly override?: MakeConnection;
  /** The workspace config's connection: for records that name none. */
  readonly fallback?: MakeConnection;
  /** Recorded on pulled records. */
  readonly teamId?: number;
  /** Make scenario id → workspace scenario file (from the config). */
  readonly fileOf?: ReadonlyMap<number, string>;
  /** Dry run: `clientFor` returns capturing clients; nothing is written and no pull follows. */
  readonly dryRun?: boolean;
}

/** Records from Make that cannot be acted on: no token, or no API named for them. */
export class MakeNotConnectedError extends Error {
  constructor(
    readonly missing: 'token' | 'connection',
    readonly ids: readonly string[],
    /** Where the records are (zone or base URL), for the message; absent when unknown. */
    readonly where?: string,
  ) {
    super(
      missing === 'token'
        ? `${ids.join(', ')} ${ids.length === 1 ? 'comes' : 'come'} from Make${where ? ` (${where})` : ''}: it is acted on there or not at all, and there is no token to reach Make. Nothing was changed.`
        : `${ids.join(', ')} came from a saved Make API response that does not say which zone it belongs to: name the zone or the API URL. Nothing was changed.`,
    );
    this.name = 'MakeNotConnectedError';
  }
}

/** The API a record is acted on through (see the header), or undefined. */
export function connectionFor(r: IncompleteExecution, access: Pick<MakeAccess, 'override' | 'fallback'>): MakeConnection | undefined {
  return access.override ?? connectionOfMakeFields(r.make) ?? access.fallback;
}

function scenarioIdOf(r: IncompleteExecution): number | undefined {
  const id = isObject(r.make) ? Number(r.make.scenarioId) : NaN;
  return Number.isInteger(id) && id > 0 ? id : undefined;
}

/** Throws MakeNotConnectedError when any record cannot reach Make. */
export function requireConnection(records: readonly IncompleteExecution[], access: MakeAccess): void {
  const noConnection = records.filter((r) => !connectionFor(r, access));
  if (noConnection.length > 0)
    throw new MakeNotConnectedError(
      'connection',
      noConnection.map((r) => r.id),
    );
  if (!access.clientFor && records.length > 0) {
    const c = connectionFor(records[0], access);
    throw new MakeNotConnectedError(
      'token',
      records.map((r) => r.id),
      c ? (c.kind === 'zone' ? c.host : c.baseUrl) : undefined,
    );
  }
}

interface Group {
  readonly connection: MakeConnection;
  readonly scenarioId: number | undefined;
  readonly records: IncompleteExecution[];
}

function groupsOf(records: readonly IncompleteExecution[], access: MakeAccess): Group[] {
  const out = new Map<string, Group>();
  for (const r of records) {
    const connection = connectionFor(r, access);
    if (!connection) continue;
    const scenarioId = scenarioIdOf(r);
    const key = `${connectionKey(connection)}#${scenarioId ?? `record:${r.id}`}`;
    let g = out.get(key);
    if (!g) {
      g = { connection, scenarioId, records: [] };
      out.set(key, g);
    }
    g.records.push(r);
  }
  return [...out.values()];
}

function label(c: MakeConnection): string {
  return c.kind === 'zone' ? c.host : c.baseUrl;
}

export interface MakeActionResult {
  readonly results: readonly RecordResult[];
  /** The pulls that followed (one per scenario acted on). */
  readonly pulls: readonly PullResult[];
  /** Whether the executions file was written. */
  readonly written: boolean;
}

// ---------------------------------------------------------------------------------------------
// The local scenario as a blueprint
// ---------------------------------------------------------------------------------------------

export type LocalBlueprint =
  { readonly ok: true; readonly text: string; readonly file: string } | { readonly ok: false; readonly message: string };

/** The blueprint text of the record's scenario file in the workspace, to send to Make (see the header). */
export async function localBlueprintFor(r: IncompleteExecution, source: ScenarioFileSource): Promise<LocalBlueprint> {
  const resolver = await scenarioResolverFor(source, [r]);
  const how = resolver.explain(r);
  if (how.kind === 'not-found') {
    return {
      ok: false,
      message: `no scenario file in the workspace is ${r.scenarioFile ? `at ${r.scenarioFile} or ` : ''}named "${r.scenario}"`,
    };
  }
  const rel = how.path ?? r.scenarioFile ?? '';
  if (how.kind === 'file-unusable')
    return { ok: false, message: `${rel} has a syntax or structural error (run 'fusion-executions lint ${rel}')` };
  if (/\.ya?ml$/i.test(rel)) {
    return {
      ok: false,
      message: `${rel} is scenario YAML, which has no module parameters or mappings: a blueprint built from it would make Make run the retry with unconfigured modules. Export the scenario from Make as a blueprint (*.blueprint.json), keep it in the workspace and map it in .fusionlintrc.json`,
    };
  }
  let text: string | undefined;
  if (source.kind === 'disk') {
    try {
      text = await fsp.readFile(path.join(source.root, ...rel.split('/')), 'utf8');
    } catch {
      text = undefined;
    }
  } else text = await source.reader.readFile(rel);
  if (text === undefined) return { ok: false, message: `${rel} cannot be read` };
  const parsed = lintScenario(rel, text);
  if (structuralFindings(parsed.findings).length > 0 || !parsed.scenario)
    return { ok: false, message: `${rel} is not a usable blueprint (run 'fusion-executions lint ${rel}')` };
  if (r.moduleId <= 0)
    return { ok: false, message: `the failing module of ${r.id} is not known yet (pull it: its bundle names the module)` };
  if (!findModule(parsed.scenario, r.moduleId)) return { ok: false, message: `module ${r.moduleId}, which failed, is not in ${rel}` };
  // As it is on disk, minus a byte-order mark and outer whitespace: Make parses the string itself.
  const json = text.replace(/^\uFEFF/, '').trim();
  try {
    JSON.parse(json);
  } catch {
    return { ok: false, message: `${rel} is not JSON` };
  }
  return { ok: true, text: json, file: rel };
}

// ---------------------------------------------------------------------------------------------
// After an action: pull again and say what Make says
// ---------------------------------------------------------------------------------------------

async function pullAfter(
  executionsFile: string,
  group: Group,
  client: MakeClient,
  access: MakeAccess,
  scenarioFiles: ScenarioFileSource | undefined,
): Promise<PullResult | undefined> {
  if (group.scenarioId === undefined) return undefined;
  return pullAction({
    executionsFile,
    client,
    scope: { kind: 'scenarios', ids: [group.scenarioId] },
    ...(access.teamId !== undefined ? { teamId: access.teamId } : {}),
    ...(access.fileOf ? { fileOf: access.fileOf } : {}),
    ...(scenarioFiles ? { scenarioFiles } : {}),
  });
}

function attemptsOf(r: IncompleteExecution | undefined): number {
  return r && typeof r.attempts === 'number' ? r.attempts : 0;
}

/** What Make says about a retried record, from the file after the pull. */
function outcomeAfterRetry(
  before: IncompleteExecution,
  after: IncompleteExecution | undefined,
  where: string,
  pull: PullResult | undefined,
): RecordResult {
  const id = before.id;
  const base = { id, where: 'make' as const };
  if (!pull)
    return {
      ...base,
      result: 'sent',
      message: `Retry of ${id} sent to Make (${where}); its scenario id is not known, so it was not pulled again: pull it to see the outcome.`,
    };
  const problem = pull.fatal ?? pull.problems.find((p) => p.id === id || p.id === undefined);
  if (after && goneFromMake(after) && !goneFromMake(before)) {
    return { ...base, result: 'gone', message: `Retried ${id} on Make (${where}); Make no longer lists it (resolved or deleted there).` };
  }
  if (after && after.status === 'resolved' && before.status !== 'resolved' && !goneFromMake(after)) {
    return { ...base, result: 'resolved', message: `Retried ${id} on Make (${where}); Make reports it resolved.` };
  }
  if (after && attemptsOf(after) > attemptsOf(before)) {
    const err = after.error ? `${after.error.type}: ${after.error.message}` : 'no error reported';
    return {
      ...base,
      result: 'failed',
      message: `Retried ${id} on Make (${where}); it failed again (attempt ${after.attempts} on Make, ${err}).`,
    };
  }
  const why = problem ? ` The pull after it did not complete (${problem.message}).` : '';
  return {
    ...base,
    result: 'sent',
    message: `Retry of ${id} sent to Make (${where}); Make has not reported an outcome yet: pull again later.${why}`,
  };
}

async function recordsNow(executionsFile: string): Promise<Map<string, IncompleteExecution>> {
  try {
    return new Map((await loadExecutions(executionsFile)).doc.executions.map((r) => [r.id, r]));
  } catch {
    return new Map();
  }
}

function requestError(e: unknown): string {
  return e instanceof MakeApiError ? e.message : e instanceof Error ? e.message : String(e);
}

// ---------------------------------------------------------------------------------------------
// Retry
// ---------------------------------------------------------------------------------------------

export interface RetryOnMakeInput {
  readonly executionsFile: string;
  /** The records to retry (origin `make`), as read from the file. */
  readonly records: readonly IncompleteExecution[];
  readonly access: MakeAccess;
  /** Retry All of a scenario: `{"all": true}` (with `exceptIds`) instead of the ids. */
  readonly all?: { readonly exceptIds: readonly string[] };
  /** Replace the stored blueprint with the local scenario's first (PATCH), from these files. */
  readonly withLocalScenario?: ScenarioFileSource;
  /** For the pull after it (module names). */
  readonly scenarioFiles?: ScenarioFileSource;
}

export async function retryOnMake(input: RetryOnMakeInput): Promise<MakeActionResult> {
  const { access } = input;
  const results = new Map<string, RecordResult>();
  const pulls: PullResult[] = [];
  const skipped = input.records.filter((r) => goneFromMake(r) || !isRetryable(r));
  for (const r of skipped) {
    results.set(r.id, {
      id: r.id,
      result: 'skipped',
      where: 'make',
      message: goneFromMake(r)
        ? `${r.id} is no longer on Make (resolved or deleted there): nothing to retry.`
        : r.status === 'resolved'
          ? `${r.id} is resolved on Make (as of the last pull): nothing to retry.`
          : `${r.id} is ${r.status}: not retried.`,
    });
  }
  const todo = input.records.filter((r) => !skipped.includes(r));
  requireConnection(todo, access);
  const clientFor = access.clientFor;
  if (!clientFor) return { results: [...results.values()], pulls, written: false };

  for (const group of groupsOf(todo, access)) {
    const client = clientFor(group.connection);
    const where = label(group.connection);
    let ready = group.records;
    if (input.withLocalScenario) {
      ready = [];
      for (const r of group.records) {
        const bp = await localBlueprintFor(r, input.withLocalScenario);
        if (!bp.ok) {
          results.set(r.id, {
            id: r.id,
            result: 'error',
            where: 'make',
            message: `Not retried: ${bp.message}. Nothing was sent for ${r.id}.`,
          });
          continue;
        }
        try {
          await client.updateDlq(r.id, { blueprint: bp.text, failer: r.moduleId });
          ready.push(r);
        } catch (e) {
          results.set(r.id, {
            id: r.id,
            result: 'error',
            where: 'make',
            message: `Not retried: replacing its blueprint with ${bp.file} failed (${requestError(e)}).`,
          });
        }
      }
    }
    if (ready.length === 0) continue;
    const ids = ready.map((r) => r.id);
    try {
      if (input.all && group.scenarioId !== undefined && !input.withLocalScenario) {
        await client.retryDlqs(group.scenarioId, {
          all: true,
          ...(input.all.exceptIds.length > 0 ? { exceptIds: [...input.all.exceptIds] } : {}),
        });
      } else if (ids.length === 1 || group.scenarioId === undefined) {
        for (const id of ids) await client.retryDlq(id);
      } else {
        await client.retryDlqs(group.scenarioId, { ids });
      }
    } catch (e) {
      for (const r of ready)
        results.set(r.id, {
          id: r.id,
          result: 'error',
          where: 'make',
          message: `Retry of ${r.id} on Make (${where}) failed: ${requestError(e)}. The record is unchanged.`,
        });
      continue;
    }
    if (access.dryRun) continue;
    const pull = await pullAfter(input.executionsFile, group, client, access, input.scenarioFiles);
    if (pull) pulls.push(pull);
    const now = await recordsNow(input.executionsFile);
    for (const r of ready) results.set(r.id, outcomeAfterRetry(r, now.get(r.id), where, pull));
  }
  if (access.dryRun)
    for (const r of todo)
      if (!results.has(r.id))
        results.set(r.id, { id: r.id, result: 'skipped', where: 'make', message: `Dry run: the requests for ${r.id} were not sent.` });
  return {
    results: input.records.map((r) => results.get(r.id)).filter((x): x is RecordResult => x !== undefined),
    pulls,
    written: pulls.some((p) => p.written),
  };
}

// ---------------------------------------------------------------------------------------------
// Delete
// ---------------------------------------------------------------------------------------------

export interface DeleteOnMakeInput {
  readonly executionsFile: string;
  readonly records: readonly IncompleteExecution[];
  readonly access: MakeAccess;
  /** Delete every record of the scenario on Make (`all`), after the person confirmed it. */
  readonly all?: { readonly exceptIds: readonly string[]; readonly confirmed: boolean };
  readonly scenarioFiles?: ScenarioFileSource;
}

export async function deleteOnMake(input: DeleteOnMakeInput): Promise<MakeActionResult> {
  const { access } = input;
  const results = new Map<string, RecordResult>();
  const pulls: PullResult[] = [];
  const removeLocally = new Set<string>();
  // Records Make no longer has are only removed from the file.
  const gone = input.records.filter((r) => goneFromMake(r));
  for (const r of gone) {
    removeLocally.add(r.id);
    results.set(r.id, {
      id: r.id,
      result: 'deleted',
      where: 'local',
      message: `${r.id} was no longer on Make; removed from the executions file.`,
    });
  }
  const todo = input.records.filter((r) => !goneFromMake(r));
  requireConnection(todo, access);
  const clientFor = access.clientFor;
  const groups = clientFor ? groupsOf(todo, access) : [];
  const deletedOnMake: { group: Group; client: MakeClient }[] = [];
  for (const group of groups) {
    const client = (clientFor as (c: MakeConnection) => MakeClient)(group.connection);
    const where = label(group.connection);
    if (group.scenarioId === undefined) {
      for (const r of group.records) {
        results.set(r.id, {
          id: r.id,
          result: 'error',
          where: 'make',
          message: `${r.id}: its Make scenario id is not known, and Make deletes incomplete executions per scenario: pull it first (or import its detail response).`,
        });
      }
      continue;
    }
    try {
      if (input.all) {
        await client.deleteDlqs(
          group.scenarioId,
          { all: true, ...(input.all.exceptIds.length > 0 ? { exceptIds: [...input.all.exceptIds] } : {}) },
          input.all.confirmed,
        );
      } else {
        await client.deleteDlqs(group.scenarioId, { ids: group.records.map((r) => r.id) });
      }
    } catch (e) {
      for (const r of group.records)
        results.set(r.id, {
          id: r.id,
          result: 'error',
          where: 'make',
          message: `Delete of ${r.id} on Make (${where}) failed: ${requestError(e)}. Nothing was removed.`,
        });
      continue;
    }
    for (const r of group.records) {
      removeLocally.add(r.id);
      results.set(r.id, {
        id: r.id,
        result: 'deleted',
        where: 'make',
        message: `${r.id} deleted on Make (${where}) and removed from the executions file.`,
      });
    }
    deletedOnMake.push({ group, client });
  }
  if (access.dryRun) {
    const planned = (r: IncompleteExecution): RecordResult => {
      const res = results.get(r.id);
      return res && res.result === 'error'
        ? res
        : { id: r.id, result: 'skipped', where: 'make', message: `Dry run: ${r.id} was not deleted.` };
    };
    return { results: input.records.map(planned), pulls, written: false };
  }
  let written = false;
  if (removeLocally.size > 0) {
    const out = await updateExecutionsFile(input.executionsFile, (doc) => {
      const executions = doc.executions.filter((r) => {
        if (removeLocally.has(r.id)) return false;
        // Delete all: every record of those scenarios on Make went, not only the ones asked for.
        if (input.all) {
          for (const { group } of deletedOnMake) {
            const c = connectionFor(r, access);
            if (
              originOf(r) === 'make' &&
              c &&
              connectionKey(c) === connectionKey(group.connection) &&
              scenarioIdOf(r) === group.scenarioId &&
              !input.all.exceptIds.includes(r.id)
            )
              return false;
          }
        }
        return true;
      });
      return { doc: { ...doc, executions }, result: undefined };
    });
    written = out.written;
  }
  for (const { group, client } of deletedOnMake) {
    const pull = await pullAfter(input.executionsFile, group, client, access, input.scenarioFiles);
    if (pull) {
      pulls.push(pull);
      written = written || pull.written;
    }
  }
  return { results: input.records.map((r) => results.get(r.id)).filter((x): x is RecordResult => x !== undefined), pulls, written };
}
