import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nextRetryOf } from '../../src/core/executions/nextRetry';

const NOW = new Date('2026-11-20T12:00:00.000Z');

describe('nextRetryOf', () => {
  test('a pending record whose time has come is overdue since that time (the due rule: at or before now)', () => {
    assert.deepEqual(nextRetryOf({ status: 'pending', nextRetryAt: '2026-11-20T10:42:00.000Z' }, NOW), {
      kind: 'overdue',
      since: new Date('2026-11-20T10:42:00.000Z'),
    });
    assert.equal(nextRetryOf({ status: 'pending', nextRetryAt: NOW.toISOString() }, NOW).kind, 'overdue');
  });

  test('a time still to come is scheduled', () => {
    assert.deepEqual(nextRetryOf({ status: 'pending', nextRetryAt: '2026-11-20T12:00:01.000Z' }, NOW), {
      kind: 'scheduled',
      at: new Date('2026-11-20T12:00:01.000Z'),
    });
  });

  test('an in-progress record is never overdue (it is being retried); resolved and unscheduled ones say so', () => {
    assert.equal(nextRetryOf({ status: 'in-progress', nextRetryAt: '2026-11-20T10:42:00.000Z' }, NOW).kind, 'scheduled');
    assert.equal(nextRetryOf({ status: 'resolved', nextRetryAt: '2026-11-20T10:42:00.000Z' }, NOW).kind, 'resolved');
    assert.equal(nextRetryOf({ status: 'unresolved', nextRetryAt: null }, NOW).kind, 'none');
    assert.equal(nextRetryOf({ status: 'pending', nextRetryAt: '  ' }, NOW).kind, 'none');
  });

  test('a value that is no date is passed on as written', () => {
    assert.deepEqual(nextRetryOf({ status: 'pending', nextRetryAt: 'tomorrow' }, NOW), { kind: 'unreadable', text: 'tomorrow' });
  });
});
