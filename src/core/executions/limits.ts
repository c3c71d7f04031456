/**
 * Fusion's storage limits for incomplete executions (README, "Limits"):
 * - at most 10 MB of not-yet-resolved incomplete executions per scenario, 500 MB per team;
 * - resolved ones are deleted after 30 days;
 * - with sequential processing on, a scenario that has not-resolved incomplete executions waits
 *   until they are resolved before it runs again.
 *
 * Decisions (see README "Limits"):
 * - "Unresolved" in the limits means every stored execution that is **not resolved**
 *   (`unresolved`, `pending`, `in-progress`): Fusion counts what it still stores for the scenario,
 *   and a pending one (waiting for its automatic retry) is stored as much as an unresolved one.
 * - A record's bytes are its `size`; a record without a usable `size` (missing, negative, not a
 *   number) counts as the UTF-8 byte length of its JSON (an estimate, flagged as such).
 * - The team total is every scenario of the file (one file = one team's store).
 * - The 30 days run from the moment the record was resolved: the last history entry that resolved
 *   it (`action: "resolve"`, or a retry whose result is `succeeded`), else its `updated` field.
 *
 * Pure: no `vscode`, no file system; the caller resolves `sequentialProcessing` from the scenario
 * files (see `sequentialByScenarioFrom`).
 */
import type { Scenario } from '../model';
import type { ExecutionsFile, HistoryEntry, IncompleteExecution } from './model';

/** Fusion keeps at most this many bytes of not-resolved incomplete executions per scenario. */
export const SCENARIO_STORAGE_LIMIT_BYTES = 10 * 1024 * 1024;
/** ... and this many per team (here: the whole executions file). */
export const TEAM_STORAGE_LIMIT_BYTES = 500 * 1024 * 1024;
/** Resolved incomplete executions are deleted this many days after they were resolved. */
export const RESOLVED_RETENTION_DAYS = 30;
/** From this fraction of a limit on, the level is `warning`. */
export const STORAGE_WARNING_FRACTION = 0.8;

const DAY_MS = 24 * 60 * 60 * 1000;

export type StorageLevel = 'ok' | 'warning' | 'full';

/** `ok` below 80 %, `warning` from 80 %, `full` from 100 %. */
export function storageLevel(fraction: number): StorageLevel {
  if (fraction >= 1) return 'full';
  if (fraction >= STORAGE_WARNING_FRACTION) return 'warning';
  return 'ok';
}

/** Byte length of a string in UTF-8, without allocating. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Whether the record carries a usable `size` (a finite number ≥ 0). */
export function hasRecordedSize(r: IncompleteExecution): boolean {
  return typeof r.size === 'number' && Number.isFinite(r.size) && r.size >= 0;
}

/** The bytes a record takes: its `size`, else the UTF-8 length of its JSON. */
export function recordBytes(r: IncompleteExecution): number {
  return hasRecordedSize(r) ? (r.size as number) : utf8Length(JSON.stringify(r) ?? '');
}

/** When the record was resolved (ISO), or undefined when it is not resolved or no date is known. */
export function resolvedAt(r: IncompleteExecution): string | undefined {
  if (r.status !== 'resolved') return undefined;
  const history: readonly HistoryEntry[] = Array.isArray(r.history) ? r.history : [];
  for (let i = history.length - 1; i >= 0; i--) {
    const h = history[i];
    if (h && typeof h.at === 'string' && (h.action === 'resolve' || h.result === 'succeeded') && !Number.isNaN(Date.parse(h.at)))
      return h.at;
  }
  return typeof r.updated === 'string' && !Number.isNaN(Date.parse(r.updated)) ? r.updated : undefined;
}

/** The date Fusion deletes a resolved record (resolved + 30 days), or undefined. */
export function purgeAt(r: IncompleteExecution): Date | undefined {
  const at = resolvedAt(r);
  return at === undefined ? undefined : new Date(Date.parse(at) + RESOLVED_RETENTION_DAYS * DAY_MS);
}

export interface ScenarioStorage {
  /** The scenario name, as the records give it. */
  readonly scenario: string;
  /** Records of the scenario (all statuses). */
  readonly records: number;
  /** Records that are not resolved (unresolved, pending, in progress). */
  readonly notResolved: number;
  /** Of those, how many have status `unresolved` (wait for a person). */
  readonly unresolved: number;
  /** Bytes of the not-resolved records. */
  readonly bytes: number;
  /** How many of the not-resolved records had no `size` (their JSON length was counted). */
  readonly estimated: number;
  /** bytes / 10 MB. */
  readonly fraction: number;
  readonly level: StorageLevel;
  /** Sequential processing as the scenario file says; undefined = not known (no file found). */
  readonly sequentialProcessing: boolean | undefined;
  /** Sequential processing is on and at least one execution is not resolved: new runs wait. */
  readonly blocked: boolean;
}

export interface ResolvedRetention {
  readonly id: string;
  readonly scenario: string;
  /** When it was resolved (ISO). */
  readonly resolvedAt: string;
  /** When Fusion deletes it (ISO): resolvedAt + 30 days. */
  readonly purgeAt: string;
  /** Whole days since it was resolved (floored; 0 on the day itself). */
  readonly daysSinceResolved: number;
  /** `now` is at or past `purgeAt`: Fusion has deleted it already. */
  readonly purged: boolean;
}

export interface TeamStorage {
  /** Bytes of every not-resolved record in the file. */
  readonly bytes: number;
  readonly limit: number;
  readonly fraction: number;
  readonly level: StorageLevel;
}

export interface StorageReport {
  /** One entry per scenario name, sorted by name. */
  readonly scenarios: readonly ScenarioStorage[];
  readonly team: TeamStorage;
  /** Every resolved record with a known resolution date, in file order. */
  readonly resolved: readonly ResolvedRetention[];
}

export interface StorageReportOptions {
  readonly now: Date;
  /** Scenario name → its `sequentialProcessing` setting (see `sequentialByScenarioFrom`). */
  readonly sequentialByScenario?: ReadonlyMap<string, boolean>;
}

/** What a scenario's records add up to (mutable, so a caller can keep it up to date by deltas). */
export interface ScenarioUsage {
  records: number;
  notResolved: number;
  unresolved: number;
  bytes: number;
  estimated: number;
}

export function emptyUsage(): ScenarioUsage {
  return { records: 0, notResolved: 0, unresolved: 0, bytes: 0, estimated: 0 };
}

/** Adds (`sign` 1) or removes (`sign` -1) one record's share of its scenario's usage. */
export function addToUsage(u: ScenarioUsage, r: IncompleteExecution, sign: 1 | -1 = 1): void {
  u.records += sign;
  if (r.status === 'resolved') return;
  u.notResolved += sign;
  if (r.status === 'unresolved') u.unresolved += sign;
  if (!hasRecordedSize(r)) u.estimated += sign;
  u.bytes += sign * recordBytes(r);
}

/** Scenario name → usage, one pass over the records. */
export function usageByScenario(executions: Iterable<IncompleteExecution>): Map<string, ScenarioUsage> {
  const acc = new Map<string, ScenarioUsage>();
  for (const r of executions) {
    let a = acc.get(r.scenario);
    if (!a) {
      a = emptyUsage();
      acc.set(r.scenario, a);
    }
    addToUsage(a, r);
  }
  return acc;
}

/** A scenario's storage against the 10 MB, and whether sequential processing makes runs wait. */
export function scenarioStorage(scenario: string, u: Readonly<ScenarioUsage>, sequentialProcessing: boolean | undefined): ScenarioStorage {
  const fraction = u.bytes / SCENARIO_STORAGE_LIMIT_BYTES;
  return {
    scenario,
    records: u.records,
    notResolved: u.notResolved,
    unresolved: u.unresolved,
    bytes: u.bytes,
    estimated: u.estimated,
    fraction,
    level: storageLevel(fraction),
    sequentialProcessing,
    blocked: sequentialProcessing === true && u.notResolved > 0,
  };
}

/** When a resolved record is deleted by Fusion, seen from `now`; undefined when not resolved or no date. */
export function retentionOf(r: IncompleteExecution, now: Date): ResolvedRetention | undefined {
  const at = resolvedAt(r);
  if (at === undefined) return undefined;
  const t = Date.parse(at);
  const purge = t + RESOLVED_RETENTION_DAYS * DAY_MS;
  return {
    id: r.id,
    scenario: r.scenario,
    resolvedAt: new Date(t).toISOString(),
    purgeAt: new Date(purge).toISOString(),
    daysSinceResolved: Math.max(0, Math.floor((now.getTime() - t) / DAY_MS)),
    purged: now.getTime() >= purge,
  };
}

export function storageReport(doc: Pick<ExecutionsFile, 'executions'>, options: StorageReportOptions): StorageReport {
  const usage = usageByScenario(doc.executions);
  const resolved: ResolvedRetention[] = [];
  for (const r of doc.executions) {
    const ret = r.status === 'resolved' ? retentionOf(r, options.now) : undefined;
    if (ret) resolved.push(ret);
  }
  let teamBytes = 0;
  for (const u of usage.values()) teamBytes += u.bytes;
  const scenarios = [...usage.keys()]
    .sort((x, y) => x.localeCompare(y))
    .map((name) => scenarioStorage(name, usage.get(name) as ScenarioUsage, options.sequentialByScenario?.get(name)));
  const teamFraction = teamBytes / TEAM_STORAGE_LIMIT_BYTES;
  return {
    scenarios,
    team: { bytes: teamBytes, limit: TEAM_STORAGE_LIMIT_BYTES, fraction: teamFraction, level: storageLevel(teamFraction) },
    resolved,
  };
}

/** Whether a scenario's storage is worth a warning: at warning/full level, or blocked. */
export function needsAttention(s: ScenarioStorage): boolean {
  return s.level !== 'ok' || s.blocked;
}

/**
 * Scenario name → `sequentialProcessing`, for the scenarios that have a not-resolved execution
 * (the only ones it matters for), resolved through the first such execution of each scenario.
 * Scenarios whose file is not found are left out (unknown).
 */
export function sequentialByScenarioFrom(
  executions: Iterable<IncompleteExecution>,
  resolve: (execution: IncompleteExecution) => Scenario | undefined,
): Map<string, boolean> {
  const out = new Map<string, boolean>();
  const tried = new Set<string>();
  for (const r of executions) {
    if (r.status === 'resolved' || tried.has(r.scenario)) continue;
    tried.add(r.scenario);
    const scenario = resolve(r);
    if (scenario) out.set(r.scenario, scenario.settings.sequentialProcessing);
  }
  return out;
}

/** "8.6 MB", "10 MB" (binary units, one decimal, a trailing ".0" dropped), "412 B", "3.2 KB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const [n, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KB'] : [bytes / (1024 * 1024), 'MB'];
  return `${n.toFixed(1).replace(/\.0$/, '')} ${unit}`;
}

/** A fraction as a whole percentage, floored so 79.9 % is not shown as the 80 % that warns. */
export function formatPercent(fraction: number): string {
  return `${Math.floor(fraction * 100)}%`;
}
