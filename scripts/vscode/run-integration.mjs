// @ts-check
// Runs the integration suite (out/test/integration/index.js, mocha) inside the REAL VS Code extension
// host: code-server 4.100.3 + the web workbench in headless chromium, with the extension loaded from
// this repo as "extension under development" through the workbench's `payload` URL parameter.
//
//   node scripts/vscode/run-integration.mjs      (npm run test:integration builds and compiles first)
//
// Environment:
//   FUSION_TEST_PORT=<port>        code-server port (default: a free one)
//   FUSION_TEST_DIR=<dir>          run folder base (default: <repo>/.vscode-test); this run uses <dir>/integration
//   FUSION_TEST_GREP=<regexp>      only tests whose full title matches
//   FUSION_TEST_TIMEOUT=<seconds>  the whole suite must report within this (default 600)
//   FUSION_TEST_VERBOSE=1          also relay the workbench's own console errors
//
// Exit code: the suite's (codeAutomationExit), 124 on timeout, 2 on a harness error.
// Prints `integration: N passed, M failed` alone on the last line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  REPO, HarnessError, choosePort, cleanup, copyWorkspace, ensureCodeServer, envInt, launchBrowser, logger,
  prepareRunDir, remoteUri, startCodeServer, tail, workbenchUrl, writeUserSettings,
} from './harness.mjs';

const log = logger('integration');
const RESULT_MARKER = 'FUSION_INTEGRATION_RESULT ';
// workbench chatter relayed with the host's console that says nothing about the suite (offline
// marketplace lookups, connection setup); FUSION_TEST_VERBOSE=1 shows it
const NOISE = /open-vsx\.org|^\s+at .*workbench\.js|Resolv(ing|ed) connection token|Creating a socket|\[Service Worker\]|ChatSessionStore|Updating additional builtin extensions/;

async function main() {
  const testsIndex = path.join(REPO, 'out/test/integration/index.js');
  for (const f of [path.join(REPO, 'dist/extension.js'), testsIndex]) {
    if (!fs.existsSync(f)) throw new HarnessError(`${path.relative(REPO, f)} is missing: run \`npm run build && npm run compile-tests\` (npm run test:integration does)`);
  }
  ensureCodeServer();

  const dirs = prepareRunDir('integration');
  writeUserSettings(dirs);
  const workspace = copyWorkspace(path.join(REPO, 'test/fixtures/workspace'), path.join(dirs.root, 'workspace'));
  const port = await choosePort();
  const resultsFile = path.join(dirs.root, 'results.json');
  const timeoutMs = envInt('FUSION_TEST_TIMEOUT', 600) * 1000;

  log(`code-server on 127.0.0.1:${port}, run folder ${path.relative(REPO, dirs.root)}`);
  const server = await startCodeServer({
    dirs,
    port,
    env: {
      FUSION_TEST_RESULTS: resultsFile,
      ...(process.env.FUSION_TEST_GREP ? { FUSION_TEST_GREP: process.env.FUSION_TEST_GREP } : {}),
    },
  });
  log('code-server ready; opening the workbench in chromium');

  const { page } = await launchBrowser(dirs);
  /** @type {{ passed: number, failed: number, failures: string[] } | undefined} */
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
      if (/^integration: \d+ passed, \d+ failed$/.test(line)) continue; // printed once, last, by us
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
  await page.screenshot({ path: path.join(dirs.logs, 'integration-end.png') }).catch(() => {});

  if (!result && fs.existsSync(resultsFile)) result = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  let code;
  if (outcome.kind === 'timeout') {
    log(`TIMEOUT: the suite did not report within ${timeoutMs / 1000}s (FUSION_TEST_TIMEOUT). Workbench screenshot: ${path.relative(REPO, path.join(dirs.logs, 'integration-end.png'))}; code-server log tail:\n${tail(server.logFile, 15)}`);
    code = 124;
  } else if (outcome.kind === 'server-died') {
    log(`code-server exited (code ${outcome.code}) during the run; log tail:\n${tail(server.logFile, 20)}`);
    code = 2;
  } else {
    code = outcome.code;
    if (code !== 0 && !result) log(`the extension host reported exit code ${code} before any test result (did the extension or the suite fail to load? see the lines above)`);
  }
  await cleanup();
  if (result) {
    for (const title of result.failures) console.log(`integration: FAILED ${title}`);
    if (code === 0 && result.failed > 0) code = 1;
  }
  console.log(`integration: ${result?.passed ?? 0} passed, ${result?.failed ?? 0} failed${result ? '' : ' (no result reported)'}`);
  return code === 0 && result ? 0 : code || 1;
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
