// @ts-check
// Hovers in the sample scenario.
import assert from 'node:assert/strict';
import { goToLine, hoverToken, openFile } from '../workbench.mjs';
import { INVOICE, STATE, log } from './common.mjs';

/** @typedef {import('./common.mjs').Step} Step */

const group = 'hover';

/** @type {Step} */
export const errorTypeHover = {
  group,
  name: 'hover on an error type explains it',
  needs: [STATE.invoice], // the ConnectionError line counted at the start (it comes after module 5)
  run: async ({ page, facts }) => {
    const { faultLine } = facts;
    await openFile(page, INVOICE);
    await goToLine(page, faultLine);
    const text = await hoverToken(page, 'ConnectionError', /Connection/);
    log('  hover:', JSON.stringify(text.slice(0, 200)));
    assert.match(text, /ConnectionError/);
    assert.match(text, /retr/i, 'the hover says what happens (retry)');
  },
};
