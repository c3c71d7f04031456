// A module after the trigger that no error-handler route covers: the message says what each group
// of error types would do there, so the reader sees what is at stake.
import { outcomesByErrorTypeIn, unknownTypeOutcomeIn } from '../../classify/classifier';
import { outcomeVerb } from '../../classify/outcomes';
import { isFlowControl } from '../../model';
import type { Profile, Scenario, ScenarioModule } from '../../model';
import { applicableRoutes, classifierView, contextIn, listTypes, moduleTitle, storageDefaultNote } from '../coverage';
import { defineRule } from '../rule';

export const rule = defineRule({
  code: 'missing-error-handler',
  defaultSeverity: 'warning',
  structural: false,
  summary: "A module after the trigger has no error-handler route that applies to it (its own `onError`, or an enclosing router's).",
  check(ctx, report) {
    const first = ctx.scenario.modules[0];
    // With no route to look up, what each error type does is the same for every such module (it
    // depends only on the profile and the scenario's settings): computed once per lint, so a
    // scenario where most modules lack a handler costs one classification of the catalogue, not one
    // per module.
    let parts: string | undefined;
    for (const m of ctx.modules) {
      // Routers, if-else, Merge and the unset trigger have no action of their own; modules inside a
      // handler route are the handling.
      if (isFlowControl(m) || m === first || m.handlerOf !== undefined) continue;
      if (applicableRoutes(m, ctx.byId).length > 0) continue;
      parts ??= messageParts(classifierView(ctx.scenario, m, ctx.byId), m, ctx.profile);
      report(m.anchor, `${moduleTitle(m)} has no error-handler route${parts}`, m.id);
    }
  },
});

/** The part of the message after "Module N has no error-handler route" (it does not depend on the module). */
function messageParts(view: Scenario, m: ScenarioModule, profile: Profile): string {
  const ctx = contextIn(view, m);
  const groups = outcomesByErrorTypeIn(view, ctx, profile);
  const other = unknownTypeOutcomeIn(view, ctx, profile);
  const parts: string[] = [];
  for (const g of groups) {
    if (g.outcome === other || g.errorTypes.length === 0) continue;
    parts.push(`${listTypes(g.errorTypes)} ${outcomeVerb(g.outcome, g.errorTypes.length > 1)}`);
  }
  parts.push(`${parts.length ? 'any other error' : 'every error'} ${outcomeVerb(other, false)}`);
  const storageOff = view.settings.storeIncompleteExecutions ? '' : ` (storing of incomplete executions is off${storageDefaultNote(view)})`;
  return `${storageOff}: ${parts.join('; ')}.`;
}
