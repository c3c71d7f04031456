// What a scenario does on an error that only the run decides: an error-handler route whose filter
// tests the error message or a bundle's data, a router / if-else inside a handler route whose routes
// end in different directives, and (reported by the parsers) a Break setting given as an IML
// expression. Classify takes the message (--message) to pick one case; the rest waits for the run.
import type { RouteFilter, ScenarioModule } from '../../model';
import { handlerRoutesOf } from '../../model';
import { describeFilter, testsBeyondType } from '../../scenario/filter';
import type { Report } from '../rule';
import { defineRule } from '../rule';

export const rule = defineRule({
  code: 'decided-at-run-time',
  defaultSeverity: 'information',
  structural: false,
  fromParser: true,
  summary:
    "A handler route's filter on the error message or data, a router / if-else in a handler route ending in different directives, or an IML Break setting: decided when the scenario runs.",
  check(ctx, report) {
    for (const m of ctx.modules) {
      for (const route of handlerRoutesOf(m)) {
        if (!route.filter || !testsBeyondType(route.filter, [m.id])) continue;
        report(
          route.filter.span,
          `Whether the error-handler route of module ${m.id} catches an error depends on ${onWhat(route.filter)} (${describeFilter(route.filter, [m.id])}); an error it does not catch is handled as if the route were not there.`,
          m.id,
        );
      }
      if (m.handlerOf !== undefined) checkSplitter(m, report);
    }
  },
});

/** Verbs for what a directive does to the failing bundle (in "route X resumes"). */
const DIRECTIVE_VERBS: Readonly<Record<string, string>> = {
  break: 'breaks (stores)',
  resume: 'resumes',
  ignore: 'ignores',
  commit: 'commits',
  rollback: 'rolls back',
};

/** True when a condition of the filter reads the error message (`{{N.message}}`, `{{N.error.message}}`). */
function readsMessage(filter: RouteFilter): boolean {
  return filter.conditions.some((g) => g.some((c) => /\.(error\.)?message\s*\}\}$/.test(c.a)));
}

function onWhat(filter: RouteFilter): string {
  return readsMessage(filter) ? 'the error message' : "the run's data";
}

/**
 * A router or if-else inside an error-handler route whose routes / branches end in different
 * directives behind filters: which one runs depends on the error (its message) or the run's data.
 */
function checkSplitter(m: ScenarioModule, report: Report): void {
  const arms = m.isRouter
    ? m.routes.map((r, i) => ({
        label: `route ${r.name ? `"${r.name}"` : i + 1}`,
        filter: r.filter,
        directive: r.ending?.unknownDirective ?? r.ending?.directive ?? 'ignore',
        decided: r.filter === undefined,
      }))
    : (m.branches ?? [])
        .filter((b) => !b.disabled)
        .map((b, i) => ({
          label: b.isElse ? 'the else branch' : `branch ${b.name ? `"${b.name}"` : i + 1}`,
          filter: b.condition,
          directive: b.ending?.unknownDirective ?? b.ending?.directive ?? 'ignore',
          decided: b.isElse,
        }));
  if (arms.length < 2 || new Set(arms.map((a) => a.directive)).size < 2) return;
  if (!arms.some((a) => !a.decided)) return;
  const ids = m.handlerOf !== undefined ? [m.handlerOf] : [];
  const onMessage = arms.some((a) => a.filter && testsBeyondType(a.filter, ids) && readsMessage(a.filter));
  const parts = arms.map(
    (a) =>
      `${a.label}${a.filter ? ` (${describeFilter(a.filter, ids)})` : ''} ${DIRECTIVE_VERBS[a.directive] ?? `ends with the directive '${a.directive}', which Fusion does not know`}`,
  );
  report(
    m.anchor,
    `What the error-handler route of module ${m.handlerOf ?? '?'} does depends on ${onMessage ? 'the error message' : "the run's data"}: ${parts.join('; ')}. Classify with the message (--message) to see one case.`,
    m.handlerOf,
  );
}
