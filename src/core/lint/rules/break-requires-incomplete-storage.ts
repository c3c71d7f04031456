// A Break directive stores an incomplete execution; with storage off it cannot, and the run fails.
import { defineRule } from '../rule';

export const rule = defineRule({
  code: 'break-requires-incomplete-storage',
  defaultSeverity: 'error',
  structural: false,
  summary: 'A `break` directive in a scenario whose `storeIncompleteExecutions` is false (blueprint `dlq: false`).',
  check(ctx, report) {
    if (ctx.scenario.settings.storeIncompleteExecutions) return;
    for (const m of ctx.modules) {
      for (const route of m.onError) {
        if (route.directive !== 'break') continue;
        report(
          route.directiveSpan ?? route.span,
          `A Break directive needs "Allow storing of incomplete executions": settings.storeIncompleteExecutions is false, so this route cannot store anything and the run fails instead. Turn the setting on or use another directive.`,
          m.id,
        );
      }
    }
  },
});
