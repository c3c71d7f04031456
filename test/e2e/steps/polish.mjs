// @ts-check
// The UI's rough edges of issue 11, as a person meets them: the view's menu checks the current
// grouping, a click on a row opens the execution's details rendered, Ctrl+. on a module's name line
// offers the error-handler fixes, a rule code in the Problems panel opens its page rendered, Delete asks
// naming the execution, and the Get started walkthrough lists its steps.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  closeActionWidget,
  contextMenu,
  dismiss,
  eventually,
  expandRow,
  goToLine,
  openContainer,
  openFile,
  problems,
  quickFixTitles,
  reEscape,
  runCommand,
  treeRow,
  treeRows,
  webviewText,
} from '../workbench.mjs';
import { INVOICE, log, positionOf } from './common.mjs';

/** @typedef {import('./common.mjs').Step} Step */
/** @typedef {import('playwright-core').Page} Page */

const group = 'polish';

const ADD_TITLES = [
  'Add error handler (Break with auto-retry)',
  'Add error handler (Resume)',
  'Add error handler (Ignore)',
  'Add error handler (Rollback)',
];

/** Opens the view's "…" menu; returns its entries' labels. @param {Page} page */
async function openViewMenu(page) {
  await dismiss(page);
  await page.locator('.part.sidebar .composite.title .action-label.codicon-toolbar-more').first().click({ timeout: 10000 });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor({ state: 'visible', timeout: 10000 });
  return (await menu.locator('.action-item .action-label').allInnerTexts()).map((t) => t.trim()).filter((t) => t !== '');
}

/** Runs an entry of the open menu (focus by hover, then Enter, as contextMenu does). @param {Page} page @param {string} label */
async function chooseInMenu(page, label) {
  const menu = page.locator('.context-view .monaco-menu');
  const item = menu.locator('.action-item', { hasText: new RegExp(`^\\s*${reEscape(label)}\\s*$`) }).first();
  await item.hover({ timeout: 10000 });
  await page.waitForFunction((el) => el?.classList.contains('focused') ?? false, await item.elementHandle(), { timeout: 10000 });
  await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'hidden', timeout: 10000 });
}

/** @type {Step} */
export const groupingMenuChecked = {
  group,
  name: 'polish 1 the view menu checks the current grouping',
  run: async ({ page, shot }) => {
    await openContainer(page, 'Fusion');
    // (the check is a context key the extension sets once activated: a run that starts here may open
    // the menu before that, so the menu is opened again until it shows the check)
    const before = await eventually(async () => {
      const items = await openViewMenu(page);
      assert.ok(items.includes('✓ Group by Scenario'), `grouped by scenario: that entry is checked: ${JSON.stringify(items)}`);
      return items;
    }, 'the current grouping to be checked');
    log('  menu:', JSON.stringify(before));
    assert.ok(before.includes('Group by Error Type') && before.includes('Group by Status'), 'the other groupings are offered unchecked');
    assert.ok(!before.includes('Group by Scenario'), 'the current grouping is not also listed unchecked');
    await chooseInMenu(page, 'Group by Status');
    await treeRow(page, 'unresolved').waitFor({ state: 'visible', timeout: 20000 });
    const after = await eventually(async () => {
      const items = await openViewMenu(page);
      assert.ok(items.includes('✓ Group by Status'), `the new grouping is checked: ${JSON.stringify(items)}`);
      return items;
    }, 'the checked grouping to follow');
    assert.ok(after.includes('Group by Scenario') && !after.includes('✓ Group by Scenario'));
    await shot(); // the menu open, "✓ Group by Status", the tree grouped by status behind it
    // back to the default grouping for the steps after this one
    await chooseInMenu(page, 'Group by Scenario');
    await treeRow(page, 'Invoice export').waitFor({ state: 'visible', timeout: 20000 });
  },
};

/** @type {Step} */
export const detailsView = {
  group,
  name: 'polish 2 a click on a row opens the execution details rendered',
  run: async ({ page }) => {
    await openContainer(page, 'Fusion');
    await expandRow(page, 'Invoice export');
    const row = treeRow(page, 'Fetch invoice PDF');
    await row.waitFor({ state: 'visible', timeout: 20000 });
    await row.locator('.label-name').first().click({ timeout: 10000 });
    const text = await webviewText(page, /Fetch invoice PDF[\s\S]*What the error means/);
    log('  details:', JSON.stringify(text.replace(/\s+/g, ' ').slice(0, 300)));
    assert.match(text, /Incomplete execution of module 2 in Invoice export/);
    assert.match(text, /ConnectionError/, 'the error');
    assert.match(text, /could not connect to the third-party service/, 'what it means');
    // (the flow's retry may have resolved it: a resolved one has no next retry, but attempts and status)
    assert.match(text, /Status[\s\S]*Attempts/, 'status and attempts');
    assert.match(text, /Bundle/, 'the bundle');
    assert.match(text, /History/, 'the history');
    assert.doesNotMatch(text, /\|---\||^#/m, 'rendered: no Markdown syntax shows');
    await page
      .locator('.tabs-container .tab.active', { hasText: 'Preview Fetch invoice PDF (Invoice export)' })
      .waitFor({ timeout: 10000 });
    const rows = await treeRows(page);
    assert.ok(
      rows.some((r) => r.includes('Fetch invoice PDF')),
      'the tree stays as it was',
    );
  },
};

/** @type {Step} */
export const quickFixOnName = {
  group,
  name: 'polish 3 Ctrl+. on a module name line offers the error-handler fixes',
  run: async ({ page, ws, shot }) => {
    await openFile(page, INVOICE);
    // module 2 has no error handler; its warning sits on the `- id: 2` line, the cursor goes on its name
    const at = positionOf(ws, INVOICE, 'name: Fetch invoice PDF');
    await goToLine(page, at.line, at.column + 2);
    const titles = await quickFixTitles(page, /Add error handler \(Break with auto-retry\)/);
    log('  quick fixes on the name line:', JSON.stringify(titles));
    for (const t of ADD_TITLES)
      assert.ok(
        titles.some((x) => x.includes(t)),
        `"${t}" is offered`,
      );
    await shot(); // the quick-fix menu open on the name: line
    await closeActionWidget(page);
  },
};

/** @type {Step} */
export const ruleDocRendered = {
  group,
  name: 'polish 4 a rule code in Problems opens its page rendered',
  run: async ({ page }) => {
    await openFile(page, INVOICE);
    await problems(page, /Fetch invoice PDF/);
    // the code link of module 2's warning (the panel may be scrolled: take the row, then its link)
    const row = page
      .locator('.markers-panel .monaco-list-row', { hasText: /Module 2 "Fetch invoice PDF".*has no error-handler route/ })
      .first();
    await row.scrollIntoViewIfNeeded({ timeout: 10000 });
    const link = row.locator('.monaco-link', { hasText: 'missing-error-handler' }).first();
    await link.click({ timeout: 10000 });
    const text = await webviewText(page, /missing-error-handler[\s\S]*Why it matters/);
    assert.match(text, /How to fix/);
    assert.doesNotMatch(text, /\*\*Why it matters:\*\*/, 'rendered: no Markdown syntax shows');
    await page.locator('.tabs-container .tab.active', { hasText: /Preview missing-error-handler/ }).waitFor({ timeout: 10000 });
  },
};

/** @type {Step} */
export const deleteNamesExecution = {
  group,
  name: 'polish 5 Delete asks naming the module, the scenario and the error, and Cancel keeps the record',
  run: async ({ page, ws, shot }) => {
    const file = path.join(ws, '.fusion/incomplete-executions.json');
    const before = fs.readFileSync(file);
    await openContainer(page, 'Fusion');
    await expandRow(page, 'Invoice export');
    await contextMenu(page, 'Archive the PDF', 'Delete');
    const dialog = page.locator('.monaco-dialog-box').first();
    await dialog.waitFor({ state: 'visible', timeout: 10000 });
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    log('  dialog:', JSON.stringify(text.slice(0, 300)));
    assert.match(text, /Delete the incomplete execution of .*Archive the PDF.*Invoice export/, 'names the module and the scenario');
    assert.match(text, /OutOfSpaceError/, 'names the error');
    assert.match(text, /cannot be undone/);
    await shot(); // the modal dialog naming the execution
    await dialog
      .locator('.monaco-button', { hasText: /^Cancel$/ })
      .first()
      .click({ timeout: 10000 });
    await dialog.waitFor({ state: 'hidden', timeout: 10000 });
    assert.ok(fs.readFileSync(file).equals(before), 'Cancel leaves the executions file as it was');
  },
};

/** @type {Step} */
export const walkthrough = {
  group,
  name: 'polish 6 the Get started walkthrough lists its steps',
  run: async ({ page, shot }) => {
    await dismiss(page);
    await runCommand(page, 'Welcome: Open Walkthrough...');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with Fusion Incomplete Executions' }).first();
    await row.waitFor({ state: 'visible', timeout: 20000 });
    await row.click({ timeout: 10000 });
    const page1 = page.locator('.gettingStartedContainer').first();
    await page1.waitFor({ state: 'visible', timeout: 20000 });
    const text = await eventually(async () => {
      const t = (await page1.innerText()).replace(/\s+/g, ' ');
      assert.match(t, /Open a scenario/);
      return t;
    }, 'the walkthrough to show its steps');
    for (const title of ['Open a scenario', 'See the problems', 'Classify a failure', 'Run a simulation', 'Open the failure map']) {
      assert.ok(text.includes(title), `the walkthrough lists "${title}"`);
    }
    assert.doesNotMatch(text, /`/, 'no literal backticks (walkthrough descriptions are not Markdown code)');
    await shot(); // the walkthrough open on its first step
  },
};
