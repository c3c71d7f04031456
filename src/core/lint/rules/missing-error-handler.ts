// A module after the trigger that no error-handler route covers: the message says what each group
// of error types would do there, so the reader sees what is at stake.
import { outcomesByErrorTypeIn, unknownTypeOutcomeIn } from '../../classify/classifier';
import { outcomeVerb } from '../../classify/outcomes';
import type { Profile, Scenario, ScenarioModule } from '../../model';
import { applicableRoutes, classifierView, contextIn, listTypes, moduleTitle } from '../coverage';
import { defineRule } from '../rule';

export const rule = defineRule({
  code: 'missing-error-handler',
  defaultSeverity: 'warning',
  structural: false,
  summary: "A module after the trigger has no error-handler route that applies to it (its own `onError`, or an enclosing router's).",
  check(ctx, report) {
    const first = ctx.scenario.modules[0];
    for (const m of ctx.modules) {
      // Routers have no action of their own; modules inside a handler route are the handling.
      if (m.isRouter || m === first || m.handlerOf !== undefined) continue;
      if (applicableRoutes(m, ctx.byId).length > 0) continue;
      report(m.anchor, message(classifierView(ctx.scenario, m, ctx.byId), m, ctx.profile), m.id);
    }
  },
});

function message(view: Scenario, m: ScenarioModule, profile: Profile): string {
  const ctx = contextIn(view, m);
  const groups = outcomesByErrorTypeIn(view, ctx, profile);
  const other = unknownTypeOutcomeIn(view, ctx, profile);
  const parts: string[] = [];
  for (const g of groups) {
    if (g.outcome === other || g.errorTypes.length === 0) continue;
    parts.push(`${listTypes(g.errorTypes)} ${outcomeVerb(g.outcome, g.errorTypes.length > 1)}`);
  }
  parts.push(`${parts.length ? 'any other error' : 'every error'} ${outcomeVerb(other, false)}`);
  const storageOff = view.settings.storeIncompleteExecutions ? '' : ' (storing of incomplete executions is off)';
  return `${moduleTitle(m)} has no error-handler route${storageOff}: ${parts.join('; ')}.`;
}
