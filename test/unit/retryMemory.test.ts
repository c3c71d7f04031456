// What keeps a retry of many records small in memory: flat, shared texts (compactText.ts), a
// checkpoint every so many replays (where the CLI collects garbage), the stored error object kept
// when the same error repeats. None of it may change what a retry writes or reports.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Scenario } from '../../src/core/model';
import type { ExecutionsFile, IncompleteExecution } from '../../src/core/executions/model';
import { TextPool, flatText } from '../../src/core/executions/compactText';
import { retryExecutions, type ScenarioResolver } from '../../src/core/executions/operations';
import { simulate } from '../../src/core/simulate/simulator';
import { buildScenario, mod } from './helpers/scenarioBuilder';

const T0 = new Date('2026-11-20T10:00:00.000Z');

function scenario(): Scenario {
  return buildScenario({
    name: 'Invoice export',
    modules: [mod(1), mod(2, { name: 'Fetch' }), mod(3, { name: 'Upload' })],
    simulation: { bundles: 5, faults: [{ module: 2, error: 'DataError' }] },
  });
}

function seeded(s: Scenario): ExecutionsFile {
  let n = 0;
  const r = simulate(s, { clock: () => T0, newId: () => `ie-${String(++n).padStart(6, '0')}`, scenarioFile: 'a.scenario.yaml' });
  return { version: 1, executions: r.executions };
}

const resolverFor =
  (s: Scenario): ScenarioResolver =>
  () =>
    s;

describe('compact texts', () => {
  test('flatText keeps the characters', () => {
    const parts = ['Simulated retry ', String(3), ' of ', 'ie-000001', ' failed — ünïcode 😀'];
    let built = '';
    for (const p of parts) built += p;
    assert.equal(flatText(built), parts.join(''));
    assert.equal(flatText(''), '');
    assert.equal(flatText('x'), 'x');
  });

  test('a TextPool gives back the text it is given (its kept copy for a text seen before)', () => {
    const pool = new TextPool();
    const first = pool.intern(`module ${2} fails`);
    assert.equal(first, 'module 2 fails');
    assert.equal(pool.intern(`module ${1 + 1} fails`), first);
    assert.notEqual(pool.intern('module 3 fails'), first);
  });
});

describe('retryExecutions of many records', () => {
  test('the checkpoint runs after every `every` replayed records, and changes nothing', () => {
    const s = scenario();
    const doc = seeded(s);
    const ids = doc.executions.map((r) => r.id);
    assert.equal(ids.length, 5);
    let calls = 0;
    const clock = (): Date => new Date('2026-11-21T00:00:00.000Z');
    const withCheckpoint = retryExecutions(doc, [...ids, 'ie-missing'], resolverFor(s), {
      clock,
      checkpoint: { every: 2, run: () => calls++ },
    });
    const without = retryExecutions(doc, [...ids, 'ie-missing'], resolverFor(s), { clock });
    assert.equal(calls, 2, 'after the 2nd and the 4th replay (a missing id is not replayed)');
    assert.deepEqual(withCheckpoint, without);
  });

  test('records retried in one call share their time; a repeated error keeps its stored object', () => {
    const s = scenario();
    const doc = seeded(s);
    const out = retryExecutions(
      doc,
      doc.executions.map((r) => r.id),
      resolverFor(s),
      { clock: () => new Date('2026-11-21T00:00:00.000Z') },
    );
    assert.deepEqual(
      out.results.map((r) => r.result),
      ['failed', 'failed', 'failed', 'failed', 'failed'],
    );
    const before = (id: string): IncompleteExecution => doc.executions.find((r) => r.id === id) as IncompleteExecution;
    for (const r of out.doc.executions) {
      assert.equal(r.updated, '2026-11-21T00:00:00.000Z');
      assert.equal(r.history.length, before(r.id).history.length + 1);
      // The same DataError at the same module again: the stored error object itself is kept.
      assert.equal(r.error, before(r.id).error);
    }
  });
});
