import type { ParsedScenario } from '../../core/lint/lint';
import { walkModules, type ScenarioModule } from '../../core/model';

/** The module a diagnostic (or a position) is about: the one anchored there, else the innermost one around it. */
export function moduleAtOffset(parsed: ParsedScenario, offset: number): ScenarioModule | undefined {
  if (!parsed.scenario) return undefined;
  let best: ScenarioModule | undefined;
  for (const m of walkModules(parsed.scenario.modules)) {
    if (m.anchor.start <= offset && offset <= m.anchor.end) return m;
    if (m.span.start <= offset && offset <= m.span.end) {
      if (!best || m.span.end - m.span.start < best.span.end - best.span.start) best = m;
    }
  }
  return best;
}

/** A one-line label for pickers and messages: "2 · http:makeRequest · Fetch invoice PDF". */
export function moduleLabel(m: ScenarioModule): string {
  return m.name ? `${m.id} · ${m.app} · ${m.name}` : `${m.id} · ${m.app}`;
}
