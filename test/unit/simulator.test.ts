import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { activeFault, randomExecutionId, simulate } from '../../src/core/simulate/simulator';
import type { FaultSpec, ModSpec } from './helpers/scenarioBuilder';
import { buildScenario, mod } from './helpers/scenarioBuilder';

const T0 = new Date('2026-11-20T10:00:00.000Z');
const clock = () => T0;
function ids(): () => string {
  let n = 0;
  return () => `ie-${(++n).toString(16).padStart(6, '0')}`;
}
function run(modules: ModSpec[], bundles: number, faults: FaultSpec[], extra: { storeIncompleteExecutions?: boolean } = {}) {
  const s = buildScenario({ name: 'Invoice export', modules, simulation: { bundles, faults }, settings: extra });
  return simulate(s, { clock, newId: ids(), scenarioFile: 'scenarios/invoices.scenario.yaml' });
}

describe('simulate', () => {
  test('no faults: every bundle completes, run success, nothing stored', () => {
    const r = run([mod(1), mod(2), mod(3)], 3, []);
    assert.deepEqual(
      r.bundles.map((b) => b.result),
      ['completed', 'completed', 'completed'],
    );
    assert.deepEqual(
      r.bundles[0].steps.map((s) => [s.moduleId, s.status]),
      [
        [1, 'ok'],
        [2, 'ok'],
        [3, 'ok'],
      ],
    );
    assert.equal(r.runResult, 'success');
    assert.equal(r.executions.length, 0);
    assert.equal(r.profile, 'fusion');
    assert.match(r.summary[0], /Simulated 3 bundles of "Invoice export" \(profile fusion\): 3 completed\./);
  });

  test('per-bundle fault with auto-retry: one pending record with the spec 3 shape', () => {
    const r = run([mod(1), mod(2, { name: 'Fetch invoice PDF' }), mod(3)], 3, [
      { module: 2, error: 'ConnectionError', message: 'ECONNRESET', bundles: [2] },
    ]);
    assert.deepEqual(
      r.bundles.map((b) => b.result),
      ['completed', 'stored', 'completed'],
    );
    assert.equal(r.runResult, 'warning');
    assert.deepEqual(
      r.bundles[1].steps.map((s) => [s.moduleId, s.status]),
      [
        [1, 'ok'],
        [2, 'failed'],
      ],
      'module 3 not reached',
    );
    assert.deepEqual(r.bundles[1].stored, ['ie-000001']);
    assert.equal(r.executions.length, 1);
    const e = r.executions[0];
    assert.deepEqual(e, {
      id: 'ie-000001',
      origin: 'simulation',
      scenario: 'Invoice export',
      scenarioFile: 'scenarios/invoices.scenario.yaml',
      moduleId: 2,
      moduleName: 'Fetch invoice PDF',
      error: { type: 'ConnectionError', message: 'ECONNRESET' },
      status: 'pending',
      autoRetry: true,
      attempts: 0,
      maxAttempts: 8,
      nextRetryAt: '2026-11-20T10:01:00.000Z',
      created: '2026-11-20T10:00:00.000Z',
      updated: '2026-11-20T10:00:00.000Z',
      size: JSON.stringify({ bundle: 2 }).length,
      bundle: { bundle: 2 },
      bundleNumber: 2,
      history: [{ at: '2026-11-20T10:00:00.000Z', action: 'created', result: 'stored', error: 'ConnectionError' }],
    });
    assert.ok(
      r.summary.some((l) =>
        /^Bundle 2: stored — module 2 \(Fetch invoice PDF\) failed with ConnectionError → incomplete execution ie-000001 stored \(automatic retry at 2026-11-20T10:01:00.000Z, 8 attempts\)\.$/.test(
          l,
        ),
      ),
      r.summary.join('\n'),
    );
  });

  test('fault on all bundles without retry: unresolved records, default message', () => {
    const r = run([mod(1), mod(2)], 2, [{ module: 2, error: 'DataError' }]);
    assert.equal(r.executions.length, 2);
    for (const e of r.executions) {
      assert.equal(e.status, 'unresolved');
      assert.equal(e.autoRetry, false);
      assert.equal(e.maxAttempts, 0);
      assert.equal(e.nextRetryAt, null);
      assert.equal(e.error.message, 'DataError (simulated fault)');
      assert.equal(e.moduleName, 'http:makeRequest', 'falls back to the app when the module has no name');
    }
    assert.deepEqual(
      r.executions.map((e) => e['bundleNumber']),
      [1, 2],
    );
  });

  test('break with autoComplete: schedule of the route', () => {
    const r = run([mod(1), mod(2, { onError: { directive: 'break', autoComplete: true, attempts: 5, intervalMinutes: 20 } })], 1, [
      { module: 2, error: 'DataError' },
    ]);
    const e = r.executions[0];
    assert.equal(e.status, 'pending');
    assert.equal(e.maxAttempts, 5);
    assert.equal(e.nextRetryAt, '2026-11-20T10:20:00.000Z');
  });

  test('router: routes are independent branches, in order', () => {
    const modules = [
      mod(1),
      mod(10, {
        routes: [
          [mod(11), mod(12)],
          [mod(21), mod(22)],
        ],
      }),
    ];
    const r = run(modules, 1, [{ module: 11, error: 'RateLimitError' }]);
    assert.deepEqual(
      r.bundles[0].steps.map((s) => [s.moduleId, s.status]),
      [
        [1, 'ok'],
        [10, 'ok'],
        [11, 'failed'],
        [21, 'ok'],
        [22, 'ok'],
      ],
    );
    assert.equal(r.bundles[0].result, 'stored');
    assert.equal(r.executions[0].moduleId, 11);
    // both routes fail → two records for one bundle
    const r2 = run(modules, 1, [
      { module: 11, error: 'RateLimitError' },
      { module: 22, error: 'DataError' },
    ]);
    assert.deepEqual(
      r2.executions.map((e) => [e.moduleId, e.status]),
      [
        [11, 'pending'],
        [22, 'unresolved'],
      ],
    );
    assert.deepEqual(r2.bundles[0].stored, ['ie-000001', 'ie-000002']);
  });

  test('resume continues with the substitute output; ignore drops only that branch', () => {
    const modules = [
      mod(1),
      mod(10, {
        routes: [
          [mod(11, { onError: { directive: 'resume', output: { ok: true } } }), mod(12)],
          [mod(21, { onError: { directive: 'ignore' } }), mod(22)],
          [mod(31)],
        ],
      }),
    ];
    const r = run(modules, 2, [
      { module: 11, error: 'DataError' },
      { module: 21, error: 'DataError' },
    ]);
    assert.deepEqual(
      r.bundles[0].steps.map((s) => [s.moduleId, s.status]),
      [
        [1, 'ok'],
        [10, 'ok'],
        [11, 'failed'],
        [12, 'ok'],
        [21, 'failed'],
        [31, 'ok'],
      ],
    );
    assert.deepEqual(
      r.bundles.map((b) => b.result),
      ['dropped', 'dropped'],
    );
    assert.equal(r.runResult, 'warning');
    assert.equal(r.executions.length, 0);
    assert.ok(r.summary.some((l) => /resumed with the substitute output/.test(l)));
    assert.ok(r.summary.some((l) => /ignored, this branch is dropped/.test(l)));
  });

  test('failed (no handler, rule 5) ends the run; later bundles are not processed', () => {
    const r = run([mod(1), mod(2), mod(3)], 5, [{ module: 3, error: 'RuntimeError', bundles: [2] }]);
    assert.deepEqual(
      r.bundles.map((b) => b.result),
      ['completed', 'failed', 'not-processed', 'not-processed', 'not-processed'],
    );
    assert.equal(r.runResult, 'failed');
    assert.deepEqual(r.bundles[2].steps, []);
    assert.ok(r.summary.includes('Bundles 3–5: not processed (the run ended at bundle 2).'), r.summary.join('\n'));
  });

  test('rollback and stopped (first module) end the run', () => {
    const rb = run([mod(1), mod(2, { onError: { directive: 'rollback' } })], 3, [{ module: 2, error: 'DataError', bundles: [1] }]);
    assert.deepEqual(
      rb.bundles.map((b) => b.result),
      ['failed', 'not-processed', 'not-processed'],
    );
    assert.ok(rb.summary.some((l) => /rolled back/.test(l)));
    const st = run([mod(1), mod(2)], 2, [{ module: 1, error: 'ConnectionError' }]);
    assert.deepEqual(
      st.bundles.map((b) => b.result),
      ['stopped', 'not-processed'],
    );
    assert.equal(st.runResult, 'stopped');
    assert.equal(st.executions.length, 0);
  });

  test('commit ends the run successfully; earlier stored records are kept', () => {
    const r = run([mod(1), mod(2), mod(3, { onError: { directive: 'commit' } })], 4, [
      { module: 2, error: 'ConnectionError', bundles: [1] },
      { module: 3, error: 'DataError', bundles: [2] },
    ]);
    assert.deepEqual(
      r.bundles.map((b) => b.result),
      ['stored', 'completed', 'not-processed', 'not-processed'],
    );
    assert.equal(r.executions.length, 1);
    assert.equal(r.runResult, 'warning');
    assert.ok(r.summary.some((l) => /Commit ends the run successfully/.test(l)));
  });

  test('storage off: a would-be stored failure fails the run', () => {
    const r = run([mod(1), mod(2)], 2, [{ module: 2, error: 'ConnectionError' }], { storeIncompleteExecutions: false });
    assert.deepEqual(
      r.bundles.map((b) => b.result),
      ['failed', 'not-processed'],
    );
    assert.equal(r.executions.length, 0);
  });

  test('handler route modules run before the directive and can fail themselves', () => {
    const modules = [mod(1), mod(2, { onError: { directive: 'ignore', modules: [mod(21, { app: 'slack:createMessage' })] } }), mod(3)];
    const ok = run(modules, 1, [{ module: 2, error: 'DataError' }]);
    assert.deepEqual(
      ok.bundles[0].steps.map((s) => [s.moduleId, s.status]),
      [
        [1, 'ok'],
        [2, 'failed'],
        [21, 'ok'],
      ],
    );
    assert.equal(ok.bundles[0].result, 'dropped');
    // the handler module fails with a ConnectionError: stored for module 21, then the Ignore applies
    const bad = run(modules, 1, [
      { module: 2, error: 'DataError' },
      { module: 21, error: 'ConnectionError' },
    ]);
    assert.deepEqual(
      bad.executions.map((e) => e.moduleId),
      [21],
    );
    assert.equal(bad.bundles[0].result, 'stored');
    // the handler module fails with RuntimeError: the whole run fails before the directive
    const fatal = run(modules, 2, [
      { module: 2, error: 'DataError' },
      { module: 21, error: 'RuntimeError' },
    ]);
    assert.deepEqual(
      fatal.bundles.map((b) => b.result),
      ['failed', 'not-processed'],
    );
  });

  test('profile option and scenario profile', () => {
    const s = buildScenario({ modules: [mod(1), mod(2)], simulation: { bundles: 1, faults: [{ module: 2, error: 'OutOfSpaceError' }] } });
    assert.equal(simulate(s, { clock, newId: ids() }).executions[0].autoRetry, true);
    const m = simulate(s, { clock, newId: ids(), profile: 'make' });
    assert.equal(m.profile, 'make');
    assert.equal(m.executions[0].autoRetry, false);
    assert.equal(m.executions[0].scenarioFile, undefined);
  });

  test('deterministic with injected clock and ids; default ids are ie- + 24 hex (96 random bits) and unique', () => {
    const modules = [mod(1), mod(2)];
    const a = run(modules, 3, [{ module: 2, error: 'ConnectionError' }]);
    const b = run(modules, 3, [{ module: 2, error: 'ConnectionError' }]);
    assert.deepEqual(a, b);
    const s = buildScenario({ modules, simulation: { bundles: 20, faults: [{ module: 2, error: 'DataError' }] } });
    const r = simulate(s, { clock });
    const got = r.executions.map((e) => e.id);
    for (const id of got) assert.match(id, /^ie-[0-9a-f]{24}$/);
    assert.equal(new Set(got).size, got.length);
    assert.match(randomExecutionId(), /^ie-[0-9a-f]{24}$/);
    assert.throws(() => simulate(s, { clock, newId: () => 'ie-same00' }), /keeps returning "ie-same00"/);
  });

  test('no simulation section: one bundle', () => {
    const s = buildScenario({ modules: [mod(1)] });
    assert.equal(simulate(s, { clock }).bundles.length, 1);
  });

  test('activeFault: bundle filter and recoverAfter', () => {
    const s = buildScenario({
      modules: [mod(1)],
      simulation: { bundles: 1, faults: [{ module: 1, error: 'X', bundles: [2], recoverAfter: 2 }] },
    });
    const faults = s.simulation?.faults ?? [];
    assert.equal(activeFault(faults, 1, 1, 0), undefined);
    assert.ok(activeFault(faults, 1, 2, 0));
    assert.ok(activeFault(faults, 1, 2, 1));
    assert.equal(activeFault(faults, 1, 2, 2), undefined);
    assert.equal(activeFault(faults, 1, null, 0), undefined, 'no bundle number: only unfiltered faults apply');
  });
});
