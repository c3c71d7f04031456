// @ts-check
// Our own language features in the sample scenario: completion after `directive:` and the Outline;
// then, on scenario files these steps write (and remove) themselves so the samples stay as they are:
// the quick fix of a misspelt directive, and the rename of a module id.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  applyQuickFix,
  closeActionWidget,
  eventually,
  goToLine,
  openFile,
  quickFixTitles,
  runCommand,
  visibleEditorText,
} from '../workbench.mjs';
import { INVOICE, STATE, log, positionOf } from './common.mjs';
import { inDarkTheme } from './map.mjs';

/** @typedef {import('./common.mjs').Step} Step */

const group = 'language';

/** @type {Step} */
export const directiveCompletion = {
  group,
  name: 'language Ctrl+Space after directive offers the directives',
  needs: [STATE.invoice], // the `directive: break` of module 4
  run: async ({ page, ws, shot }) =>
    inDarkTheme(page, async () => {
      await openFile(page, INVOICE);
      const at = positionOf(ws, INVOICE, 'directive: break');
      await goToLine(page, at.line, at.column + 'directive: '.length);
      await page.keyboard.press('Control+Space');
      const rows = page.locator('.editor-widget.suggest-widget .monaco-list-row');
      const labels = await eventually(async () => {
        const all = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
        assert.ok(all.length >= 5, `the suggest widget lists items: ${JSON.stringify(all)}`);
        return all;
      }, 'suggest widget');
      log('  suggestions:', JSON.stringify(labels.slice(0, 6)));
      const first = labels.slice(0, 5).map((l) => l.split(/[\s,]/)[0]);
      assert.deepEqual(first, ['break', 'resume', 'ignore', 'commit', 'rollback'], 'the five directives, in order, first');
      // the details of the selected item (the directive's description)
      await page.keyboard.press('Control+Space').catch(() => {});
      await page.mouse.move(0, 0);
      await shot();
      await page.keyboard.press('Escape');
    }),
};

/** @type {Step} */
export const outline = {
  group,
  name: 'language the Outline lists modules routes and handler routes',
  run: async ({ page, shot }) =>
    inDarkTheme(page, async () => {
      await openFile(page, INVOICE);
      await runCommand(page, 'Explorer: Focus on Outline View');
      const rows = page.locator('.outline-pane .monaco-list-row, [id="outline"] .monaco-list-row');
      const texts = await eventually(async () => {
        const all = await rows.evaluateAll((els) =>
          els.map((e) => (e.getAttribute('aria-label') || e.textContent || '').replace(/\s+/g, ' ').trim()),
        );
        assert.ok(
          all.some((t) => t.includes('1 · Watch approved invoices')),
          `outline rows: ${JSON.stringify(all)}`,
        );
        return all;
      }, 'outline rows');
      // the Outline expands its items by default (outline.collapseItems): routes and handler routes show
      const all = await eventually(async () => {
        const now = await rows.evaluateAll((els) =>
          els.map((e) => (e.getAttribute('aria-label') || e.textContent || '').replace(/\s+/g, ' ').trim()),
        );
        assert.ok(
          now.some((t) => t.includes('Paid')),
          `routes show: ${JSON.stringify(now)}`,
        );
        return now;
      }, 'expanded outline');
      log('  outline:', JSON.stringify(all));
      assert.ok(
        texts.some((t) => t.includes('3 · Paid or unpaid?')),
        'the router',
      );
      assert.ok(
        all.some((t) => t.includes('On error: Break')),
        "module 4's handler route",
      );
      await page.mouse.move(0, 0);
      await shot();
    }),
};

/**
 * Writes a scenario of the step's own into the workspace, runs `fn` on it, then closes it without
 * saving and removes it (the later steps read the samples as they are).
 * @param {import('playwright-core').Page} page @param {string} ws @param {string} rel @param {string} text @param {() => Promise<void>} fn
 */
async function withOwnScenario(page, ws, rel, text, fn) {
  const file = path.join(ws, rel);
  fs.writeFileSync(file, text);
  try {
    await openFile(page, rel);
    await fn();
  } finally {
    await closeActionWidget(page).catch(() => {});
    await page.keyboard.press('Escape');
    await runCommand(page, 'View: Revert and Close Editor').catch(() => {});
    fs.rmSync(file, { force: true });
  }
}

const TYPO = 'scenarios/directive-typo.scenario.yaml';
const TYPO_TEXT = [
  '# A misspelt directive: Fusion knows no `brake`.',
  'name: Directive typo',
  'modules:',
  '  - id: 1',
  '    app: webhook:customWebhook',
  '    name: Incoming order',
  '  - id: 2',
  '    app: http:makeRequest',
  '    name: Fetch the order',
  '    onError:',
  '      directive: brake # retry later',
  '      autoComplete: true',
  '      attempts: 5',
  '',
].join('\n');

/** @type {Step} */
export const directiveTypoFix = {
  group,
  name: "language directive typo Ctrl+. offers Change to 'break'",
  run: async ({ page, ws, shot }) =>
    withOwnScenario(page, ws, TYPO, TYPO_TEXT, async () => {
      const on = positionOf(ws, TYPO, 'directive: brake');
      const at = { line: on.line, column: on.column + 'directive: '.length };
      await goToLine(page, at.line, at.column + 1);
      const titles = await quickFixTitles(page, /Change to 'break'/);
      log('  quick fixes on `brake`:', JSON.stringify(titles));
      assert.ok(
        titles.some((t) => t.includes("Change to 'break'")),
        "Change to 'break' is offered",
      );
      await page.mouse.move(0, 0);
      await shot(); // the quick-fix menu open on `directive: brake`
      await closeActionWidget(page);
      await goToLine(page, at.line, at.column + 1);
      await applyQuickFix(page, "Change to 'break'");
      const text = await eventually(async () => {
        const now = await visibleEditorText(page);
        assert.match(now, /directive: break # retry later/, 'the value changed, the comment kept');
        return now;
      }, 'the fixed directive');
      assert.doesNotMatch(text, /directive: brake/);
    }),
};

const RENAME = 'scenarios/rename-module.scenario.yaml';
const RENAME_TEXT = [
  '# Module ids referenced from the simulation faults.',
  'name: Rename a module id',
  'modules:',
  '  - id: 1',
  '    app: webhook:customWebhook',
  '    name: Incoming order',
  '  - id: 2',
  '    app: http:makeRequest',
  '    name: Fetch the order',
  '    onError:',
  '      directive: break',
  'simulation:',
  '  bundles: 1',
  '  faults:',
  '    - module: 2',
  '      error: ConnectionError',
  '',
].join('\n');

/** @type {Step} */
export const renameModuleId = {
  group,
  name: 'language F2 on a module id renames it and its faults references',
  run: async ({ page, ws, shot }) =>
    withOwnScenario(page, ws, RENAME, RENAME_TEXT, async () => {
      const at = positionOf(ws, RENAME, 'id: 2');
      await goToLine(page, at.line, at.column + 'id: '.length);
      await page.keyboard.press('F2');
      // the rename box opens on the id with it selected (its placeholder is the current id)
      const input = page.locator('.rename-box .rename-input').first();
      await input.waitFor({ state: 'visible', timeout: 10000 });
      await eventually(async () => assert.equal(await input.inputValue(), '2', 'the box shows the current id'), 'rename box');
      await input.fill('7');
      await page.mouse.move(0, 0);
      await shot(); // the rename box on module 2's id, the new id typed
      await input.press('Enter');
      await input.waitFor({ state: 'hidden', timeout: 10000 });
      const text = await eventually(async () => {
        const now = await visibleEditorText(page);
        assert.match(now, /- id: 7/, 'the module id');
        assert.match(now, /- module: 7/, 'the faults[].module reference');
        return now;
      }, 'the renamed id');
      assert.doesNotMatch(text, /id: 2|module: 2/);
    }),
};
