// @ts-check
// The samples' blueprint gets the same kinds of features as a scenario YAML (issue 5): diagnostics,
// CodeLens, hovers and quick fixes.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  applyQuickFix,
  closeActionWidget,
  eventually,
  filterProblems,
  goToLine,
  hoverOnLine,
  openFile,
  problemCountOf,
  problemRows,
  quickFixTitles,
} from '../workbench.mjs';
import { BLUEPRINT, BLUEPRINT_NAME, STATE, blueprintModules, blueprintWarnings, log } from './common.mjs';

/** @typedef {import('./common.mjs').Step} Step */

const group = 'blueprint';

/** @type {Step} */
export const problems = {
  group,
  name: 'blueprint 1 Problems panel shows missing-error-handler for its modules',
  needs: [STATE.blueprint], // module 3's warning, at the position counted at the start
  run: async ({ page, facts }) => {
    const { module3 } = facts;
    await openFile(page, BLUEPRINT);
    const rows = blueprintWarnings(await filterProblems(page, BLUEPRINT_NAME, /storing of incomplete executions is off/));
    log(`  problems of ${BLUEPRINT_NAME}: ${rows.length} rows; first: ${JSON.stringify(rows[0]?.split(' | ')[0] ?? null)}`);
    // modules 3..10 sit in the router's branches; the trigger (1) and the router (2) get none
    for (let id = 3; id <= 10; id++)
      assert.ok(
        rows.some((r) => r.includes(`Module ${id} (`)),
        `a warning on module ${id}`,
      );
    assert.ok(!rows.some((r) => /Module [12] \(/.test(r)), 'none on the trigger or the router');
    assert.ok(
      rows.every((r) => /warning/i.test(r)),
      'they are warnings',
    );
    assert.ok(
      rows.some((r) => r.includes(`[Ln ${module3.line}, Col ${module3.column}]`)),
      `module 3's is at line ${module3.line}, column ${module3.column}`,
    );
    assert.equal(await problemCountOf(page, BLUEPRINT_NAME), rows.length, "the file's count badge");
  },
};

/** @type {Step} */
export const codeLens = {
  group,
  name: 'blueprint 2 CodeLens On failure above the modules',
  needs: [STATE.blueprint], // modules 3 and 4 without handlers, at the position counted at the start
  run: async ({ page, facts }) => {
    const { module3 } = facts;
    await openFile(page, BLUEPRINT);
    await goToLine(page, module3.line, module3.column);
    const lens = page
      .locator('.editor-instance .monaco-editor .codelens-decoration', { hasText: /On failure: every error fails the run/ })
      .first();
    await lens.waitFor({ state: 'visible', timeout: 20000 });
    const text = (await lens.innerText()).trim();
    log('  lens:', JSON.stringify(text));
    // one lens per module of the line (modules 3 and 4 share it in this minified export)
    assert.equal(text.split('|').filter((t) => /On failure:/.test(t)).length, 2, 'two modules on the line, two lenses');
  },
};

/** @type {Step} */
export const moduleHover = {
  group,
  name: 'blueprint 3 hover on a module id explains the module',
  needs: [STATE.blueprint], // module 4 at the position counted at the start
  run: async ({ page, facts }) => {
    const { module4, module4Value } = facts;
    await openFile(page, BLUEPRINT);
    // the lines are long: put the cursor a little past the module so it is scrolled into view
    await goToLine(page, module4Value.line, module4Value.column + 40);
    // its "module" value shows the problem (the diagnostic sits there) ...
    const problem = await hoverOnLine(page, module4Value.line, '"gmail:sendEmail"', /has no error-handler route/);
    assert.match(problem, /Module 4 \(gmail:sendEmail\) has no error-handler route/);
    // ... and its id explains the module, as `- id:` does in a scenario YAML
    await page.mouse.move(0, 0);
    await page
      .locator('.monaco-hover:visible')
      .first()
      .waitFor({ state: 'hidden', timeout: 10000 })
      .catch(() => {});
    const text = await hoverOnLine(page, module4.line, '4', /Module 4\s*—/);
    log('  hover:', JSON.stringify(text.slice(0, 300)));
    assert.match(text, /Module 4\s*—\s*gmail:sendEmail/, 'names the module and its app');
    assert.match(text, /the run fails/, 'says what a failure there does (storage is off: the run fails)');
  },
};

/** @type {Step} */
export const quickFixMenu = {
  group,
  name: 'blueprint 4 quick-fix menu offers Resume, Ignore, Rollback (no Break)',
  needs: [STATE.blueprint], // module 3 without a handler, at the position counted at the start
  run: async ({ page, facts, shot }) => {
    const { module3 } = facts;
    await openFile(page, BLUEPRINT);
    await goToLine(page, module3.line, module3.column);
    const titles = await quickFixTitles(page, /Add error handler/);
    log('  offered:', JSON.stringify(titles));
    for (const d of ['Resume', 'Ignore', 'Rollback']) {
      assert.ok(
        titles.some((t) => t.includes(`Add error handler (${d})`)),
        `"Add error handler (${d})" is offered`,
      );
    }
    assert.ok(!titles.some((t) => /Break/.test(t)), 'Break is not offered (storage of incomplete executions is off)');
    await shot(); // with the menu open
    // close it here: a menu left open takes the next Enter (seen in CI: the next step's Go to Line
    // accepted its first entry, Resume, then found no fix left to apply)
    await closeActionWidget(page);
  },
};

/** @type {Step} */
export const applyIgnore = {
  group,
  name: 'blueprint 5 apply Ignore, save: one problem fewer, still valid JSON',
  needs: [STATE.blueprint], // module 3 without a handler, at the position counted at the start
  changes: [STATE.blueprint], // saves module 3 with an Ignore handler
  run: async ({ page, ws, facts }) => {
    const { module3 } = facts;
    await openFile(page, BLUEPRINT);
    const before = blueprintWarnings(await filterProblems(page, BLUEPRINT_NAME, /storing of incomplete executions is off/));
    const countBefore = await problemCountOf(page, BLUEPRINT_NAME);
    assert.ok(
      before.some((r) => r.includes('Module 3 (')),
      'module 3 has its warning before the fix',
    );
    await openFile(page, BLUEPRINT);
    await goToLine(page, module3.line, module3.column);
    await applyQuickFix(page, 'Add error handler (Ignore)');
    await page.keyboard.press('Control+S');
    const saved = await eventually(() => {
      /** @type {{ flow?: unknown }} */
      const doc = JSON.parse(fs.readFileSync(path.join(ws, BLUEPRINT), 'utf8')); // throws until valid JSON is on disk
      const m3 = blueprintModules(doc.flow).find((m) => m.id === 3);
      const handler = blueprintModules(m3?.onerror);
      assert.ok(
        handler.some((m) => m.module === 'builtin:Ignore'),
        'module 3 has an onerror route ending in builtin:Ignore on disk',
      );
      return doc;
    }, 'saved blueprint');
    assert.equal(blueprintModules(saved.flow).filter((m) => m.onerror !== undefined).length, 1, 'only module 3 got a handler');
    await eventually(async () => {
      const rows = blueprintWarnings(await filterProblems(page, BLUEPRINT_NAME));
      assert.equal(rows.length, before.length - 1, 'one warning fewer');
      assert.ok(!rows.some((r) => r.includes('Module 3 (')), "module 3's warning is gone");
      assert.equal(await problemCountOf(page, BLUEPRINT_NAME), countBefore - 1, "the file's count badge dropped by one");
    }, 'Problems panel after the fix');
    log(`  ${BLUEPRINT_NAME}: ${countBefore} -> ${countBefore - 1} problems; file parses as JSON`);
    assert.ok(!(await problemRows(page)).some((r) => r.includes('json-syntax')), 'no json-syntax problem');
  },
};
