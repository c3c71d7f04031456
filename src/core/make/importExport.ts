// Import of Make API responses about incomplete executions into the executions file. Pure: texts
// in, document out. `parseMakeResponses` checks every input first (a malformed one throws a
// MakeImportError naming that input file and the position), so the caller can refuse before it
// locks or creates the executions file; `mergeMakeResponses` then merges them into the fresh
// document under the lock.
//
// Accepted inputs (each file one JSON value; an array of such values is accepted too):
// - list    `GET /dlqs?scenarioId=…`      {"dlqs": [{id, reason, created, size, resolved, retry, attempts}, …]}
// - detail  `GET /dlqs/{dlqId}`           {"dlq": {…the list fields…, scenarioId, scenarioName, executionId, failer}}
// - bundle  `GET /dlqs/{dlqId}/bundle`    {"response": {"<moduleId>": {…, "error": {"type", "message"}}, …}}
//
// A bundle response does not carry the id of its incomplete execution, so it is matched to one:
// 1. by an `id` or `dlqId` field next to `response` (add it when saving the response), else
// 2. by the file name containing a known id (from this import or already in the file), e.g.
//    `6d2f8b14e9a04c7b9e3a5c1d0f8b2e61.bundle.json`, else
// 3. when the same import has exactly one detail response, to that one.
// Otherwise the import fails with a message saying how to name it.
//
// Mapping onto the record: status from `resolved` / `retry` (resolved → resolved, retry → pending,
// else unresolved); error type and message from the bundle's failing module, else from `reason`
// ("RateLimitError: …" → type RateLimitError; a reason without a type name → UnknownError);
// moduleId from `failer` (a number, a numeric string, or an object with `id`), else from the
// bundle's failing module, else 0 (unknown); scenario from `scenarioName` (else "Make scenario
// <scenarioId>", else "Unknown Make scenario"); `attempts`, `size`, `created` as given. The original
// Make fields are kept under `make`; every record merged here has `origin: "make"`. Records merge by
// id: only the fields an input provides are applied, and re-importing the same data changes nothing
// (no `updated` bump, no history entry). A pull (pull.ts) goes through the same merge, adding where
// the records came from (`make.zone` / `make.apiUrl`, `teamId`, `scenarioId`) with `decorate`.
import * as path from 'node:path';
import type { JSONPath } from 'jsonc-parser';
import type { ExecutionError, ExecutionStatus, ExecutionsFile, HistoryEntry, IncompleteExecution } from '../executions/model';
import { parseJsonText } from '../text/json';
import { MakeImportError } from './importError';

export interface ImportSummary {
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Ids per outcome, in document order (optional for backward compatibility). */
  readonly addedIds?: readonly string[];
  readonly updatedIds?: readonly string[];
  readonly unchangedIds?: readonly string[];
}

/** Make's automatic retry schedule has 8 attempts (see executions/schedule.ts). */
const MAKE_AUTO_RETRY_ATTEMPTS = 8;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface Collected {
  /** Make fields from list and detail responses (detail wins). */
  make: Json;
  hasDetail: boolean;
  bundle?: { response: Json; file: string };
  files: Set<string>;
  order: number;
}

interface PendingBundle {
  readonly file: string;
  readonly text: string;
  readonly path: JSONPath;
  readonly response: Json;
  readonly explicitId?: string;
}

class Collector {
  readonly byId = new Map<string, Collected>();
  readonly details: string[] = [];
  readonly bundles: PendingBundle[] = [];

  entry(id: string, file: string): Collected {
    let c = this.byId.get(id);
    if (!c) {
      c = { make: {}, hasDetail: false, files: new Set(), order: this.byId.size };
      this.byId.set(id, c);
    }
    c.files.add(file);
    return c;
  }

  /** A copy whose entries can be changed without changing this one's. */
  copy(): Collector {
    const out = new Collector();
    for (const [id, c] of this.byId) out.byId.set(id, { ...c, files: new Set(c.files) });
    out.details.push(...this.details);
    out.bundles.push(...this.bundles);
    return out;
  }
}

function idOf(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** Checks the fields of one list/detail entry; throws a located error. */
function checkDlq(entry: unknown, file: string, text: string, at: JSONPath, detail: boolean): { id: string; fields: Json } {
  const where = detail ? '"dlq"' : `dlqs[${String(at[at.length - 1])}]`;
  if (!isObject(entry)) throw MakeImportError.shape(`${where} must be an object`, file, text, at);
  const id = idOf(entry.id);
  if (id === undefined)
    throw MakeImportError.shape(
      `${where}: "id" is missing or empty (the incomplete execution id)`,
      file,
      text,
      'id' in entry ? [...at, 'id'] : at,
    );
  const bad = (key: string, what: string): MakeImportError =>
    MakeImportError.shape(`${where} (id "${id}"): "${key}" must be ${what}`, file, text, [...at, key]);
  if (entry.resolved !== undefined && typeof entry.resolved !== 'boolean') throw bad('resolved', 'true or false');
  if (entry.retry !== undefined && typeof entry.retry !== 'boolean') throw bad('retry', 'true or false');
  if (entry.attempts !== undefined && !(typeof entry.attempts === 'number' && Number.isInteger(entry.attempts) && entry.attempts >= 0)) {
    throw bad('attempts', 'a non-negative integer');
  }
  if (entry.size !== undefined && !(typeof entry.size === 'number' && Number.isFinite(entry.size) && entry.size >= 0))
    throw bad('size', 'a non-negative number');
  if (entry.created !== undefined && !(typeof entry.created === 'string' && !Number.isNaN(Date.parse(entry.created)))) {
    throw bad('created', 'an ISO date-time string');
  }
  if (entry.reason !== undefined && entry.reason !== null && typeof entry.reason !== 'string') throw bad('reason', 'a string');
  if (entry.scenarioName !== undefined && typeof entry.scenarioName !== 'string') throw bad('scenarioName', 'a string');
  return { id, fields: { ...entry, id } };
}

function collectValue(c: Collector, value: unknown, file: string, text: string, at: JSONPath): void {
  if (Array.isArray(value)) {
    if (at.length > 0) throw MakeImportError.shape('nested arrays are not a Make API response', file, text, at);
    if (value.length === 0) throw MakeImportError.shape('the file holds an empty array, not a Make API response', file, text, at);
    value.forEach((v, i) => collectValue(c, v, file, text, [i]));
    return;
  }
  if (!isObject(value)) {
    throw MakeImportError.shape(
      'not a Make API response: expected an object such as {"dlqs": [...]}, {"dlq": {...}} or {"response": {...}}',
      file,
      text,
      at,
    );
  }
  let recognized = false;
  if ('dlqs' in value) {
    recognized = true;
    const list = value.dlqs;
    if (!Array.isArray(list))
      throw MakeImportError.shape('"dlqs" must be an array (the response of GET /dlqs)', file, text, [...at, 'dlqs']);
    list.forEach((entry, i) => {
      const { id, fields } = checkDlq(entry, file, text, [...at, 'dlqs', i], false);
      const col = c.entry(id, file);
      // A list entry never overrides what a detail response said.
      col.make = col.hasDetail ? { ...fields, ...col.make } : { ...col.make, ...fields };
    });
  }
  if ('dlq' in value) {
    recognized = true;
    const { id, fields } = checkDlq(value.dlq, file, text, [...at, 'dlq'], true);
    const col = c.entry(id, file);
    col.make = { ...col.make, ...fields };
    col.hasDetail = true;
    c.details.push(id);
  }
  if ('response' in value) {
    recognized = true;
    const response = value.response;
    if (!isObject(response))
      throw MakeImportError.shape('"response" must be an object keyed by module id (the response of GET /dlqs/{id}/bundle)', file, text, [
        ...at,
        'response',
      ]);
    const explicitId = idOf(value.dlqId) ?? idOf(value.id);
    c.bundles.push({ file, text, path: [...at, 'response'], response, explicitId });
  }
  if (!recognized) {
    if (typeof value.code === 'string' && (typeof value.message === 'string' || typeof value.detail === 'string')) {
      const what = typeof value.message === 'string' ? value.message : String(value.detail);
      throw MakeImportError.shape(`this is a Make API error response (${value.code}: ${what}), not incomplete executions`, file, text, at);
    }
    throw MakeImportError.shape(
      'not a Make API incomplete-executions response: expected {"dlqs": [...]} (GET /dlqs), {"dlq": {...}} (GET /dlqs/{id}) or {"response": {...}} (GET /dlqs/{id}/bundle)',
      file,
      text,
      at,
    );
  }
}

/** Decides which incomplete execution a bundle belongs to (see the header comment). */
function bundleOwner(b: PendingBundle, c: Collector, existingIds: readonly string[]): string {
  if (b.explicitId !== undefined) return b.explicitId;
  const base = path.basename(b.file);
  let best: string | undefined;
  for (const id of [...c.byId.keys(), ...existingIds]) {
    if (id.length >= 4 && base.includes(id) && (best === undefined || id.length > best.length)) best = id;
  }
  if (best !== undefined) return best;
  const details = [...new Set(c.details)];
  if (details.length === 1) return details[0];
  throw MakeImportError.shape(
    'cannot tell which incomplete execution this bundle belongs to: add "dlqId": "<id>" next to "response", name the file after the id (e.g. <id>.bundle.json), or import it together with exactly one detail response',
    b.file,
    b.text,
    b.path.slice(0, -1),
  );
}

/** The failing module of a bundle response: the first module entry that carries an error. */
function bundleFailure(response: Json): { moduleId?: number; error?: ExecutionError } {
  for (const [key, value] of Object.entries(response)) {
    if (!isObject(value) || !isObject(value.error)) continue;
    const e = value.error;
    const type = typeof e.type === 'string' && e.type !== '' ? e.type : typeof e.name === 'string' && e.name !== '' ? e.name : undefined;
    const message = typeof e.message === 'string' ? e.message : '';
    const id = Number(key);
    return {
      moduleId: Number.isInteger(id) && id >= 0 ? id : undefined,
      error: type !== undefined ? { ...e, type, message } : undefined,
    };
  }
  return {};
}

/** The id of the module whose entry in a bundle response carries the error, if any. */
export function failingModuleOf(response: Record<string, unknown>): number | undefined {
  return bundleFailure(response).moduleId;
}

/** `failer` may be a module id (number or numeric string) or an object with `id` (and `name`). */
function failerOf(failer: unknown): { moduleId?: number; moduleName?: string } {
  const asId = (v: unknown): number | undefined => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
    return Number.isInteger(n) && n >= 0 ? n : undefined;
  };
  if (isObject(failer)) {
    const name = typeof failer.name === 'string' && failer.name !== '' ? failer.name : undefined;
    return { moduleId: asId(failer.id), moduleName: name };
  }
  return { moduleId: asId(failer) };
}

/** "RateLimitError: Too many requests" → {type RateLimitError, message "Too many requests"}. */
export function errorFromReason(reason: string): ExecutionError {
  const m = /^\s*\[?([A-Z][A-Za-z0-9]*Error)\]?(?:\s*[:\-–]\s*|\s+|$)([\s\S]*)$/.exec(reason);
  if (m) return { type: m[1], message: m[2].trim() !== '' ? m[2].trim() : m[1] };
  return { type: 'UnknownError', message: reason };
}

function statusOf(make: Json): ExecutionStatus | undefined {
  if (make.resolved === true) return 'resolved';
  if (make.retry === true) return 'pending';
  if (make.resolved !== undefined || make.retry !== undefined) return 'unresolved';
  return undefined;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  const ao = a as Json;
  const bo = b as Json;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && deepEqual(ao[k], bo[k]));
}

function withoutBookkeeping(r: Json): Json {
  const { updated: _u, history: _h, ...rest } = r;
  void _u;
  void _h;
  return rest;
}

function describeChanges(before: Json, after: Json): string {
  const parts: string[] = [];
  for (const key of ['status', 'attempts', 'moduleId', 'scenario'] as const) {
    if (!deepEqual(before[key], after[key])) parts.push(`${key} ${JSON.stringify(before[key])} → ${JSON.stringify(after[key])}`);
  }
  const e1 = before.error as ExecutionError | undefined;
  const e2 = after.error as ExecutionError | undefined;
  if (e1?.type !== e2?.type) parts.push(`error ${e1?.type ?? '-'} → ${e2?.type ?? '-'}`);
  if (!deepEqual(before.bundle, after.bundle)) parts.push('bundle');
  return parts.length > 0 ? parts.join(', ') : 'Make fields';
}

/** Builds the record for one id from what was collected, merged over the existing record. */
function buildRecord(id: string, col: Collected, existing: IncompleteExecution | undefined, nowIso: string, live: boolean): Json {
  const make: Json = { ...(isObject(existing?.make) ? existing.make : {}), ...col.make };
  const failer = failerOf(make.failer);
  const fromBundle = col.bundle ? bundleFailure(col.bundle.response) : {};
  const reason = typeof col.make.reason === 'string' ? col.make.reason : undefined;

  let error: ExecutionError;
  if (fromBundle.error) error = fromBundle.error;
  else if (reason !== undefined) {
    // A reason only replaces an error that itself came from a reason (not one from a bundle).
    const previousReason = isObject(existing?.make) && typeof existing.make.reason === 'string' ? existing.make.reason : undefined;
    const fromOldReason = previousReason !== undefined ? errorFromReason(previousReason) : undefined;
    error =
      !existing || (fromOldReason !== undefined && deepEqual(existing.error, fromOldReason)) ? errorFromReason(reason) : existing.error;
  } else error = existing?.error ?? { type: 'UnknownError', message: 'Make did not report a reason' };

  // On import, a record resolved here stays resolved: an export saved before must not reopen it.
  // A pull (`live`) is what Make says now: a record Make lists again (it was marked no longer on
  // Make, or resolved here by an older version) is open again with Make's status.
  const imported = statusOf(col.make);
  const keepResolved = existing?.status === 'resolved' && !live;
  const status = keepResolved ? 'resolved' : (imported ?? existing?.status ?? 'unresolved');
  const autoRetry =
    (col.make.retry !== undefined || col.make.resolved !== undefined) && !keepResolved
      ? status === 'pending'
      : (existing?.autoRetry ?? false);
  const attempts = typeof col.make.attempts === 'number' ? col.make.attempts : (existing?.attempts ?? 0);
  const maxAttempts = existing
    ? Math.max(existing.maxAttempts, attempts)
    : autoRetry
      ? Math.max(MAKE_AUTO_RETRY_ATTEMPTS, attempts)
      : attempts;
  const nextRetryAt = status === 'pending' ? (existing?.nextRetryAt ?? null) : null;
  const moduleId = failer.moduleId ?? fromBundle.moduleId ?? existing?.moduleId ?? 0;
  const moduleName = failer.moduleName ?? existing?.moduleName;
  const scenarioName = typeof make.scenarioName === 'string' && make.scenarioName.trim() !== '' ? make.scenarioName : undefined;
  const scenarioId = idOf(make.scenarioId);
  const placeholder = scenarioId !== undefined ? `Make scenario ${scenarioId}` : 'Unknown Make scenario';
  const existingIsPlaceholder =
    existing !== undefined && (existing.scenario === 'Unknown Make scenario' || /^Make scenario \S+$/.test(existing.scenario));
  const scenario = scenarioName ?? (existing !== undefined && !existingIsPlaceholder ? existing.scenario : placeholder);
  const created = typeof col.make.created === 'string' ? col.make.created : (existing?.created ?? nowIso);
  const size = typeof col.make.size === 'number' ? col.make.size : existing?.size;
  const bundle = col.bundle ? col.bundle.response : existing?.bundle;

  if (existing) {
    return {
      ...existing,
      origin: 'make',
      scenario,
      moduleId,
      moduleName,
      error,
      status,
      autoRetry,
      attempts,
      maxAttempts,
      nextRetryAt,
      created,
      size,
      bundle,
      make,
    };
  }
  const record: Json = { id, origin: 'make', scenario, moduleId };
  if (moduleName !== undefined) record.moduleName = moduleName;
  Object.assign(record, { error, status, autoRetry, attempts, maxAttempts, nextRetryAt, created, updated: nowIso });
  if (size !== undefined) record.size = size;
  if (bundle !== undefined) record.bundle = bundle;
  record.history = [];
  record.make = make;
  return record;
}

/** Drops `undefined` values so a comparison and the written JSON agree. */
function clean(r: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
  return out;
}

/** Make API responses that parsed and have the shapes an import accepts (see `parseMakeResponses`). */
export class ParsedMakeResponses {
  /** @internal use `parseMakeResponses` */
  constructor(readonly collected: Collector) {}
}

/**
 * Parses Make API response texts (list / detail / bundle shapes) and checks them. Throws a
 * MakeImportError (naming the input file, with line/column) on the first malformed input.
 */
export function parseMakeResponses(inputs: readonly { file: string; text: string }[]): ParsedMakeResponses {
  const c = new Collector();
  for (const input of inputs) {
    const parsed = parseJsonText(input.text);
    if (!parsed.ok) throw MakeImportError.syntax(input.file, parsed.problem);
    collectValue(c, parsed.value, input.file, parsed.text, []);
  }
  return new ParsedMakeResponses(c);
}

export interface MergeOptions {
  /**
   * Changes each merged record before it is compared with the one in the file (so a second merge
   * of the same data still changes nothing): e.g. where it came from, its scenario file.
   */
  readonly decorate?: (id: string, record: Record<string, unknown>, existing: IncompleteExecution | undefined) => Record<string, unknown>;
  /**
   * The responses are Make's answer now (a pull), not a saved export: Make's status wins even over a
   * record resolved here. Default false (an import keeps a record resolved here resolved).
   */
  readonly live?: boolean;
  /** How the history names the source, e.g. "Pulled from Make (eu1.make.com, scenario 4321)"; default "Imported from Make (<files>)". */
  readonly source?: (files: string) => { readonly added: string; readonly updated: string };
}

/**
 * Merges parsed responses into `doc` by id (see the header comment). Throws a MakeImportError
 * when a bundle response cannot be matched to an incomplete execution of the import or of `doc`.
 */
export function mergeMakeResponses(
  doc: ExecutionsFile,
  responses: ParsedMakeResponses,
  now?: Date,
  options: MergeOptions = {},
): { doc: ExecutionsFile; summary: ImportSummary } {
  const nowIso = (now ?? new Date()).toISOString();
  const c = responses.collected.copy();
  const existingIds = doc.executions.map((e) => e.id);
  const existing = new Set(existingIds);
  for (const b of c.bundles) {
    const id = bundleOwner(b, c, existingIds);
    const known = c.byId.has(id) || existing.has(id);
    if (!known) {
      throw MakeImportError.shape(
        `bundle for incomplete execution "${id}", which is neither in this import nor in the executions file: import its list or detail response too`,
        b.file,
        b.text,
        b.path.slice(0, -1),
      );
    }
    c.entry(id, b.file).bundle = { response: b.response, file: b.file };
  }

  const index = new Map(doc.executions.map((e, i) => [e.id, i]));
  const executions: IncompleteExecution[] = doc.executions.slice();
  const addedIds: string[] = [];
  const updatedIds: string[] = [];
  const unchangedIds: string[] = [];
  for (const [id, col] of c.byId) {
    const at = index.get(id);
    const existing = at !== undefined ? executions[at] : undefined;
    const files = [...col.files].map((f) => path.basename(f)).join(', ');
    const built = buildRecord(id, col, existing, nowIso, options.live === true);
    const next = clean(options.decorate ? options.decorate(id, built, existing) : built);
    const source = options.source?.(files) ?? { added: `Imported from Make (${files})`, updated: `Updated from Make (${files})` };
    if (!existing) {
      const history: HistoryEntry[] = [{ at: nowIso, action: 'import', note: source.added }];
      next.history = history;
      index.set(id, executions.length);
      executions.push(next as IncompleteExecution);
      addedIds.push(id);
      continue;
    }
    const before = clean(existing);
    if (deepEqual(withoutBookkeeping(before), withoutBookkeeping(next))) {
      unchangedIds.push(id);
      continue;
    }
    const entry: HistoryEntry = { at: nowIso, action: 'import', note: `${source.updated}: ${describeChanges(before, next)}` };
    next.updated = nowIso;
    next.history = [...existing.history, entry];
    executions[at as number] = next as IncompleteExecution;
    updatedIds.push(id);
  }
  const changed = addedIds.length > 0 || updatedIds.length > 0;
  return {
    doc: changed ? { ...doc, executions } : doc,
    summary: { added: addedIds.length, updated: updatedIds.length, unchanged: unchangedIds.length, addedIds, updatedIds, unchangedIds },
  };
}

/** `parseMakeResponses` then `mergeMakeResponses`: throws a MakeImportError on malformed input. */
export function importMakeResponses(
  doc: ExecutionsFile,
  inputs: readonly { file: string; text: string }[],
  now?: Date,
): { doc: ExecutionsFile; summary: ImportSummary } {
  return mergeMakeResponses(doc, parseMakeResponses(inputs), now);
}
