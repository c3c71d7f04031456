// A module after the trigger that no error-handler route covers. The message is one line for the
// Problems panel: the module and, in short, what a failure there does ("a failure stores an
// incomplete execution or fails the run"); the detail (the diagnostic's related information, the
// JSON output) says what each group of error types does, so the reader sees what is at stake.
import { outcomesByErrorTypeIn, unknownTypeOutcomeIn } from '../../classify/classifier';
import { OUTCOME_WORDS, outcomeVerb } from '../../classify/outcomes';
import type { Outcome, Profile, Scenario, ScenarioModule } from '../../model';
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
      const { message, detail } = texts(classifierView(ctx.scenario, m, ctx.byId), m, ctx.profile);
      report(m.anchor, message, m.id, detail);
    }
  },
});

/**
 * The summary and, when the error types do different things, the detail:
 * `Module 2 (http:makeRequest) has no error-handler route: a failure stores an incomplete execution or fails the run.`
 * and `ConnectionError, … store an incomplete execution with automatic retry; …; any other error fails the run.`
 * When every error does the same, the message says it whole and there is no detail.
 */
function texts(view: Scenario, m: ScenarioModule, profile: Profile): { message: string; detail?: string } {
  const ctx = contextIn(view, m);
  const groups = outcomesByErrorTypeIn(view, ctx, profile);
  const other = unknownTypeOutcomeIn(view, ctx, profile);
  const parts: string[] = [];
  const outcomes: Outcome[] = [];
  for (const g of groups) {
    if (g.outcome === other || g.errorTypes.length === 0) continue;
    parts.push(`${listTypes(g.errorTypes)} ${outcomeVerb(g.outcome, g.errorTypes.length > 1)}`);
    outcomes.push(g.outcome);
  }
  parts.push(`${parts.length ? 'any other error' : 'every error'} ${outcomeVerb(other, false)}`);
  outcomes.push(other);
  const storageOff = view.settings.storeIncompleteExecutions ? '' : ' (storing of incomplete executions is off)';
  const head = `${moduleTitle(m)} has no error-handler route${storageOff}`;
  if (parts.length === 1) return { message: `${head}: ${parts[0]}.` };
  const gists = [...new Set(outcomes.map((o) => OUTCOME_WORDS[o].gist))];
  return { message: `${head}: a failure ${gists.join(' or ')}.`, detail: `${parts.join('; ')}.` };
}
