/**
 * Acting on Make (core/make/actions.ts through the retry / delete / resolve actions) against the
 * fake Make API on 127.0.0.1, and the honest simulated retry of the records that are not from
 * Make: what was sent, what the file says afterwards, and that nothing claims what did not happen.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deleteAction } from '../../src/core/executions/actions/delete';
import { resolveAction } from '../../src/core/executions/actions/resolve';
import { retryAction } from '../../src/core/executions/actions/retry';
import type { ExecutionsFile, IncompleteExecution } from '../../src/core/executions/model';
import { MakeNotConnectedError, type MakeAccess } from '../../src/core/make/actions';
import { RequestBudget } from '../../src/core/make/budget';
import { MakeClient, type CapturedRequest } from '../../src/core/make/client';
import { connectionForApiUrl, type MakeConnection } from '../../src/core/make/connection';
import { pullAction } from '../../src/core/make/pull';
import { MakeApiServer, type FakeDlq } from '../support/makeApiServer';
import { TOKEN, dlq, fakeClock, resetServer, retryResolvesWhenHandled } from './helpers/makeFixtures';

/** The blueprint in the workspace: module 3 now has an Ignore handler (the fix). */
const FIXED = {
  name: 'Lead sync',
  flow: [
    { id: 1, module: 'gateway:CustomWebHook', version: 1 },
    {
      id: 3,
      module: 'hubspotcrm:createContact',
      version: 1,
      parameters: { account: 5 },
      onerror: [{ id: 9, module: 'builtin:Ignore', version: 1 }],
    },
  ],
  metadata: { version: 1, scenario: { dlq: true } },
};

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
  server.onRetry = retryResolvesWhenHandled;
});

interface Ws {
  root: string;
  file: string;
}

function workspace(yaml = false): Ws {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-make-actions-'));
  dirs.push(root);
  fs.mkdirSync(path.join(root, 'scenarios'));
  if (yaml) {
    fs.writeFileSync(
      path.join(root, 'scenarios', 'lead-sync.scenario.yaml'),
      'name: Lead sync\nmodules:\n  - id: 1\n    app: gateway:CustomWebHook\n  - id: 3\n    app: hubspotcrm:createContact\n    onError: {directive: ignore}\n',
    );
  } else {
    fs.writeFileSync(path.join(root, 'scenarios', 'lead-sync.blueprint.json'), `${JSON.stringify(FIXED, null, 2)}\n`);
  }
  return { root, file: path.join(root, '.fusion', 'incomplete-executions.json') };
}

function access(captured?: CapturedRequest[], file = 'scenarios/lead-sync.blueprint.json'): MakeAccess {
  const clock = fakeClock();
  const budget = new RequestBudget(10_000, 60_000, clock);
  return {
    clientFor: (connection: MakeConnection) =>
      new MakeClient({ token: TOKEN, connection, clock, budget, ...(captured ? { capture: captured } : {}) }),
    fileOf: new Map([[42, file]]),
    ...(captured ? { dryRun: true } : {}),
  };
}

async function pulled(ws: Ws, ...records: FakeDlq[]): Promise<void> {
  server.addScenario({ id: 42, name: 'Lead sync', teamId: 7 });
  for (const r of records) server.addDlq(r);
  const a = access();
  const clientFor = a.clientFor;
  assert.ok(clientFor);
  await pullAction({
    executionsFile: ws.file,
    client: clientFor(connectionForApiUrl(base)),
    scope: { kind: 'scenarios', ids: [42] },
    fileOf: a.fileOf ?? new Map(),
  });
  server.requests.length = 0;
}

function read(file: string): ExecutionsFile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ExecutionsFile;
}

function rec(file: string, id: string): IncompleteExecution | undefined {
  return read(file).executions.find((e) => e.id === id);
}

const sent = (): string[] => server.requests.map((r) => `${r.method} ${r.path}`);

describe('retry on Make', () => {
  test('one record: POST /dlqs/{id}/retry, then the scenario is pulled again and the result says what Make reports', async () => {
    const ws = workspace();
    const d = dlq(42);
    await pulled(ws, d);
    const out = await retryAction({
      executionsFile: ws.file,
      scenarioFiles: { kind: 'disk', root: ws.root },
      select: { ids: [d.id] },
      make: access(),
    });
    assert.deepEqual(sent(), [`POST /dlqs/${d.id}/retry`, 'GET /scenarios/42', 'GET /dlqs', `GET /dlqs/${d.id}/bundle`]);
    assert.equal(out.results.length, 1);
    assert.equal(out.results[0].result, 'failed');
    assert.equal(out.results[0].where, 'make');
    assert.equal(out.results[0].simulated, undefined);
    assert.match(
      out.results[0].message,
      /^Retried .* on Make \(http:\/\/127\.0\.0\.1:\d+\/api\/v2\); it failed again \(attempt 1 on Make, DataError/,
    );
    assert.equal(rec(ws.file, d.id)?.attempts, 1, "Make's count, pulled");
    assert.equal(rec(ws.file, d.id)?.status, 'unresolved');
  });

  test('several: one POST /dlqs/retry?scenarioId= with the ids; --all: {"all": true} with exceptIds', async () => {
    const ws = workspace();
    const [a, b, c] = [dlq(42), dlq(42), dlq(42)];
    await pulled(ws, a, b, c);
    await retryAction({
      executionsFile: ws.file,
      scenarioFiles: { kind: 'disk', root: ws.root },
      select: { ids: [a.id, b.id] },
      make: access(),
    });
    const posts = server.requestsTo('POST', /retry/);
    assert.deepEqual(
      posts.map((r) => [r.path, r.query.scenarioId, r.body]),
      [['/dlqs/retry', '42', { ids: [a.id, b.id] }]],
    );
    server.requests.length = 0;
    const all = await retryAction({
      executionsFile: ws.file,
      scenarioFiles: { kind: 'disk', root: ws.root },
      select: { all: true, scenario: 'Lead sync' },
      exceptIds: [c.id],
      make: access(),
    });
    assert.deepEqual(
      server.requestsTo('POST', /retry/).map((r) => r.body),
      [{ all: true, exceptIds: [c.id] }],
    );
    assert.deepEqual(
      all.results.map((r) => r.id),
      [a.id, b.id],
    );
  });

  test('with the local scenario: PATCH /dlqs/{id} with the workspace blueprint as a string and the failing module, then the retry; the row updates after the pull', async () => {
    const ws = workspace();
    const d = dlq(42);
    await pulled(ws, d);
    const out = await retryAction({
      executionsFile: ws.file,
      scenarioFiles: { kind: 'disk', root: ws.root },
      select: { ids: [d.id] },
      make: access(),
      withLocalScenario: true,
    });
    assert.deepEqual(sent().slice(0, 2), [`PATCH /dlqs/${d.id}`, `POST /dlqs/${d.id}/retry`]);
    const patch = server.requests[0].body as { blueprint: unknown; failer: unknown };
    assert.equal(typeof patch.blueprint, 'string', 'the blueprint is sent as a JSON string');
    assert.deepEqual(JSON.parse(patch.blueprint as string), FIXED);
    assert.equal(patch.failer, 3);
    assert.equal(out.results[0].result, 'resolved');
    assert.match(out.results[0].message, /on Make .*; Make reports it resolved\.$/);
    assert.equal(rec(ws.file, d.id)?.status, 'resolved');
    assert.match(String(rec(ws.file, d.id)?.history.at(-1)?.note), /Updated by a pull from Make.*status "unresolved" → "resolved"/);
  });

  test('with the local scenario: a YAML scenario is refused with the reason, and nothing is sent', async () => {
    const ws = workspace(true);
    const d = dlq(42);
    await pulled(ws, d);
    const out = await retryAction({
      executionsFile: ws.file,
      scenarioFiles: { kind: 'disk', root: ws.root },
      select: { ids: [d.id] },
      make: access(undefined, 'scenarios/lead-sync.scenario.yaml'),
      withLocalScenario: true,
    });
    assert.equal(out.results[0].result, 'error');
    assert.match(out.results[0].message, /scenario YAML, which has no module parameters or mappings/);
    assert.deepEqual(sent(), []);
  });

  test('without a token: MakeNotConnectedError, nothing sent, the file byte for byte the same', async () => {
    const ws = workspace();
    const d = dlq(42);
    await pulled(ws, d);
    const before = fs.readFileSync(ws.file);
    await assert.rejects(
      retryAction({
        executionsFile: ws.file,
        scenarioFiles: { kind: 'disk', root: ws.root },
        select: { ids: [d.id] },
        make: { fileOf: new Map() },
      }),
      (e: unknown) => e instanceof MakeNotConnectedError && e.missing === 'token' && /Nothing was changed/.test(e.message),
    );
    assert.deepEqual(sent(), []);
    assert.deepEqual(fs.readFileSync(ws.file), before);
  });

  test('an imported record that does not say its zone needs one named; a dry run sends nothing', async () => {
    const ws = workspace();
    fs.mkdirSync(path.dirname(ws.file), { recursive: true });
    const imported = {
      id: 'abcdef0123456789',
      origin: 'make',
      scenario: 'Make scenario 42',
      moduleId: 3,
      error: { type: 'DataError', message: 'x' },
      status: 'unresolved',
      created: '2026-11-20T10:00:00.000Z',
      make: { scenarioId: 42 },
    };
    fs.writeFileSync(ws.file, JSON.stringify({ version: 1, executions: [imported] }));
    await assert.rejects(
      retryAction({
        executionsFile: ws.file,
        scenarioFiles: { kind: 'disk', root: ws.root },
        select: { ids: [imported.id] },
        make: access(),
      }),
      (e: unknown) => e instanceof MakeNotConnectedError && e.missing === 'connection',
    );
    const captured: CapturedRequest[] = [];
    const out = await retryAction({
      executionsFile: ws.file,
      scenarioFiles: { kind: 'disk', root: ws.root },
      select: { ids: [imported.id] },
      make: { ...access(captured), override: connectionForApiUrl(base) },
    });
    assert.deepEqual(sent(), []);
    assert.deepEqual(
      captured.map((r) => `${r.method} ${r.url}`),
      [`POST ${base}/dlqs/${imported.id}/retry`],
    );
    assert.equal(out.results[0].result, 'skipped');
  });

  test('resolve refuses a record from Make (Make cannot mark one resolved); run-due leaves them to Make', async () => {
    const ws = workspace();
    const d = dlq(42);
    await pulled(ws, d);
    const out = await resolveAction({ executionsFile: ws.file, ids: [d.id] });
    assert.equal(out.results[0].result, 'skipped');
    assert.match(out.results[0].message, /Make's API cannot mark an incomplete execution resolved/);
    assert.equal(rec(ws.file, d.id)?.status, 'unresolved');
  });
});

describe('delete on Make', () => {
  test('ids: DELETE /dlqs?scenarioId= {"ids"}; the record leaves the file once Make accepted', async () => {
    const ws = workspace();
    const [a, b] = [dlq(42), dlq(42)];
    await pulled(ws, a, b);
    const out = await deleteAction({ executionsFile: ws.file, ids: [a.id], make: access() });
    const del = server.requestsTo('DELETE', /^\/dlqs$/);
    assert.deepEqual(
      del.map((r) => [r.query.scenarioId, r.query.confirmed, r.body]),
      [['42', undefined, { ids: [a.id] }]],
    );
    assert.equal(out.results[0].result, 'deleted');
    assert.equal(out.results[0].where, 'make');
    assert.equal(rec(ws.file, a.id), undefined);
    assert.ok(rec(ws.file, b.id));
    assert.equal(server.dlqs.has(a.id), false);
  });

  test('all: confirmed=true only when confirmed; unconfirmed, Make refuses (IM004) and nothing is removed', async () => {
    const ws = workspace();
    const [a, b] = [dlq(42), dlq(42)];
    await pulled(ws, a, b);
    const refused = await deleteAction({
      executionsFile: ws.file,
      ids: [a.id, b.id],
      make: access(),
      all: { exceptIds: [], confirmed: false },
    });
    assert.deepEqual(
      refused.results.map((r) => r.result),
      ['error', 'error'],
    );
    assert.match(refused.results[0].message, /IM004/);
    assert.equal(read(ws.file).executions.length, 2);
    await deleteAction({ executionsFile: ws.file, ids: [a.id, b.id], make: access(), all: { exceptIds: [], confirmed: true } });
    assert.equal(server.requestsTo('DELETE', /^\/dlqs$/).at(-1)?.query.confirmed, 'true');
    assert.equal(read(ws.file).executions.length, 0);
  });

  test('a record Make no longer has is only removed from the file (no request)', async () => {
    const ws = workspace();
    const [a, b] = [dlq(42), dlq(42)];
    await pulled(ws, a, b);
    server.dlqs.delete(a.id);
    await pulled(ws);
    const out = await deleteAction({ executionsFile: ws.file, ids: [a.id], make: access() });
    assert.deepEqual(sent(), []);
    assert.equal(out.results[0].where, 'local');
    assert.equal(rec(ws.file, a.id), undefined);
  });
});

describe('simulated retry: labelled, and no invented recovery', () => {
  const SCENARIO = `name: Lead sync
modules:
  - id: 1
    app: gateway:CustomWebHook
  - id: 3
    app: hubspotcrm:createContact
  - id: 5
    app: slack:postMessage
simulation:
  bundles: 2
  faults:
    - {module: 3, error: AcmeQuotaExceeded, bundles: [1]}
`;
  function fileWorkspace(records: object[]): Ws {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-simretry-'));
    dirs.push(root);
    fs.writeFileSync(path.join(root, 'lead-sync.scenario.yaml'), SCENARIO);
    const file = path.join(root, 'executions.json');
    fs.writeFileSync(file, JSON.stringify({ version: 1, executions: records }));
    return { root, file };
  }
  const base = {
    scenario: 'Lead sync',
    scenarioFile: 'lead-sync.scenario.yaml',
    created: '2026-11-20T10:00:00.000Z',
    updated: '2026-11-20T10:00:00.000Z',
    history: [],
  };

  test('a hand-written DataError record whose bundle has email "" fails again: no fault says otherwise, and the result says what it assumed', async () => {
    const ws = fileWorkspace([
      {
        ...base,
        id: 'ie-91b0e5',
        moduleId: 3,
        error: { type: 'DataError', message: 'Invalid email address' },
        status: 'unresolved',
        attempts: 0,
        maxAttempts: 0,
        bundle: { email: '' },
      },
    ]);
    const out = await retryAction({
      executionsFile: ws.file,
      scenarioFiles: { kind: 'disk', root: ws.root },
      select: { ids: ['ie-91b0e5'] },
    });
    const [r] = out.results;
    assert.equal(r.result, 'failed');
    assert.equal(r.simulated, true);
    assert.match(r.message, /^Simulated retry 1 of ie-91b0e5 failed at module 3 with DataError/);
    assert.match(
      String(r.assumed),
      /no fault in simulation\.faults matches module 3; the record did not come from this fault model, so its stored DataError is taken to repeat/,
    );
    const after = rec(ws.file, 'ie-91b0e5');
    assert.equal(after?.status, 'unresolved');
    assert.equal(after?.history.at(-1)?.['simulated'], true);
    assert.ok(!/succeeded|resolved/.test(r.message.replace('unresolved', '')), r.message);
  });

  test('a RateLimitError whose 8 attempts were used up is not resolved by Retry All; Run Due leaves nothing resolved', async () => {
    const ws = fileWorkspace([
      {
        ...base,
        id: 'ie-2b91d0',
        moduleId: 5,
        error: { type: 'RateLimitError', message: '429' },
        status: 'unresolved',
        autoRetry: true,
        attempts: 8,
        maxAttempts: 8,
        nextRetryAt: null,
      },
    ]);
    const out = await retryAction({ executionsFile: ws.file, scenarioFiles: { kind: 'disk', root: ws.root }, select: { all: true } });
    assert.equal(out.results[0].result, 'failed');
    assert.match(out.results[0].message, /automatic attempts exhausted \(9 of 8\)/);
    assert.equal(rec(ws.file, 'ie-2b91d0')?.status, 'unresolved');
  });

  test('a record the simulation stored, whose transient fault was removed from the model, succeeds — marked simulated, with the assumption', async () => {
    const ws = fileWorkspace([
      {
        ...base,
        id: 'ie-5d7f22',
        origin: 'simulation',
        moduleId: 5,
        error: { type: 'ConnectionError', message: 'Slack is unreachable' },
        status: 'pending',
        autoRetry: true,
        attempts: 1,
        maxAttempts: 8,
        nextRetryAt: '2026-11-20T10:11:00.000Z',
        bundleNumber: 2,
      },
    ]);
    const out = await retryAction({
      executionsFile: ws.file,
      scenarioFiles: { kind: 'disk', root: ws.root },
      select: { ids: ['ie-5d7f22'] },
    });
    assert.equal(out.results[0].result, 'resolved');
    assert.match(
      out.results[0].message,
      /^Simulated retry 2 of ie-5d7f22 succeeded: the record is marked resolved in the executions file \(nothing was sent to Fusion or Make\)\./,
    );
    assert.match(String(out.results[0].assumed), /no fault in simulation\.faults makes module 5 fail for bundle 2 any more/);
  });

  test('a handler added to the scenario since applies to the repeated error: the replay ends well (Ignore)', async () => {
    const ws = fileWorkspace([
      {
        ...base,
        id: 'ie-91b0e6',
        moduleId: 3,
        error: { type: 'DataError', message: 'Invalid email address' },
        status: 'unresolved',
        attempts: 0,
        maxAttempts: 0,
      },
    ]);
    fs.writeFileSync(
      path.join(ws.root, 'lead-sync.scenario.yaml'),
      SCENARIO.replace('    app: hubspotcrm:createContact\n', '    app: hubspotcrm:createContact\n    onError: {directive: ignore}\n'),
    );
    const out = await retryAction({
      executionsFile: ws.file,
      scenarioFiles: { kind: 'disk', root: ws.root },
      select: { ids: ['ie-91b0e6'] },
    });
    assert.equal(out.results[0].result, 'resolved');
    assert.equal(out.results[0].simulated, true);
  });
});
