// Error-handler routes whose `errors:` filters leave some catalogue types uncaught: the message says
// which fall through to the default rules and what they do there.
import { ERROR_TYPE_NAMES, lookupErrorType } from '../../catalogue/catalogue';
import { classifyOutcome, routeApplies, unknownTypeOutcomeIn } from '../../classify/classifier';
import { outcomeVerb } from '../../classify/outcomes';
import { isFlowControl } from '../../model';
import type { ClassifiedOutcome, ErrorHandlerRoute, Profile, Scenario, ScenarioModule } from '../../model';
import { applicableRoutes, classifierView, contextIn, listTypes, moduleTitle } from '../coverage';
import { defineRule } from '../rule';

export const rule = defineRule({
  code: 'partial-error-handler',
  defaultSeverity: 'information',
  structural: false,
  summary: "The module's routes have `errors:` filters that catch only some error types.",
  check(ctx, report) {
    const first = ctx.scenario.modules[0];
    // What an error type no route catches does at a module after the trigger: the default rules,
    // the same for every such module, so classified once per lint and type.
    const fallThrough = new Map<string, ClassifiedOutcome>();
    for (const m of ctx.modules) {
      if (isFlowControl(m)) continue;
      // The trigger's routes never apply in fusion: a failing first module stops the run.
      if (m === first && ctx.profile === 'fusion') continue;
      const applicable = applicableRoutes(m, ctx.byId);
      if (applicable.length === 0) continue;
      const text = message(classifierView(ctx.scenario, m, ctx.byId), m, applicable, ctx.profile, m === first ? undefined : fallThrough);
      if (text) report(m.anchor, text, m.id);
    }
  },
});

function message(
  scenario: Scenario,
  m: ScenarioModule,
  routes: readonly ErrorHandlerRoute[],
  profile: Profile,
  fallThrough: Map<string, ClassifiedOutcome> | undefined,
): string | undefined {
  // A route with no `errors` list and no filter catches everything.
  if (routes.some((r) => r.errors === null && r.filter === undefined)) return undefined;
  // In make, a type no route can catch need not be listed.
  const mustCatch = ERROR_TYPE_NAMES.filter((t) => !(profile === 'make' && lookupErrorType(t)?.uncatchableInMake));
  // A type a filtered route may catch (it depends on the message or data) is reported by
  // decided-at-run-time, not here.
  const uncaught = mustCatch.filter((t) => !routes.some((r) => routeApplies(r, t, [m.id]) !== 'no'));
  if (uncaught.length === 0) return undefined;
  const caught = [...new Set(routes.flatMap((r) => r.errors ?? []))];
  const byOutcome = new Map<ClassifiedOutcome, string[]>();
  const ctx = contextIn(scenario, m);
  for (const t of uncaught) {
    // No route applies to `t` here (each said 'no'), so the lookup ends in the default rules.
    let o = fallThrough?.get(t);
    if (o === undefined) {
      o = classifyOutcome(scenario, ctx, t, profile);
      fallThrough?.set(t, o);
    }
    byOutcome.set(o, [...(byOutcome.get(o) ?? []), t]);
  }
  const other = unknownTypeOutcomeIn(scenario, ctx, profile);
  const parts: string[] = [];
  for (const o of ['incomplete-with-retry', 'incomplete-without-retry', 'stopped', 'succeeded', 'depends', 'failed', 'unknown'] as const) {
    const types = byOutcome.get(o);
    if (!types || o === other) continue;
    parts.push(`${listTypes(types)} ${outcomeVerb(o, types.length > 1)}`);
  }
  const rest = byOutcome.get(other);
  if (rest && rest.length <= 5)
    parts.push(`${listTypes(rest)} ${outcomeVerb(other, rest.length > 1)} (so do error types the catalogue does not know)`);
  else if (rest) parts.push(`${parts.length ? 'any other uncaught error' : 'every uncaught error'} ${outcomeVerb(other, false)}`);
  const many = m.onError.length > 1 || (m.onError.length === 0 && routes.length > 1);
  const via =
    m.onError.length > 0 ? `its error-handler route${many ? 's' : ''}` : `the enclosing router's error-handler route${many ? 's' : ''}`;
  const caughtText = caught.length
    ? `${many ? 'catch' : 'catches'} only ${listTypes(caught)}`
    : `${many ? 'catch' : 'catches'} no error type`;
  return `${moduleTitle(m)}: ${via} ${caughtText}; the other errors fall through to the default rules: ${parts.join('; ')}.`;
}
