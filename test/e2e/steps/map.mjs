// @ts-check
// The failure map of the sample invoice scenario: opened from the editor title, recoloured for
// another error type, a simulation drawn on it (in memory), a click that reveals the module.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cursorPosition, dismiss, eventually, openFile, quickInput, runCommand } from '../workbench.mjs';
import { EXECUTIONS, INVOICE, STATE, lineOf, log } from './common.mjs';

/** @typedef {import('./common.mjs').Step} Step */
/** @typedef {import('playwright-core').Frame} Frame */
/** @typedef {import('playwright-core').Page} Page */

const group = 'map';

/** The webview frame that holds the failure map (VS Code nests it in two iframes). @param {Page} page @returns {Promise<Frame>} */
export async function mapFrame(page) {
  return eventually(async () => {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const n = await frame
        .locator('svg g.node')
        .count()
        .catch(() => 0);
      if (n > 0) return frame;
    }
    throw new Error('no webview draws a map yet');
  }, 'the failure map webview');
}

/** Whether the workbench shows a dark theme. @param {Page} page */
async function isDark(page) {
  return page
    .locator('.monaco-workbench.vs-dark')
    .count()
    .then((n) => n > 0);
}

/**
 * Runs `fn` in VS Code's default dark theme (Dark Modern), the one the map's screenshots are
 * checked in, and puts the theme back afterwards so later steps see what they saw before.
 * @template T @param {Page} page @param {() => Promise<T>} fn @returns {Promise<T>}
 */
export async function inDarkTheme(page, fn) {
  const wasDark = await isDark(page);
  const pick = async (/** @type {string} */ theme, /** @type {boolean} */ dark) => {
    // the first picker of a session may never list the themes (they load behind it): close it and
    // open it again, at most three times
    for (let attempt = 1; ; attempt++) {
      // Ctrl+K Ctrl+T: the theme picker itself (the palette's best match may be the marketplace's)
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+T');
      const input = await quickInput(page, /Select Color Theme/i);
      const loaded = await eventually(
        async () => assert.ok((await page.locator('.quick-input-list .monaco-list-row').count()) >= 3, 'the theme list is loaded'),
        'theme list',
        8000,
      ).then(
        () => true,
        () => false,
      );
      if (loaded) {
        await input.fill(theme);
        break;
      }
      await dismiss(page);
      if (attempt === 3) throw new Error('the theme picker never listed the themes');
      log(`  the theme picker listed no themes (attempt ${attempt}); again`);
    }
    await page.locator('.quick-input-list .monaco-list-row', { hasText: theme }).first().waitFor({ timeout: 30000 });
    await page.keyboard.press('Enter');
    await eventually(async () => assert.equal(await isDark(page), dark), `theme ${theme}`);
  };
  if (!wasDark) await pick('Dark Modern', true);
  try {
    return await fn();
  } finally {
    // no map, no second editor group, no maximized group left for the next step
    await dismiss(page);
    await runCommand(page, 'View: Close All Editors').catch(() => dismiss(page));
    if (!wasDark) await pick('Light Modern', false).catch(() => dismiss(page));
  }
}

/** The map's editor group takes the whole editor area (toggled back by `restoreGroups`). @param {Page} page */
async function maximizeMap(page) {
  await page.locator('.tabs-container .tab', { hasText: 'Failure map' }).first().click();
  // Ctrl+K Ctrl+M: View: Toggle Maximize Editor Group
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+M');
  await page.waitForTimeout(300);
}

/** @param {Page} page */
async function restoreGroups(page) {
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+M');
  await page.waitForTimeout(300);
}

/** The node of module `id` ("<id> · name"). @param {Frame} frame @param {number} id */
function moduleNode(frame, id) {
  return frame.locator(`g.node[aria-label^="${id} · "], g.node[aria-label^="${id} — "]`).first();
}

/** The legend category class of module `id`'s node. @param {Frame} frame @param {number} id */
async function categoryOf(frame, id) {
  const cls = (await moduleNode(frame, id).getAttribute('class')) ?? '';
  return /\bcat-([\w-]+)/.exec(cls)?.[1];
}

/** Opens the invoice scenario's map beside it (the editor title button) and returns its frame. @param {Page} page */
async function openMap(page) {
  await openFile(page, INVOICE);
  await page
    .locator('.editor-group-container.active .editor-actions .action-label[aria-label*="Show Failure Map"]')
    .first()
    .click({ timeout: 10000 });
  const frame = await mapFrame(page);
  await frame.locator('.legend-item').first().waitFor({ timeout: 10000 });
  return frame;
}

/** @type {Step} */
export const openFromTitle = {
  group,
  name: 'map Show Failure Map from the editor title colours the modules',
  needs: [STATE.invoice], // module 5 without a handler: stored with retry for ConnectionError
  run: async ({ page, shot }) =>
    inDarkTheme(page, async () => {
      const frame = await openMap(page);
      const picker = await frame.locator('#error-picker').inputValue();
      assert.equal(picker, 'type:ConnectionError', 'ConnectionError is picked first');
      await eventually(async () => {
        assert.equal(await categoryOf(frame, 1), 'stopped', 'the trigger stops');
        assert.equal(await categoryOf(frame, 2), 'stored-retry', 'module 2: stored, retried');
        assert.equal(await categoryOf(frame, 5), 'stored-retry', 'module 5: no handler, stored, retried');
      }, 'map colours');
      const legend = await frame.locator('.legend').innerText();
      log('  legend:', JSON.stringify(legend.replace(/\s+/g, ' ')));
      for (const word of ['stopped', 'stored with retry', 'stored without retry', 'fails', 'handled', 'depends'])
        assert.ok(legend.includes(word), `legend: ${word}`);
      const routes = await frame.locator('text.edge-label.kind-route').allTextContents();
      assert.deepEqual(routes, ['Paid', 'Unpaid'], 'the router routes, in order');
      assert.equal(await frame.locator('g.node.kind-directive').count(), 1, "module 4's Break below it");
      await maximizeMap(page);
      await page.mouse.move(0, 0);
      await shot();
      await restoreGroups(page);
    }),
};

/** @type {Step} */
export const switchErrorType = {
  group,
  name: 'map another error type recolours the map',
  needs: [STATE.invoice],
  run: async ({ page, shot }) =>
    inDarkTheme(page, async () => {
      const frame = await openMap(page);
      await frame.locator('#error-picker').selectOption('type:DataError');
      await eventually(async () => {
        assert.equal(await categoryOf(frame, 2), 'stored', 'DataError on module 2: stored without retry');
        assert.equal(await categoryOf(frame, 4), 'stored-retry', "module 4's Break (auto-retry) catches it");
      }, 'DataError colours');
      const count = await frame.locator('.legend-item.cat-stored .count').innerText();
      log('  stored without retry:', count);
      assert.equal(Number(count), 3, 'modules 2, 3 (the router) and 5');
      // the details line under the map gives the classifier's reason for the selected module
      await moduleNode(frame, 2).focus();
      const details = await frame.locator('.details').innerText();
      assert.match(details, /DataError raised in module 2/);
      await maximizeMap(page);
      await page.mouse.move(0, 0);
      await shot();
      await restoreGroups(page);
      await frame.locator('#error-picker').selectOption('type:ConnectionError');
    }),
};

/** @type {Step} */
export const simulationOverlay = {
  group,
  name: 'map Simulate draws each bundle in memory',
  needs: [STATE.invoice],
  run: async ({ page, ws, shot }) =>
    inDarkTheme(page, async () => {
      const file = path.join(ws, EXECUTIONS);
      const before = fs.readFileSync(file, 'utf8');
      const frame = await openMap(page);
      await frame.locator('#simulate').click();
      await frame.locator('.sim-info').waitFor({ state: 'visible', timeout: 10000 });
      const info = await frame.locator('.sim-info').innerText();
      log('  simulation:', JSON.stringify(info));
      assert.match(info, /in memory/);
      const badges = await frame.locator('g.badge').allInnerTexts();
      log('  badges:', JSON.stringify(badges));
      assert.equal(badges.length, 3, 'one event per bundle: module 5 (bundle 1), module 2 (bundle 2), module 4 (bundle 3)');
      // bundle 2 alone: module 2 fails, the rest is never reached
      await frame.locator('#bundle-picker').selectOption('2');
      await eventually(async () => {
        assert.match((await moduleNode(frame, 2).getAttribute('class')) ?? '', /\bvisited\b/);
        assert.match((await moduleNode(frame, 3).getAttribute('class')) ?? '', /\bunvisited\b/);
      }, 'bundle 2 path');
      await moduleNode(frame, 2).focus();
      const details = await frame.locator('.details').innerText();
      assert.match(details, /Bundle 2: ConnectionError \(Connection reset by peer\) → stored/);
      await maximizeMap(page);
      await page.mouse.move(0, 0);
      await shot();
      await restoreGroups(page);
      assert.equal(fs.readFileSync(file, 'utf8'), before, 'the executions file is untouched');
      await frame.locator('#bundle-picker').selectOption('all');
      await frame.locator('#clear').click();
    }),
};

/** @type {Step} */
export const clickRevealsModule = {
  group,
  name: 'map click a module reveals it in the editor, arrow keys move on',
  needs: [STATE.invoice],
  run: async ({ page, ws, shot }) =>
    inDarkTheme(page, async () => {
      const frame = await openMap(page);
      // zoomed out so the whole map fits beside the editor
      await frame.locator('button[aria-label="Zoom out"]').click();
      await frame.locator('button[aria-label="Zoom out"]').click();
      const line4 = lineOf(ws, INVOICE, /- id: 4$/);
      await moduleNode(frame, 4).click();
      await eventually(async () => {
        const at = await cursorPosition(page);
        assert.match(at, new RegExp(`^Ln ${line4},`), `the cursor is on module 4's id (line ${line4}), not ${at}`);
      }, 'reveal module 4');
      // the editor's cursor highlights the module on the map
      await eventually(
        async () => assert.match((await moduleNode(frame, 4).getAttribute('class')) ?? '', /\bcurrent\b/),
        'module 4 highlighted',
      );
      await page.mouse.move(0, 0);
      await shot();
      // keyboard: from module 4, Down reaches its Break, Enter reveals the directive
      await moduleNode(frame, 4).focus();
      await page.keyboard.press('ArrowDown');
      const focused = await frame.evaluate(() => document.activeElement?.getAttribute('class') ?? '');
      assert.match(focused, /kind-directive/, 'Down moves to the handler route');
      await page.keyboard.press('Enter');
      const breakLine = lineOf(ws, INVOICE, /directive: break/);
      await eventually(
        async () => assert.match(await cursorPosition(page), new RegExp(`^Ln ${breakLine},`)),
        'Enter reveals the directive',
      );
      await frame.locator('button[aria-label="Actual size"]').click();
    }),
};
