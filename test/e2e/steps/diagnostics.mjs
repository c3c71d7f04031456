// @ts-check
// Lint findings of the sample scenario in the Problems panel.
import assert from 'node:assert/strict';
import { openFile, problems } from '../workbench.mjs';
import { INVOICE, STATE, log } from './common.mjs';

/** @typedef {import('./common.mjs').Step} Step */

const group = 'diagnostics';

/** @type {Step} */
export const module5Warning = {
  group,
  name: 'Problems panel shows missing-error-handler for module 5',
  needs: [STATE.invoice], // module 5 without a handler, on the line counted at the start
  run: async ({ page, facts }) => {
    const { module5Line, isModule5Warning } = facts;
    await openFile(page, INVOICE);
    const rows = await problems(page, /missing-error-handler/);
    const hit = rows.find((r) => isModule5Warning(r));
    log(`  problems: ${rows.length} rows; module 5: ${JSON.stringify(hit?.split(' | ')[0] ?? null)}`);
    assert.ok(hit, `a missing-error-handler problem on line ${module5Line} (module 5)`);
    assert.match(hit, /warning/i, 'it is a warning');
  },
};
