/** Shared pieces of the Make tests: a token, a fake clock, records and scenarios for the fake server. */
import type { BudgetClock } from '../../../src/core/make/budget';
import type { FakeDlq } from '../../support/makeApiServer';

/** An API key as Make issues them (a UUID v4): the SDK sends it as `Token <key>`. */
export const TOKEN = '3c9d4e5f-1a2b-4c3d-8e9f-0a1b2c3d4e5f';

/** A clock whose sleeps return at once and move its time on; `slept` lists every sleep (ms). */
export function fakeClock(start = 1_700_000_000_000): BudgetClock & { slept: number[]; t: number } {
  const c = {
    t: start,
    slept: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.slept.push(ms);
      c.t += ms;
    },
  };
  return c;
}

let n = 0;
/** A stored DLQ of `scenarioId` failing at module 3 with a DataError (id: 32 hex digits). */
export function dlq(scenarioId: number, extra: Partial<FakeDlq> = {}): FakeDlq {
  n++;
  const id = extra.id ?? `${n.toString(16).padStart(8, '0')}aa00bb11cc22dd33ee44ff55`;
  return {
    id,
    scenarioId,
    reason: 'Invalid email address',
    created: new Date(Date.UTC(2026, 10, 20, 10, 0, n % 60)).toISOString(),
    size: 120 + (n % 7),
    resolved: false,
    retry: false,
    attempts: 0,
    bundle: { '1': { value: { email: '' } }, '3': { error: { type: 'DataError', message: 'Invalid email address: ""' } } },
    ...extra,
  };
}
