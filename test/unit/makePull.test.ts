/**
 * Pull (core/make/pull.ts) against the fake Make API on 127.0.0.1: three pages of results, only
 * new or changed records read in detail, the mapping onto records, records that disappear
 * (between list and detail, or from the list), partial failures, 401 and 429.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ExecutionsFile, IncompleteExecution } from '../../src/core/executions/model';
import { RequestBudget } from '../../src/core/make/budget';
import { MakeClient } from '../../src/core/make/client';
import { connectionForApiUrl } from '../../src/core/make/connection';
import { pullAction, syncKey, type PullInput } from '../../src/core/make/pull';
import { MakeApiServer } from '../support/makeApiServer';
import { TOKEN, dlq, fakeClock, resetServer } from './helpers/makeFixtures';

const BLUEPRINT = JSON.stringify({
  name: 'Lead sync',
  flow: [
    { id: 1, module: 'gateway:CustomWebHook', version: 1, metadata: { designer: { x: 0, y: 0, name: 'New lead' } } },
    { id: 2, module: 'json:ParseJSON', version: 1 },
    { id: 3, module: 'hubspotcrm:createContact', version: 1, metadata: { designer: { x: 600, y: 0, name: 'Create contact' } } },
  ],
  metadata: { version: 1, scenario: { dlq: true } },
});

const server = new MakeApiServer({ token: TOKEN });
let base = '';
const dirs: string[] = [];
before(async () => {
  base = await server.start();
});
after(async () => {
  await server.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
beforeEach(() => {
  resetServer(server);
});

function workspace(): { root: string; file: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-pull-'));
  dirs.push(root);
  fs.mkdirSync(path.join(root, 'scenarios'));
  fs.writeFileSync(path.join(root, 'scenarios', 'lead-sync.blueprint.json'), BLUEPRINT);
  return { root, file: path.join(root, '.fusion', 'incomplete-executions.json') };
}

function client(): MakeClient {
  const clock = fakeClock();
  return new MakeClient({ token: TOKEN, connection: connectionForApiUrl(base), clock, budget: new RequestBudget(10_000, 60_000, clock) });
}

function pull(ws: { root: string; file: string }, extra: Partial<PullInput> = {}): ReturnType<typeof pullAction> {
  return pullAction({
    executionsFile: ws.file,
    client: client(),
    scope: { kind: 'scenarios', ids: [42] },
    teamId: 7,
    fileOf: new Map([[42, 'scenarios/lead-sync.blueprint.json']]),
    scenarioFiles: { kind: 'disk', root: ws.root },
    ...extra,
  });
}

function read(file: string): ExecutionsFile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ExecutionsFile;
}

function byId(file: string, id: string): IncompleteExecution {
  const r = read(file).executions.find((e) => e.id === id);
  assert.ok(r, id);
  return r;
}

describe('pull', () => {
  test('three pages: every record arrives, mapped from list, detail and bundle; the requests say what was asked', async () => {
    server.addScenario({ id: 42, name: 'Lead sync', teamId: 7 });
    const records = Array.from({ length: 5 }, (_, i) => dlq(42, { attempts: i, retry: i % 2 === 0 }));
    for (const d of records) server.addDlq(d);
    const ws = workspace();
    const out = await pull(ws, { pageSize: 2 });
    assert.equal(out.fatal, undefined);
    assert.deepEqual(out.problems, []);
    assert.equal(out.scenarios[0].listed, 5);
    assert.equal(out.scenarios[0].added.length, 5);
    assert.equal(out.scenarios[0].complete, true);
    const lists = server.requestsTo('GET', /^\/dlqs$/);
    assert.deepEqual(
      lists.map((r) => [r.query['pg[offset]'], r.query['pg[limit]'], r.query.scenarioId]),
      [
        ['0', '2', '42'],
        ['2', '2', '42'],
        ['4', '2', '42'],
      ],
    );
    assert.equal(server.requestsTo('GET', /^\/scenarios\/42$/).length, 1);
    assert.equal(server.requestsTo('GET', /^\/dlqs\/[^/]+$/).length, 5, 'one detail per new record');
    assert.equal(server.requestsTo('GET', /\/bundle$/).length, 5, 'one bundle per new record');
    assert.equal(out.stats.requests, 1 + 3 + 10);
    for (const r of server.requests) assert.equal(r.authorization, `Token ${TOKEN}`);

    const r = byId(ws.file, records[2].id);
    assert.equal(r.origin, 'make');
    assert.equal(r.scenario, 'Lead sync');
    assert.equal(r.scenarioFile, 'scenarios/lead-sync.blueprint.json');
    assert.equal(r.moduleId, 3, 'the bundle key holding the error');
    assert.equal(r.moduleName, 'Create contact', 'from the mapped blueprint file');
    assert.deepEqual(r.error, { type: 'DataError', message: 'Invalid email address: ""' });
    assert.equal(r.status, 'pending', 'retry: true → pending');
    assert.equal(r.attempts, 2);
    assert.equal(r.size, records[2].size);
    assert.equal(r.nextRetryAt, null, "Make's API does not say when");
    const make = r['make'] as Record<string, unknown>;
    assert.equal(make.apiUrl, base);
    assert.equal(make.scenarioId, 42);
    assert.equal(make.teamId, 7);
    assert.equal(make.executionId, `exec-${records[2].id}`, 'from the detail');
    assert.equal(byId(ws.file, records[1].id).status, 'unresolved', 'retry: false → unresolved');
    const sync = (read(ws.file) as unknown as { makeSync: Record<string, Record<string, unknown>> }).makeSync[
      syncKey(connectionForApiUrl(base), 42)
    ];
    assert.equal(sync.name, 'Lead sync');
    assert.equal(sync.complete, true);
    assert.equal(typeof sync.lastSyncedAt, 'string');
    assert.deepEqual(sync.state, { isActive: true, isPaused: false, isinvalid: false, dlqCount: 5 });
  });

  test('a second pull of unchanged data reads only the list and changes no record; a changed one gets its bundle again, not its detail', async () => {
    server.addScenario({ id: 42, name: 'Lead sync', teamId: 7 });
    const a = dlq(42);
    const b = dlq(42);
    server.addDlq(a);
    server.addDlq(b);
    const ws = workspace();
    await pull(ws);
    const before = read(ws.file).executions;
    server.requests.length = 0;
    const again = await pull(ws);
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.path}`),
      ['GET /scenarios/42', 'GET /dlqs'],
    );
    assert.deepEqual(again.scenarios[0].unchanged, [a.id, b.id]);
    assert.deepEqual(read(ws.file).executions, before, 'no record changed (no history entry, no updated)');

    a.attempts = 3;
    a.bundle = { '3': { error: { type: 'DataError', message: 'Email is blocked' } } };
    server.requests.length = 0;
    const third = await pull(ws);
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.path}`),
      ['GET /scenarios/42', 'GET /dlqs', `GET /dlqs/${a.id}/bundle`],
    );
    assert.deepEqual(third.scenarios[0].updated, [a.id]);
    const r = byId(ws.file, a.id);
    assert.equal(r.attempts, 3);
    assert.equal(r.error.message, 'Email is blocked');
    assert.match(String(r.history.at(-1)?.note), /^Updated by a pull from Make .*attempts 0 → 3/);
  });

  test('a record that disappears between list and detail is not added, and the pull says so', async () => {
    server.addScenario({ id: 42, name: 'Lead sync', teamId: 7 });
    const keep = dlq(42);
    const vanish = dlq(42);
    server.addDlq(keep);
    server.addDlq(vanish);
    server.vanishAfterList.add(vanish.id);
    const ws = workspace();
    const out = await pull(ws);
    assert.deepEqual(out.scenarios[0].vanished, [vanish.id]);
    assert.deepEqual(out.scenarios[0].added, [keep.id]);
    assert.deepEqual(
      read(ws.file).executions.map((r) => r.id),
      [keep.id],
    );
  });

  test('a record Make no longer lists is marked "no longer on Make" (resolved, make.gone, history), never deleted; one back on the list is open again', async () => {
    server.addScenario({ id: 42, name: 'Lead sync', teamId: 7 });
    const a = dlq(42);
    const b = dlq(42);
    server.addDlq(a);
    server.addDlq(b);
    const ws = workspace();
    await pull(ws);
    server.dlqs.delete(b.id);
    const out = await pull(ws);
    assert.deepEqual(out.scenarios[0].gone, [b.id]);
    const r = byId(ws.file, b.id);
    assert.equal(r.status, 'resolved');
    assert.equal(((r['make'] as Record<string, unknown>).gone as Record<string, unknown>).how, 'not-listed');
    assert.deepEqual(r.history.at(-1), {
      at: r.updated,
      action: 'pull',
      result: 'gone',
      note: 'Make no longer lists this incomplete execution (resolved or deleted on Make)',
    });
    assert.equal(byId(ws.file, a.id).status, 'unresolved');
    const third = await pull(ws);
    assert.deepEqual(third.scenarios[0].gone, [], 'marked once');
    server.addDlq(b);
    await pull(ws);
    const back = byId(ws.file, b.id);
    assert.equal(back.status, 'unresolved');
    assert.equal((back['make'] as Record<string, unknown>).gone, undefined);
  });

  test('a resolved record on Make becomes resolved here from the list alone; nothing is resolved locally', async () => {
    server.addScenario({ id: 42, name: 'Lead sync', teamId: 7 });
    const a = dlq(42);
    server.addDlq(a);
    const ws = workspace();
    await pull(ws);
    a.resolved = true;
    server.requests.length = 0;
    await pull(ws);
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.path}`),
      ['GET /scenarios/42', 'GET /dlqs'],
    );
    assert.equal(byId(ws.file, a.id).status, 'resolved');
  });

  test('partial failure: a bundle that keeps failing is listed as a problem, the rest is kept, nothing is marked gone', async () => {
    server.addScenario({ id: 42, name: 'Lead sync', teamId: 7 });
    const ok = dlq(42);
    const bad = dlq(42);
    const old = dlq(42);
    server.addDlq(old);
    const ws = workspace();
    await pull(ws);
    server.dlqs.delete(old.id);
    server.addDlq(ok);
    server.addDlq(bad);
    server.faults.push({ kind: 'server-error', method: 'GET', path: new RegExp(`^/dlqs/${bad.id}/bundle$`), times: 10 });
    const out = await pull(ws);
    assert.equal(out.problems.length, 1);
    assert.equal(out.problems[0].id, bad.id);
    assert.equal(out.problems[0].kind, 'server');
    assert.match(out.problems[0].message, new RegExp(`GET /dlqs/${bad.id}/bundle: 500`));
    assert.equal(out.scenarios[0].complete, false);
    assert.deepEqual(out.scenarios[0].gone, [], 'an incomplete pull marks nothing gone');
    assert.equal(byId(ws.file, ok.id).moduleId, 3);
    assert.equal(byId(ws.file, bad.id).moduleId, 0, 'kept from the list; its module comes with the next pull');
    assert.equal(byId(ws.file, old.id).status, 'unresolved');
  });

  test('401 stops the pull: nothing is written, the error says the token was refused', async () => {
    server.addScenario({ id: 42, name: 'Lead sync', teamId: 7 });
    server.addDlq(dlq(42));
    server.faults.push({ kind: 'unauthorized', times: 5 });
    const ws = workspace();
    const out = await pull(ws);
    assert.equal(out.fatal?.kind, 'auth');
    assert.match(String(out.fatal?.message), /refused the token/);
    assert.equal(fs.existsSync(ws.file), false);
  });

  test('429 with Retry-After in the middle of a pull: it waits and completes', async () => {
    server.addScenario({ id: 42, name: 'Lead sync', teamId: 7 });
    for (let i = 0; i < 3; i++) server.addDlq(dlq(42));
    server.faults.push({ kind: 'rate-limit', retryAfterSeconds: 2, path: /\/bundle$/, times: 2 });
    const ws = workspace();
    const out = await pull(ws);
    assert.deepEqual(out.problems, []);
    assert.equal(out.scenarios[0].added.length, 3);
    assert.equal(out.stats.rateLimited, 2);
  });

  test('malformed JSON in a list is a problem of that scenario; the other scenarios are pulled', async () => {
    server.addScenario({ id: 42, name: 'Lead sync', teamId: 7 });
    server.addScenario({ id: 43, name: 'Other', teamId: 7 });
    server.addDlq(dlq(42));
    server.addDlq(dlq(43));
    server.faults.push({ kind: 'malformed', path: /^\/dlqs$/ });
    const ws = workspace();
    const out = await pull(ws, { scope: { kind: 'scenarios', ids: [42, 43] } });
    assert.equal(out.problems.length, 1);
    assert.equal(out.problems[0].kind, 'malformed');
    assert.equal(out.scenarios[1].added.length, 1);
  });

  test('team: every scenario with dlqCount > 0 (paginated); the others are not listed', async () => {
    server.addScenario({ id: 42, name: 'Lead sync', teamId: 7 });
    server.addScenario({ id: 43, name: 'Quiet', teamId: 7 });
    server.addScenario({ id: 44, name: 'Elsewhere', teamId: 8 });
    server.addDlq(dlq(42));
    server.addDlq(dlq(44));
    const ws = workspace();
    const out = await pull(ws, { scope: { kind: 'team', teamId: 7 } });
    assert.deepEqual(
      out.scenarios.map((s) => s.scenarioId),
      [42],
    );
    assert.deepEqual(
      server.requestsTo('GET', /^\/dlqs$/).map((r) => r.query.scenarioId),
      ['42'],
    );
    assert.equal(server.requestsTo('GET', /^\/scenarios$/)[0].query.teamId, '7');
  });

  test('a scenario Make does not know is a problem; records of other zones are never marked gone', async () => {
    const ws = workspace();
    const out = await pull(ws, { scope: { kind: 'scenarios', ids: [99] } });
    assert.equal(out.problems[0].kind, 'not-found');
  });
});
