// @ts-check
// UI suite: what a person sees in a real VS Code. Packs the extension with vsce, installs the .vsix
// into code-server (isolated profile), opens a COPY of samples/ (so the repo is never modified) in
// headless chromium and checks the Fusion surface step by step, with a screenshot per step in
// test-results/e2e/ (a failing step saves FAILED-<step>.png).
//
//   npm run test:e2e                       (builds first; npm test runs it after the integration suite)
//   FUSION_E2E_GREP=<regexp>               only the steps whose name matches
//   FUSION_TEST_PORT / FUSION_TEST_DIR     as for the integration runner (run folder <dir>/e2e)
//   FUSION_E2E_OUT=<dir>                   screenshots (default test-results/e2e)
//
// Prints `e2e: N passed, M failed` alone on the last line; exit code 1 when a step failed, 2 on a
// harness error.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  REPO,
  HarnessError,
  choosePort,
  cleanup,
  copyWorkspace,
  ensureCodeServer,
  installExtension,
  launchBrowser,
  logger,
  packExtension,
  prepareRunDir,
  startCodeServer,
  workbenchUrl,
  writeUserSettings,
} from '../../scripts/vscode/harness.mjs';
import {
  activityBadge,
  applyQuickFix,
  clickCodeLensAbove,
  closeActionWidget,
  contextMenu,
  dismiss,
  eventually,
  expandRow,
  filterProblems,
  goToLine,
  hoverOnLine,
  hoverToken,
  notification,
  openContainer,
  openFile,
  pickQuickItem,
  problemCountOf,
  problemRows,
  problems,
  quickFixTitles,
  quickInput,
  quickPickRows,
  runCommand,
  treeRow,
  treeRows,
  visibleEditorText,
  waitForWorkbench,
  webviewText,
} from './workbench.mjs';

const log = logger('e2e');
const OUT = path.resolve(REPO, process.env.FUSION_E2E_OUT ?? 'test-results/e2e');
const GREP = process.env.FUSION_E2E_GREP ? new RegExp(process.env.FUSION_E2E_GREP, 'i') : undefined;

const INVOICE = 'scenarios/invoice-export.scenario.yaml';
const EXECUTIONS = '.fusion/incomplete-executions.json';
const BLUEPRINT = 'blueprints/calendar-agent.blueprint.json';
const BLUEPRINT_NAME = 'calendar-agent.blueprint.json';

/** @typedef {import('playwright-core').Page} Page */
/**
 * A step; `shot()` saves the step's screenshot at that moment (e.g. with a menu open) instead of
 * after the step, so the step can close what it opened.
 * @typedef {{ name: string, run: (page: Page, shot: () => Promise<void>) => Promise<void> }} Step
 */

/** 1-based line of the first line matching `re` in a workspace file. @param {string} ws @param {string} rel @param {RegExp} re */
function lineOf(ws, rel, re) {
  const lines = fs.readFileSync(path.join(ws, rel), 'utf8').split('\n');
  const i = lines.findIndex((l) => re.test(l));
  if (i < 0) throw new Error(`${rel}: no line matches ${re}`);
  return i + 1;
}

/** @param {string} ws @param {string} id */
function execution(ws, id) {
  /** @type {{ executions: Array<{ id: string, status: string, attempts: number, moduleName?: string, history?: unknown[] }> }} */
  const doc = JSON.parse(fs.readFileSync(path.join(ws, EXECUTIONS), 'utf8'));
  const rec = doc.executions.find((e) => e.id === id);
  if (!rec) throw new Error(`${EXECUTIONS}: no execution ${id}`);
  return rec;
}

/**
 * 1-based line and column of the first occurrence of `needle` in a workspace file.
 * @param {string} ws @param {string} rel @param {string} needle
 */
function positionOf(ws, rel, needle) {
  const lines = fs.readFileSync(path.join(ws, rel), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${rel}: no line contains ${JSON.stringify(needle)}`);
  return { line: i + 1, column: lines[i].indexOf(needle) + 1 };
}

/** Blueprint modules (flow, router routes, onerror routes) with their ids. @param {unknown} flow @returns {Array<{ id?: number, module?: string, onerror?: unknown }>} */
function blueprintModules(flow) {
  /** @type {Array<{ id?: number, module?: string, onerror?: unknown, routes?: Array<{ flow?: unknown }> }>} */
  const list = Array.isArray(flow) ? flow : [];
  return list.flatMap((m) => [m, ...(m.routes ?? []).flatMap((r) => blueprintModules(r.flow)), ...blueprintModules(m.onerror)]);
}

/** Records in the workspace's executions file. @param {string} ws @returns {Array<{ id: string, scenario: string, moduleName?: string, status: string }>} */
function executions(ws) {
  return JSON.parse(fs.readFileSync(path.join(ws, EXECUTIONS), 'utf8')).executions;
}

/** Labels of the tree rows under the group row `group` (one level deeper, in order). @param {Page} page @param {string} group */
async function rowsUnder(page, group) {
  const rows = await page
    .locator('.part.sidebar .monaco-list-row')
    .evaluateAll((els) => els.map((e) => ({ level: Number(e.getAttribute('aria-level') ?? '0'), text: (e.textContent ?? '').trim() })));
  const at = rows.findIndex((r) => r.text.startsWith(group));
  if (at < 0) throw new Error(`no tree row "${group}"`);
  const under = [];
  for (const r of rows.slice(at + 1)) {
    if (r.level <= rows[at].level) break;
    if (r.level === rows[at].level + 1) under.push(r.text);
  }
  return under;
}

/** The steps, in order: what the sample workspace shows, the person's flow of issue 4, then the samples' blueprint (issue 5). @param {string} ws @returns {Step[]} */
function steps(ws) {
  const module5Line = lineOf(ws, INVOICE, /^\s*- id: 5\s*$/);
  const faultLine = lineOf(ws, INVOICE, /error: ConnectionError/);
  const sample = JSON.parse(fs.readFileSync(path.join(ws, EXECUTIONS), 'utf8'));
  /** @param {string} name */
  const recordOf = (name) => {
    const r = sample.executions.find((/** @type {{moduleName?: string}} */ e) => e.moduleName === name);
    if (!r) throw new Error(`sample ${EXECUTIONS} has no execution of "${name}"`);
    return /** @type {{ id: string, status: string, attempts: number }} */ (r);
  };
  /** A Problems row of the missing-error-handler warning on module 5 of the invoice scenario. @param {string} r */
  const isModule5Warning = (r) =>
    r.includes('missing-error-handler') && r.includes('Ask finance to chase') && r.includes(`[Ln ${module5Line}, Col`);
  /** Problems rows of the blueprint's missing-error-handler warnings (storage is off there, so every error fails the run). @param {string[]} rows */
  const blueprintWarnings = (rows) =>
    rows.filter(
      (r) => r.includes('missing-error-handler') && /storing of incomplete executions is off\): every error fails the run/.test(r),
    );
  // a blueprint module's diagnostic sits on its "module" value
  const module3 = positionOf(ws, BLUEPRINT, '"http:ActionSendData"');
  const module4 = positionOf(ws, BLUEPRINT, '{"id":4,"module":"gmail:sendEmail"');
  const module4Value = { line: module4.line, column: module4.column + '{"id":4,"module":'.length };
  const retried = recordOf('Fetch invoice PDF');
  const resolved = recordOf('Ask finance to chase');

  return [
    {
      name: 'Fusion container in the activity bar',
      run: async (page) => {
        await openContainer(page, 'Fusion');
        const title = await page.locator('.part.sidebar .composite.title').first().textContent({ timeout: 10000 });
        assert.match(title ?? '', /fusion/i, 'the side bar shows the Fusion container');
      },
    },
    {
      name: 'Incomplete Executions view lists the sample executions',
      run: async (page) => {
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
    },
    {
      name: 'Problems panel shows missing-error-handler for module 5',
      run: async (page) => {
        await openFile(page, INVOICE);
        const rows = await problems(page, /missing-error-handler/);
        const hit = rows.find((r) => isModule5Warning(r));
        log(`  problems: ${rows.length} rows; module 5: ${JSON.stringify(hit?.split(' | ')[0] ?? null)}`);
        assert.ok(hit, `a missing-error-handler problem on line ${module5Line} (module 5)`);
        assert.match(hit, /warning/i, 'it is a warning');
      },
    },
    {
      name: 'hover on an error type explains it',
      run: async (page) => {
        await openFile(page, INVOICE);
        await goToLine(page, faultLine);
        const text = await hoverToken(page, 'ConnectionError', /Connection/);
        log('  hover:', JSON.stringify(text.slice(0, 200)));
        assert.match(text, /ConnectionError/);
        assert.match(text, /retr/i, 'the hover says what happens (retry)');
      },
    },
    {
      name: 'palette command Fusion: Refresh runs',
      run: async (page) => {
        await openContainer(page, 'Fusion');
        await runCommand(page, 'Fusion: Refresh');
        await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 });
        await expandRow(page, 'Invoice export');
        await treeRow(page, 'Fetch invoice PDF').waitFor({ state: 'visible', timeout: 20000 });
        const errors = await page.locator('.notification-toast', { hasText: /not found|failed|error/i }).allInnerTexts();
        assert.deepEqual(errors, [], 'no error notification');
      },
    },
    // ---- Classify Failure, as a person runs it from the palette and from the CodeLens -------------
    // (before the flow below: its quick fix gives module 5 a handler, which changes module 5's outcomes)
    {
      name: 'classify 1 Classify Failure from the palette',
      run: async (page) => {
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
        assert.ok(
          types.filter((r) => /^[A-Z]\w+Error, [a-z-]+,/.test(r)).length >= 3,
          'the catalogue types are listed, each with its family',
        );
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
    },
    {
      name: 'classify 2 Classify Failure from the CodeLens of module 5',
      run: async (page) => {
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
    },
    {
      name: 'classify 3 a custom error type',
      run: async (page) => {
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
    },
    // ---- the person's flow (issue 4) -----------------------------------------------------------
    {
      name: 'flow 1 open the Fusion container and expand a scenario',
      run: async (page) => {
        await openContainer(page, 'Fusion');
        await expandRow(page, 'Invoice export');
        for (const label of ['Fetch invoice PDF', 'Archive the PDF', 'Ask finance to chase']) {
          await treeRow(page, label).waitFor({ state: 'visible', timeout: 20000 });
        }
      },
    },
    {
      name: 'flow 2 hover an error type',
      run: async (page) => {
        await openFile(page, INVOICE);
        await goToLine(page, lineOf(ws, INVOICE, /error: RateLimitError/));
        const text = await hoverToken(page, 'RateLimitError', /RateLimitError/);
        assert.match(text, /rate|limit/i);
      },
    },
    {
      name: 'flow 3 quick fix adds an error handler (Ctrl+.)',
      run: async (page) => {
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
    },
    {
      name: 'flow 4 retry from the tree context menu',
      run: async (page) => {
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
    },
    {
      name: 'flow 5 resolve from the command palette',
      run: async (page) => {
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
    },
    // ---- the samples' blueprint gets the same kinds of features as a scenario YAML (issue 5) --------
    {
      name: 'blueprint 1 Problems panel shows missing-error-handler for its modules',
      run: async (page) => {
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
    },
    {
      name: 'blueprint 2 CodeLens On failure above the modules',
      run: async (page) => {
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
    },
    {
      name: 'blueprint 3 hover on a module id explains the module',
      run: async (page) => {
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
    },
    {
      name: 'blueprint 4 quick-fix menu offers Resume, Ignore, Rollback (no Break)',
      run: async (page, shot) => {
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
    },
    {
      name: 'blueprint 5 apply Ignore, save: one problem fewer, still valid JSON',
      run: async (page) => {
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
    },
    // ---- Run Simulation (last: it adds executions the steps above do not expect) -------------------
    {
      name: 'simulation Run Simulation from the editor title stores executions',
      run: async (page) => {
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
            rowsAfter.filter((r) => r.includes(e.moduleName ?? '?')).length >
              rowsBefore.filter((r) => r.includes(e.moduleName ?? '?')).length,
            `a new row for "${e.moduleName}"`,
          );
        // the badge counts executions with status `unresolved` (waiting for a person, spec §UI); the
        // simulation's are `pending` when retried automatically, `unresolved` otherwise
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
    },
  ];
}

async function main() {
  if (!fs.existsSync(path.join(REPO, 'dist/extension.js')))
    throw new HarnessError('dist/extension.js is missing: run `npm run build` (npm run test:e2e does)');
  ensureCodeServer();
  const dirs = prepareRunDir('e2e');
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });

  log('packing the extension (vsce) and installing it into code-server');
  const vsix = packExtension(dirs);
  installExtension(dirs, vsix);
  writeUserSettings(dirs);
  const ws = copyWorkspace(path.join(REPO, 'samples'), path.join(dirs.root, 'samples'));
  const port = await choosePort();
  const server = await startCodeServer({ dirs, port });
  log(`code-server ready on ${server.url}, workspace ${path.relative(REPO, ws)}`);

  const { page } = await launchBrowser(dirs, { width: 1600, height: 1000 });
  page.on('pageerror', (e) => log('page error:', String(e).split('\n')[0]));
  await page.goto(workbenchUrl(server.url, ws), { timeout: 60000 });
  await waitForWorkbench(page, 'scenarios');
  log('workbench ready');

  let n = 0;
  let passed = 0;
  /** @type {string[]} */
  const failed = [];
  for (const step of steps(ws)) {
    if (GREP && !GREP.test(step.name)) continue;
    n++;
    const file = `${String(n).padStart(2, '0')}-${step.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}.png`;
    const t = Date.now();
    let shotTaken = false;
    const shot = async () => {
      await page.screenshot({ path: path.join(OUT, file) });
      shotTaken = true;
    };
    try {
      await step.run(page, shot);
      passed++;
      if (!shotTaken) await shot();
      log(`✓ ${step.name} (${Date.now() - t} ms)`);
    } catch (err) {
      failed.push(step.name);
      await page.screenshot({ path: path.join(OUT, `FAILED-${file}`) }).catch(() => {});
      const msg = err instanceof Error ? err.message : String(err);
      log(`✗ ${step.name}: ${msg.split('\n').slice(0, 4).join('\n    ')}`);
      await dismiss(page).catch(() => {});
    }
  }
  await cleanup();
  log(`screenshots: ${path.relative(REPO, OUT)}/`);
  for (const f of failed) console.log(`e2e: FAILED ${f}`);
  console.log(`e2e: ${passed} passed, ${failed.length} failed`);
  return failed.length === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (err) => {
    console.error(err instanceof HarnessError ? `e2e: ${err.message}` : err);
    await cleanup();
    console.log('e2e: 0 passed, 0 failed (harness error)');
    process.exit(2);
  },
);
