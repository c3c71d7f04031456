/**
 * Validation of the executions file: what a valid document is, with a message and a 1-based
 * line/column for the first problem. Reading never throws for bad content; a document about to
 * be written is checked too, so a bug in a caller cannot corrupt the file.
 *
 * Reading fills the defaults of the optional fields the model requires (see `checkRecord`) and
 * keeps every field it does not know: the parsed objects are passed through untouched.
 */
import type { JSONPath } from 'jsonc-parser';
import { decodeJsonBytes, formatPath, jsonPathPosition, parseJsonText } from '../text/json';
import { ExecutionsFileError } from './fileError';
import { EXECUTION_ORIGINS, EXECUTION_STATUSES } from './model';
import type { ExecutionsFile } from './model';

export type ParseExecutionsResult =
  { readonly ok: true; readonly doc: ExecutionsFile } | { readonly ok: false; readonly error: ExecutionsFileError };

/** A SHAPE error located at JSON path `p` of `text` (when the text is known). */
function shapeError(detail: string, file: string, text: string | undefined, p: JSONPath): ExecutionsFileError {
  const at = text === undefined ? undefined : jsonPathPosition(text, p);
  return ExecutionsFileError.at(detail, file, 'SHAPE', at?.line, at?.column);
}

interface Problem {
  readonly path: JSONPath;
  readonly detail: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return v.length > 40 ? `a string "${v.slice(0, 37)}..."` : `the string ${JSON.stringify(v)}`;
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return `${v}`;
  if (typeof v === 'object') return 'an object';
  return typeof v;
}

const isDigit = (s: string, i: number): boolean => {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
};

/** Fast path for `Date#toISOString()` output ("2026-11-20T10:00:00.000Z"); Date.parse otherwise. */
function isIsoDate(s: string): boolean {
  if (
    (s.length === 24 || s.length === 20) &&
    s.charCodeAt(s.length - 1) === 90 /* Z */ &&
    isDigit(s, 0) &&
    isDigit(s, 1) &&
    isDigit(s, 2) &&
    isDigit(s, 3) &&
    s.charCodeAt(4) === 45 &&
    isDigit(s, 5) &&
    isDigit(s, 6) &&
    s.charCodeAt(7) === 45 &&
    isDigit(s, 8) &&
    isDigit(s, 9) &&
    s.charCodeAt(10) === 84 /* T */ &&
    isDigit(s, 11) &&
    isDigit(s, 12) &&
    s.charCodeAt(13) === 58 &&
    isDigit(s, 14) &&
    isDigit(s, 15) &&
    s.charCodeAt(16) === 58 &&
    isDigit(s, 17) &&
    isDigit(s, 18) &&
    (s.length === 20 || (s.charCodeAt(19) === 46 && isDigit(s, 20) && isDigit(s, 21) && isDigit(s, 22)))
  ) {
    const month = (s.charCodeAt(5) - 48) * 10 + (s.charCodeAt(6) - 48);
    const day = (s.charCodeAt(8) - 48) * 10 + (s.charCodeAt(9) - 48);
    const hour = (s.charCodeAt(11) - 48) * 10 + (s.charCodeAt(12) - 48);
    return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && s.charCodeAt(14) <= 53 && s.charCodeAt(17) <= 53;
  }
  return s.length >= 10 && !Number.isNaN(Date.parse(s));
}

/** Longest execution id accepted (Make's ids are 32 characters; ours are 27). */
export const MAX_EXECUTION_ID_LENGTH = 200;

/** Characters an id may not contain: control characters (C0, DEL, C1), line separators, bidi controls. */
// eslint-disable-next-line no-control-regex -- finding control characters is what this pattern is for
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Why `id` is not a usable execution id, or undefined when it is. */
export function executionIdProblem(id: string): string | undefined {
  if (id.trim() === '') return 'must be a non-empty string';
  if (id.length > MAX_EXECUTION_ID_LENGTH) return `is ${id.length} characters long (at most ${MAX_EXECUTION_ID_LENGTH})`;
  const bad = UNPRINTABLE.exec(id);
  if (bad)
    return `contains the control character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} (ids are printable text)`;
  return undefined;
}

function isNonNegInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/**
 * Checks one record; fills defaults for the optional fields the model requires (autoRetry false,
 * attempts 0, maxAttempts = attempts, nextRetryAt null, updated = created, history []). Returns the
 * first problem, or undefined.
 */
function checkRecord(r: unknown, i: number, fillDefaults: boolean): Problem | undefined {
  const at = (...rest: JSONPath): JSONPath => ['executions', i, ...rest];
  if (!isRecord(r)) return { path: at(), detail: `executions[${i}] must be an object, found ${describe(r)}` };
  const label = typeof r.id === 'string' && executionIdProblem(r.id) === undefined ? `execution "${r.id}"` : `executions[${i}]`;
  const need = (key: string, what: string): Problem =>
    key in r
      ? { path: at(key), detail: `${label}: "${key}" must be ${what}, found ${describe(r[key])}` }
      : { path: at(), detail: `${label}: "${key}" is required (${what})` };

  if (typeof r.id !== 'string' || r.id.trim() === '') return need('id', 'a non-empty string');
  const idProblem = executionIdProblem(r.id);
  if (idProblem) return { path: at('id'), detail: `executions[${i}]: "id" ${idProblem}` };
  if (r.origin !== undefined && !(EXECUTION_ORIGINS as readonly unknown[]).includes(r.origin))
    return need('origin', `one of ${EXECUTION_ORIGINS.map((o) => `"${o}"`).join(', ')}`);
  if (typeof r.scenario !== 'string') return need('scenario', 'a string (the scenario name)');
  if (r.scenarioFile !== undefined && typeof r.scenarioFile !== 'string')
    return need('scenarioFile', 'a string (a path relative to the workspace)');
  if (typeof r.moduleId !== 'number' || !Number.isInteger(r.moduleId) || r.moduleId < 0) return need('moduleId', 'a non-negative integer');
  if (r.moduleName !== undefined && typeof r.moduleName !== 'string') return need('moduleName', 'a string');
  const err = r.error;
  if (!isRecord(err)) return need('error', 'an object {"type", "message"}');
  if (typeof err.type !== 'string' || err.type === '') {
    return 'type' in err
      ? { path: at('error', 'type'), detail: `${label}: "error.type" must be a non-empty string, found ${describe(err.type)}` }
      : { path: at('error'), detail: `${label}: "error.type" is required (the error type name, e.g. "ConnectionError")` };
  }
  if (typeof err.message !== 'string') {
    return 'message' in err
      ? { path: at('error', 'message'), detail: `${label}: "error.message" must be a string, found ${describe(err.message)}` }
      : { path: at('error'), detail: `${label}: "error.message" is required (a string)` };
  }
  if (typeof r.status !== 'string' || !(EXECUTION_STATUSES as readonly string[]).includes(r.status)) {
    return need('status', `one of ${EXECUTION_STATUSES.map((s) => `"${s}"`).join(', ')}`);
  }
  if (r.autoRetry !== undefined && typeof r.autoRetry !== 'boolean') return need('autoRetry', 'true or false');
  if (r.attempts !== undefined && !isNonNegInt(r.attempts)) return need('attempts', 'a non-negative integer');
  if (r.maxAttempts !== undefined && !isNonNegInt(r.maxAttempts)) return need('maxAttempts', 'a non-negative integer');
  if (r.nextRetryAt !== undefined && r.nextRetryAt !== null && (typeof r.nextRetryAt !== 'string' || !isIsoDate(r.nextRetryAt))) {
    return need('nextRetryAt', 'an ISO date-time string or null');
  }
  if (typeof r.created !== 'string' || !isIsoDate(r.created)) return need('created', 'an ISO date-time string');
  if (r.updated !== undefined && (typeof r.updated !== 'string' || !isIsoDate(r.updated)))
    return need('updated', 'an ISO date-time string');
  if (r.size !== undefined && (typeof r.size !== 'number' || !Number.isFinite(r.size) || r.size < 0))
    return need('size', 'a non-negative number (bytes)');
  const history = r.history;
  if (history !== undefined) {
    if (!Array.isArray(history)) return need('history', 'an array');
    for (let h = 0; h < history.length; h++) {
      const e: unknown = history[h];
      if (!isRecord(e)) return { path: at('history', h), detail: `${label}: history[${h}] must be an object, found ${describe(e)}` };
      if (typeof e.at !== 'string')
        return {
          path: 'at' in e ? at('history', h, 'at') : at('history', h),
          detail: `${label}: history[${h}].at must be an ISO date-time string`,
        };
      if (typeof e.action !== 'string')
        return {
          path: 'action' in e ? at('history', h, 'action') : at('history', h),
          detail: `${label}: history[${h}].action must be a string`,
        };
    }
  }
  if (fillDefaults) {
    if (r.autoRetry === undefined) r.autoRetry = false;
    if (r.attempts === undefined) r.attempts = 0;
    if (r.maxAttempts === undefined) r.maxAttempts = r.attempts;
    if (r.nextRetryAt === undefined) r.nextRetryAt = null;
    if (r.updated === undefined) r.updated = r.created;
    if (r.history === undefined) r.history = [];
  }
  return undefined;
}

/**
 * `trusted`: the validated executions the caller started from; a record object found at the same
 * index (or anywhere in it) was checked already and is not checked again.
 */
function checkDoc(value: unknown, fillDefaults: boolean, trusted?: readonly unknown[]): Problem | undefined {
  if (!isRecord(value)) {
    return {
      path: [],
      detail: `the top level must be an object {"version": 1, "executions": [...]}, found ${describe(value)}`,
    };
  }
  if (value.version !== 1) {
    return 'version' in value
      ? { path: ['version'], detail: `unsupported "version" ${JSON.stringify(value.version)} (this tool reads version 1)` }
      : { path: [], detail: '"version" is required (1)' };
  }
  const list = value.executions;
  if (!Array.isArray(list)) {
    return 'executions' in value
      ? { path: ['executions'], detail: `"executions" must be an array, found ${describe(list)}` }
      : { path: [], detail: '"executions" is required (an array of incomplete executions)' };
  }
  const seen = new Map<string, number>();
  let trustedSet: Set<unknown> | undefined;
  for (let i = 0; i < list.length; i++) {
    const rec: unknown = list[i];
    let known = false;
    if (trusted) {
      if (trusted[i] === rec) known = true;
      else {
        trustedSet ??= new Set(trusted);
        known = trustedSet.has(rec);
      }
    }
    if (!known) {
      const problem = checkRecord(rec, i, fillDefaults);
      if (problem) return problem;
    }
    const id = (list[i] as { id: string }).id;
    const first = seen.get(id);
    if (first !== undefined) {
      return { path: ['executions', i, 'id'], detail: `duplicate id "${id}" (executions[${i}] repeats executions[${first}])` };
    }
    seen.set(id, i);
  }
  return undefined;
}

/**
 * Validates the bytes of an executions file: UTF-8 (a byte-order mark is allowed), no NUL byte,
 * then `parseExecutionsText`. Never throws.
 */
export function parseExecutionsBytes(bytes: Uint8Array, file: string): ParseExecutionsResult {
  const decoded = decodeJsonBytes(bytes);
  if (!decoded.ok) {
    const { detail, line, column } = decoded.problem;
    return { ok: false, error: ExecutionsFileError.at(detail, file, 'SYNTAX', line, column) };
  }
  return parseExecutionsText(decoded.text, file);
}

/**
 * The detail of the error `parseExecutionsText` returns when its own code threw (a bug): it never
 * throws to its caller, and tests check that no input gets this answer.
 */
export const INTERNAL_READ_ERROR = 'cannot read the file (internal error)';

/**
 * Validates the text of an executions file: strict JSON, no duplicate keys, nesting at most
 * MAX_JSON_DEPTH levels, then the shape of the document. Never throws.
 */
export function parseExecutionsText(text: string, file: string): ParseExecutionsResult {
  try {
    const parsed = parseJsonText(text, { rejectDuplicateKeys: true });
    if (!parsed.ok) {
      const { detail, line, column } = parsed.problem;
      return { ok: false, error: ExecutionsFileError.at(detail, file, 'SYNTAX', line, column) };
    }
    const problem = checkDoc(parsed.value, true);
    if (problem) return { ok: false, error: shapeError(problem.detail, file, parsed.text, problem.path) };
    return { ok: true, doc: parsed.value as ExecutionsFile };
  } catch (e) {
    // Defensive: nothing above is expected to throw, but a reader must never crash on content.
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: ExecutionsFileError.at(`${INTERNAL_READ_ERROR}: ${message.split('\n')[0]}`, file, 'INTERNAL') };
  }
}

/** Checks a document before it is written (a bug in a caller must not corrupt the file). */
export function validateExecutionsDoc(doc: unknown, file: string, trusted?: ExecutionsFile): ExecutionsFileError | undefined {
  const problem = checkDoc(doc, false, trusted?.executions);
  if (!problem) return undefined;
  return ExecutionsFileError.at(`refusing to write an invalid document: ${formatPath(problem.path)}: ${problem.detail}`, file, 'SHAPE');
}
