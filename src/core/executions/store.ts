// The incomplete-executions file (spec 3): validation with positions, a cross-process lock, atomic
// saves. Owned by the "core-store" helper.
//
// Guarantees:
// - Reading never throws for bad content: `parseExecutionsText` returns a result with a one-line
//   message and a 1-based line/column.
// - Writing never loses data: every write happens under a lock (proper-lockfile, a `<file>.lock`
//   directory), re-reads and re-validates the file, applies the caller's change to that fresh
//   document and replaces the file atomically (write-file-atomic: temp file in the same folder,
//   fsync, rename). An invalid file on disk is never overwritten.
// - Fields the tool does not know (top level and per record) are kept: the parsed objects are
//   passed through untouched.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findNodeAtLocation, parse as parseJsonc, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { JSONPath, Node as JsonNode, ParseError } from 'jsonc-parser';
import * as lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { EXECUTION_STATUSES } from '../model';
import type { ExecutionsFile, IncompleteExecution } from '../model';

export type ExecutionsFileErrorCode =
  /** The file does not exist. */
  | 'ENOENT'
  /** Not JSON (or empty). */
  | 'SYNTAX'
  /** JSON, but not an executions file (wrong field type, missing field, duplicate id...). */
  | 'SHAPE'
  /** The file changed since it was loaded (saveIfUnchanged). */
  | 'CONFLICT'
  /** Another process holds the lock for too long. */
  | 'LOCKED'
  /** Reading or writing failed (permissions, disk full...). */
  | 'IO';

/** A problem with the executions file, pointing at the place (1-based line/column when known). */
export class ExecutionsFileError extends Error {
  /** What kind of problem (absent when constructed by other code without one). */
  readonly code?: ExecutionsFileErrorCode;
  /** The message without the `file:line:column: ` prefix. */
  readonly detail: string;

  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    readonly column?: number,
    code?: ExecutionsFileErrorCode,
    detail?: string,
  ) {
    super(message);
    this.name = 'ExecutionsFileError';
    this.code = code;
    this.detail = detail ?? message;
  }

  /** Builds an error whose message is `file[:line:column]: detail`. */
  static at(detail: string, file: string, code: ExecutionsFileErrorCode, line?: number, column?: number): ExecutionsFileError {
    const where = line !== undefined && column !== undefined ? `${file}:${line}:${column}` : file;
    return new ExecutionsFileError(`${where}: ${detail}`, file, line, column, code, detail);
  }
}

export type ParseExecutionsResult =
  | { readonly ok: true; readonly doc: ExecutionsFile }
  | { readonly ok: false; readonly error: ExecutionsFileError };

// ---------------------------------------------------------------------------------------------
// JSON with positions (shared with importMake)
// ---------------------------------------------------------------------------------------------

/** 1-based line and column (UTF-16 code units) of `offset` in `text`. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const o = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < o; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
    } else if (c === 13) {
      if (i + 1 < o && text.charCodeAt(i + 1) === 10) i++;
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: o - lineStart + 1 };
}

const BOM = '\uFEFF';

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(BOM.length) : text;
}

export type JsonTextResult =
  | { readonly ok: true; readonly value: unknown; readonly text: string }
  | { readonly ok: false; readonly error: ExecutionsFileError };

/**
 * Parses strict JSON (a leading BOM is allowed). Fast path: `JSON.parse`; only when that fails is
 * the text parsed again with jsonc-parser to find the position of the first problem. Positions
 * refer to the text without its BOM. Never throws.
 */
export function parseJsonText(rawText: string, file: string): JsonTextResult {
  const text = stripBom(rawText);
  if (text.trim() === '') {
    return { ok: false, error: ExecutionsFileError.at('the file is empty (expected a JSON object)', file, 'SYNTAX', 1, 1) };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown, text };
  } catch (e) {
    const errors: ParseError[] = [];
    parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    if (errors.length > 0) {
      const first = errors[0];
      const { line, column } = lineColumnAt(text, first.offset);
      return { ok: false, error: ExecutionsFileError.at(`invalid JSON: ${describeParseError(first, text)}`, file, 'SYNTAX', line, column) };
    }
    // jsonc-parser is more lenient in a few corners (e.g. control characters inside strings).
    const message = e instanceof Error ? e.message : String(e);
    const m = /position (\d+)/.exec(message);
    if (m) {
      const { line, column } = lineColumnAt(text, Number(m[1]));
      return { ok: false, error: ExecutionsFileError.at(`invalid JSON: ${firstLine(message)}`, file, 'SYNTAX', line, column) };
    }
    return { ok: false, error: ExecutionsFileError.at(`invalid JSON: ${firstLine(message)}`, file, 'SYNTAX') };
  }
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

const PARSE_ERROR_TEXT: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'a property name in double quotes is expected',
  ValueExpected: 'a value is expected',
  ColonExpected: 'a colon is expected',
  CommaExpected: 'a comma is expected',
  CloseBraceExpected: 'a closing brace } is expected',
  CloseBracketExpected: 'a closing bracket ] is expected',
  EndOfFileExpected: 'the end of the file is expected (extra content after the JSON value)',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'incomplete number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in string',
};

function describeParseError(err: ParseError, text: string): string {
  const name = printParseErrorCode(err.error);
  const what = PARSE_ERROR_TEXT[name] ?? name;
  if (err.offset >= text.length) return `${what} (at the end of the file)`;
  const found = text.slice(err.offset, err.offset + Math.max(1, Math.min(err.length, 20)));
  const shown = JSON.stringify(found.length > 0 ? found : text.charAt(err.offset));
  return `${what}, found ${shown}`;
}

/** The deepest existing node on `p` (walks up the path until a node exists). */
function nodeFor(root: JsonNode | undefined, p: JSONPath): JsonNode | undefined {
  if (!root) return undefined;
  for (let n = p.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, p.slice(0, n));
    if (node) {
      // Point at the property (key) rather than the value when the path ends at a property.
      if (n > 0 && typeof p[n - 1] === 'string' && node.parent?.type === 'property') return node.parent;
      return node;
    }
  }
  return root;
}

/** Builds a SHAPE error located at JSON path `p` of `text` (when the text is known). */
export function shapeError(detail: string, file: string, text: string | undefined, p: JSONPath): ExecutionsFileError {
  if (text === undefined) return ExecutionsFileError.at(detail, file, 'SHAPE');
  let root: JsonNode | undefined;
  try {
    root = parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
  } catch {
    root = undefined;
  }
  const node = nodeFor(root, p);
  if (!node) return ExecutionsFileError.at(detail, file, 'SHAPE');
  const { line, column } = lineColumnAt(text, node.offset);
  return ExecutionsFileError.at(detail, file, 'SHAPE', line, column);
}

/** `executions[3].error.type` */
export function formatPath(p: JSONPath): string {
  let s = '';
  for (const seg of p) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) s += s === '' ? seg : `.${seg}`;
    else s += `[${JSON.stringify(seg)}]`;
  }
  return s === '' ? 'the top level' : s;
}

// ---------------------------------------------------------------------------------------------
// Shape validation
// ---------------------------------------------------------------------------------------------

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
    isDigit(s, 0) && isDigit(s, 1) && isDigit(s, 2) && isDigit(s, 3) && s.charCodeAt(4) === 45 &&
    isDigit(s, 5) && isDigit(s, 6) && s.charCodeAt(7) === 45 && isDigit(s, 8) && isDigit(s, 9) &&
    s.charCodeAt(10) === 84 /* T */ && isDigit(s, 11) && isDigit(s, 12) && s.charCodeAt(13) === 58 &&
    isDigit(s, 14) && isDigit(s, 15) && s.charCodeAt(16) === 58 && isDigit(s, 17) && isDigit(s, 18) &&
    (s.length === 20 || (s.charCodeAt(19) === 46 && isDigit(s, 20) && isDigit(s, 21) && isDigit(s, 22)))
  ) {
    const month = (s.charCodeAt(5) - 48) * 10 + (s.charCodeAt(6) - 48);
    const day = (s.charCodeAt(8) - 48) * 10 + (s.charCodeAt(9) - 48);
    const hour = (s.charCodeAt(11) - 48) * 10 + (s.charCodeAt(12) - 48);
    return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && s.charCodeAt(14) <= 53 && s.charCodeAt(17) <= 53;
  }
  return s.length >= 10 && !Number.isNaN(Date.parse(s));
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
  const label = typeof r.id === 'string' ? `execution "${r.id}"` : `executions[${i}]`;
  const need = (key: string, what: string): Problem =>
    key in r
      ? { path: at(key), detail: `${label}: "${key}" must be ${what}, found ${describe(r[key])}` }
      : { path: at(), detail: `${label}: "${key}" is required (${what})` };

  if (typeof r.id !== 'string' || r.id.trim() === '') return need('id', 'a non-empty string');
  if (typeof r.scenario !== 'string') return need('scenario', 'a string (the scenario name)');
  if (r.scenarioFile !== undefined && typeof r.scenarioFile !== 'string') return need('scenarioFile', 'a string (a path relative to the workspace)');
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
  if (r.updated !== undefined && (typeof r.updated !== 'string' || !isIsoDate(r.updated))) return need('updated', 'an ISO date-time string');
  if (r.size !== undefined && (typeof r.size !== 'number' || !Number.isFinite(r.size) || r.size < 0)) return need('size', 'a non-negative number (bytes)');
  const history = r.history;
  if (history !== undefined) {
    if (!Array.isArray(history)) return need('history', 'an array');
    for (let h = 0; h < history.length; h++) {
      const e: unknown = history[h];
      if (!isRecord(e)) return { path: at('history', h), detail: `${label}: history[${h}] must be an object, found ${describe(e)}` };
      if (typeof e.at !== 'string') return { path: 'at' in e ? at('history', h, 'at') : at('history', h), detail: `${label}: history[${h}].at must be an ISO date-time string` };
      if (typeof e.action !== 'string') return { path: 'action' in e ? at('history', h, 'action') : at('history', h), detail: `${label}: history[${h}].action must be a string` };
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

/** Validates the text of an executions file. Never throws. */
export function parseExecutionsText(text: string, file: string): ParseExecutionsResult {
  try {
    const parsed = parseJsonText(text, file);
    if (!parsed.ok) return parsed;
    const problem = checkDoc(parsed.value, true);
    if (problem) return { ok: false, error: shapeError(problem.detail, file, parsed.text, problem.path) };
    return { ok: true, doc: parsed.value as ExecutionsFile };
  } catch (e) {
    // Defensive: nothing above is expected to throw, but a reader must never crash on content.
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: ExecutionsFileError.at(`cannot read the file: ${message}`, file, 'SYNTAX') };
  }
}

/** Checks a document before it is written (a bug in a caller must not corrupt the file). */
export function validateExecutionsDoc(doc: unknown, file: string, trusted?: ExecutionsFile): ExecutionsFileError | undefined {
  const problem = checkDoc(doc, false, trusted?.executions);
  if (!problem) return undefined;
  return ExecutionsFileError.at(`refusing to write an invalid document: ${formatPath(problem.path)}: ${problem.detail}`, file, 'SHAPE');
}

/** A new, empty executions document. */
export function emptyExecutionsFile(): ExecutionsFile {
  return { version: 1, executions: [] };
}

/** The text the store writes: 2-space JSON and a trailing newline. */
export function serializeExecutions(doc: ExecutionsFile): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** The content hash used as `version` (sha256 of the bytes, hex). */
export function contentHash(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

export interface LoadedExecutions {
  readonly doc: ExecutionsFile;
  /** Content hash (sha256, hex) of the bytes that were read, for change detection; computed on first access. */
  readonly version: string;
}

function ioError(e: unknown, file: string, doing: string): ExecutionsFileError {
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT') return ExecutionsFileError.at('executions file not found', file, 'ENOENT');
  const message = e instanceof Error ? e.message : String(e);
  return ExecutionsFileError.at(`cannot ${doing} the executions file (${typeof code === 'string' ? code : message})`, file, 'IO');
}

async function readBytes(file: string): Promise<Buffer | undefined> {
  try {
    return await fsp.readFile(file);
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return undefined;
    throw ioError(e, file, 'read');
  }
}

function parseDecoded(text: string, file: string): ExecutionsFile {
  const result = parseExecutionsText(text, file);
  if (!result.ok) throw result.error;
  return result.doc;
}

/** Reads and validates. A missing file throws ExecutionsFileError (code 'ENOENT', "... not found"). */
export async function loadExecutions(file: string): Promise<LoadedExecutions> {
  const bytes = await readBytes(file);
  if (bytes === undefined) throw ExecutionsFileError.at('executions file not found', file, 'ENOENT');
  const doc = parseDecoded(bytes.toString('utf8'), file);
  // The hash is computed on first use: readers that never save (list, tree) do not pay for it.
  let version: string | undefined;
  return {
    doc,
    get version(): string {
      version ??= contentHash(bytes);
      return version;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Locking
// ---------------------------------------------------------------------------------------------

export interface UpdateOptions {
  /** Create the file (and its folder) when missing. Default false. */
  readonly create?: boolean;
  /** A lock older than this (ms) is considered stale and broken. Default 10000 (minimum 2000). */
  readonly staleMs?: number;
  /** How long to keep trying to get the lock (ms). Default 30000. */
  readonly lockTimeoutMs?: number;
}

const DEFAULT_STALE_MS = 10_000;
const DEFAULT_LOCK_TIMEOUT_MS = 30_000;

interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly ino: number;
  readonly birth: number;
}

const lockDir = (file: string): string => `${file}.lock`;
const ownerFile = (file: string): string => `${file}.lock-owner`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: unknown }).code === 'EPERM';
  }
}

/**
 * Besides proper-lockfile's stale-time rule, a lock whose recorded owner is a process on this
 * machine that no longer exists (killed, crashed) is broken at once. The owner record names the
 * lock directory by inode + birth time, so a record left over from an earlier lock never matches
 * a newer one.
 */
async function breakDeadLock(file: string): Promise<boolean> {
  let owner: Owner;
  try {
    owner = JSON.parse(await fsp.readFile(ownerFile(file), 'utf8')) as Owner;
  } catch {
    return false;
  }
  if (owner.host !== os.hostname() || !owner.birth || owner.pid === process.pid || isAlive(owner.pid)) return false;
  const dir = lockDir(file);
  try {
    const st = await fsp.stat(dir);
    if (st.ino !== owner.ino || st.birthtimeMs !== owner.birth) return false;
    const moved = `${dir}.dead-${randomBytes(6).toString('hex')}`;
    await fsp.rename(dir, moved);
    const st2 = await fsp.stat(moved);
    if (st2.ino !== owner.ino || st2.birthtimeMs !== owner.birth) {
      // Someone else's fresh lock was moved in between: put it back.
      await fsp.rename(moved, dir).catch(() => fsp.rm(moved, { recursive: true, force: true }));
      return false;
    }
    await fsp.rm(moved, { recursive: true, force: true });
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** In-process queue per file, so one process does not poll against itself. */
const localQueues = new Map<string, Promise<unknown>>();

async function withFileLock<T>(file: string, options: UpdateOptions, fn: (isCompromised: () => Error | undefined) => Promise<T>): Promise<T> {
  const previous = localQueues.get(file) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => withCrossProcessLock(file, options, fn));
  const tail = run.catch(() => undefined);
  localQueues.set(file, tail);
  try {
    return await run;
  } finally {
    if (localQueues.get(file) === tail) localQueues.delete(file);
  }
}

async function withCrossProcessLock<T>(file: string, options: UpdateOptions, fn: (isCompromised: () => Error | undefined) => Promise<T>): Promise<T> {
  const dir = path.dirname(file);
  if (options.create) {
    try {
      await fsp.mkdir(dir, { recursive: true });
    } catch (e) {
      throw ioError(e, file, 'create the folder of');
    }
  } else {
    try {
      await fsp.access(file);
    } catch (e) {
      throw ioError(e, file, 'open');
    }
  }
  let compromised: Error | undefined;
  const stale = Math.max(options.staleMs ?? DEFAULT_STALE_MS, 2000);
  const deadline = Date.now() + (options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
  let delay = 5;
  let release: (() => Promise<void>) | undefined;
  for (;;) {
    try {
      release = await lockfile.lock(file, {
        realpath: false,
        stale,
        retries: 0,
        onCompromised: (err: Error) => {
          compromised = err;
        },
      });
      break;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code !== 'ELOCKED') throw ioError(e, file, 'lock');
      if (await breakDeadLock(file)) continue;
      if (Date.now() >= deadline) {
        throw ExecutionsFileError.at(`the executions file is locked by another process (${lockDir(file)}); try again later`, file, 'LOCKED');
      }
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 1.5, 100);
    }
  }
  try {
    try {
      const st = await fsp.stat(lockDir(file));
      const owner: Owner = { pid: process.pid, host: os.hostname(), ino: st.ino, birth: st.birthtimeMs };
      await fsp.writeFile(ownerFile(file), JSON.stringify(owner));
    } catch {
      // Without an owner record only the stale-time rule can break this lock; that is fine.
    }
    await removeAbandonedTempFiles(file);
    return await fn(() => compromised);
  } finally {
    await fsp.rm(ownerFile(file), { force: true }).catch(() => undefined);
    await release().catch(() => undefined);
  }
}

/**
 * write-file-atomic names its temp file `<file>.<number>`. Such a file can only be left behind by a
 * writer that died mid-save (every writer holds the lock while its temp file exists), so under the
 * lock they are garbage.
 */
async function removeAbandonedTempFiles(file: string): Promise<void> {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.length > base.length + 1 && name.startsWith(`${base}.`) && /^\d{1,10}$/.test(name.slice(base.length + 1))) {
      await fsp.rm(path.join(dir, name), { force: true }).catch(() => undefined);
    }
  }
}

async function writeDoc(file: string, text: string, isCompromised: () => Error | undefined): Promise<void> {
  const lost = isCompromised();
  if (lost) {
    throw ExecutionsFileError.at(`lost the lock on the executions file before saving (${lost.message}); nothing was written`, file, 'LOCKED');
  }
  try {
    await writeFileAtomic(file, text, { fsync: true });
  } catch (e) {
    throw ioError(e, file, 'write');
  }
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/**
 * Read-modify-write under a cross-process lock; atomic save (temp file in the same folder, fsync,
 * rename). `mutate` gets the freshly read document, so concurrent writers never lose an update.
 * An invalid file on disk is not touched (ExecutionsFileError). When `mutate` throws nothing is
 * written. Nothing is written either when the result serializes to the current text.
 */
export async function updateExecutions<T>(
  file: string,
  mutate: (doc: ExecutionsFile) => { doc: ExecutionsFile; result: T },
  options?: UpdateOptions,
): Promise<T> {
  const opts = options ?? {};
  const key = path.resolve(file);
  return withFileLock(key, opts, async (isCompromised) => {
    let current: ExecutionsFile;
    let currentText: string | undefined;
    // Under the lock, a file whose identity (inode, size, mtime, ctime in ns) is the one this process
    // last read or wrote is the same content: reuse that parse instead of reading and validating
    // the whole file again. Any other writer's save changes the identity (atomic rename = new inode).
    const identity = await fileIdentity(file);
    const cached = snapshots.get(key);
    if (identity !== undefined && cached?.identity === identity) {
      current = cached.doc;
      currentText = cached.text;
    } else {
      const bytes = await readBytes(file);
      if (bytes === undefined) {
        if (!opts.create) throw ExecutionsFileError.at('executions file not found', file, 'ENOENT');
        current = emptyExecutionsFile();
      } else {
        currentText = bytes.toString('utf8');
        current = parseDecoded(currentText, file);
      }
    }
    const { doc, result } = mutate(current);
    const invalid = validateExecutionsDoc(doc, file, current);
    if (invalid) throw invalid;
    const text = serializeExecutions(doc);
    if (currentText !== text) await writeDoc(file, text, isCompromised);
    const after = await fileIdentity(file);
    if (after !== undefined) snapshots.set(key, { identity: after, doc, text });
    else snapshots.delete(key);
    return result;
  });
}

/** The last document this process read or wrote per file, keyed by the file's identity then. */
const snapshots = new Map<string, { readonly identity: string; readonly doc: ExecutionsFile; readonly text: string }>();

/** inode, size, mtime and ctime in nanoseconds; undefined when the file does not exist. */
async function fileIdentity(file: string): Promise<string | undefined> {
  try {
    const st = await fsp.stat(file, { bigint: true });
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return undefined;
    throw ioError(e, file, 'read');
  }
}

/**
 * Saves a document the caller loaded earlier, but only if the file still has `expectedVersion`
 * (the `version` from loadExecutions). Otherwise throws ExecutionsFileError code 'CONFLICT' and
 * leaves the file alone. Returns the new version.
 */
export async function saveIfUnchanged(file: string, doc: ExecutionsFile, expectedVersion: string, options?: UpdateOptions): Promise<string> {
  const opts = { ...(options ?? {}), create: false };
  return withFileLock(path.resolve(file), opts, async (isCompromised) => {
    const bytes = await readBytes(file);
    if (bytes === undefined) {
      throw ExecutionsFileError.at('the executions file was deleted since it was loaded; not saved', file, 'CONFLICT');
    }
    if (contentHash(bytes) !== expectedVersion) {
      throw ExecutionsFileError.at('the executions file changed since it was loaded (another process wrote it); not saved — reload and try again', file, 'CONFLICT');
    }
    const invalid = validateExecutionsDoc(doc, file);
    if (invalid) throw invalid;
    const text = serializeExecutions(doc);
    if (bytes.toString('utf8') !== text) await writeDoc(file, text, isCompromised);
    return contentHash(Buffer.from(text, 'utf8'));
  });
}

/** Convenience for callers that add records (e.g. the simulator): appends under the lock. */
export async function appendToExecutions(file: string, records: readonly IncompleteExecution[], options?: UpdateOptions): Promise<void> {
  await updateExecutions(file, (doc) => ({ doc: { ...doc, executions: [...doc.executions, ...records] }, result: undefined }), options);
}
