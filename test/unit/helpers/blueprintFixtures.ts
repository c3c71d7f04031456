// Where the blueprint tests find their files, and the small helpers they share.
//
// Two sets of files:
// - test/fixtures/blueprints/: exports written by hand for this project (invented scenarios that
//   reproduce the shapes real exports have: minified and pretty-printed, a byte-order mark, routers
//   nested in routes, Break handlers with string mapper values, storing of incomplete executions on
//   and off, a file that is not valid JSON). Always present.
// - ../shared/fixtures/blueprints/ (beside the repository clone): real exports, third-party data
//   that must never be copied into the repository. Tests of those files read them from there at run
//   time and are skipped, with the reason printed, where that folder is absent.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBlueprintScenario } from '../../../src/core/scenario/blueprint';
import { blueprintErrorHandlerEdit } from '../../../src/core/fixes/blueprintEdit';
import { lintScenario, parseScenario } from '../../../src/core/lint/lint';
import { findModule } from '../../../src/core/model';
import type { Directive, ErrorHandlerRoute, Finding, Scenario, ScenarioModule, Span } from '../../../src/core/model';
import { applyEdits } from '../../../src/core/text/edits';
import { LineIndex } from '../../../src/core/text/lineIndex';

/** The repository root (this file runs as out/test/unit/helpers/blueprintFixtures.js). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** The hand-written blueprint fixtures. */
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'blueprints');

/** The folder that holds the shared third-party data (corpus and fixtures), beside the clone. */
export const SHARED = path.resolve(REPO_ROOT, '..', 'shared');

/** The real exports, read in place; never copied into the repository. */
export const REAL_EXPORTS = path.resolve(REPO_ROOT, '..', 'shared', 'fixtures', 'blueprints');

/**
 * `skip` option for suites over the real exports: false when the folder is there, else the reason
 * node:test prints next to the skipped suite.
 */
export const REAL_EXPORTS_SKIP: string | false = fs.existsSync(REAL_EXPORTS)
  ? false
  : `the real exports are not here: ${REAL_EXPORTS} is missing (they are third-party data kept beside the clone, in ../shared, never in the repository)`;

/** A hand-written fixture's text. */
export function load(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** A real export's text (only inside suites skipped with REAL_EXPORTS_SKIP). */
export function loadReal(name: string): string {
  return fs.readFileSync(path.join(REAL_EXPORTS, name), 'utf8');
}

export function parse(text: string): { scenario: Scenario | null; findings: Finding[]; lineIndex: LineIndex } {
  const lineIndex = new LineIndex(text);
  return { ...parseBlueprintScenario(text, lineIndex), lineIndex };
}

/** Parses a text that must give a scenario. */
export function parsedText(name: string, text: string): { text: string; scenario: Scenario; findings: Finding[]; lineIndex: LineIndex } {
  const r = parse(text);
  assert.ok(r.scenario, `${name} should parse`);
  return { text, ...r, scenario: r.scenario };
}

export function mod(s: Scenario, id: number): ScenarioModule {
  const m = findModule(s, id);
  assert.ok(m, `module ${id} should exist`);
  return m;
}

export const slice = (text: string, span: Span | undefined): string => {
  assert.ok(span, 'span expected');
  return text.slice(span.start, span.end);
};

/** 1-based line/column of a span's start, as an editor shows it. */
export function at(lineIndex: LineIndex, span: Span | undefined): string {
  assert.ok(span);
  const p = lineIndex.positionAt(span.start);
  return `${p.line + 1}:${p.character + 1}`;
}

/** Directive and retry settings of a route, for compact assertions. */
export function routeSummary(r: ErrorHandlerRoute): unknown {
  return {
    directive: r.directive,
    explicit: r.directiveExplicit,
    autoComplete: r.autoComplete,
    attempts: r.attempts,
    intervalMinutes: r.intervalMinutes,
    handlerModules: r.modules.map((m) => m.id),
    errors: r.errors,
  };
}

/** (code, moduleId) pairs of lint, sorted, as "code@id". */
export function lintPairs(name: string, text: string): string[] {
  return lintScenario(name, text)
    .findings.map((f) => `${f.code}@${f.moduleId ?? '-'}`)
    .sort();
}

export const missing = (ids: number[]): string[] => ids.map((id) => `missing-error-handler@${id}`).sort();

/** Every `"id": N` of module objects in the file (flow, routes and onerror arrays). */
export function allIds(text: string): number[] {
  const ids: number[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.id === 'number' && typeof o.module === 'string') ids.push(o.id);
      for (const k of ['flow', 'routes', 'onerror']) if (k in o) visit(o[k]);
    }
  };
  visit(JSON.parse(text.replace(/^\uFEFF/, '')));
  return ids;
}

/** Applies the blueprint quick fix and checks the result; returns the new text. */
export function fix(name: string, text: string, moduleId: number, directive: Directive): string {
  const parsed = parseScenario(name, text);
  const edit = blueprintErrorHandlerEdit(parsed, moduleId, directive);
  assert.ok(edit, `an edit for module ${moduleId}`);
  const out = applyEdits(text, [edit]);
  // strict JSON once the BOM (if any) is set aside
  assert.doesNotThrow(() => JSON.parse(out.replace(/^\uFEFF/, '')));
  assert.equal(out.charCodeAt(0) === 0xfeff, text.charCodeAt(0) === 0xfeff, 'the BOM is kept as it was');
  const again = parseScenario(name, out);
  assert.deepEqual(again.findings, [], 'no parser findings after the fix');
  assert.ok(again.scenario);
  const m = findModule(again.scenario, moduleId);
  assert.ok(m);
  assert.equal(m.onError.length, 1);
  assert.equal(m.onError[0].directive, directive);
  assert.equal(m.onError[0].directiveExplicit, true);
  assert.equal(
    out.slice(m.onError[0].directiveSpan?.start, m.onError[0].directiveSpan?.end),
    `"builtin:${directive[0].toUpperCase()}${directive.slice(1)}"`,
  );
  return out;
}

const SPAN_KEYS = new Set([
  'span',
  'anchor',
  'idSpan',
  'appSpan',
  'nameSpan',
  'directiveSpan',
  'errorSpans',
  'fieldSpans',
  'settingSpans',
  'format',
]);

/** The model without source positions and format, routers spelled one way. */
export function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      if (SPAN_KEYS.has(k)) continue;
      out[k] = k === 'app' && (v === 'builtin:BasicRouter' || v === 'builtin:router') ? 'ROUTER' : strip(v);
    }
    return out;
  }
  return value;
}

/** The scenario of a file that must parse without errors (YAML or blueprint, by its name). */
export function model(fileName: string, text: string): Scenario {
  const r = parseScenario(fileName, text);
  assert.deepEqual(
    r.findings.filter((f) => f.severity === 'error'),
    [],
    `${fileName} should parse without errors`,
  );
  assert.ok(r.scenario);
  return r.scenario;
}
