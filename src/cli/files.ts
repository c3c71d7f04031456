/** Reading user files with clear one-line errors, loading scenarios for classify/simulate/convert. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintScenario, structuralFindings, type ParsedScenario } from '../core/lint/lint';
import type { Finding, Profile, Scenario } from '../core/model';
import { DEFAULT_EXECUTIONS_PATH } from '../core/executions/model';
import { ExecutionsFileError } from '../core/executions/fileError';
import { MakeImportError } from '../core/make/importError';
import {
  FileTooLargeError,
  NotRegularFileError,
  notRegularKindOf,
  readRegularFileSync,
  type NotRegularKind,
} from '../core/executions/regularFile';
import { CliError } from './errors';
import { stringOpt, type CommandContext } from './args';

import { CONFIG_FILE_NAME } from '../core/config';
import { IGNORED_DIRS, compareScenarioPaths, sniffScenarioJson } from '../core/scenario/workspace';
import { decodeText, type TextRead } from '../core/text/decode';

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
    const c = e.code;
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

// ---------------------------------------------------------------------------------------------
// Lint inputs: reading without surprises, and the directory walk
// ---------------------------------------------------------------------------------------------

/** `lint` reads no file bigger than this (20 MB; the largest real scenario export is under 1 MB). */
export const LINT_MAX_BYTES = 20 * 1024 * 1024;

/** How a path that is not a regular file is named in a lint problem ("not a regular file (a FIFO, or named pipe)"). */
const SPECIAL_WORDS: Record<NotRegularKind, string> = {
  directory: 'not a file',
  FIFO: 'a FIFO, or named pipe',
  socket: 'a socket',
  'character device': 'a device',
  'block device': 'a device',
  'special file': 'not a file',
};

/** The problem of a path that is neither a regular file nor a folder (a FIFO, a socket, a device). */
export function specialFileProblem(stat: fs.Stats): string {
  return `not a regular file (${SPECIAL_WORDS[notRegularKindOf(stat)]})`;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Reads a file for `lint`. Never blocks: the core's regular-file reader opens it with O_NONBLOCK and
 * checks fstat before any read, so a FIFO (or a device) is reported, not read. Never throws.
 */
export function readTextSafely(abs: string, maxBytes: number = LINT_MAX_BYTES): TextRead {
  try {
    return decodeText(readRegularFileSync(abs, maxBytes));
  } catch (e) {
    if (e instanceof NotRegularFileError) {
      return {
        ok: false,
        problem: e.kind === 'directory' ? 'is a directory, expected a file' : `not a regular file (${SPECIAL_WORDS[e.kind]})`,
      };
    }
    if (e instanceof FileTooLargeError) {
      return {
        ok: false,
        problem:
          e.size > maxBytes
            ? `too large (${megabytes(e.size)}; the limit is ${megabytes(maxBytes)})`
            : `too large (more than ${megabytes(maxBytes)})`,
      };
    }
    const code = errnoCode(e);
    if (code === 'ENOENT') return { ok: false, problem: 'no such file', missing: true };
    if (code === 'ENXIO') return { ok: false, problem: 'not a regular file (a socket or a FIFO)' };
    if (code === 'EAGAIN' || code === 'EWOULDBLOCK') return { ok: false, problem: 'not a regular file (reading would block)' };
    return { ok: false, problem: describeFsError(e) };
  }
}

/** What a directory walk did with a file it did not lint. */
export type SkipReason =
  'not-a-scenario' | 'symlink-outside' | 'symlink-folder' | 'broken-symlink' | 'duplicate' | 'ignored' | 'unreadable-folder';

export interface WalkFound {
  readonly abs: string;
  /** How it was recognised. */
  readonly by: 'name' | 'content';
  readonly read: TextRead;
}

export interface WalkSkipped {
  readonly abs: string;
  readonly reason: SkipReason;
  /** One short line (never the file's content beyond a few top-level key names). */
  readonly detail: string;
}

export interface WalkResult {
  readonly found: readonly WalkFound[];
  readonly skipped: readonly WalkSkipped[];
}

export interface WalkOptions {
  /** True when the project configuration's `ignorePatterns` cover this file or folder. */
  readonly isIgnored?: (abs: string, isFolder: boolean) => boolean;
  readonly maxBytes?: number;
}

/** Scenario YAML and exported blueprints are recognised by name; every other `.json` by content. */
const BY_NAME = /\.(scenario\.ya?ml|blueprint\.json)$/i;
const JSON_NAME = /\.json$/i;
/** JSON files of the tooling itself, never scenarios. */
const TOOL_FILES: ReadonlySet<string> = new Set([CONFIG_FILE_NAME.toLowerCase()]);

function isCandidateName(name: string): 'name' | 'content' | undefined {
  if (BY_NAME.test(name)) return 'name';
  if (JSON_NAME.test(name) && !TOOL_FILES.has(name.toLowerCase())) return 'content';
  return undefined;
}

/** Printable, one line, at most `max` characters: for names taken from a file that is not ours. */
export function excerpt(text: string, max = 40): string {
  // Control characters (C0, DEL, C1) and line/paragraph separators become '?'.
  const isControl = (c: number): boolean => c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029;
  const clean = Array.from(text, (ch) => (isControl(ch.charCodeAt(0)) ? '?' : ch)).join('');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function notScenarioDetail(text: string): string {
  const s = sniffScenarioJson(text);
  if (s.topType === 'array') return 'JSON array, not a scenario export (which is an object with flow and metadata)';
  if (s.topType !== 'object') return 'not a JSON object, so not a scenario export';
  const keys = s.topKeys.map((k) => excerpt(k, 24)).join(', ');
  return `JSON without top-level flow and metadata${keys ? ` (top-level keys: ${keys}${s.topKeys.length === 8 ? ', …' : ''})` : ''}`;
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/**
 * The lint candidates under `root`: `*.scenario.yaml|yml` and `*.blueprint.json` by name, other
 * `*.json` files when their content is a scenario export (or a known wrapper, see
 * `sniffScenarioJson`). Skips node_modules and .git silently; everything else it passes over is
 * listed with a reason. Symbolic links: a link to a file inside the root is followed (once: a file
 * reached twice is linted once); a link to a folder is not followed; a link that points outside
 * the root is never opened. A candidate that cannot be read (binary, FIFO, too large, …) is found
 * with its problem, so the caller reports it. Order: as `compareScenarioPaths` (YAML first).
 */
export function walkLintTargets(root: string, options: WalkOptions = {}): WalkResult {
  const absRoot = path.resolve(root);
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(absRoot);
  } catch {
    realRoot = absRoot;
  }
  const maxBytes = options.maxBytes ?? LINT_MAX_BYTES;
  const found: (WalkFound & { real: string; viaLink: boolean; rel: string })[] = [];
  const skipped: WalkSkipped[] = [];

  const consider = (abs: string, rel: string, by: 'name' | 'content', real: string, viaLink: boolean, special?: fs.Stats): void => {
    if (options.isIgnored?.(abs, false)) {
      skipped.push({ abs, reason: 'ignored', detail: 'matches ignorePatterns of the project configuration' });
      return;
    }
    const read: TextRead = special ? { ok: false, problem: specialFileProblem(special) } : readTextSafely(abs, maxBytes);
    if (by === 'content' && read.ok && sniffScenarioJson(read.text).kind === undefined) {
      skipped.push({ abs, reason: 'not-a-scenario', detail: notScenarioDetail(read.text) });
      return;
    }
    found.push({ abs, by, read, real, viaLink, rel });
  };

  const walk = (dirAbs: string, dirRel: string, depth: number): void => {
    let dirents: fs.Dirent[];
    try {
      dirents = fs.readdirSync(dirAbs, { withFileTypes: true });
    } catch (e) {
      if (dirRel !== '') skipped.push({ abs: dirAbs, reason: 'unreadable-folder', detail: `folder not searched: ${describeFsError(e)}` });
      return;
    }
    dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of dirents) {
      const abs = path.join(dirAbs, d.name);
      const rel = dirRel === '' ? d.name : `${dirRel}/${d.name}`;
      if (d.isDirectory()) {
        if (IGNORED_DIRS.includes(d.name)) continue;
        if (options.isIgnored?.(abs, true)) {
          skipped.push({ abs, reason: 'ignored', detail: 'folder matches ignorePatterns of the project configuration' });
          continue;
        }
        if (depth < 64) walk(abs, rel, depth + 1);
        continue;
      }
      if (d.isSymbolicLink()) {
        let real: string;
        let stat: fs.Stats;
        try {
          real = fs.realpathSync(abs);
          stat = fs.statSync(real);
        } catch {
          if (isCandidateName(d.name))
            skipped.push({ abs, reason: 'broken-symlink', detail: 'symbolic link to nothing (broken or a loop)' });
          continue;
        }
        const candidate = isCandidateName(d.name);
        if (!candidate && !stat.isDirectory()) continue;
        if (!isInside(realRoot, real)) {
          skipped.push({ abs, reason: 'symlink-outside', detail: 'symbolic link to outside the linted folder: not followed, not read' });
          continue;
        }
        if (stat.isDirectory()) {
          skipped.push({
            abs,
            reason: 'symlink-folder',
            detail: 'symbolic link to a folder: not followed (the folder itself is searched where it is)',
          });
          continue;
        }
        if (candidate) consider(abs, rel, candidate, real, true, stat.isFile() ? undefined : stat);
        continue;
      }
      const candidate = isCandidateName(d.name);
      if (!candidate) continue;
      if (d.isFile()) consider(abs, rel, candidate, abs, false);
      else {
        let stat: fs.Stats | undefined;
        try {
          stat = fs.lstatSync(abs);
        } catch {
          stat = undefined;
        }
        // A FIFO, socket or device with a scenario's name: reported, never opened.
        if (stat) consider(abs, rel, candidate, abs, false, stat);
      }
    }
  };
  walk(absRoot, '', 0);

  // A file reached twice (directly and through a link, or through two links) is linted once,
  // preferably under its own name.
  const byReal = new Map<string, (typeof found)[number]>();
  for (const f of found) {
    let real = f.real;
    if (!f.viaLink) {
      try {
        real = fs.realpathSync(f.abs);
      } catch {
        // keep the path
      }
    }
    const other = byReal.get(real);
    if (!other) {
      byReal.set(real, f);
      continue;
    }
    const [keep, drop] = other.viaLink && !f.viaLink ? [f, other] : [other, f];
    byReal.set(real, keep);
    skipped.push({ abs: drop.abs, reason: 'duplicate', detail: `the same file as ${displayPath(keep.abs, absRoot)}, linted once` });
  }
  const kept = [...byReal.values()].sort((a, b) => compareScenarioPaths(a.rel, b.rel));
  return { found: kept.map(({ abs, by, read }) => ({ abs, by, read })), skipped };
}
