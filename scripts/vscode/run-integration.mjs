// @ts-check
// Runs the integration suites (out/test/integration/index.js, mocha) inside the REAL VS Code extension
// host: code-server 4.100.3 + the web workbench in headless chromium, with the extension loaded from
// this repo as "extension under development" through the workbench's `payload` URL parameter.
//
//   node scripts/vscode/run-integration.mjs      (npm run test:integration builds and compiles first)
//
// Environment:
//   FUSION_TEST_PORT=<port>        code-server port (default: a free one)
//   FUSION_TEST_DIR=<dir>          run folder base (default: <repo>/.vscode-test); the suites use
//                                  <dir>/integration, <dir>/integration-multiroot and
//                                  <dir>/integration-untrusted
//   FUSION_TEST_SUITE=<name>       run only this suite (single-folder, multi-root, untrusted)
//   FUSION_TEST_GREP=<regexp>      only tests whose full title matches (a suite with no match is skipped)
//   FUSION_TEST_TIMEOUT=<seconds>  each suite must report within this (default 600)
//   FUSION_TEST_VERBOSE=1          also relay the workbench's own console errors
//
// Suites (SUITES below), in sequence, one fixture workspace each: the single-folder suite on
// test/fixtures/workspace/, then the multi-root suite (test/integration/multiroot/) on
// test/fixtures/multiroot/multiroot.code-workspace (two folders), then the untrusted suite
// (test/integration/untrusted/) on test/fixtures/untrusted/ with workspace trust ON and the
// startup prompt off, so the folder opens in Restricted Mode.
//
// Exit code: the first failing suite's (codeAutomationExit), 124 on timeout, 2 on a harness error.
// Prints `integration [<suite>]: N passed, M failed` per suite, then `integration: N passed, M failed`
// (the sums) alone on the last line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  REPO,
  HarnessError,
  choosePort,
  cleanup,
  copyWorkspace,
  ensureCodeServer,
  envInt,
  launchBrowser,
  logger,
  prepareRunDir,
  remoteUri,
  startCodeServer,
  tail,
  workbenchUrl,
  writeUserSettings,
} from './harness.mjs';

const log = logger('integration');
const RESULT_MARKER = 'FUSION_INTEGRATION_RESULT ';
// workbench chatter relayed with the host's console that says nothing about the suite (offline
// marketplace lookups, connection setup); FUSION_TEST_VERBOSE=1 shows it
const NOISE =
  /open-vsx\.org|^\s+at .*workbench\.js|Resolv(ing|ed) connection token|Creating a socket|\[Service Worker\]|ChatSessionStore|Updating additional builtin extensions/;

/**
 * One fixture workspace per suite: each suite gets its own run folder (fresh profile), its own copy
 * of its fixture, its own code-server + chromium, and its own result line. `open` is the folder or
 * `.code-workspace` file (relative to the copy) the workbench opens; `testsSuite` is the subfolder of
 * out/test/integration whose tests run (unset: every test outside those subfolders; see
 * test/integration/index.ts SEPARATE_SUITES). `untrusted` keeps workspace trust on and never trusts
 * the folder (every other suite runs with trust off, i.e. trusted).
 * @type {ReadonlyArray<{ name: string, runDir: string, fixture: string, open: string, testsSuite?: string, untrusted?: boolean }>}
 */
const SUITES = [
  { name: 'single-folder', runDir: 'integration', fixture: 'test/fixtures/workspace', open: '.' },
  {
    name: 'multi-root',
    runDir: 'integration-multiroot',
    fixture: 'test/fixtures/multiroot',
    open: 'multiroot.code-workspace',
    testsSuite: 'multiroot',
  },
  {
    name: 'untrusted',
    runDir: 'integration-untrusted',
    fixture: 'test/fixtures/untrusted',
    open: '.',
    testsSuite: 'untrusted',
    untrusted: true,
  },
];

/** User settings that leave a folder untrusted: trust on, no prompt asking to trust it. */
const UNTRUSTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
};

/** @typedef {{ passed: number, failed: number, failures: string[] }} SuiteResult */

/**
 * Runs one suite in a fresh code-server + chromium; everything it started is stopped before it returns.
 * @param {typeof SUITES[number]} suite @param {string} testsIndex
 * @returns {Promise<{ code: number, result: SuiteResult | undefined }>}
 */
async function runSuite(suite, testsIndex) {
  const dirs = prepareRunDir(suite.runDir);
  writeUserSettings(dirs, suite.untrusted ? UNTRUSTED_SETTINGS : {});
  const copy = copyWorkspace(path.join(REPO, suite.fixture), path.join(dirs.root, 'workspace'));
  const workspace = suite.open === '.' ? copy : path.join(copy, suite.open);
  if (!fs.existsSync(workspace)) throw new HarnessError(`${path.join(suite.fixture, suite.open)} is missing`);
  const port = await choosePort();
  const resultsFile = path.join(dirs.root, 'results.json');
  const timeoutMs = envInt('FUSION_TEST_TIMEOUT', 600) * 1000;

  log(`${suite.name}: code-server on 127.0.0.1:${port}, run folder ${path.relative(REPO, dirs.root)}`);
  const server = await startCodeServer({
    dirs,
    port,
    workspaceTrust: suite.untrusted === true,
    env: {
      FUSION_TEST_RESULTS: resultsFile,
      // always set: the runner's own FUSION_TEST_SUITE (a suite NAME, e.g. single-folder) is inherited
      // otherwise and would be read as a test folder, running nothing
      FUSION_TEST_SUITE: suite.testsSuite ?? '',
      ...(process.env.FUSION_TEST_GREP ? { FUSION_TEST_GREP: process.env.FUSION_TEST_GREP } : {}),
    },
  });
  log(`${suite.name}: code-server ready; opening ${path.relative(dirs.root, workspace)} in chromium`);

  const { page } = await launchBrowser(dirs);
  /** @type {SuiteResult | undefined} */
  let result;
  /** @type {(code: number) => void} */
  let finish = () => {};
  const exited = new Promise((resolve) => (finish = resolve));

  await page.exposeFunction('codeAutomationLog', (/** @type {string} */ type, /** @type {unknown[]} */ args) => {
    const text = (Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
    for (const line of text.split('\n')) {
      if (line.startsWith(RESULT_MARKER)) {
        try {
          result = JSON.parse(line.slice(RESULT_MARKER.length));
        } catch {
          /* keep relaying */
        }
        continue;
      }
      if (/^integration: \d+ passed, \d+ failed$/.test(line)) continue; // printed by us, per suite and in total
      if (!process.env.FUSION_TEST_VERBOSE && NOISE.test(line)) continue;
      console.log(type === 'error' || type === 'warn' ? `  [ext-host ${type}] ${line}` : `  ${line}`);
    }
  });
  await page.exposeFunction('codeAutomationExit', (/** @type {number} */ code) => finish(code));
  page.on('pageerror', (e) => log('page error:', String(e).split('\n')[0]));
  if (process.env.FUSION_TEST_VERBOSE) {
    page.on('console', (m) => {
      if (m.type() === 'error') log('[workbench]', m.text().replace(/%c/g, '').slice(0, 400));
    });
  }

  const payload = /** @type {Array<[string, string]>} */ ([
    ['extensionDevelopmentPath', remoteUri(port, REPO)],
    ['extensionTestsPath', remoteUri(port, testsIndex.replace(/\.js$/, ''))],
    ['skipWelcome', 'true'],
  ]);
  await page.goto(workbenchUrl(server.url, workspace, payload), { timeout: 60000 });

  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const outcome = await Promise.race([
    exited.then((code) => ({ kind: 'exit', code: Number(code) })),
    new Promise((r) => (timer = setTimeout(() => r({ kind: 'timeout', code: 124 }), timeoutMs))),
    server.exited.then((code) => ({ kind: 'server-died', code: Number(code) })),
  ]);
  clearTimeout(timer);
  const shot = path.join(dirs.logs, 'integration-end.png');
  await page.screenshot({ path: shot }).catch(() => {});

  if (!result && fs.existsSync(resultsFile)) result = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  let code;
  if (outcome.kind === 'timeout') {
    log(
      `${suite.name}: TIMEOUT: the suite did not report within ${timeoutMs / 1000}s (FUSION_TEST_TIMEOUT). Workbench screenshot: ${path.relative(REPO, shot)}; code-server log tail:\n${tail(server.logFile, 15)}`,
    );
    code = 124;
  } else if (outcome.kind === 'server-died') {
    log(`${suite.name}: code-server exited (code ${outcome.code}) during the run; log tail:\n${tail(server.logFile, 20)}`);
    code = 2;
  } else {
    code = outcome.code;
    if (code !== 0 && !result)
      log(
        `${suite.name}: the extension host reported exit code ${code} before any test result (did the extension or the suite fail to load? see the lines above)`,
      );
  }
  await cleanup();
  return { code, result };
}

async function main() {
  const testsIndex = path.join(REPO, 'out/test/integration/index.js');
  for (const f of [path.join(REPO, 'dist/extension.js'), testsIndex]) {
    if (!fs.existsSync(f))
      throw new HarnessError(
        `${path.relative(REPO, f)} is missing: run \`npm run build && npm run compile-tests\` (npm run test:integration does)`,
      );
  }
  const only = process.env.FUSION_TEST_SUITE;
  const suites = only ? SUITES.filter((s) => s.name === only) : SUITES;
  if (suites.length === 0) throw new HarnessError(`FUSION_TEST_SUITE=${only} is not a suite (${SUITES.map((s) => s.name).join(', ')})`);
  ensureCodeServer();

  const grep = process.env.FUSION_TEST_GREP;
  let passed = 0;
  let failed = 0;
  let matched = 0;
  let exitCode = 0;
  /** @type {string[]} */
  const failures = [];
  for (const suite of suites) {
    const { code, result } = await runSuite(suite, testsIndex);
    // with FUSION_TEST_GREP a suite may hold no matching test: that suite is not a failure
    const noneMatched = Boolean(grep) && result !== undefined && result.passed === 0 && result.failed === 0;
    if (result) {
      passed += result.passed;
      failed += result.failed;
      for (const title of result.failures) failures.push(`[${suite.name}] ${title}`);
    }
    if (!noneMatched) matched++;
    const ok = !noneMatched && code === 0 && result !== undefined && result.failed === 0;
    if (!ok && !noneMatched && exitCode === 0) exitCode = code || 1;
    console.log(
      `integration [${suite.name}]: ${result?.passed ?? 0} passed, ${result?.failed ?? 0} failed${result ? (noneMatched ? ` (no test matches ${JSON.stringify(grep)})` : '') : ' (no result reported)'}`,
    );
  }
  if (matched === 0 && exitCode === 0) {
    log(`no test of any suite matches FUSION_TEST_GREP=${JSON.stringify(grep)}`);
    exitCode = 1;
  }
  for (const title of failures) console.log(`integration: FAILED ${title}`);
  console.log(`integration: ${passed} passed, ${failed} failed`);
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  async (err) => {
    console.error(err instanceof HarnessError ? `integration: ${err.message}` : err);
    await cleanup();
    console.log('integration: 0 passed, 0 failed (harness error)');
    process.exit(2);
  },
);
