// @ts-check
// The UI suite's steps, in the order they run: what the sample workspace shows, Classify Failure,
// the failure map and the language features (issue 11), the person's flow of issue 4, the samples'
// blueprint (issue 5), Run Simulation, the rough edges of issue 11 (polish), then Make (a fake Make
// API on 127.0.0.1: connect, pull, retry with the local scenario). A step's place here is its
// screenshot's number (01-…png to 36-…png), whichever steps a run selects.
//
// Order rules (the step's `needs` / `changes` say which part of the sample workspace; `checkOrder`
// enforces them when the suite starts, before anything is launched):
// - the diagnostics, hover, classify, map and language steps read the invoice scenario as in samples/, before the
//   flow's quick fix gives module 5 a handler (which changes module 5's outcomes and moves the lines
//   after it);
// - the flow's retry and resolve steps act on the sample executions, before Run Simulation adds
//   rows of the same modules (it is last);
// - the blueprint steps read the blueprint as in samples/, before the last of them saves a fix.
import * as tree from './tree.mjs';
import * as diagnostics from './diagnostics.mjs';
import * as hover from './hover.mjs';
import * as classify from './classify.mjs';
import * as flow from './flow.mjs';
import * as blueprint from './blueprint.mjs';
import * as simulation from './simulation.mjs';
import * as map from './map.mjs';
import * as language from './language.mjs';
import * as polish from './polish.mjs';
import * as make from './make.mjs';

/** @type {import('./common.mjs').Step[]} */
export const STEPS = [
  tree.fusionContainer,
  tree.executionsView,
  diagnostics.module5Warning,
  hover.errorTypeHover,
  tree.refreshFromPalette,
  classify.fromPalette,
  classify.fromCodeLens,
  classify.customErrorType,
  map.openFromTitle,
  map.switchErrorType,
  map.simulationOverlay,
  map.clickRevealsModule,
  language.directiveCompletion,
  language.outline,
  language.directiveTypoFix,
  language.renameModuleId,
  flow.expandScenario,
  flow.hoverErrorType,
  flow.quickFixAddsHandler,
  flow.retryFromTree,
  flow.resolveFromPalette,
  blueprint.problems,
  blueprint.codeLens,
  blueprint.moduleHover,
  blueprint.quickFixMenu,
  blueprint.applyIgnore,
  simulation.runSimulation,
  // after the steps that count or act on the sample rows: these only read (the grouping is set back)
  polish.groupingMenuChecked,
  polish.detailsView,
  polish.quickFixOnName,
  polish.ruleDocRendered,
  polish.deleteNamesExecution,
  polish.walkthrough,
  // Make's steps set up their own server, connection and pull, and add rows from Make: after polish,
  // which only reads
  make.connectMake,
  make.pullFromMake,
  make.retryWithLocalScenario,
];

/** The groups, in the order their first step runs. */
export const GROUPS = [...new Set(STEPS.map((s) => s.group))];

/** Screenshot file of the step at 0-based `index` of STEPS: `07-classify-2-Classify-Failure-….png`. @param {number} index */
export function screenshotName(index) {
  return `${String(index + 1).padStart(2, '0')}-${STEPS[index].name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}.png`;
}

/**
 * The 0-based indexes in STEPS that FUSION_E2E_STEPS selects: a comma-separated list of groups
 * (`blueprint`), step numbers (`7`) and ranges of them (`11-13`); undefined or '' selects all.
 * Always in list order. Throws on a word that is none of these.
 * @param {string | undefined} spec
 */
export function selectSteps(spec) {
  const all = STEPS.map((_, i) => i);
  if (!spec || spec.trim() === '') return all;
  /** @type {Set<number>} */
  const chosen = new Set();
  for (const word of spec
    .split(',')
    .map((w) => w.trim())
    .filter((w) => w !== '')) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(word);
    if (range) {
      const from = Number(range[1]);
      const to = Number(range[2] ?? range[1]);
      if (from < 1 || to > STEPS.length || from > to)
        throw new Error(`FUSION_E2E_STEPS: "${word}" is not within the steps 1-${STEPS.length}`);
      for (let n = from; n <= to; n++) chosen.add(n - 1);
    } else if (GROUPS.includes(word.toLowerCase())) {
      STEPS.forEach((s, i) => {
        if (s.group === word.toLowerCase()) chosen.add(i);
      });
    } else {
      throw new Error(`FUSION_E2E_STEPS: "${word}" is no group (${GROUPS.join(', ')}) and no step number 1-${STEPS.length}`);
    }
  }
  return all.filter((i) => chosen.has(i));
}
