/*
 * What the error-handler routes that apply to a module cover, for the rules that describe it
 * (missing-error-handler, partial-error-handler): which routes apply, the part of the scenario the
 * classifier needs for one module, and how a module is named in a message.
 */
import { moduleContext } from '../classify/classifier';
import type { ModuleContext } from '../classify/classifier';
import type { ErrorHandlerRoute, Scenario, ScenarioModule } from '../model';

/** The error-handler routes that apply to a module: its own, then each enclosing router's (innermost first). */
export function applicableRoutes(m: ScenarioModule, byId: ReadonlyMap<number, ScenarioModule>): ErrorHandlerRoute[] {
  const out: ErrorHandlerRoute[] = [...m.onError];
  for (let i = m.routerPath.length - 1; i >= 0; i--) {
    const router = byId.get(m.routerPath[i]);
    if (router) out.push(...router.onError);
  }
  return out;
}

/**
 * The part of the scenario the classifier needs for one module: the trigger (it decides whether
 * the module is the first one), the module and its enclosing routers (handler lookup), without the
 * routers' branches. Keeps lint linear in the number of modules (the classifier looks modules up
 * by walking the whole tree).
 */
export function classifierView(scenario: Scenario, m: ScenarioModule, byId: ReadonlyMap<number, ScenarioModule>): Scenario {
  const shallow = (x: ScenarioModule): ScenarioModule => ({ ...x, routes: [] });
  const first = scenario.modules[0];
  const modules: ScenarioModule[] = first ? [shallow(first)] : [];
  if (!first || first.id !== m.id) modules.push(shallow(m));
  for (const id of m.routerPath) {
    const router = byId.get(id);
    if (router && router.id !== m.id && (!first || router.id !== first.id)) modules.push(shallow(router));
  }
  return { ...scenario, modules };
}

/** The classifier's context for `m` in its view (see `classifierView`). */
export function contextIn(view: Scenario, m: ScenarioModule): ModuleContext {
  const ctx = moduleContext(view, m.id);
  if (!ctx) throw new Error(`Module ${m.id} does not exist in scenario "${view.name}".`);
  return ctx;
}

/** `Module 2 "Fetch invoice PDF" (http:makeRequest)`. */
export function moduleTitle(m: ScenarioModule): string {
  return m.name ? `Module ${m.id} "${m.name}" (${m.app})` : `Module ${m.id} (${m.app})`;
}

export function listTypes(types: readonly string[]): string {
  return types.join(', ');
}
