// @ts-check
// Classify Failure, as a person runs it from the palette and from the CodeLens.
import assert from 'node:assert/strict';
import {
  clickCodeLensAbove,
  goToLine,
  notification,
  openFile,
  pickQuickItem,
  quickInput,
  quickPickRows,
  runCommand,
  webviewText,
} from '../workbench.mjs';
import { INVOICE, STATE, lineOf, log } from './common.mjs';

/** @typedef {import('./common.mjs').Step} Step */

const group = 'classify';

/** @type {Step} */
export const fromPalette = {
  group,
  name: 'classify 1 Classify Failure from the palette',
  run: async ({ page }) => {
    await openFile(page, INVOICE);
    await runCommand(page, 'Fusion: Classify Failure…');
    await quickInput(page, /module that fails/i);
    const modules = await quickPickRows(page);
    log('  module pick:', JSON.stringify(modules));
    for (const [id, app, name] of [
      [1, 'workfront:watchEvents', 'Watch approved invoices'],
      [2, 'http:makeRequest', 'Fetch invoice PDF'],
      [4, 'google-drive:uploadFile', 'Archive the PDF'],
      [5, 'slack:createMessage', 'Ask finance to chase'],
    ]) {
      assert.ok(
        modules.some((r) => r.startsWith(`${id},`) && r.includes(String(app)) && r.includes(String(name))),
        `module ${id} is listed with its app and name`,
      );
    }
    assert.ok(!modules.some((r) => r.includes('builtin:router')), 'the router (no action of its own) is not listed');
    await pickQuickItem(page, 'Fetch invoice PDF', /^2,.*Fetch invoice PDF/);
    await quickInput(page, /error type the module fails with/i);
    const types = await quickPickRows(page);
    log(`  error-type pick: ${types.length} rows shown; first: ${JSON.stringify(types.slice(0, 3))}`);
    assert.ok(
      types.some((r) => /^ConnectionError, connection,/.test(r)),
      'ConnectionError is listed with its family',
    );
    assert.ok(types.filter((r) => /^[A-Z]\w+Error, [a-z-]+,/.test(r)).length >= 3, 'the catalogue types are listed, each with its family');
    await pickQuickItem(page, 'ConnectionError', /^ConnectionError, connection/);
    const text = await notification(page, /Module 2 failing with ConnectionError/);
    log('  notification:', JSON.stringify(text));
    assert.match(
      text,
      /stored as an incomplete execution and retried automatically/,
      'the outcome: incomplete execution with automatic retry',
    );
    assert.match(text, /Profile fusion, rule 3/, 'the reason names the profile and the rule');
    // the details open as a Markdown preview
    await page
      .locator('.notification-toast', { hasText: /Module 2 failing with ConnectionError/ })
      .locator('.monaco-button', { hasText: 'Show Details' })
      .click({ timeout: 10000 });
    const details = await webviewText(page, /Classification:[\s\S]*Fetch invoice PDF/);
    log('  details:', JSON.stringify(details.replace(/\s+/g, ' ').slice(0, 300)));
    assert.match(details, /incomplete-with-retry/, 'the details give the outcome');
    assert.match(details, /ConnectionError \(connection\)/, 'the details give the error type and its family');
    assert.match(details, /Profile fusion, rule 3/, 'the details give the reason');
    // a read-only preview named after the question; no unsaved "Untitled" document is left behind
    await page
      .locator('.tabs-container .tab.active', { hasText: 'Preview Module 2 failing with ConnectionError' })
      .waitFor({ timeout: 10000 });
    const tabs = await page
      .locator('.tabs-container .tab')
      .evaluateAll((els) => els.map((e) => ({ title: (e.textContent ?? '').trim(), dirty: e.classList.contains('dirty') })));
    log('  tabs:', JSON.stringify(tabs));
    assert.deepEqual(
      tabs.filter((t) => t.dirty || /Untitled/.test(t.title)),
      [],
      'no unsaved or untitled editor',
    );
  },
};

/** @type {Step} */
export const fromCodeLens = {
  group,
  name: 'classify 2 Classify Failure from the CodeLens of module 5',
  // module 5 without a handler (the flow's quick fix gives it one, which changes its outcomes), on the line counted at the start
  needs: [STATE.invoice],
  run: async ({ page, facts }) => {
    const { module5Line } = facts;
    await openFile(page, INVOICE);
    await goToLine(page, module5Line);
    const lens = await clickCodeLensAbove(page, module5Line, /On failure:/, page.locator('.quick-input-widget'));
    log('  lens:', JSON.stringify(lens));
    // the module is known: the first question is the error type
    await quickInput(page, /error type the module fails with/i);
    await pickQuickItem(page, 'DataError', /^DataError, data/);
    const text = await notification(page, /Module 5 failing with DataError/);
    log('  notification:', JSON.stringify(text));
    assert.match(text, /stored as an incomplete execution, waiting for you/, 'the outcome: stored, no automatic retry');
    assert.match(text, /without automatic retry/);
    assert.match(text, /Profile fusion, rule 4/);
  },
};

/** @type {Step} */
export const customErrorType = {
  group,
  name: 'classify 3 a custom error type',
  run: async ({ page, ws }) => {
    await openFile(page, INVOICE);
    const module2Line = lineOf(ws, INVOICE, /^\s*- id: 2\s*$/);
    await goToLine(page, module2Line);
    await clickCodeLensAbove(page, module2Line, /On failure:/, page.locator('.quick-input-widget'));
    await quickInput(page, /error type the module fails with/i);
    await pickQuickItem(page, 'Custom error type', /Custom error type/);
    const box = await quickInput(page, /BundleValidationError|error type name/i);
    // one name: a space is refused with a message
    await box.fill('Acme Quota');
    await page.locator('.quick-input-widget:visible', { hasText: /one name without spaces/i }).waitFor({ timeout: 10000 });
    await box.fill('AcmeQuotaExceeded');
    await page
      .locator('.quick-input-widget:visible', { hasText: /one name without spaces/i })
      .waitFor({ state: 'detached', timeout: 10000 })
      .catch(() => {});
    await page.keyboard.press('Enter');
    const text = await notification(page, /Module 2 failing with AcmeQuotaExceeded/);
    log('  notification:', JSON.stringify(text));
    assert.match(text, /the run fails/, 'the outcome: failed');
    assert.match(text, /Profile fusion, rule 5/, 'under the fusion profile (rule 5: a type the catalogue does not know)');
    assert.match(text, /catalogue does not know/);
  },
};
