// @ts-check
// The Fusion view container and its Incomplete Executions tree, as the sample workspace shows them.
import assert from 'node:assert/strict';
import { expandRow, openContainer, runCommand, treeRow, treeRows } from '../workbench.mjs';
import { log } from './common.mjs';

/** @typedef {import('./common.mjs').Step} Step */

const group = 'tree';

/** @type {Step} */
export const fusionContainer = {
  group,
  name: 'Fusion container in the activity bar',
  run: async ({ page }) => {
    await openContainer(page, 'Fusion');
    const title = await page.locator('.part.sidebar .composite.title').first().textContent({ timeout: 10000 });
    assert.match(title ?? '', /fusion/i, 'the side bar shows the Fusion container');
  },
};

/** @type {Step} */
export const executionsView = {
  group,
  name: 'Incomplete Executions view lists the sample executions',
  run: async ({ page }) => {
    await openContainer(page, 'Fusion');
    await page
      .locator('.part.sidebar', { hasText: /incomplete executions/i })
      .first()
      .waitFor({ timeout: 10000 });
    await expandRow(page, 'Invoice export');
    await treeRow(page, 'Fetch invoice PDF').waitFor({ state: 'visible', timeout: 20000 });
    const rows = await treeRows(page);
    log('  tree rows:', JSON.stringify(rows));
    assert.ok(
      rows.some((r) => r.includes('Fetch invoice PDF') && r.includes('ConnectionError')),
      'row "Fetch invoice PDF" shows its error type',
    );
  },
};

/** @type {Step} */
export const refreshFromPalette = {
  group,
  name: 'palette command Fusion: Refresh runs',
  run: async ({ page }) => {
    await openContainer(page, 'Fusion');
    await runCommand(page, 'Fusion: Refresh');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 });
    await expandRow(page, 'Invoice export');
    await treeRow(page, 'Fetch invoice PDF').waitFor({ state: 'visible', timeout: 20000 });
    const errors = await page.locator('.notification-toast', { hasText: /not found|failed|error/i }).allInnerTexts();
    assert.deepEqual(errors, [], 'no error notification');
  },
};
