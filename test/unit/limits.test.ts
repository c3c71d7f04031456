import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExecutionStatus, IncompleteExecution } from '../../src/core/executions/model';
import {
  RESOLVED_RETENTION_DAYS,
  SCENARIO_STORAGE_LIMIT_BYTES,
  TEAM_STORAGE_LIMIT_BYTES,
  formatBytes,
  formatPercent,
  needsAttention,
  purgeAt,
  recordBytes,
  resolvedAt,
  addToUsage,
  scenarioStorage,
  sequentialByScenarioFrom,
  usageByScenario,
  storageLevel,
  storageReport,
  utf8Length,
} from '../../src/core/executions/limits';
import { buildScenario, mod } from './helpers/scenarioBuilder';

const MB = 1024 * 1024;
const NOW = new Date('2026-11-20T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
let seq = 0;

function rec(scenario: string, status: ExecutionStatus, extra: Partial<IncompleteExecution> = {}): IncompleteExecution {
  return {
    id: `ie-${++seq}`,
    scenario,
    moduleId: 2,
    error: { type: 'ConnectionError', message: 'reset' },
    status,
    autoRetry: false,
    attempts: 0,
    maxAttempts: 0,
    nextRetryAt: null,
    created: '2026-11-01T00:00:00.000Z',
    updated: '2026-11-01T00:00:00.000Z',
    size: 100,
    history: [],
    ...extra,
  };
}
const report = (executions: IncompleteExecution[], seqMap?: Map<string, boolean>) =>
  storageReport({ executions }, { now: NOW, ...(seqMap ? { sequentialByScenario: seqMap } : {}) });
const scenarioOf = (r: ReturnType<typeof report>, name: string) => {
  const s = r.scenarios.find((x) => x.scenario === name);
  assert.ok(s, name);
  return s;
};

describe('limits: constants', () => {
  test('10 MB per scenario, 500 MB per team, 30 days', () => {
    assert.equal(SCENARIO_STORAGE_LIMIT_BYTES, 10_485_760);
    assert.equal(TEAM_STORAGE_LIMIT_BYTES, 524_288_000);
    assert.equal(RESOLVED_RETENTION_DAYS, 30);
  });
});

describe('limits: levels at 80 % and 100 %', () => {
  test('storageLevel boundaries', () => {
    assert.equal(storageLevel(0), 'ok');
    assert.equal(storageLevel(0.7999999), 'ok');
    assert.equal(storageLevel(0.8), 'warning');
    assert.equal(storageLevel(0.9999999), 'warning');
    assert.equal(storageLevel(1), 'full');
    assert.equal(storageLevel(3), 'full');
  });

  test('a scenario one byte below 80 % is ok, at 80 % warns, at 10 MB is full', () => {
    const eighty = Math.ceil(SCENARIO_STORAGE_LIMIT_BYTES * 0.8);
    assert.equal(scenarioOf(report([rec('A', 'unresolved', { size: eighty - 1 })]), 'A').level, 'ok');
    const w = scenarioOf(report([rec('A', 'unresolved', { size: eighty - 100 }), rec('A', 'pending', { size: 100 })]), 'A');
    assert.equal(w.level, 'warning');
    assert.equal(w.bytes, eighty);
    assert.equal(scenarioOf(report([rec('A', 'in-progress', { size: SCENARIO_STORAGE_LIMIT_BYTES - 1 })]), 'A').level, 'warning');
    const full = scenarioOf(report([rec('A', 'unresolved', { size: SCENARIO_STORAGE_LIMIT_BYTES })]), 'A');
    assert.equal(full.level, 'full');
    assert.equal(full.fraction, 1);
    assert.ok(needsAttention(full));
  });

  test('resolved records do not count towards the limit; pending and in-progress do', () => {
    const r = report([
      rec('A', 'resolved', { size: 9 * MB }),
      rec('A', 'unresolved', { size: 1 * MB }),
      rec('A', 'pending', { size: 2 * MB }),
      rec('A', 'in-progress', { size: 3 * MB }),
      rec('B', 'unresolved', { size: 5 }),
    ]);
    const a = scenarioOf(r, 'A');
    assert.equal(a.bytes, 6 * MB);
    assert.equal(a.records, 4);
    assert.equal(a.notResolved, 3);
    assert.equal(a.unresolved, 1);
    assert.equal(a.level, 'ok');
    assert.equal(r.team.bytes, 6 * MB + 5);
    assert.deepEqual(
      r.scenarios.map((s) => s.scenario),
      ['A', 'B'],
    );
  });

  test('team total against 500 MB, levels the same way', () => {
    const r = report(Array.from({ length: 41 }, (_, i) => rec(`S${i}`, 'unresolved', { size: 10 * MB })));
    assert.equal(r.team.bytes, 410 * MB);
    assert.equal(r.team.limit, TEAM_STORAGE_LIMIT_BYTES);
    assert.equal(r.team.level, 'warning');
    assert.equal(r.team.fraction, 0.82);
    assert.equal(report([rec('A', 'unresolved', { size: 500 * MB })]).team.level, 'full');
    assert.equal(report([]).team.level, 'ok');
  });
});

describe('limits: missing size', () => {
  test('a record without size counts as the UTF-8 byte length of its JSON and is flagged as estimated', () => {
    const r = rec('A', 'unresolved', { bundle: { name: 'Zoë €' } });
    const { size: _drop, ...noSize } = r;
    const bytes = Buffer.byteLength(JSON.stringify(noSize), 'utf8');
    assert.equal(recordBytes(noSize as IncompleteExecution), bytes);
    const a = scenarioOf(report([noSize, rec('A', 'pending', { size: 10 })]), 'A');
    assert.equal(a.bytes, bytes + 10);
    assert.equal(a.estimated, 1);
  });

  test('a negative or non-numeric size is treated as missing; size 0 is a real size', () => {
    const neg = rec('A', 'unresolved', { size: -5 });
    assert.equal(recordBytes(neg), Buffer.byteLength(JSON.stringify(neg)));
    const str = rec('A', 'unresolved', { size: '12' as unknown as number });
    assert.equal(recordBytes(str), Buffer.byteLength(JSON.stringify(str)));
    assert.equal(recordBytes(rec('A', 'unresolved', { size: 0 })), 0);
  });

  test('utf8Length matches Buffer.byteLength, surrogate pairs included', () => {
    for (const s of ['', 'abc', 'é', '€', '😀', 'a\ud800b', '\udc00', 'Zoë 😀 €'])
      assert.equal(utf8Length(s), Buffer.byteLength(s, 'utf8'), JSON.stringify(s));
  });
});

describe('limits: 30-day retention of resolved records', () => {
  test('purgeAt is 30 days after the resolve entry of the history', () => {
    const r = rec('A', 'resolved', {
      updated: '2026-11-19T00:00:00.000Z',
      history: [
        { at: '2026-10-01T08:00:00.000Z', action: 'retry', result: 'failed' },
        { at: '2026-10-02T08:00:00.000Z', action: 'resolve', result: 'resolved' },
        { at: '2026-11-19T00:00:00.000Z', action: 'import' },
      ],
    });
    assert.equal(resolvedAt(r), '2026-10-02T08:00:00.000Z');
    assert.equal(purgeAt(r)?.toISOString(), '2026-11-01T08:00:00.000Z');
  });

  test('a successful retry counts as the resolution; without history, updated is used', () => {
    const viaRetry = rec('A', 'resolved', { history: [{ at: '2026-11-10T00:00:00.000Z', action: 'auto-retry', result: 'succeeded' }] });
    assert.equal(resolvedAt(viaRetry), '2026-11-10T00:00:00.000Z');
    const bare = rec('A', 'resolved', { updated: '2026-11-05T10:00:00.000Z' });
    assert.equal(purgeAt(bare)?.toISOString(), '2026-12-05T10:00:00.000Z');
    assert.equal(resolvedAt(rec('A', 'unresolved')), undefined, 'not resolved: no date');
    assert.equal(purgeAt(rec('A', 'resolved', { updated: 'yesterday' })), undefined, 'no valid date');
  });

  test('purged exactly at 30 days, not a millisecond before; days since resolved are whole days', () => {
    const at = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
    const r = report([
      rec('A', 'resolved', { updated: at(30 * DAY) }),
      rec('A', 'resolved', { updated: at(30 * DAY - 1) }),
      rec('A', 'resolved', { updated: at(34 * DAY + 5000) }),
      rec('A', 'resolved', { updated: at(0) }),
      rec('A', 'unresolved'),
    ]);
    assert.deepEqual(
      r.resolved.map((x) => [x.purged, x.daysSinceResolved]),
      [
        [true, 30],
        [false, 29],
        [true, 34],
        [false, 0],
      ],
    );
    assert.equal(r.resolved[0].purgeAt, NOW.toISOString());
  });
});

describe('limits: sequential processing', () => {
  test('blocked only with sequential processing on and a not-resolved execution', () => {
    const seqMap = new Map([
      ['Seq open', true],
      ['Seq pending', true],
      ['Seq done', true],
      ['Parallel', false],
    ]);
    const r = report(
      [
        rec('Seq open', 'unresolved'),
        rec('Seq pending', 'pending'),
        rec('Seq done', 'resolved'),
        rec('Parallel', 'unresolved'),
        rec('Unknown', 'unresolved'),
      ],
      seqMap,
    );
    assert.equal(scenarioOf(r, 'Seq open').blocked, true);
    assert.equal(scenarioOf(r, 'Seq pending').blocked, true, 'a pending one is not resolved either');
    assert.equal(scenarioOf(r, 'Seq done').blocked, false);
    assert.equal(scenarioOf(r, 'Parallel').blocked, false);
    assert.equal(scenarioOf(r, 'Unknown').blocked, false);
    assert.equal(scenarioOf(r, 'Unknown').sequentialProcessing, undefined);
    assert.ok(needsAttention(scenarioOf(r, 'Seq open')));
    assert.ok(!needsAttention(scenarioOf(r, 'Parallel')));
    assert.equal(scenarioOf(report([rec('Seq open', 'unresolved')]), 'Seq open').blocked, false, 'no settings given: not blocked');
  });

  test('sequentialByScenarioFrom resolves once per scenario with a not-resolved record', () => {
    const lead = buildScenario({ name: 'Lead sync', settings: { sequentialProcessing: true }, modules: [mod(1)] });
    const orders = buildScenario({ name: 'Order sync', modules: [mod(1)] });
    const calls: string[] = [];
    const m = sequentialByScenarioFrom(
      [
        rec('Lead sync', 'unresolved'),
        rec('Lead sync', 'pending'),
        rec('Order sync', 'pending'),
        rec('Done', 'resolved'),
        rec('Gone', 'unresolved'),
      ],
      (e) => {
        calls.push(e.scenario);
        return [lead, orders].find((s) => s.name === e.scenario);
      },
    );
    assert.deepEqual(calls, ['Lead sync', 'Order sync', 'Gone']);
    assert.deepEqual(
      [...m],
      [
        ['Lead sync', true],
        ['Order sync', false],
      ],
    );
  });
});

describe('limits: usage kept up to date by deltas', () => {
  test("removing a record's old share and adding its new one equals a fresh count", () => {
    const before = rec('A', 'pending', { size: 9 * MB });
    const other = rec('A', 'unresolved', { size: MB });
    const u = usageByScenario([before, other]).get('A');
    assert.ok(u);
    assert.equal(scenarioStorage('A', u, true).level, 'full');
    const after = { ...before, status: 'resolved' as const };
    addToUsage(u, before, -1);
    addToUsage(u, after, 1);
    assert.deepEqual(u, usageByScenario([after, other]).get('A'));
    const s = scenarioStorage('A', u, true);
    assert.equal(s.level, 'ok');
    assert.equal(s.bytes, MB);
    assert.equal(s.blocked, true);
  });
});

describe('limits: formatting', () => {
  test('bytes and percentages', () => {
    assert.equal(formatBytes(412), '412 B');
    assert.equal(formatBytes(2048), '2 KB');
    assert.equal(formatBytes(SCENARIO_STORAGE_LIMIT_BYTES), '10 MB');
    assert.equal(formatBytes(TEAM_STORAGE_LIMIT_BYTES), '500 MB');
    assert.equal(formatBytes(Math.round(8.6 * MB)), '8.6 MB');
    assert.equal(formatPercent(0.86), '86%');
    assert.equal(formatPercent(0.7999), '79%', 'floored: never shows 80 % below the warning line');
  });
});
