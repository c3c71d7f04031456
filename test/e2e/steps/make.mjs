// @ts-check
// Make in the UI: connect (the token typed into the password box), pull, the tree showing records
// from Make with their origin, and Retry on Make with the Local Scenario from the context menu —
// the fake Make API (test/support/makeApiServer.ts, bundled here with esbuild) runs in this runner
// process on 127.0.0.1 and says what it received. Each step sets up what it needs (the server, the
// connection, a pull), so any of them runs on its own.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { REPO } from '../../../scripts/vscode/harness.mjs';
import { contextMenu, eventually, expandRow, notification, openContainer, quickInput, runCommand, treeRow } from '../workbench.mjs';
import { log } from './common.mjs';

/** @typedef {import('./common.mjs').Step} Step */

const group = 'make';
const TOKEN = '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d';
const SCENARIO_FILE = 'scenarios/Order routing.blueprint.json';
const FAILING = 'Confirm to the customer';
const DLQ_ID = '0a1b2c3d4e5f40718293a4b5c6d7e8f9';

/** @type {{ server: any, apiUrl: string, connected: boolean } | undefined} */
let state;

/** Starts the fake Make API once (bundled from its TypeScript source) and writes the workspace's Make config. @param {string} ws */
async function fakeMake(ws) {
  if (state) return state;
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-e2e-make-')), 'makeApiServer.mjs');
  await esbuild.build({
    entryPoints: [path.join(REPO, 'test/support/makeApiServer.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    logLevel: 'warning',
  });
  const { MakeApiServer } = await import(pathToFileURL(out).href);
  const server = new MakeApiServer({ token: TOKEN, unref: true });
  const apiUrl = await server.start();
  server.addScenario({ id: 4321, name: 'Order routing', teamId: 7 });
  server.addDlq({
    id: DLQ_ID,
    scenarioId: 4321,
    reason: 'Invalid email address',
    created: '2026-11-20T10:00:00.000Z',
    size: 311,
    resolved: false,
    retry: false,
    attempts: 0,
    bundle: {
      1: { value: { orderId: 5521, email: 'not-an-address' } },
      8: { error: { type: 'DataError', message: 'Invalid email address' } },
    },
  });
  fs.writeFileSync(
    path.join(ws, '.fusionlintrc.json'),
    `${JSON.stringify({ make: { apiUrl, teamId: 7, scenarios: { [SCENARIO_FILE]: 4321 } } }, null, 2)}\n`,
  );
  log(`  fake Make API at ${apiUrl}`);
  state = { server, apiUrl, connected: false };
  return state;
}

/** Connect to Make… as a person does: the zone pick (the config's API first), then the token. @param {import('playwright-core').Page} page @param {string} ws */
async function connect(page, ws) {
  const s = await fakeMake(ws);
  if (s.connected) return s;
  // the palette of a workbench that has just opened may not list the command yet: once more then
  await runCommand(page, 'Fusion: Connect to Make…').catch(async (err) => {
    log(`  the palette did not list Connect to Make… yet (${String(err).split('\n')[0]}); again`);
    await runCommand(page, 'Fusion: Connect to Make…');
  });
  await quickInput(page, /zone of your Make organization/);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'from .fusionlintrc.json' }).first();
  await row.waitFor({ state: 'visible', timeout: 10000 });
  await row.click();
  // Wait for the token box itself (the zone pick's input is replaced in place): keys typed before
  // it has the focus go to the editor behind it.
  const box = await quickInput(page, /Make API token/);
  assert.equal(await box.getAttribute('type'), 'password', 'the token box hides what is typed');
  await box.fill(TOKEN);
  await box.press('Enter');
  await notification(page, /Connected to Make/);
  s.connected = true;
  return s;
}

/** @param {import('playwright-core').Page} page @param {string} ws */
async function pulled(page, ws) {
  const s = await connect(page, ws);
  if (fs.readFileSync(path.join(ws, '.fusion/incomplete-executions.json'), 'utf8').includes(DLQ_ID)) return s;
  await runCommand(page, 'Fusion: Pull from Make');
  await notification(page, /Pull from Make: Order routing: 1 added/);
  return s;
}

/** @type {Step} */
export const connectMake = {
  group,
  name: 'make 1 connect to Make: the token goes into the password box, nowhere in the workspace',
  run: async ({ page, ws }) => {
    await connect(page, ws);
    const files = fs.readdirSync(ws, { recursive: true, encoding: 'utf8' }).filter((f) => !f.includes('node_modules'));
    for (const f of files) {
      const p = path.join(ws, f);
      if (fs.statSync(p).isFile()) assert.ok(!fs.readFileSync(p, 'utf8').includes(TOKEN), `${f} holds the token`);
    }
  },
};

/** @type {Step} */
export const pullFromMake = {
  group,
  name: 'make 2 pull from Make: the tree shows the record from Make with its origin',
  run: async ({ page, ws }) => {
    const s = await pulled(page, ws);
    const received = s.server.requests.map((/** @type {{method: string, path: string}} */ r) => `${r.method} ${r.path}`);
    assert.ok(
      received.includes('GET /dlqs') && received.includes(`GET /dlqs/${DLQ_ID}/bundle`),
      `the server was asked: ${received.join(', ')}`,
    );
    await openContainer(page, 'Fusion');
    await expandRow(page, 'Order routing');
    const row = treeRow(page, FAILING);
    await row.waitFor({ state: 'visible', timeout: 20000 });
    const text = (await row.textContent()) ?? '';
    assert.match(text, /DataError · unresolved · 0 attempts · Make/, `the row says it comes from Make: ${text}`);
    const groupText = (await treeRow(page, 'Order routing').textContent()) ?? '';
    assert.match(groupText, /synced (just now|\d+ min ago)/, `the group says when it was synced: ${groupText}`);
  },
};

/** @type {Step} */
export const retryWithLocalScenario = {
  group,
  name: 'make 3 retry on Make with the local scenario: PATCH then retry, the row updates after the re-pull',
  run: async ({ page, ws }) => {
    const s = await pulled(page, ws);
    s.server.requests.length = 0;
    await openContainer(page, 'Fusion');
    await expandRow(page, 'Order routing');
    await contextMenu(page, FAILING, 'Retry on Make with the Local Scenario');
    await eventually(() => {
      const sent = s.server.requests.map((/** @type {{method: string, path: string}} */ r) => `${r.method} ${r.path}`);
      assert.deepEqual(sent.slice(0, 2), [`PATCH /dlqs/${DLQ_ID}`, `POST /dlqs/${DLQ_ID}/retry`], `received: ${sent.join(', ')}`);
      const patch = s.server.requests[0].body;
      assert.equal(typeof patch.blueprint, 'string', 'the blueprint is sent as a JSON string');
      assert.equal(JSON.parse(patch.blueprint).name, 'Order routing');
      assert.equal(patch.failer, 8);
      assert.ok(sent.includes('GET /dlqs'), 'then pulled again');
    }, 'requests received by the fake Make API');
    await notification(page, /Make reports it resolved/);
    await eventually(async () => {
      const text = (await treeRow(page, FAILING).textContent()) ?? '';
      // Make counts the retry as an attempt; the status is Make's, read by the pull after the retry
      assert.match(text, /DataError · resolved · 1 attempt · Make/, `the row shows what Make says now: ${text}`);
    }, 'tree row after the retry on Make');
  },
};
