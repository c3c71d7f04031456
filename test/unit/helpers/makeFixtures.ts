/** Shared pieces of the Make tests: a token, a fake clock, records and scenarios for the fake server. */
import type { BudgetClock } from '../../../src/core/make/budget';
import type { FakeDlq, MakeApiServer } from '../../support/makeApiServer';

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

/**
 * Make's retry as the fake server plays it in these tests: a record whose stored blueprint has an
 * error-handler route on the failing module resolves; any other fails again (one more attempt).
 */
export function retryResolvesWhenHandled(d: FakeDlq): void {
  const bp = d.blueprint as { flow?: { id: number; onerror?: unknown[] }[] } | undefined;
  if (bp?.flow?.some((m) => m.id === d.failer && Array.isArray(m.onerror) && m.onerror.length > 0)) d.resolved = true;
  else d.attempts += 1;
}

/** Empties the fake server between tests: no requests seen, no faults armed, no records, no scenarios. */
export function resetServer(server: MakeApiServer): void {
  server.requests.length = 0;
  server.faults.length = 0;
  server.dlqs.clear();
  server.scenarios.clear();
  server.vanishAfterList.clear();
}
