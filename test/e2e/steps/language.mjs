// @ts-check
// Our own language features in the sample scenario: completion after `directive:` and the Outline.
import assert from 'node:assert/strict';
import { eventually, goToLine, openFile, runCommand } from '../workbench.mjs';
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
