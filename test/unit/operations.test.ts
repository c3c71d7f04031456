import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Scenario } from '../../src/core/model';
import type { ExecutionsFile, IncompleteExecution } from '../../src/core/executions/model';
import {
  appendExecutions,
  bundleNumberOf,
  deleteExecutions,
  dueExecutions,
  resolveExecutions,
  retryExecutions,
  runDueRetries,
} from '../../src/core/executions/operations';
import type { ScenarioResolver } from '../../src/core/executions/operations';
import {
  AUTO_RETRY_DELAYS_MINUTES,
  DEFAULT_RETRY,
  breakPolicy,
  maxAttempts,
  nextRetryAt,
  scheduleFrom,
} from '../../src/core/executions/schedule';
import { simulate } from '../../src/core/simulate/simulator';
import type { FaultSpec, ModSpec } from './helpers/scenarioBuilder';
import { buildScenario, mod } from './helpers/scenarioBuilder';

const T0 = new Date('2026-11-20T10:00:00.000Z');
const at = (min: number) => new Date(T0.getTime() + min * 60_000);
const iso = (min: number) => at(min).toISOString();

function scenario(
  faults: FaultSpec[],
  modules: ModSpec[] = [mod(1), mod(2, { name: 'Fetch' }), mod(3, { name: 'Upload' })],
  name = 'Invoice export',
): Scenario {
  return buildScenario({ name, modules, simulation: { bundles: 1, faults } });
}
function seeded(s: Scenario, bundles = 1): ExecutionsFile {
  let n = 0;
  const withBundles: Scenario = { ...s, simulation: { bundles, faults: s.simulation?.faults ?? [] } };
  const r = simulate(withBundles, {
    clock: () => T0,
    newId: () => `ie-${String(++n).padStart(6, '0')}`,
    scenarioFile: `${s.name}.scenario.yaml`,
  });
  return { version: 1, executions: r.executions };
}
const resolverFor =
  (...scenarios: Scenario[]): ScenarioResolver =>
  (e) =>
    scenarios.find((s) => s.name === e.scenario);
function rec(doc: ExecutionsFile, id: string): IncompleteExecution {
  const r = doc.executions.find((e) => e.id === id);
  assert.ok(r, id);
  return r;
}

describe('schedule', () => {
  test("Make's default schedule: 8 attempts at 1, 11, 21, 51, 81, 111, 291, 471 minutes", () => {
    assert.deepEqual(AUTO_RETRY_DELAYS_MINUTES, [1, 10, 10, 30, 30, 30, 180, 180]);
    assert.equal(maxAttempts(DEFAULT_RETRY), 8);
    assert.deepEqual(
      scheduleFrom(DEFAULT_RETRY, T0).map((d) => (d.getTime() - T0.getTime()) / 60_000),
      [1, 11, 21, 51, 81, 111, 291, 471],
    );
    assert.equal(nextRetryAt(DEFAULT_RETRY, 8, T0), null);
    assert.equal(nextRetryAt(DEFAULT_RETRY, 3, T0)?.toISOString(), iso(30));
  });
  test('break autoComplete: attempts every interval', () => {
    const p = breakPolicy({ attempts: 3, intervalMinutes: 15 });
    assert.equal(maxAttempts(p), 3);
    assert.deepEqual(
      scheduleFrom(p, T0).map((d) => d.toISOString()),
      [iso(15), iso(30), iso(45)],
    );
    assert.equal(nextRetryAt({ kind: 'none' }, 0, T0), null);
  });
});

describe('retryExecutions', () => {
  test('success when the fault is gone: resolved, history appended, input untouched', () => {
    const doc = seeded(scenario([{ module: 2, error: 'ConnectionError' }]));
    const before = JSON.stringify(doc);
    const fixed = scenario([]);
    const out = retryExecutions(doc, ['ie-000001'], resolverFor(fixed), { clock: () => at(5) });
    assert.equal(JSON.stringify(doc), before, 'input document not mutated');
    assert.deepEqual(out.results, [
      {
        id: 'ie-000001',
        result: 'resolved',
        message:
          'Simulated retry 1 of ie-000001 succeeded: the record is marked resolved in the executions file (nothing was sent to Fusion or Make). Assumed: no fault in simulation.faults makes module 2 fail for bundle 1 any more, so the ConnectionError is taken to have passed.',
        simulated: true,
        where: 'local',
        assumed: 'no fault in simulation.faults makes module 2 fail for bundle 1 any more, so the ConnectionError is taken to have passed',
      },
    ]);
    const r = rec(out.doc, 'ie-000001');
    assert.equal(r.status, 'resolved');
    assert.equal(r.nextRetryAt, null);
    assert.equal(r.attempts, 0);
    assert.equal(r.updated, iso(5));
    assert.deepEqual(r.history.at(-1), {
      at: iso(5),
      action: 'retry',
      result: 'succeeded',
      simulated: true,
      assumed: 'no fault in simulation.faults makes module 2 fail for bundle 1 any more, so the ConnectionError is taken to have passed',
    });
    assert.equal(r.history.length, 2);
  });

  test('recoverAfter: fails until retry number n, schedule times follow Make', () => {
    const s = scenario([{ module: 2, error: 'ConnectionError', message: 'ECONNRESET', recoverAfter: 3 }]);
    let doc = seeded(s);
    const resolver = resolverFor(s);
    let out = retryExecutions(doc, ['ie-000001'], resolver, { clock: () => at(1) });
    let r = rec(out.doc, 'ie-000001');
    assert.equal(out.results[0].result, 'failed');
    assert.match(
      out.results[0].message,
      /^Simulated retry 1 of ie-000001 failed at module 2 with ConnectionError: next automatic retry at 2026-11-20T10:11:00.000Z \(1 of 8 attempts made\)\.$/,
    );
    assert.equal(r.status, 'pending');
    assert.equal(r.attempts, 1);
    assert.equal(r.nextRetryAt, iso(11));
    assert.equal(r.error.message, 'ECONNRESET');
    assert.deepEqual(r.history.at(-1), { at: iso(1), action: 'retry', result: 'failed', error: 'ConnectionError', simulated: true });
    doc = out.doc;
    out = retryExecutions(doc, ['ie-000001'], resolver, { clock: () => at(11), automatic: true });
    r = rec(out.doc, 'ie-000001');
    assert.equal(r.attempts, 2);
    assert.equal(r.nextRetryAt, iso(21));
    assert.equal(r.history.at(-1)?.action, 'auto-retry');
    out = retryExecutions(out.doc, ['ie-000001'], resolver, { clock: () => at(21) });
    assert.equal(out.results[0].result, 'resolved', 'retry number 3 succeeds');
    assert.equal(rec(out.doc, 'ie-000001').history.length, 4);
  });

  test('exhausted attempts → unresolved', () => {
    const s = scenario([{ module: 2, error: 'ConnectionError' }]);
    let doc = seeded(s);
    for (let i = 0; i < 8; i++) doc = retryExecutions(doc, ['ie-000001'], resolverFor(s), { clock: () => at(i * 100) }).doc;
    const r = rec(doc, 'ie-000001');
    assert.equal(r.attempts, 8);
    assert.equal(r.status, 'unresolved');
    assert.equal(r.nextRetryAt, null);
    assert.equal(r.history.length, 9);
    const again = retryExecutions(doc, ['ie-000001'], resolverFor(s), { clock: () => at(2000) });
    assert.match(again.results[0].message, /exhausted \(9 of 8\)/);
  });

  test('break route schedule and without-retry records', () => {
    const s = scenario(
      [{ module: 2, error: 'DataError' }],
      [mod(1), mod(2, { onError: { directive: 'break', autoComplete: true, attempts: 2, intervalMinutes: 5 } })],
    );
    let doc = seeded(s);
    assert.equal(rec(doc, 'ie-000001').nextRetryAt, iso(5));
    doc = retryExecutions(doc, ['ie-000001'], resolverFor(s), { clock: () => at(5) }).doc;
    assert.equal(rec(doc, 'ie-000001').nextRetryAt, iso(10));
    doc = retryExecutions(doc, ['ie-000001'], resolverFor(s), { clock: () => at(10) }).doc;
    assert.equal(rec(doc, 'ie-000001').status, 'unresolved');
    const plain = scenario([{ module: 2, error: 'DataError' }]);
    const out = retryExecutions(seeded(plain), ['ie-000001'], resolverFor(plain), { clock: () => at(3) });
    const r = rec(out.doc, 'ie-000001');
    assert.equal(r.status, 'unresolved');
    assert.equal(r.attempts, 1);
    assert.match(out.results[0].message, /no automatic retry; the execution is unresolved/);
  });

  test('success continues downstream; a later fault moves the execution to that module', () => {
    const original = scenario([{ module: 2, error: 'ConnectionError' }]);
    const doc = seeded(original);
    const now = scenario([{ module: 3, error: 'DataError', message: 'bad date' }]);
    const out = retryExecutions(doc, ['ie-000001'], resolverFor(now), { clock: () => at(1) });
    const r = rec(out.doc, 'ie-000001');
    assert.equal(r.moduleId, 3);
    assert.equal(r.moduleName, 'Upload');
    assert.deepEqual(r.error, { type: 'DataError', message: 'bad date' });
    assert.equal(r.status, 'unresolved');
    assert.equal(r.autoRetry, false);
    assert.equal(r.maxAttempts, 0);
    assert.match(out.results[0].message, /moves to module 3/);
    assert.equal(r.history.at(-1)?.['moduleId'], 3);
  });

  test('a failure that stores nothing (rule 5) leaves the record unresolved with the reason', () => {
    const doc = seeded(scenario([{ module: 2, error: 'ConnectionError' }]));
    const now = scenario([{ module: 3, error: 'RuntimeError' }]);
    const out = retryExecutions(doc, ['ie-000001'], resolverFor(now), { clock: () => at(1) });
    assert.equal(rec(out.doc, 'ie-000001').status, 'unresolved');
    assert.match(out.results[0].message, /rule 5/);
  });

  test('retry only replays the branch of a router route; faults filtered by bundle number', () => {
    const modules = [mod(1), mod(10, { routes: [[mod(11), mod(12)], [mod(21)]] })];
    const s = buildScenario({
      name: 'R',
      modules,
      simulation: {
        bundles: 2,
        faults: [
          { module: 11, error: 'ConnectionError', bundles: [2] },
          { module: 21, error: 'DataError', bundles: [2] },
        ],
      },
    });
    const doc = seeded(s, 2);
    assert.deepEqual(
      doc.executions.map((e) => [e.moduleId, bundleNumberOf(e)]),
      [
        [11, 2],
        [21, 2],
      ],
    );
    // module 11 fixed; module 21 still broken for bundle 2, but it is in another branch
    const now = buildScenario({
      name: 'R',
      modules,
      simulation: { bundles: 2, faults: [{ module: 21, error: 'DataError', bundles: [2] }] },
    });
    const out = retryExecutions(doc, ['ie-000001', 'ie-000002'], resolverFor(now), { clock: () => at(1) });
    assert.deepEqual(
      out.results.map((r) => r.result),
      ['resolved', 'failed'],
    );
  });

  test('scenario or module gone: failed with a message, only history changes', () => {
    const s = scenario([{ module: 2, error: 'ConnectionError' }]);
    const doc = seeded(s);
    const gone = retryExecutions(doc, ['ie-000001'], () => undefined, { clock: () => at(1) });
    assert.equal(gone.results[0].result, 'failed');
    assert.equal(
      gone.results[0].message,
      'Cannot retry ie-000001: scenario "Invoice export" (Invoice export.scenario.yaml) was not found.',
    );
    const before = rec(doc, 'ie-000001');
    const after = rec(gone.doc, 'ie-000001');
    assert.deepEqual({ ...after, history: before.history, updated: before.updated }, before);
    assert.equal(after.history.length, 2);
    const noModule = retryExecutions(doc, ['ie-000001'], () => scenario([], [mod(1), mod(3)]), { clock: () => at(1) });
    assert.match(noModule.results[0].message, /module 2 no longer exists/);
    assert.equal(rec(noModule.doc, 'ie-000001').status, 'pending');
  });

  test('not found, already resolved, duplicates; unknown fields kept', () => {
    const s = scenario([{ module: 2, error: 'ConnectionError' }]);
    const base = seeded(s);
    const doc: ExecutionsFile = {
      ...base,
      teamId: 42,
      executions: [
        { ...base.executions[0], custom: { keep: true } },
        { ...base.executions[0], id: 'ie-done00', status: 'resolved' },
      ],
    };
    const out = retryExecutions(doc, ['ie-000001', 'nope', 'ie-done00', 'ie-000001'], resolverFor(s), { clock: () => at(1) });
    assert.deepEqual(
      out.results.map((r) => r.result),
      ['failed', 'not-found', 'skipped'],
    );
    assert.equal(out.doc['teamId'], 42);
    assert.deepEqual(rec(out.doc, 'ie-000001')['custom'], { keep: true });
  });

  test('profile option applies when the scenario does not set one', () => {
    const s = scenario([{ module: 2, error: 'OutOfSpaceError' }]);
    const doc = seeded(s);
    const out = retryExecutions(doc, ['ie-000001'], resolverFor(s), { clock: () => at(1), profile: 'make' });
    assert.equal(rec(out.doc, 'ie-000001').autoRetry, false);
  });
});

describe('resolve / delete / append', () => {
  test('resolve with a note; already resolved is skipped', () => {
    const doc = seeded(scenario([{ module: 2, error: 'DataError' }]));
    const out = resolveExecutions(doc, ['ie-000001', 'x'], '  fixed in Workfront  ', () => at(3));
    assert.deepEqual(
      out.results.map((r) => r.result),
      ['resolved', 'not-found'],
    );
    const r = rec(out.doc, 'ie-000001');
    assert.equal(r.status, 'resolved');
    assert.equal(r.updated, iso(3));
    assert.deepEqual(r.history.at(-1), { at: iso(3), action: 'resolve', result: 'resolved', note: 'fixed in Workfront' });
    const again = resolveExecutions(out.doc, ['ie-000001'], undefined, () => at(4));
    assert.equal(again.results[0].result, 'skipped');
    const noNote = resolveExecutions(doc, ['ie-000001'], undefined, () => at(3));
    assert.equal(rec(noNote.doc, 'ie-000001').history.at(-1)?.note, undefined);
    assert.equal(rec(doc, 'ie-000001').status, 'unresolved', 'input untouched');
  });
  test('delete removes records and reports unknown ids', () => {
    const doc = seeded(scenario([{ module: 2, error: 'DataError' }]), 3);
    const out = deleteExecutions(doc, ['ie-000002', 'zzz']);
    assert.deepEqual(
      out.doc.executions.map((e) => e.id),
      ['ie-000001', 'ie-000003'],
    );
    assert.deepEqual(
      out.results.map((r) => r.result),
      ['deleted', 'not-found'],
    );
    assert.equal(doc.executions.length, 3);
  });
  test('append keeps existing records', () => {
    const doc = seeded(scenario([{ module: 2, error: 'DataError' }]));
    assert.equal(appendExecutions(doc, doc.executions).executions.length, 2);
  });
});

describe('runDueRetries', () => {
  test('performs due retries in schedule order, at most 3 per scenario per call', () => {
    const a = scenario([{ module: 2, error: 'ConnectionError' }], undefined, 'A');
    const b = scenario([{ module: 2, error: 'ConnectionError' }], undefined, 'B');
    const docA = seeded(a, 5);
    const docB = seeded(b, 1);
    // stagger A's due times: ie-000005 earliest ... ie-000001 latest
    const execsA = docA.executions.map((e, i) => ({ ...e, nextRetryAt: iso(5 - i) }));
    const execsB = docB.executions.map((e) => ({ ...e, id: 'ie-b00001', nextRetryAt: iso(2) }));
    const notDue = { ...execsA[0], id: 'ie-later0', nextRetryAt: iso(60) };
    const unresolved = { ...execsA[0], id: 'ie-unres0', status: 'unresolved' as const };
    const doc: ExecutionsFile = { version: 1, executions: [...execsA, ...execsB, notDue, unresolved] };
    assert.deepEqual(
      dueExecutions(doc, at(10)).map((e) => e.id),
      ['ie-000005', 'ie-000004', 'ie-b00001', 'ie-000003', 'ie-000002', 'ie-000001'],
    );
    const out = runDueRetries(doc, resolverFor(a, b), at(10));
    assert.deepEqual(
      out.results.map((r) => [r.id, r.result]),
      [
        ['ie-000005', 'failed'],
        ['ie-000004', 'failed'],
        ['ie-b00001', 'failed'],
        ['ie-000003', 'failed'],
        ['ie-000002', 'skipped'],
        ['ie-000001', 'skipped'],
      ],
    );
    assert.match(out.results[4].message, /deferred: at most 3 retries per scenario/);
    for (const id of ['ie-000005', 'ie-000004', 'ie-000003']) {
      const r = rec(out.doc, id);
      assert.equal(r.attempts, 1);
      assert.equal(r.nextRetryAt, iso(20), 'next attempt 10 minutes after the retry at now');
      assert.equal(r.history.at(-1)?.action, 'auto-retry');
    }
    assert.equal(rec(out.doc, 'ie-000002').attempts, 0);
    assert.equal(rec(out.doc, 'ie-later0').attempts, 0);
    // next call picks up the deferred ones
    const second = runDueRetries(out.doc, resolverFor(a, b), at(10));
    assert.deepEqual(
      second.results.map((r) => r.id),
      ['ie-000002', 'ie-000001'],
    );
  });

  test('nothing due → no change; resolved by a successful automatic retry', () => {
    const s = scenario([{ module: 2, error: 'ConnectionError', recoverAfter: 1 }]);
    const doc = seeded(s);
    const early = runDueRetries(doc, resolverFor(s), at(0.5));
    assert.deepEqual(early.results, []);
    assert.deepEqual(early.doc, doc);
    const out = runDueRetries(doc, resolverFor(s), at(1));
    assert.equal(out.results[0].result, 'resolved');
    assert.equal(rec(out.doc, 'ie-000001').status, 'resolved');
  });
});
