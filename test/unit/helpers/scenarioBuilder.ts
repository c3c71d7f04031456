// Builds Scenario model objects directly (dummy spans), so domain tests do not depend on the
// YAML / blueprint parsers.
import type {
  Directive,
  ErrorHandlerRoute,
  Fault,
  RouterRoute,
  Scenario,
  ScenarioModule,
  ScenarioSettings,
  Span,
} from '../../../src/core/model';
import { DEFAULT_SETTINGS } from '../../../src/core/model';

const SPAN: Span = { start: 0, end: 0 };

export interface RouteSpec {
  readonly errors?: readonly string[] | null;
  readonly directive?: Directive;
  readonly autoComplete?: boolean;
  readonly attempts?: number;
  readonly intervalMinutes?: number;
  readonly output?: unknown;
  readonly modules?: readonly ModSpec[];
}

export interface ModSpec {
  readonly id: number;
  readonly app?: string;
  readonly name?: string;
  readonly onError?: RouteSpec | readonly RouteSpec[];
  /** Makes the module a router; each entry is a route (a module list, or a named one). */
  readonly routes?: readonly (readonly ModSpec[] | { readonly name?: string; readonly modules: readonly ModSpec[] })[];
}

export interface FaultSpec {
  readonly module: number;
  readonly error: string;
  readonly message?: string;
  readonly bundles?: readonly number[] | null;
  readonly recoverAfter?: number | null;
}

export interface ScenarioSpec {
  readonly name?: string;
  readonly settings?: Partial<ScenarioSettings>;
  readonly modules: readonly ModSpec[];
  readonly simulation?: { readonly bundles: number; readonly faults?: readonly FaultSpec[] };
}

function buildRoute(r: RouteSpec, owner: number, routerPath: readonly number[]): ErrorHandlerRoute {
  return {
    errors: r.errors ?? null,
    errorSpans: (r.errors ?? []).map(() => SPAN),
    modules: (r.modules ?? []).map((m) => buildModule(m, routerPath, owner)),
    directive: r.directive ?? 'ignore',
    directiveExplicit: r.directive !== undefined,
    autoComplete: r.autoComplete ?? false,
    attempts: r.attempts ?? 3,
    intervalMinutes: r.intervalMinutes ?? 15,
    ...(r.output !== undefined ? { output: r.output } : {}),
    span: SPAN,
  };
}

function buildModule(spec: ModSpec, routerPath: readonly number[], handlerOf?: number): ScenarioModule {
  const isRouter = spec.routes !== undefined || spec.app === 'builtin:router';
  const handlers =
    spec.onError === undefined ? [] : Array.isArray(spec.onError) ? (spec.onError as readonly RouteSpec[]) : [spec.onError as RouteSpec];
  const innerPath = [...routerPath, spec.id];
  const routes: RouterRoute[] = (spec.routes ?? []).map((r) => {
    const named = Array.isArray(r) ? { modules: r as readonly ModSpec[] } : (r as { name?: string; modules: readonly ModSpec[] });
    return { ...(named.name ? { name: named.name } : {}), modules: named.modules.map((m) => buildModule(m, innerPath)), span: SPAN };
  });
  return {
    id: spec.id,
    app: spec.app ?? (isRouter ? 'builtin:router' : 'http:makeRequest'),
    ...(spec.name !== undefined ? { name: spec.name } : {}),
    isRouter,
    onError: handlers.map((h) => buildRoute(h, spec.id, routerPath)),
    routes,
    routerPath,
    ...(handlerOf !== undefined ? { handlerOf } : {}),
    span: SPAN,
    anchor: SPAN,
    idSpan: SPAN,
    appSpan: SPAN,
  };
}

export function buildScenario(spec: ScenarioSpec): Scenario {
  const faults: Fault[] = (spec.simulation?.faults ?? []).map((f) => ({
    module: f.module,
    error: f.error,
    ...(f.message !== undefined ? { message: f.message } : {}),
    bundles: f.bundles ?? null,
    recoverAfter: f.recoverAfter ?? null,
    span: SPAN,
  }));
  return {
    format: 'yaml',
    name: spec.name ?? 'Test scenario',
    settings: { ...DEFAULT_SETTINGS, ...(spec.settings ?? {}) },
    settingSpans: {},
    modules: spec.modules.map((m) => buildModule(m, [])),
    simulation: spec.simulation ? { bundles: spec.simulation.bundles, faults } : null,
  };
}

/** Shorthand: a plain module. */
export function mod(id: number, extra: Omit<ModSpec, 'id'> = {}): ModSpec {
  return { id, ...extra };
}

/** A linear scenario of modules 1..n with no handlers. */
export function linear(n: number, settings?: Partial<ScenarioSettings>): Scenario {
  return buildScenario({ modules: Array.from({ length: n }, (_, i) => mod(i + 1)), ...(settings ? { settings } : {}) });
}
