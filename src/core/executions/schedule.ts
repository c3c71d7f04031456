// The automatic-retry schedule of incomplete executions. Pure functions.
//
// - No handler (rule 3 in fusion / rule 4 in make): Make's published schedule, 8 attempts, the
//   n-th one `AUTO_RETRY_DELAYS_MINUTES[n-1]` minutes after the previous one (or after the
//   original run): 1, 10, 10, 30, 30, 30, 180, 180 → at 1 min, 11 min, 21 min, 51 min, 1 h 21,
//   1 h 51, 4 h 51 and 7 h 51 after the original run.
// - A Break route with "Automatically complete execution" (`autoComplete`): `attempts` attempts,
//   every `intervalMinutes` minutes.
// - Anything else: no automatic attempt (maxAttempts 0, nextRetryAt null).
import type { Classification, ErrorHandlerRoute } from '../model';

export const AUTO_RETRY_DELAYS_MINUTES: readonly number[] = [1, 10, 10, 30, 30, 30, 180, 180];

export type RetryPolicy =
  | { readonly kind: 'default' }
  | { readonly kind: 'break'; readonly attempts: number; readonly intervalMinutes: number }
  | { readonly kind: 'none' };

export const NO_RETRY: RetryPolicy = { kind: 'none' };
export const DEFAULT_RETRY: RetryPolicy = { kind: 'default' };

export function breakPolicy(route: Pick<ErrorHandlerRoute, 'attempts' | 'intervalMinutes'>): RetryPolicy {
  return { kind: 'break', attempts: route.attempts, intervalMinutes: route.intervalMinutes };
}

/** The retry policy a classification leads to. */
export function retryPolicyFor(c: Classification): RetryPolicy {
  if (!c.storesIncompleteExecution || !c.autoRetry) return NO_RETRY;
  if (c.handler === 'break' && c.route) return breakPolicy(c.route);
  return DEFAULT_RETRY;
}

/** How many automatic attempts the policy makes in all. */
export function maxAttempts(policy: RetryPolicy): number {
  switch (policy.kind) {
    case 'default':
      return AUTO_RETRY_DELAYS_MINUTES.length;
    case 'break':
      return Math.max(0, Math.floor(policy.attempts));
    case 'none':
      return 0;
  }
}

/** Minutes between attempt `n` (0 = the original run) and attempt `n + 1`; null when no attempt follows. */
export function delayAfterAttempt(policy: RetryPolicy, n: number): number | null {
  if (!Number.isInteger(n) || n < 0 || n >= maxAttempts(policy)) return null;
  switch (policy.kind) {
    case 'default':
      return AUTO_RETRY_DELAYS_MINUTES[n];
    case 'break':
      return policy.intervalMinutes;
    case 'none':
      return null;
  }
}

/**
 * When the next automatic attempt runs, after attempt `n` (0 = the original run) happened at `t`;
 * null when the attempts are exhausted (or the policy makes none).
 */
export function nextRetryAt(policy: RetryPolicy, n: number, t: Date): Date | null {
  const minutes = delayAfterAttempt(policy, n);
  if (minutes === null) return null;
  return new Date(t.getTime() + minutes * 60_000);
}

/** Every automatic attempt time, from the original run at `t0`, assuming each attempt fails at its scheduled time. */
export function scheduleFrom(policy: RetryPolicy, t0: Date): Date[] {
  const out: Date[] = [];
  let t = t0;
  for (let n = 0; ; n++) {
    const next = nextRetryAt(policy, n, t);
    if (!next) return out;
    out.push(next);
    t = next;
  }
}
