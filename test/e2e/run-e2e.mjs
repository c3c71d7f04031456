// @ts-check
// UI suite: what a person sees in a real VS Code. Packs the extension with vsce, installs the .vsix
// into code-server (isolated profile), opens a COPY of samples/ (so the repo is never modified) in
// headless chromium and checks the Fusion surface step by step, with a screenshot per step in
// test-results/e2e/ (a failing step saves FAILED-<step>.png). The steps are in steps/*.mjs, one
// file per feature; steps/index.mjs lists them in the order they run.
//
//   npm run test:e2e                       (builds first; npm test runs it after the integration suite)
//   FUSION_E2E_STEPS=<list>                only these steps: comma-separated groups (tree, diagnostics,
//                                          hover, classify, flow, blueprint, simulation, make), step numbers
//                                          and ranges, e.g. FUSION_E2E_STEPS=blueprint or =7,11-13
//   FUSION_E2E_GREP=<regexp>               only the steps whose name matches (with FUSION_E2E_STEPS: both)
//   FUSION_TEST_PORT / FUSION_TEST_DIR     as for the integration runner (run folder <dir>/e2e)
//   FUSION_E2E_OUT=<dir>                   screenshots (default test-results/e2e)
//
// Any selection runs in list order on a fresh copy of samples/: no step needs what an earlier one
// did; a step that reads part of the samples as shipped runs before the steps that change it (see
// steps/index.mjs). A step's screenshot keeps its number in the full list (07-…png is always
// "classify 2"), whichever steps run.
//
// Prints `e2e: N passed, M failed` alone on the last line; exit code 1 when a step failed, 2 on a
// harness error (also for a FUSION_E2E_STEPS word that is no group or step number).
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
  packExtension,
  prepareRunDir,
  startCodeServer,
  workbenchUrl,
  writeUserSettings,
} from '../../scripts/vscode/harness.mjs';
import { dismiss, waitForWorkbench } from './workbench.mjs';
import { checkOrder, log, sampleFacts } from './steps/common.mjs';
import { STEPS, screenshotName, selectSteps } from './steps/index.mjs';

const OUT = path.resolve(REPO, process.env.FUSION_E2E_OUT ?? 'test-results/e2e');
const GREP = process.env.FUSION_E2E_GREP ? new RegExp(process.env.FUSION_E2E_GREP, 'i') : undefined;

/** The steps this run runs (0-based indexes into STEPS, in order). */
function selected() {
  let picked;
  try {
    checkOrder(STEPS);
    picked = selectSteps(process.env.FUSION_E2E_STEPS);
  } catch (err) {
    throw new HarnessError(err instanceof Error ? err.message : String(err));
  }
  return picked.filter((i) => !GREP || GREP.test(STEPS[i].name));
}

async function main() {
  if (!fs.existsSync(path.join(REPO, 'dist/extension.js')))
    throw new HarnessError('dist/extension.js is missing: run `npm run build` (npm run test:e2e does)');
  const run = selected();
  if (run.length < STEPS.length) log(`running ${run.length} of ${STEPS.length} steps: ${run.map((i) => i + 1).join(', ')}`);
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

  const facts = sampleFacts(ws);
  let passed = 0;
  /** @type {string[]} */
  const failed = [];
  for (const i of run) {
    const step = STEPS[i];
    const file = screenshotName(i);
    const t = Date.now();
    let shotTaken = false;
    const shot = async () => {
      await page.screenshot({ path: path.join(OUT, file) });
      shotTaken = true;
    };
    try {
      await step.run({ page, ws, facts, shot });
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
