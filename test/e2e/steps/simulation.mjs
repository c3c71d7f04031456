// @ts-check
// Run Simulation from the editor title: the report, the stored executions, the tree and the badge.
import assert from 'node:assert/strict';
import {
  activityBadge,
  eventually,
  expandRow,
  notification,
  openContainer,
  openFile,
  rowsUnder,
  treeRow,
  visibleEditorText,
} from '../workbench.mjs';
import { INVOICE, STATE, executions, log } from './common.mjs';

/** @typedef {import('./common.mjs').Step} Step */

const group = 'simulation';

/** @type {Step} */
export const runSimulation = {
  group,
  name: 'simulation Run Simulation from the editor title stores executions',
  // adds executions of the invoice scenario's modules, rows the retry and resolve steps would also match
  changes: [STATE.fetchPdfExecution, STATE.askFinanceExecution],
  run: async ({ page, ws }) => {
    const before = executions(ws);
    await openContainer(page, 'Fusion');
    await expandRow(page, 'Invoice export');
    await treeRow(page, 'Fetch invoice PDF').waitFor({ state: 'visible', timeout: 20000 });
    const rowsBefore = await rowsUnder(page, 'Invoice export');
    const badgeBefore = await activityBadge(page, 'Fusion');
    await openFile(page, INVOICE);
    await page
      .locator('.editor-group-container.active .editor-actions .action-label[aria-label*="Run Simulation"]')
      .first()
      .click({ timeout: 10000 });
    const text = await notification(page, /Simulation of Invoice export/);
    log('  notification:', JSON.stringify(text));
    const stored = Number(/(\d+) incomplete executions stored/.exec(text)?.[1] ?? NaN);
    assert.ok(stored > 0, 'the notification says how many executions were stored');
    const after = await eventually(() => {
      const now = executions(ws);
      assert.equal(now.length, before.length + stored, 'the executions file on disk has the new records');
      return now;
    }, 'executions file after the simulation');
    // the progress notification of the store ends (VS Code shows one for at least 800 ms)
    const progressFrom = Date.now();
    await page
      .locator('.notification-toast', { hasText: 'Storing the simulated incomplete executions' })
      .waitFor({ state: 'hidden', timeout: 10000 });
    log(`  the store's progress notification closed ${Date.now() - progressFrom} ms after the file had the records`);
    const added = after.filter((e) => !before.some((b) => b.id === e.id));
    assert.ok(
      added.every((e) => e.scenario === 'Invoice export'),
      'the new records are of "Invoice export"',
    );
    // the report (the pointer leaves whatever it hovered in earlier steps, so no tooltip covers it)
    await page.mouse.move(0, 0);
    await page
      .locator('.notification-toast', { hasText: /Simulation of Invoice export/ })
      .locator('.monaco-button', { hasText: 'Show Report' })
      .click({ timeout: 10000 });
    await page
      .locator('.editor-instance .monaco-editor .view-line', { hasText: 'Simulation of Invoice export' })
      .first()
      .waitFor({ timeout: 20000 });
    const report = await visibleEditorText(page);
    assert.match(report, /Run result: /, 'the report gives the run result');
    assert.match(report, /Bundle/, 'the report lists the bundles');
    // the tree and the badge
    await openContainer(page, 'Fusion');
    await expandRow(page, 'Invoice export');
    const rowsAfter = await eventually(async () => {
      const rows = await rowsUnder(page, 'Invoice export');
      assert.equal(rows.length, rowsBefore.length + stored, 'the new rows appear under "Invoice export"');
      return rows;
    }, 'tree after the simulation');
    for (const e of added)
      assert.ok(
        rowsAfter.filter((r) => r.includes(e.moduleName ?? '?')).length > rowsBefore.filter((r) => r.includes(e.moduleName ?? '?')).length,
        `a new row for "${e.moduleName}"`,
      );
    // the badge counts executions with status `unresolved` (waiting for a person); the simulation's
    // are `pending` when retried automatically, `unresolved` otherwise
    const newUnresolved = added.filter((e) => e.status === 'unresolved').length;
    const badgeAfter = await eventually(async () => {
      const n = await activityBadge(page, 'Fusion');
      assert.equal(n, badgeBefore + newUnresolved, `the badge adds the ${newUnresolved} new unresolved executions`);
      assert.equal(n, after.filter((e) => e.status === 'unresolved').length, 'the badge is the count of unresolved executions on disk');
      return n;
    }, 'activity-bar badge');
    log(
      `  records ${before.length} -> ${after.length} (new: ${added.map((e) => `${e.moduleName} ${e.status}`).join(', ')}); rows under Invoice export ${rowsBefore.length} -> ${rowsAfter.length}; badge ${badgeBefore} -> ${badgeAfter}`,
    );
  },
};
