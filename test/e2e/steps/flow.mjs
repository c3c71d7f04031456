// @ts-check
// The person's flow of issue 4: the tree, a hover, the quick fix, then retry and resolve.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  applyQuickFix,
  contextMenu,
  eventually,
  expandRow,
  goToLine,
  hoverToken,
  openContainer,
  openFile,
  problemRows,
  runCommand,
  treeRow,
  visibleEditorText,
} from '../workbench.mjs';
import { INVOICE, STATE, execution, lineOf, log } from './common.mjs';

/** @typedef {import('./common.mjs').Step} Step */

const group = 'flow';

/** @type {Step} */
export const expandScenario = {
  group,
  name: 'flow 1 open the Fusion container and expand a scenario',
  run: async ({ page }) => {
    await openContainer(page, 'Fusion');
    await expandRow(page, 'Invoice export');
    for (const label of ['Fetch invoice PDF', 'Archive the PDF', 'Ask finance to chase']) {
      await treeRow(page, label).waitFor({ state: 'visible', timeout: 20000 });
    }
  },
};

/** @type {Step} */
export const hoverErrorType = {
  group,
  name: 'flow 2 hover an error type',
  run: async ({ page, ws }) => {
    await openFile(page, INVOICE);
    await goToLine(page, lineOf(ws, INVOICE, /error: RateLimitError/));
    const text = await hoverToken(page, 'RateLimitError', /RateLimitError/);
    assert.match(text, /rate|limit/i);
  },
};

/** @type {Step} */
export const quickFixAddsHandler = {
  group,
  name: 'flow 3 quick fix adds an error handler (Ctrl+.)',
  needs: [STATE.invoice], // module 5's warning, on the line counted at the start
  changes: [STATE.invoice], // saves module 5 with a break handler
  run: async ({ page, ws, facts }) => {
    const { module5Line, isModule5Warning } = facts;
    await openFile(page, INVOICE);
    const idColumn = fs.readFileSync(path.join(ws, INVOICE), 'utf8').split('\n')[module5Line - 1].indexOf('id:') + 1;
    await goToLine(page, module5Line, idColumn);
    await applyQuickFix(page, 'Add error handler (Break with auto-retry)');
    await page.keyboard.press('Control+S');
    await eventually(() => {
      const text = fs.readFileSync(path.join(ws, INVOICE), 'utf8');
      const after5 = text.split(/^\s*- id: 5\s*$/m)[1] ?? '';
      assert.match(after5, /onError:[\s\S]*directive: break/, 'module 5 got a break handler on disk');
    }, 'saved scenario');
    const editor = await visibleEditorText(page);
    assert.match(editor, /directive: break/);
    await eventually(async () => {
      const rows = await problemRows(page);
      assert.ok(!rows.some((r) => isModule5Warning(r)), 'the warning on module 5 is gone');
    }, 'Problems panel after the fix');
  },
};

/** @type {Step} */
export const retryFromTree = {
  group,
  name: 'flow 4 retry from the tree context menu',
  needs: [STATE.fetchPdfExecution], // its row is the first "Fetch invoice PDF" row
  changes: [STATE.fetchPdfExecution],
  run: async ({ page, ws, facts }) => {
    const { retried } = facts;
    await openContainer(page, 'Fusion');
    await expandRow(page, 'Invoice export');
    const before = execution(ws, retried.id);
    const rowBefore = (await treeRow(page, 'Fetch invoice PDF').textContent()) ?? '';
    await contextMenu(page, 'Fetch invoice PDF', 'Retry');
    const after = await eventually(() => {
      const rec = execution(ws, retried.id);
      assert.notDeepEqual(rec.history, before.history, 'the retry is recorded in the executions file');
      return rec;
    }, 'executions file after retry');
    log(`  ${retried.id}: ${before.status}/${before.attempts} -> ${after.status}/${after.attempts}`);
    await eventually(async () => {
      const rowAfter = (await treeRow(page, 'Fetch invoice PDF').textContent()) ?? '';
      assert.notEqual(rowAfter, rowBefore, 'the tree row shows the new state');
    }, 'tree row after retry');
  },
};

/** @type {Step} */
export const resolveFromPalette = {
  group,
  name: 'flow 5 resolve from the command palette',
  needs: [STATE.askFinanceExecution], // unresolved, the first "Ask finance to chase" in the pick
  changes: [STATE.askFinanceExecution],
  run: async ({ page, ws, facts }) => {
    const { resolved } = facts;
    await runCommand(page, 'Fusion: Resolve…');
    const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Ask finance to chase' }).first();
    await pick.waitFor({ state: 'visible', timeout: 15000 });
    const ok = page.locator('.quick-input-widget .monaco-button', { hasText: /^OK$/ });
    const multi = await ok.isVisible(); // a multi-select pick shows OK from the start
    await pick.click();
    if (multi) await ok.click({ timeout: 10000 });
    // then the optional note
    const note = page.locator('.quick-input-widget:visible', { hasText: /note/i });
    await note.waitFor({ state: 'visible', timeout: 10000 });
    await page.keyboard.type('Chased by hand (e2e)');
    await page.keyboard.press('Enter');
    await eventually(() => assert.equal(execution(ws, resolved.id).status, 'resolved'), 'resolved execution');
    await openContainer(page, 'Fusion');
    await treeRow(page, 'Ask finance to chase')
      .filter({ hasText: /resolved/i })
      .waitFor({ state: 'visible', timeout: 20000 });
  },
};
