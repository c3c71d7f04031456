// A simulation fault must name a module of the scenario (modules in handler routes count).
import { defineRule } from '../rule';

export const rule = defineRule({
  code: 'unknown-module-reference',
  defaultSeverity: 'error',
  structural: false,
  summary: 'A `simulation.faults[].module` names a module id that does not exist.',
  check(ctx, report) {
    for (const fault of ctx.scenario.simulation?.faults ?? []) {
      if (ctx.byId.has(fault.module)) continue;
      const ids = [...ctx.byId.keys()].sort((a, b) => a - b);
      report(
        fault.moduleSpan ?? fault.span,
        `Fault names module ${fault.module}, which does not exist in this scenario (ids: ${ids.length ? ids.join(', ') : 'none'}).`,
      );
    }
  },
});
