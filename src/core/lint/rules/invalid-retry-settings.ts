// The retry settings of a Break route: whole numbers within the platform's limits, and only on a
// Break. The parsers report retry fields whose value has the wrong type; this check reports values
// out of range and retry fields on other directives (not on a directive Fusion does not know).
import type { Profile } from '../../model';
import { defineRule } from '../rule';
import { handlerRoutesOf } from '../../model';

/**
 * Retry limits of a Break route: attempts 1..100 in Fusion, 1..10000 in Make; the interval between
 * attempts 1..44640 minutes (31 days) in both.
 */
export const RETRY_LIMITS: Readonly<Record<Profile, { readonly maxAttempts: number }>> & { readonly maxIntervalMinutes: number } = {
  fusion: { maxAttempts: 100 },
  make: { maxAttempts: 10000 },
  maxIntervalMinutes: 44640,
};

export const rule = defineRule({
  code: 'invalid-retry-settings',
  defaultSeverity: 'error',
  structural: true,
  fromParser: true,
  summary:
    '`attempts` / `intervalMinutes` (blueprint `count` / `interval`) out of range, or `autoComplete`, `attempts`, `intervalMinutes` on a directive other than `break`.',
  check(ctx, report) {
    const maxAttempts = RETRY_LIMITS[ctx.profile].maxAttempts;
    for (const m of ctx.modules) {
      // Its own routes, and the directives ending its routes / branches inside a handler route.
      for (const route of handlerRoutesOf(m)) {
        const fields = ctx.fieldSpans(route);
        const where = route.directiveSpan ?? route.span;
        if (route.directive === 'break') {
          if (!Number.isInteger(route.attempts) || route.attempts < 1 || route.attempts > maxAttempts) {
            report(
              fields.attempts ?? where,
              `\`attempts\` must be a whole number from 1 to ${maxAttempts} (profile ${ctx.profile}); found ${route.attempts}.`,
              m.id,
            );
          }
          if (
            !Number.isInteger(route.intervalMinutes) ||
            route.intervalMinutes < 1 ||
            route.intervalMinutes > RETRY_LIMITS.maxIntervalMinutes
          ) {
            report(
              fields.intervalMinutes ?? where,
              `\`intervalMinutes\` must be a whole number of minutes from 1 to ${RETRY_LIMITS.maxIntervalMinutes} (31 days); found ${route.intervalMinutes}.`,
              m.id,
            );
          }
        } else if (route.unknownDirective === undefined) {
          // A directive Fusion does not know (`brake`) is reported as unknown-directive: whether
          // these settings apply depends on what was meant, so they are not reported as misplaced.
          for (const field of ['autoComplete', 'attempts', 'intervalMinutes'] as const) {
            const span = fields[field];
            if (span) {
              report(
                span,
                `\`${field}\` only applies to a Break directive; this route's directive is ${route.directive}${route.directiveExplicit ? '' : ' (the default)'}, so it has no effect.`,
                m.id,
              );
            }
          }
        }
      }
    }
  },
});
