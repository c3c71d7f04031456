/** Reading user files with clear one-line errors, loading scenarios for classify/simulate/convert. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintScenario, structuralFindings, type ParsedScenario } from '../core/lint/lint';
import type { Finding, Profile, Scenario } from '../core/model';
import { DEFAULT_EXECUTIONS_PATH } from '../core/executions/model';
import { ExecutionsFileError } from '../core/executions/fileError';
import { MakeImportError } from '../core/make/importError';
import { FileTooLargeError, NotRegularFileError, readRegularFileSync } from '../core/executions/regularFile';
import { CliError } from './errors';
import { stringOpt, type CommandContext } from './args';

/** Refuse to read anything bigger: scenario and executions files are small. */
const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** How a path is shown: relative to the current directory when inside it, else absolute. */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  if (rel === '') return '.';
  return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
}

function errnoCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    const c = (e as { code: unknown }).code;
    return typeof c === 'string' ? c : undefined;
  }
  return undefined;
}

/** A one-line description of a file system error code. */
export function describeFsError(e: unknown): string {
  switch (errnoCode(e)) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory, expected a file';
    case 'ENOTDIR':
      return 'a parent of this path is not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on device';
    case 'ELOCKED':
      return 'locked by another process; try again in a moment';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default: {
      const code = errnoCode(e);
      return code ? `cannot access (${code})` : 'cannot access';
    }
  }
}

/**
 * Reads a text file as an editor would (UTF-8, byte-order mark dropped). Throws a CliError naming
 * the file for anything that is not a readable text file: missing, a directory, unreadable,
 * binary (NUL bytes), not UTF-8, huge.
 */
export function readTextFile(file: string, cwd: string): string {
  const shown = displayPath(file, cwd);
  const abs = path.resolve(cwd, file);
  let buf: Buffer;
  try {
    // Opened without blocking and checked on the descriptor: a FIFO or a device is refused at once.
    buf = readRegularFileSync(abs, MAX_INPUT_BYTES);
  } catch (e) {
    if (e instanceof NotRegularFileError) {
      throw new CliError(
        e.kind === 'directory' ? `${shown}: is a directory, expected a file` : `${shown}: not a regular file (a ${e.kind})`,
      );
    }
    if (e instanceof FileTooLargeError) throw new CliError(`${shown}: too large (${e.size} bytes; the limit is ${MAX_INPUT_BYTES})`);
    throw new CliError(`${shown}: ${describeFsError(e)}`);
  }
  // Anywhere in the file, not only near its start.
  if (buf.includes(0)) throw new CliError(`${shown}: binary file (it contains NUL bytes), expected a text file`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new CliError(`${shown}: not UTF-8 text`);
  }
}

/** `file:line:col: message (code)`, 1-based. */
export function formatFinding(file: string, f: Finding): string {
  return `${file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${oneLine(f.message)} (${f.code})`;
}

export function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ').trim();
}

export interface UsableScenario {
  readonly scenario: Scenario;
  readonly parsed: ParsedScenario;
  readonly text: string;
  /** The path as shown to the user. */
  readonly shown: string;
}

/**
 * The error for a scenario that cannot be used by classify / simulate / convert: its first
 * structural finding (syntax, invalid structure, ...) with its line, or, when the text gives no
 * scenario at all, a hint to lint it.
 */
export function unusableScenarioError(shown: string, structural: readonly Finding[]): CliError {
  if (structural.length === 0) return new CliError(`${shown}: not a usable scenario (run 'fusion-executions lint ${shown}')`);
  const more = structural.length > 1 ? ` [+${structural.length - 1} more; run 'fusion-executions lint ${shown}']` : '';
  return new CliError(`${formatFinding(shown, structural[0])}${more}`);
}

/** Reads and lints a scenario for classify / convert; an unusable one is a CliError (see `unusableScenarioError`). */
export function loadUsableScenario(file: string, cwd: string, profile?: Profile): UsableScenario {
  const shown = displayPath(file, cwd);
  const text = readTextFile(file, cwd);
  const parsed = lintScenario(path.resolve(cwd, file), text, profile ? { profile } : {});
  const structural = structuralFindings(parsed.findings);
  if (structural.length > 0 || !parsed.scenario) throw unusableScenarioError(shown, structural);
  return { scenario: parsed.scenario, parsed, text, shown };
}

// ---------------------------------------------------------------------------------------------
// Executions file and workspace
// ---------------------------------------------------------------------------------------------

export interface ExecutionsTarget {
  /** Absolute path of the executions file. */
  readonly file: string;
  /** As shown to the user. */
  readonly shown: string;
  /** Absolute workspace root. */
  readonly workspace: string;
}

/**
 * The workspace an executions file belongs to, when `--workspace` is not given: the folder holding
 * its `.fusion/` folder (the nearest ancestor named `.fusion`), else the file's own folder.
 * `scenarioFile` paths stored in the file are relative to it, so a later run finds them again
 * wherever it is started from.
 */
export function inferWorkspace(executionsFile: string): string {
  const abs = path.resolve(executionsFile);
  for (let dir = path.dirname(abs); ; dir = path.dirname(dir)) {
    if (path.basename(dir) === '.fusion') return path.dirname(dir);
    if (path.dirname(dir) === dir) break;
  }
  return path.dirname(abs);
}

export function executionsTarget(ctx: CommandContext): ExecutionsTarget {
  const ws = stringOpt(ctx.values, 'workspace');
  const ex = stringOpt(ctx.values, 'executions');
  if (ex !== undefined && ex.trim() === '') throw new CliError(`option '--executions' needs a non-empty value`);
  const workspace =
    ws !== undefined ? path.resolve(ctx.cwd, ws) : ex !== undefined ? inferWorkspace(path.resolve(ctx.cwd, ex)) : path.resolve(ctx.cwd);
  if (ws !== undefined) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(workspace);
    } catch (e) {
      throw new CliError(
        `--workspace ${displayPath(workspace, ctx.cwd)}: ${describeFsError(e).replace('no such file', 'no such directory')}`,
      );
    }
    if (!stat.isDirectory()) throw new CliError(`--workspace ${displayPath(workspace, ctx.cwd)}: not a directory`);
  }
  const file = ex !== undefined ? path.resolve(ctx.cwd, ex) : path.join(workspace, ...DEFAULT_EXECUTIONS_PATH.split('/'));
  return { file, shown: displayPath(file, ctx.cwd), workspace };
}

/** Whether the executions file exists; a directory or an unreadable parent is a CliError. */
export function executionsFileExists(target: ExecutionsTarget): boolean {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target.file);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return false;
    throw new CliError(`${target.shown}: ${describeFsError(e)}`);
  }
  if (stat.isDirectory()) throw new CliError(`${target.shown}: is a directory, expected the executions file`);
  return true;
}

export function requireExecutionsFile(target: ExecutionsTarget): void {
  if (!executionsFileExists(target)) {
    throw new CliError(
      `${target.shown}: no such file (no incomplete executions yet; 'simulate' or 'import' creates it, or pass --executions FILE)`,
    );
  }
}

function isExecutionsFileError(e: unknown): e is ExecutionsFileError {
  return (
    e instanceof ExecutionsFileError ||
    (e instanceof Error && e.name === 'ExecutionsFileError' && typeof (e as { file?: unknown }).file === 'string')
  );
}

/** A problem the core located in a file: the executions file's, or a Make API response's. */
export type LocatedFileError = ExecutionsFileError | MakeImportError;

/**
 * `file[:line:col]: detail` for a located file error, with the file shown relative to `cwd`.
 * Uses the error's `detail` (message without its location prefix) when it provides one.
 */
export function formatFileError(e: LocatedFileError, cwd: string, fallbackShown?: string): string {
  const shown = e.file ? displayPath(e.file, cwd) : (fallbackShown ?? '');
  const where = e.line !== undefined ? `:${e.line}${e.column !== undefined ? `:${e.column}` : ''}` : '';
  const detailField = (e as { detail?: unknown }).detail;
  let detail = typeof detailField === 'string' && detailField !== '' ? detailField : e.message;
  // Drop a location prefix the message may already carry ("file:1:2: ..." or "file: ...").
  for (const prefix of [`${e.file}${where}: `, `${e.file}: `])
    if (e.file && detail.startsWith(prefix)) detail = detail.slice(prefix.length);
  return `${shown}${where}: ${oneLine(detail)}`;
}

/**
 * Maps the errors of an executions action (an invalid executions file, the lock held elsewhere,
 * a file-system problem, a Make API response that cannot be imported) to a CliError; anything
 * else is rethrown.
 */
export function actionError(e: unknown, target: ExecutionsTarget, cwd: string): never {
  if (isExecutionsFileError(e) || e instanceof MakeImportError) throw new CliError(formatFileError(e, cwd, target.shown));
  const code = errnoCode(e);
  if (code && /^E[A-Z]+$/.test(code)) throw new CliError(`${target.shown}: ${describeFsError(e)}`);
  throw e;
}
