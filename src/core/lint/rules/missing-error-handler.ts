// A module after the trigger that no error-handler route covers. The message is one line for the
// Problems panel: the module and, in short, what a failure there does ("a failure stores an
// incomplete execution or fails the run"); the detail (the diagnostic's related information, the
// JSON output) says what each group of error types does, so the reader sees what is at stake.
import { outcomesByErrorTypeIn, unknownTypeOutcomeIn } from '../../classify/classifier';
import { OUTCOME_WORDS, outcomeVerb } from '../../classify/outcomes';
import { isFlowControl } from '../../model';
import type { ClassifiedOutcome, Profile, Scenario, ScenarioModule } from '../../model';
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
    let texts: { summary: string; detail?: string } | undefined;
    for (const m of ctx.modules) {
      // Routers, if-else, Merge and the unset trigger have no action of their own; modules inside a
      // handler route are the handling.
      if (isFlowControl(m) || m === first || m.handlerOf !== undefined) continue;
      if (applicableRoutes(m, ctx.byId).length > 0) continue;
      texts ??= outcomeTexts(classifierView(ctx.scenario, m, ctx.byId), m, ctx.profile);
      report(m.anchor, `${moduleTitle(m)} has no error-handler route${texts.summary}`, m.id, texts.detail);
    }
  },
});

/**
 * The part of the message after "Module N (app) has no error-handler route" (it does not depend on
 * the module) and, when the error types do different things, the detail:
 * `: a failure stores an incomplete execution or fails the run.` and
 * `ConnectionError, … store an incomplete execution with automatic retry; …; any other error fails the run.`
 * When every error does the same, the summary says it whole and there is no detail.
 */
function outcomeTexts(view: Scenario, m: ScenarioModule, profile: Profile): { summary: string; detail?: string } {
  const ctx = contextIn(view, m);
  const groups = outcomesByErrorTypeIn(view, ctx, profile);
  const other = unknownTypeOutcomeIn(view, ctx, profile);
  const parts: string[] = [];
  const outcomes: ClassifiedOutcome[] = [];
  for (const g of groups) {
    if (g.outcome === other || g.errorTypes.length === 0) continue;
    parts.push(`${listTypes(g.errorTypes)} ${outcomeVerb(g.outcome, g.errorTypes.length > 1)}`);
    outcomes.push(g.outcome);
  }
  parts.push(`${parts.length ? 'any other error' : 'every error'} ${outcomeVerb(other, false)}`);
  outcomes.push(other);
  const storageOff = view.settings.storeIncompleteExecutions ? '' : ` (storing of incomplete executions is off${storageDefaultNote(view)})`;
  if (parts.length === 1) return { summary: `${storageOff}: ${parts[0]}.` };
  const gists = [
    ...new Set(
      outcomes.map((o) =>
        o === 'depends'
          ? 'depends on the error'
          : o === 'unknown'
            ? 'has an unknown outcome (a directive Fusion does not know)'
            : OUTCOME_WORDS[o].gist,
      ),
    ),
  ];
  return { summary: `${storageOff}: a failure ${gists.join(' or ')}.`, detail: `${parts.join('; ')}.` };
}
