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
  REPO, HarnessError, choosePort, cleanup, copyWorkspace, ensureCodeServer, installExtension, launchBrowser, logger,
  packExtension, prepareRunDir, startCodeServer, workbenchUrl, writeUserSettings,
} from '../../scripts/vscode/harness.mjs';
import {
  applyQuickFix, contextMenu, dismiss, expandRow, goToLine, hoverToken, openContainer, openFile, problemRows,
  problems, runCommand, treeRow, treeRows, visibleEditorText, waitForWorkbench,
} from './workbench.mjs';

const log = logger('e2e');
const OUT = path.resolve(REPO, process.env.FUSION_E2E_OUT ?? 'test-results/e2e');
const GREP = process.env.FUSION_E2E_GREP ? new RegExp(process.env.FUSION_E2E_GREP, 'i') : undefined;

const INVOICE = 'scenarios/invoice-export.scenario.yaml';
const EXECUTIONS = '.fusion/incomplete-executions.json';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {{ name: string, run: (page: Page) => Promise<void> }} Step */

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

/** Polls `fn` until it stops throwing (bounded). @template T @param {() => T | Promise<T>} fn @param {string} what @param {number} [ms] @returns {Promise<T>} */
async function eventually(fn, what, ms = 20000) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > until) throw new Error(`${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The steps, in order: first what the sample workspace shows, then the person's flow of issue 4. @param {string} ws @returns {Step[]} */
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
  const isModule5Warning = (r) => r.includes('missing-error-handler') && r.includes('Ask finance to chase') && r.includes(`[Ln ${module5Line}, Col`);
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
        await page.locator('.part.sidebar', { hasText: /incomplete executions/i }).first().waitFor({ timeout: 10000 });
        await expandRow(page, 'Invoice export');
        await treeRow(page, 'Fetch invoice PDF').waitFor({ state: 'visible', timeout: 20000 });
        const rows = await treeRows(page);
        log('  tree rows:', JSON.stringify(rows));
        assert.ok(rows.some((r) => r.includes('Fetch invoice PDF') && r.includes('ConnectionError')), 'row "Fetch invoice PDF" shows its error type');
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
        await treeRow(page, 'Ask finance to chase').filter({ hasText: /resolved/i }).waitFor({ state: 'visible', timeout: 20000 });
      },
    },
  ];
}

async function main() {
  if (!fs.existsSync(path.join(REPO, 'dist/extension.js'))) throw new HarnessError('dist/extension.js is missing: run `npm run build` (npm run test:e2e does)');
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
    try {
      await step.run(page);
      passed++;
      await page.screenshot({ path: path.join(OUT, file) });
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
