// @ts-check
// What the UI suite's steps share: the shape of a step, the sample workspace's files and what the
// steps read off them. Page helpers (clicks, waits, the one `eventually` poll) are in ../workbench.mjs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { logger } from '../../../scripts/vscode/harness.mjs';

/** @typedef {import('playwright-core').Page} Page */

export const log = logger('e2e');

export const INVOICE = 'scenarios/invoice-export.scenario.yaml';
export const EXECUTIONS = '.fusion/incomplete-executions.json';
export const BLUEPRINT = 'blueprints/calendar-agent.blueprint.json';
export const BLUEPRINT_NAME = 'calendar-agent.blueprint.json';

/**
 * Parts of the sample workspace that some steps change. No step needs what an earlier step did
 * (each opens the view or file it works in), so any selection of steps can run on its own; what
 * the order protects is the other way round: a step that reads one of these as it is in samples/
 * runs before every step that changes it. `checkOrder` holds the step list to that.
 */
export const STATE = {
  /** invoice-export.scenario.yaml as in samples/: module 5 has no error handler, and the lines counted at the start are still right */
  invoice: 'the invoice scenario as in samples/',
  /** the execution of "Fetch invoice PDF" as in samples/, the only tree row with that label */
  fetchPdfExecution: 'the execution of "Fetch invoice PDF" as in samples/',
  /** the execution of "Ask finance to chase" as in samples/ (unresolved), the only one with that label */
  askFinanceExecution: 'the execution of "Ask finance to chase" as in samples/',
  /** calendar-agent.blueprint.json as in samples/: module 3 has no error handler, positions counted at the start still right */
  blueprint: 'the blueprint as in samples/',
};

/**
 * What a step gets. `shot()` saves the step's screenshot at that moment (e.g. with a menu open)
 * instead of after the step, so the step can close what it opened.
 * @typedef {{ page: Page, ws: string, facts: SampleFacts, shot: () => Promise<void> }} StepContext
 */

/**
 * One step of the UI suite. `name` gives its screenshot's name (with its place in the list);
 * `group` is the feature it checks, what FUSION_E2E_STEPS selects by; `needs` are the parts of the
 * sample workspace it reads as they are in samples/, `changes` the parts it changes (see STATE).
 * @typedef {{ name: string, group: string, needs?: string[], changes?: string[], run: (t: StepContext) => Promise<void> }} Step
 */

/**
 * Throws when a step that needs part of the sample workspace as it is in samples/ comes after a
 * step that changes it.
 * @param {Step[]} steps
 */
export function checkOrder(steps) {
  steps.forEach((step, i) => {
    for (const part of step.needs ?? []) {
      const earlier = steps.slice(0, i).find((s) => s.changes?.includes(part));
      if (earlier) throw new Error(`step "${step.name}" needs ${part}, but the earlier step "${earlier.name}" changes it`);
    }
  });
}

/** 1-based line of the first line matching `re` in a workspace file. @param {string} ws @param {string} rel @param {RegExp} re */
export function lineOf(ws, rel, re) {
  const lines = fs.readFileSync(path.join(ws, rel), 'utf8').split('\n');
  const i = lines.findIndex((l) => re.test(l));
  if (i < 0) throw new Error(`${rel}: no line matches ${re}`);
  return i + 1;
}

/**
 * 1-based line and column of the first occurrence of `needle` in a workspace file.
 * @param {string} ws @param {string} rel @param {string} needle
 */
export function positionOf(ws, rel, needle) {
  const lines = fs.readFileSync(path.join(ws, rel), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${rel}: no line contains ${JSON.stringify(needle)}`);
  return { line: i + 1, column: lines[i].indexOf(needle) + 1 };
}

/** @param {string} ws @param {string} id */
export function execution(ws, id) {
  /** @type {{ executions: Array<{ id: string, status: string, attempts: number, moduleName?: string, history?: unknown[] }> }} */
  const doc = JSON.parse(fs.readFileSync(path.join(ws, EXECUTIONS), 'utf8'));
  const rec = doc.executions.find((e) => e.id === id);
  if (!rec) throw new Error(`${EXECUTIONS}: no execution ${id}`);
  return rec;
}

/** Records in the workspace's executions file. @param {string} ws @returns {Array<{ id: string, scenario: string, moduleName?: string, status: string }>} */
export function executions(ws) {
  return JSON.parse(fs.readFileSync(path.join(ws, EXECUTIONS), 'utf8')).executions;
}

/** Blueprint modules (flow, router routes, onerror routes) with their ids. @param {unknown} flow @returns {Array<{ id?: number, module?: string, onerror?: unknown }>} */
export function blueprintModules(flow) {
  /** @type {Array<{ id?: number, module?: string, onerror?: unknown, routes?: Array<{ flow?: unknown }> }>} */
  const list = Array.isArray(flow) ? flow : [];
  return list.flatMap((m) => [m, ...(m.routes ?? []).flatMap((r) => blueprintModules(r.flow)), ...blueprintModules(m.onerror)]);
}

/** Problems rows of the blueprint's missing-error-handler warnings (storage is off there, so every error fails the run). @param {string[]} rows */
export function blueprintWarnings(rows) {
  return rows.filter(
    (r) => r.includes('missing-error-handler') && /storing of incomplete executions is off\): every error fails the run/.test(r),
  );
}

/**
 * What the steps read off the sample workspace before any step runs (lines, positions, execution
 * ids), so a step that changes a file does not move what a later step looks for.
 * @param {string} ws
 */
export function sampleFacts(ws) {
  const module5Line = lineOf(ws, INVOICE, /^\s*- id: 5\s*$/);
  const faultLine = lineOf(ws, INVOICE, /error: ConnectionError/);
  const sample = JSON.parse(fs.readFileSync(path.join(ws, EXECUTIONS), 'utf8'));
  /** @param {string} name */
  const recordOf = (name) => {
    const r = sample.executions.find((/** @type {{moduleName?: string}} */ e) => e.moduleName === name);
    if (!r) throw new Error(`sample ${EXECUTIONS} has no execution of "${name}"`);
    return /** @type {{ id: string, status: string, attempts: number }} */ (r);
  };
  // a blueprint module's diagnostic sits on its "module" value
  const module3 = positionOf(ws, BLUEPRINT, '"http:ActionSendData"');
  const module4 = positionOf(ws, BLUEPRINT, '{"id":4,"module":"gmail:sendEmail"');
  const module4Value = { line: module4.line, column: module4.column + '{"id":4,"module":'.length };
  return {
    module5Line,
    faultLine,
    module3,
    module4,
    module4Value,
    retried: recordOf('Fetch invoice PDF'),
    resolved: recordOf('Ask finance to chase'),
    /** A Problems row of the missing-error-handler warning on module 5 of the invoice scenario. @param {string} r */
    isModule5Warning: (r) =>
      r.includes('missing-error-handler') && r.includes('Ask finance to chase') && r.includes(`[Ln ${module5Line}, Col`),
  };
}

/** @typedef {ReturnType<typeof sampleFacts>} SampleFacts */
