/**
 * Finding scenario files in a workspace and the scenario an incomplete execution belongs to.
 *
 * The pure part (glob matching, `createScenarioResolver`) takes paths and texts, so the VS Code
 * extension can feed it from its own file system API. The small fs-based part at the end
 * (`findScenarioFilesSync`, `createFsScenarioResolver`) is the CLI's convenience.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { minimatch } from 'minimatch';
import { visit } from 'jsonc-parser';
import { lintScenario, structuralFindings } from '../lint/lint';
import type { Scenario } from '../model';
import type { IncompleteExecution } from '../executions/model';
import type { ScenarioResolver } from '../executions/operations';
import { readRegularFileSync } from '../executions/regularFile';

/** Larger scenario files are not read (the CLI refuses inputs above the same size). */
const MAX_SCENARIO_FILE_BYTES = 64 * 1024 * 1024;

/** The default of the `fusionExecutions.scenarioGlobs` setting. */
export const DEFAULT_SCENARIO_GLOBS: readonly string[] = ['**/*.scenario.yaml', '**/*.scenario.yml', '**/*.blueprint.json'];

/** Folder names never searched for scenario files. */
export const IGNORED_DIRS: readonly string[] = ['node_modules', '.git'];

/** Turns an OS path (or a path written with backslashes) into a normalised forward-slash path. */
export function toPosixPath(p: string): string {
  const slashed = p.replace(/\\/g, '/');
  const normalized = path.posix.normalize(slashed);
  return normalized.startsWith('./') ? normalized.slice(2) : normalized;
}

/** `file` relative to `root`, with forward slashes (may start with `../` when outside). */
export function toWorkspaceRelative(root: string, file: string): string {
  return toPosixPath(path.relative(path.resolve(root), path.resolve(file)));
}

function isInIgnoredDir(relPath: string): boolean {
  const parts = relPath.split('/');
  parts.pop();
  return parts.some((p) => IGNORED_DIRS.includes(p));
}

/**
 * True when the workspace-relative path matches one of the globs and is not in an ignored folder.
 * The match ignores case (`Invoices.Blueprint.JSON` is a blueprint) on every platform, so the CLI,
 * the extension's workspace scan and its editors agree on which files are scenario files.
 */
export function isScenarioPath(relPath: string, globs: readonly string[] = DEFAULT_SCENARIO_GLOBS): boolean {
  const p = toPosixPath(relPath);
  if (isInIgnoredDir(p)) return false;
  return globs.some((g) => minimatch(p, g, { dot: true, nocase: true }));
}

/** The scenario files among `relPaths` (workspace-relative), normalised, deduplicated, in `compareScenarioPaths` order. */
export function filterScenarioFiles(relPaths: readonly string[], globs: readonly string[] = DEFAULT_SCENARIO_GLOBS): string[] {
  const out = new Set<string>();
  for (const p of relPaths) if (isScenarioPath(p, globs)) out.add(toPosixPath(p));
  return [...out].sort(compareScenarioPaths);
}

function formatRank(p: string): number {
  return /\.blueprint\.json$/i.test(p) ? 1 : 0;
}

/**
 * Order in which scenario files are preferred when several carry the same scenario name:
 * the YAML source before an exported/converted blueprint, then by path.
 */
export function compareScenarioPaths(a: string, b: string): number {
  const r = formatRank(a) - formatRank(b);
  if (r !== 0) return r;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One candidate scenario file for the resolver. */
export interface ScenarioFileSource {
  /** Workspace-relative path (forward or back slashes). */
  readonly path: string;
  /** The text, or a function reading it on demand (`undefined` = unreadable). */
  readonly text: string | (() => string | undefined);
}

/** Why a scenario was (not) found; for messages. */
export type ResolutionKind = 'by-file' | 'by-name' | 'file-unusable' | 'not-found';

export interface Resolution {
  readonly kind: ResolutionKind;
  readonly scenario?: Scenario;
  /** Workspace-relative path of the file that was used (or that was unusable). */
  readonly path?: string;
}

export interface WorkspaceScenarioResolver {
  /** The `ScenarioResolver` the operations take. */
  readonly resolve: ScenarioResolver;
  /** The same lookup, saying how it went. */
  readonly explain: (execution: IncompleteExecution) => Resolution;
}

export interface ResolverOptions {
  /**
   * Reads a workspace-relative file that is not among the sources (an execution's `scenarioFile`
   * whose name does not match the globs); `undefined` = no such file.
   */
  readonly readFile?: (relPath: string) => string | undefined;
}

interface Entry {
  readonly path: string;
  readonly text: string | (() => string | undefined);
  parsed?: { scenario: Scenario | null };
}

/**
 * Finds the current scenario for an execution: by `scenarioFile` (workspace-relative) when it names
 * one of the sources; otherwise by scenario name (the YAML file first when several share a name).
 * A file whose scenario has a structural problem (syntax, invalid structure, ...) is not used.
 * Texts are read and parsed at most once, on first need.
 */
export function createScenarioResolver(sources: readonly ScenarioFileSource[], options: ResolverOptions = {}): WorkspaceScenarioResolver {
  const entries = new Map<string, Entry>();
  for (const s of sources) {
    const p = toPosixPath(s.path);
    if (!entries.has(p)) entries.set(p, { path: p, text: s.text });
  }
  const ordered = [...entries.values()].sort((a, b) => compareScenarioPaths(a.path, b.path));

  const load = (e: Entry): Scenario | null => {
    if (!e.parsed) {
      let text: string | undefined;
      try {
        text = typeof e.text === 'string' ? e.text : e.text();
      } catch {
        text = undefined;
      }
      if (text === undefined) e.parsed = { scenario: null };
      else {
        const parsed = lintScenario(e.path, text);
        const broken = structuralFindings(parsed.findings).length > 0;
        e.parsed = { scenario: broken ? null : parsed.scenario };
      }
    }
    return e.parsed.scenario;
  };

  const explain = (execution: IncompleteExecution): Resolution => {
    if (typeof execution.scenarioFile === 'string' && execution.scenarioFile.trim() !== '') {
      const rel = toPosixPath(execution.scenarioFile.trim());
      let e = entries.get(rel);
      const readFile = options.readFile;
      if (!e && readFile && !rel.startsWith('../') && !path.posix.isAbsolute(rel)) {
        const text = readFile(rel);
        if (text !== undefined) {
          e = { path: rel, text };
          entries.set(rel, e);
        }
      }
      if (e) {
        const scenario = load(e);
        return scenario ? { kind: 'by-file', scenario, path: e.path } : { kind: 'file-unusable', path: e.path };
      }
    }
    for (const e of ordered) {
      const scenario = load(e);
      if (scenario && scenario.name === execution.scenario) return { kind: 'by-name', scenario, path: e.path };
    }
    return { kind: 'not-found' };
  };

  return { resolve: (execution) => explain(execution).scenario, explain };
}

// ---------------------------------------------------------------------------------------------
// Recognising a scenario export by its content
// ---------------------------------------------------------------------------------------------

/**
 * What a JSON text is, judged by its top level only:
 * - `blueprint`: a scenario export, top-level `flow` and `metadata` (what Make's "Export
 *   blueprint" writes, whatever the file is called: `blueprint.json`, `Orders sync.json`, …);
 * - `api-response`: the Make API's answer to `GET /scenarios/{id}/blueprint`,
 *   `{"code": "OK", "response": {"blueprint": {flow, metadata, …}}}` (`code` optional);
 * - `template`: a template or wrapper object holding the export under `blueprint`,
 *   `{"name": …, "blueprint": {flow, metadata, …}, "controller": …, …}`.
 */
export type ScenarioJsonKind = 'blueprint' | 'api-response' | 'template';

export interface ScenarioJsonSniff {
  /** The kind of scenario JSON, or undefined when the text is not one. */
  readonly kind: ScenarioJsonKind | undefined;
  /** The type of the top-level value (`'none'` for an empty or unparsable text). */
  readonly topType: 'object' | 'array' | 'literal' | 'none';
  /** The first top-level keys (at most 8, each cut to 40 characters): enough to say what the file is. */
  readonly topKeys: readonly string[];
  /** The text is not valid JSON(C). */
  readonly broken: boolean;
}

const SNIFF_MAX_KEYS = 8;
const SNIFF_MAX_KEY_LENGTH = 40;

/**
 * Says whether a JSON (or JSONC) text is a scenario export, from the keys of its top-level object
 * and, for the two known wrappers, of `response.blueprint` and `blueprint`. Strict JSON goes
 * through the native parser; anything else through jsonc-parser's scanner (no tree is built), which
 * tolerates comments and syntax errors: real exports are published with unquoted
 * `{{placeholders}}`, and an invalid text whose top level shows `flow` and `metadata`, or opens a
 * `flow` array, is a blueprint, so that linting reports its syntax error instead of skipping the
 * file. A leading byte-order mark is allowed. Callers cap the size of what they pass (the CLI
 * reads at most 20 MB).
 */
export function sniffScenarioJson(text: string): ScenarioJsonSniff {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // Most JSON files are strict JSON: the native parser is an order of magnitude faster than any
  // scanner written in JavaScript. Only JSONC and broken texts take the tolerant scan.
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return scanScenarioJson(body);
  }
  return judgeValue(value);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function judgeValue(value: unknown): ScenarioJsonSniff {
  if (!isPlainObject(value)) {
    return { kind: undefined, topType: Array.isArray(value) ? 'array' : 'literal', topKeys: [], broken: false };
  }
  const keys = Object.keys(value);
  const topKeys = keys.slice(0, SNIFF_MAX_KEYS).map((k) => k.slice(0, SNIFF_MAX_KEY_LENGTH));
  const isExport = (v: unknown): boolean => isPlainObject(v) && 'flow' in v && 'metadata' in v;
  let kind: ScenarioJsonKind | undefined;
  if ('flow' in value && 'metadata' in value) kind = 'blueprint';
  else if (isPlainObject(value.response) && isExport(value.response.blueprint)) kind = 'api-response';
  else if (isExport(value.blueprint)) kind = 'template';
  return { kind, topType: 'object', topKeys, broken: false };
}

/** The tolerant scan of `sniffScenarioJson` for texts that are not strict JSON. */
function scanScenarioJson(body: string): ScenarioJsonSniff {
  const top = new Set<string>();
  const topKeys: string[] = [];
  const inner = new Set<string>(); // keys of response.blueprint
  const wrapped = new Set<string>(); // keys of blueprint
  let broken = false;
  let flowIsArray = false;
  let topType = 'none' as ScenarioJsonSniff['topType']; // set by the visitor's callbacks
  // Containers open around the scanner's position: the top-level value is at depth 1. Every
  // callback is counted (jsonc-parser's own skipping would also hide the syntax errors inside
  // skipped parts), but the JSON path is only built for properties at depth 1 to 3.
  let depth = 0;
  const open = (type: 'object' | 'array'): void => {
    if (depth === 0 && topType === 'none') topType = type;
    depth++;
  };
  const close = (): void => {
    depth--;
  };
  visit(
    body,
    {
      onObjectBegin: () => open('object'),
      onObjectEnd: close,
      onArrayBegin: (_o, _l, _sl, _sc, pathSupplier) => {
        if (depth === 1) {
          const p = pathSupplier();
          if (p.length === 1 && p[0] === 'flow') flowIsArray = true;
        }
        open('array');
      },
      onArrayEnd: close,
      onLiteralValue: () => {
        if (depth === 0 && topType === 'none') topType = 'literal';
      },
      onObjectProperty: (property, _o, _l, _sl, _sc, pathSupplier) => {
        if (depth === 1) {
          if (!top.has(property) && topKeys.length < SNIFF_MAX_KEYS) topKeys.push(property.slice(0, SNIFF_MAX_KEY_LENGTH));
          top.add(property);
        } else if (depth === 2 || depth === 3) {
          const path = pathSupplier();
          if (path.length === 1 && path[0] === 'blueprint') wrapped.add(property);
          else if (path.length === 2 && path[0] === 'response' && path[1] === 'blueprint') inner.add(property);
        }
      },
      onError: () => {
        broken = true;
      },
    },
    { allowTrailingComma: true, disallowComments: false },
  );
  let kind: ScenarioJsonKind | undefined;
  if (topType === 'object') {
    const hasExport = (keys: ReadonlySet<string>): boolean => keys.has('flow') && keys.has('metadata');
    // A syntax error inside `flow` throws the scanner off the top level, so `metadata` may go
    // unseen: an invalid text whose top-level object opens a `flow` array is a broken export.
    if (hasExport(top) || (broken && flowIsArray)) kind = 'blueprint';
    else if (top.has('response') && hasExport(inner)) kind = 'api-response';
    else if (top.has('blueprint') && hasExport(wrapped)) kind = 'template';
  }
  return { kind, topType, topKeys, broken };
}

/** True when a JSON text is a scenario export or one of its known wrappers (see `sniffScenarioJson`). */
export function isScenarioJson(text: string): boolean {
  return sniffScenarioJson(text).kind !== undefined;
}

// ---------------------------------------------------------------------------------------------
// fs-based convenience (CLI)
// ---------------------------------------------------------------------------------------------

/**
 * Scenario files under `root` (workspace-relative, forward slashes, sorted), skipping
 * node_modules and .git; symbolic links to folders are not followed; unreadable folders are skipped.
 */
export function findScenarioFilesSync(root: string, globs: readonly string[] = DEFAULT_SCENARIO_GLOBS): string[] {
  const found: string[] = [];
  const walk = (dirAbs: string, dirRel: string): void => {
    let dirents: fs.Dirent[];
    try {
      dirents = fs.readdirSync(dirAbs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of dirents) {
      const rel = dirRel === '' ? d.name : `${dirRel}/${d.name}`;
      const abs = path.join(dirAbs, d.name);
      if (d.isDirectory()) {
        if (!IGNORED_DIRS.includes(d.name)) walk(abs, rel);
      } else if (d.isFile() || d.isSymbolicLink()) {
        if (d.isSymbolicLink()) {
          try {
            if (!fs.statSync(abs).isFile()) continue;
          } catch {
            continue;
          }
        }
        found.push(rel);
      }
    }
  };
  walk(path.resolve(root), '');
  return filterScenarioFiles(found, globs);
}

/**
 * Reads a scenario file as the editor would: UTF-8, byte-order mark dropped. Only a regular file,
 * opened without blocking (a FIFO or a device named as a scenario file must not hang a retry).
 */
function readTextSync(file: string): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(readRegularFileSync(file, MAX_SCENARIO_FILE_BYTES));
  } catch {
    return undefined;
  }
}

/** A resolver over the scenario files found under `root`, read lazily from disk. */
export function createFsScenarioResolver(
  root: string,
  globs: readonly string[] = DEFAULT_SCENARIO_GLOBS,
): WorkspaceScenarioResolver & { readonly root: string } {
  const absRoot = path.resolve(root);
  let inner: WorkspaceScenarioResolver | undefined;
  const get = (): WorkspaceScenarioResolver => {
    inner ??= createScenarioResolver(
      findScenarioFilesSync(absRoot, globs).map((rel) => ({ path: rel, text: () => readTextSync(path.join(absRoot, rel)) })),
      { readFile: (rel) => readTextSync(path.join(absRoot, rel)) },
    );
    return inner;
  };
  return {
    root: absRoot,
    resolve: (execution) => get().resolve(execution),
    explain: (execution) => get().explain(execution),
  };
}
