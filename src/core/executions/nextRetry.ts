/**
 * When a record's next automatic retry runs, as a person reads it: scheduled at a time still to
 * come, or overdue since a time already past. Nothing runs the retries of the local executions
 * file by itself: a `pending` record whose `nextRetryAt` has come is due (Run Due Retries / the
 * CLI's `run-due` pick it) and stays due until someone runs them, so the tree and the details say
 * "overdue" rather than show a time in the past as if it were still to come.
 */
import type { IncompleteExecution } from './model';

export type NextRetry =
  /** Resolved: nothing more happens to it. */
  | { readonly kind: 'resolved' }
  /** No automatic retry is scheduled: a person retries or resolves it. */
  | { readonly kind: 'none' }
  /** `nextRetryAt` is later than now. */
  | { readonly kind: 'scheduled'; readonly at: Date }
  /** A `pending` record whose `nextRetryAt` is now or earlier: due since `since`. */
  | { readonly kind: 'overdue'; readonly since: Date }
  /** `nextRetryAt` is not a date; `text` is what the file says. */
  | { readonly kind: 'unreadable'; readonly text: string };

export function nextRetryOf(r: Pick<IncompleteExecution, 'status' | 'nextRetryAt'>, now: Date): NextRetry {
  if (r.status === 'resolved') return { kind: 'resolved' };
  if (typeof r.nextRetryAt !== 'string' || r.nextRetryAt.trim() === '') return { kind: 'none' };
  const t = Date.parse(r.nextRetryAt);
  if (Number.isNaN(t)) return { kind: 'unreadable', text: r.nextRetryAt };
  // only a pending record is picked by Run Due Retries; an in-progress one is being retried now
  if (r.status === 'pending' && t <= now.getTime()) return { kind: 'overdue', since: new Date(t) };
  return { kind: 'scheduled', at: new Date(t) };
}
