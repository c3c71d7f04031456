// Error type names the catalogue does not know, in `errors:` filters and in simulation faults.
// Custom apps raise their own types, so this is a warning with a "did you mean" for typos.
import { ERROR_TYPE_NAMES, isKnownErrorType, UNKNOWN_TYPE_UNHANDLED } from '../../catalogue/catalogue';
import { OUTCOME_WORDS } from '../../classify/outcomes';
import type { Profile } from '../../model';
import { nearest } from '../../text/spelling';
import { defineRule } from '../rule';

export const rule = defineRule({
  code: 'unknown-error-type',
  defaultSeverity: 'warning',
  structural: false,
  summary: 'A name in `errors:` or in `simulation.faults[].error` is not in the error catalogue.',
  check(ctx, report) {
    for (const m of ctx.modules) {
      for (const route of m.onError) {
        route.errors?.forEach((name, i) => {
          if (!isKnownErrorType(name)) report(route.errorSpans[i] ?? route.span, message(name, ctx.profile), m.id);
        });
      }
    }
    for (const fault of ctx.scenario.simulation?.faults ?? []) {
      if (!isKnownErrorType(fault.error)) report(fault.errorSpan ?? fault.span, message(fault.error, ctx.profile), fault.module);
    }
  },
});

function message(name: string, profile: Profile): string {
  const hint = nearest(name, ERROR_TYPE_NAMES);
  const suggestion = hint && hint !== name ? ` Did you mean ${hint}?` : '';
  return `"${name}" is not an error type in the catalogue.${suggestion} Custom app errors are allowed; without a handler ${OUTCOME_WORDS[UNKNOWN_TYPE_UNHANDLED[profile]].they}.`;
}
