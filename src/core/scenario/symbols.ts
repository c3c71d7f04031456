/*
 * What sits at an offset of a scenario file, for hovers. Format-agnostic: it reads only the
 * model's spans, which the YAML and the blueprint parsers both fill.
 */
import { walkModules } from '../model';
import type { Directive, ErrorHandlerRoute, ScenarioModule, ScenarioSettings, Span } from '../model';
import type { ParsedScenario } from '../lint/lint';

export type ScenarioSymbol =
  | { readonly kind: 'errorType'; readonly name: string; readonly span: Span }
  | {
      readonly kind: 'directive';
      readonly directive: Directive;
      readonly route: ErrorHandlerRoute;
      readonly module: ScenarioModule;
      readonly span: Span;
    }
  | { readonly kind: 'setting'; readonly key: keyof ScenarioSettings; readonly span: Span }
  | { readonly kind: 'module'; readonly module: ScenarioModule; readonly span: Span };

function contains(span: Span | undefined, offset: number): span is Span {
  return span !== undefined && span.start <= offset && offset <= span.end && span.end > span.start;
}

/**
 * What sits at `offset` (for hovers): an error type name (in `errors:` or a fault), a directive, a
 * setting key, a module (its `id` or `app` value, or a fault's `module`). The span ends are inclusive so a
 * cursor just after a word still finds it; when spans touch, the innermost (shortest) one wins.
 */
export function symbolAt(parsed: ParsedScenario, offset: number): ScenarioSymbol | undefined {
  const scenario = parsed.scenario;
  if (!scenario) return undefined;
  const candidates: ScenarioSymbol[] = [];

  for (const [key, span] of Object.entries(scenario.settingSpans) as [keyof ScenarioSettings, Span | undefined][]) {
    if (contains(span, offset)) candidates.push({ kind: 'setting', key, span });
  }

  const byId = new Map<number, ScenarioModule>();
  for (const module of walkModules(scenario.modules)) {
    if (!byId.has(module.id)) byId.set(module.id, module);
    if (contains(module.idSpan, offset)) candidates.push({ kind: 'module', module, span: module.idSpan });
    // The app value too: in a minified blueprint the id is a one-character target.
    else if (contains(module.appSpan, offset)) candidates.push({ kind: 'module', module, span: module.appSpan });
    for (const route of module.onError) {
      if (contains(route.directiveSpan, offset)) {
        candidates.push({ kind: 'directive', directive: route.directive, route, module, span: route.directiveSpan });
      }
      (route.errors ?? []).forEach((name, i) => {
        const span = route.errorSpans[i];
        if (contains(span, offset)) candidates.push({ kind: 'errorType', name, span });
      });
    }
  }

  for (const fault of scenario.simulation?.faults ?? []) {
    if (contains(fault.errorSpan, offset)) candidates.push({ kind: 'errorType', name: fault.error, span: fault.errorSpan });
    const target = byId.get(fault.module);
    if (target && contains(fault.moduleSpan, offset)) candidates.push({ kind: 'module', module: target, span: fault.moduleSpan });
  }

  if (candidates.length === 0) return undefined;
  // Prefer a span that strictly contains the offset over one that merely ends at it, then the shortest.
  const score = (s: ScenarioSymbol): [number, number] => [offset < s.span.end ? 0 : 1, s.span.end - s.span.start];
  candidates.sort((a, b) => {
    const [a0, a1] = score(a);
    const [b0, b1] = score(b);
    return a0 - b0 || a1 - b1;
  });
  return candidates[0];
}
