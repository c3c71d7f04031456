/*
 * Conversion between exported blueprints (spec 7) and scenario YAML (spec 2), through the shared
 * model: what the tool reasons about (name, settings, modules with ids, apps and names, router
 * routes, error-handler routes with their directive and retry settings) survives both ways. A
 * blueprint's parameters and mappings are not part of the model and are not carried over; the YAML
 * `simulation` section and `settings.profile` are the tool's own and have no place in a blueprint.
 *
 * Round trips: yaml → blueprint → yaml gives the same model (spans aside), and
 * blueprint → yaml → blueprint → yaml is stable. If-else branches (conditions, merge, disabled),
 * router route filters and error-handler route filters travel both ways: a blueprint filter on the
 * error type is the YAML `errors:` list, any other filter is the route's `condition`. What the other
 * side cannot express (several error-handler routes on one module; modules nested where the model
 * does not look, e.g. an AI agent's `tools`) is refused with a one-line message naming the file and
 * line, rather than converted into something that behaves differently or silently dropped.
 */
import { Document } from 'yaml';
import {
  BLUEPRINT_IF_ELSE,
  BLUEPRINT_MERGE,
  BLUEPRINT_ROUTER,
  PLACEHOLDER_MODULE,
  directiveModuleName,
  parseBlueprintScenario,
} from './blueprint';
import { isUnsetTrigger, walkModules } from '../model';
import type { ErrorHandlerRoute, Finding, RouteFilter, Scenario, ScenarioModule, Span } from '../model';
import { LineIndex } from '../text/lineIndex';
import { typeListFilter } from './filter';
import { isRouterApp, parseYamlScenario } from './yaml';

/** The router, if-else and merge modules in scenario YAML. */
export const YAML_ROUTER = 'builtin:router';
export const YAML_IF_ELSE = 'builtin:if-else';
export const YAML_MERGE = 'builtin:merge';

function baseName(fileName: string): string {
  return fileName.replace(/^.*[\\/]/, '') || fileName;
}

function where(fileName: string, lineIndex: LineIndex, span: Span): string {
  const p = lineIndex.positionAt(span.start);
  return `${baseName(fileName)}:${p.line + 1}:${p.character + 1}`;
}

function fail(fileName: string, lineIndex: LineIndex, span: Span, message: string): never {
  throw new Error(`${where(fileName, lineIndex, span)}: ${message.replace(/\s*[\r\n]+\s*/g, ' ')}`);
}

/** Throws on the first error-severity finding of the parser (the scenario is not usable as it is). */
function requireUsable(
  fileName: string,
  lineIndex: LineIndex,
  scenario: Scenario | null,
  findings: readonly Finding[],
  what: string,
): Scenario {
  const first = [...findings].filter((f) => f.severity === 'error').sort((a, b) => a.span.start - b.span.start)[0];
  if (first) fail(fileName, lineIndex, first.span, `${first.message} (${first.code}; fix it before converting)`);
  if (!scenario) fail(fileName, lineIndex, { start: 0, end: 0 }, `not a usable ${what}`);
  return scenario;
}

function stem(fileName: string): string {
  return baseName(fileName).replace(/\.(blueprint\.json|scenario\.ya?ml|json|ya?ml)$/i, '');
}

// ---------------------------------------------------------------------------------------------
// blueprint → YAML
// ---------------------------------------------------------------------------------------------

/** A filter's conditions in YAML (`[[{a, o, b}]]`): plain objects. */
function conditionsToYaml(filter: RouteFilter): unknown[] {
  return filter.conditions.map((g) => g.map((c) => (c.b !== undefined ? { a: c.a, o: c.o, b: c.b } : { a: c.a, o: c.o })));
}

/** The directive fields of a route (or of the ending of a router route / if-else branch). */
function directiveToYaml(route: ErrorHandlerRoute, out: Record<string, unknown>): void {
  if (route.directiveExplicit) out.directive = route.directive;
  if (route.directive === 'break') {
    out.autoComplete = route.runTime?.autoComplete ?? route.autoComplete;
    out.attempts = route.runTime?.attempts ?? route.attempts;
    out.intervalMinutes = route.runTime?.intervalMinutes ?? route.intervalMinutes;
  }
  if (route.directive === 'resume' && route.output !== undefined) out.output = route.output;
}

function routeToYaml(route: ErrorHandlerRoute, ctx: ToYaml): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (route.errors !== null) out.errors = [...route.errors];
  if (route.filter) out.condition = conditionsToYaml(route.filter);
  if (route.modules.length > 0) out.modules = route.modules.map((m) => moduleToYaml(m, ctx));
  directiveToYaml(route, out);
  return out;
}

interface ToYaml {
  readonly refuse: (span: Span, message: string) => never;
}

function moduleToYaml(m: ScenarioModule, ctx: ToYaml): Record<string, unknown> {
  for (const u of m.unchecked ?? []) {
    ctx.refuse(
      u.span,
      `${u.count} module${u.count === 1 ? '' : 's'} inside \`${u.key}\` of module ${m.id} (${m.app}) are not part of the scenario model; converting would drop them`,
    );
  }
  if (isUnsetTrigger(m)) return { app: m.app };
  const app = m.isRouter ? YAML_ROUTER : m.kind === 'if-else' ? YAML_IF_ELSE : m.kind === 'merge' ? YAML_MERGE : m.app;
  const out: Record<string, unknown> = { id: m.id, app };
  if (m.name !== undefined) out.name = m.name;
  if (m.onError.length === 1) out.onError = routeToYaml(m.onError[0], ctx);
  else if (m.onError.length > 1) out.onError = m.onError.map((r) => routeToYaml(r, ctx));
  if (m.isRouter) {
    out.routes = m.routes.map((r) => {
      // The condition after the modules: a route reads as its name and what it runs, then what lets a bundle in.
      const route: Record<string, unknown> = {
        ...(r.name !== undefined ? { name: r.name } : {}),
        modules: r.modules.map((x) => moduleToYaml(x, ctx)),
        ...(r.filter ? { condition: conditionsToYaml(r.filter) } : {}),
      };
      if (r.ending) directiveToYaml(r.ending, route);
      return route;
    });
  }
  if (m.kind === 'if-else') {
    out.branches = (m.branches ?? []).map((b) => {
      const branch: Record<string, unknown> = {
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(b.isElse ? { else: true } : {}),
        ...(b.condition ? { condition: conditionsToYaml(b.condition) } : {}),
        ...(b.merge ? { merge: true } : {}),
        ...(b.disabled ? { disabled: true } : {}),
        modules: b.modules.map((x) => moduleToYaml(x, ctx)),
      };
      if (b.ending) directiveToYaml(b.ending, branch);
      return branch;
    });
  }
  return out;
}

/** The scenario YAML (spec 2) of a model; `header` becomes a comment at the top. `refuse` is called for what YAML cannot hold. */
export function scenarioToYaml(scenario: Scenario, header?: string, refuse?: (span: Span, message: string) => never): string {
  const s = scenario.settings;
  const ctx: ToYaml = {
    refuse:
      refuse ??
      ((_span: Span, message: string): never => {
        throw new Error(message);
      }),
  };
  const doc = new Document({
    name: scenario.name,
    settings: {
      storeIncompleteExecutions: s.storeIncompleteExecutions,
      sequentialProcessing: s.sequentialProcessing,
      maxConsecutiveErrors: s.maxConsecutiveErrors,
      dataLoss: s.dataLoss,
      instant: s.instant,
      ...(s.profile !== undefined ? { profile: s.profile } : {}),
    },
    modules: scenario.modules.map((m) => moduleToYaml(m, ctx)),
  });
  if (header)
    doc.commentBefore = header
      .split('\n')
      .map((l) => ` ${l}`)
      .join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** Exported blueprint JSON → scenario YAML. Throws an Error with a one-line "file:line:column: message". */
export function blueprintToYaml(text: string, fileName: string): string {
  const lineIndex = new LineIndex(text);
  const parsed = parseBlueprintScenario(text, lineIndex);
  const scenario = requireUsable(fileName, lineIndex, parsed.scenario, parsed.findings, 'blueprint');
  const named: Scenario = scenario.name.trim() !== '' ? scenario : { ...scenario, name: stem(fileName) };
  return scenarioToYaml(
    named,
    `Converted from ${baseName(fileName)}: modules, routes, if-else branches, error handlers, their filters and settings.\nThe modules' parameters, mappings and the filters between modules stay in the blueprint.`,
    (span, message) => fail(fileName, lineIndex, span, message),
  );
}

// ---------------------------------------------------------------------------------------------
// YAML → blueprint
// ---------------------------------------------------------------------------------------------

const X_STEP = 300;
const Y_STEP = 300;

/** Exported scenario YAML → blueprint JSON. Throws an Error with a one-line "file:line:column: message". */
export function yamlToBlueprint(text: string, fileName: string): string {
  const lineIndex = new LineIndex(text);
  const parsed = parseYamlScenario(text, lineIndex);
  const scenario = requireUsable(fileName, lineIndex, parsed.scenario, parsed.findings, 'scenario YAML file');

  let nextId = 0;
  for (const m of walkModules(scenario.modules)) nextId = Math.max(nextId, m.id);
  const freshId = (): number => ++nextId;

  /** The directive module ending a route (Break: retry settings, expressions kept; Resume: its output when given). */
  const directiveJson = (route: ErrorHandlerRoute, x: number, y: number): Record<string, unknown> => {
    const mapper =
      route.directive === 'break'
        ? {
            retry: route.runTime?.autoComplete ?? route.autoComplete,
            count: route.runTime?.attempts ?? route.attempts,
            interval: route.runTime?.intervalMinutes ?? route.intervalMinutes,
          }
        : route.directive === 'resume'
          ? route.output
          : undefined;
    return {
      id: freshId(),
      module: directiveModuleName(route.directive),
      version: 1,
      parameters: {},
      ...(mapper !== undefined ? { mapper } : {}),
      metadata: { designer: { x, y } },
    };
  };
  /** Puts a filter on the first module of a flow (Make keeps a route's filter there). */
  const withFilter = (
    flow: Record<string, unknown>[],
    filter: { name: string; conditions: unknown[] } | undefined,
  ): Record<string, unknown>[] => {
    if (!filter || flow.length === 0) return flow;
    const [first, ...rest] = flow;
    const { id, module, version, parameters, ...others } = first;
    return [{ id, module, version, parameters, filter, ...others }, ...rest];
  };
  const filterJson = (name: string | undefined, f: RouteFilter | undefined): { name: string; conditions: unknown[] } | undefined =>
    f ? { name: name ?? '', conditions: conditionsToYaml(f) } : name !== undefined ? { name, conditions: [] } : undefined;

  const moduleJson = (m: ScenarioModule, x: number, y: number): Record<string, unknown> => {
    if (isUnsetTrigger(m)) return { id: null, module: PLACEHOLDER_MODULE, metadata: { designer: { x, y } } };
    const router = m.isRouter || isRouterApp(m.app);
    const ifElse = m.kind === 'if-else';
    const merge = m.kind === 'merge';
    const out: Record<string, unknown> = {
      id: m.id,
      module: router ? BLUEPRINT_ROUTER : ifElse ? BLUEPRINT_IF_ELSE : merge ? BLUEPRINT_MERGE : m.app,
      version: 1,
      parameters: {},
      mapper: router || ifElse || merge ? null : {},
      metadata: { designer: { x, y, ...(m.name !== undefined ? { name: m.name } : {}) } },
    };
    if (router) {
      out.routes = m.routes.map((r, i) => {
        const flow = flowJson(r.modules, x + X_STEP, y + i * Y_STEP);
        if (r.ending) flow.push(directiveJson(r.ending, x + (r.modules.length + 1) * X_STEP, y + i * Y_STEP));
        if (flow.length === 0 && (r.filter || r.name !== undefined))
          fail(
            fileName,
            lineIndex,
            r.span,
            `a route of router ${m.id} has a name or condition but no modules; a blueprint keeps a route's filter on its first module`,
          );
        return { flow: withFilter(flow, filterJson(r.name, r.filter)) };
      });
    }
    if (ifElse) {
      out.branches = (m.branches ?? []).map((b, i) => {
        const flow = flowJson(b.modules, x + X_STEP, y + i * Y_STEP);
        if (b.ending) flow.push(directiveJson(b.ending, x + (b.modules.length + 1) * X_STEP, y + i * Y_STEP));
        return {
          type: b.isElse ? 'else' : 'condition',
          label: b.name ?? '',
          ...(b.condition ? { conditions: conditionsToYaml(b.condition) } : {}),
          merge: b.merge,
          ...(b.disabled ? { disabled: true } : {}),
          flow,
        };
      });
    }
    if (merge) out.filters = [];
    if (m.onError.length > 1) {
      fail(
        fileName,
        lineIndex,
        m.onError[1].span,
        `module ${m.id} has ${m.onError.length} error-handler routes; a blueprint has one \`onerror\` route per module (put a router in it instead)`,
      );
    }
    const route = m.onError[0];
    if (route) {
      const handlers = route.modules.map((h, i) => moduleJson(h, x + i * X_STEP, y + Y_STEP / 2));
      const needsDirective = route.directiveExplicit || route.modules.length === 0;
      if (needsDirective) handlers.push(directiveJson(route, x + route.modules.length * X_STEP, y + Y_STEP / 2));
      // The route's filter sits on its first module: the error types (`errors`), ANDed with a `condition`.
      const filter =
        route.errors !== null
          ? typeListFilter(m.id, route.errors, route.filter?.conditions)
          : route.filter
            ? { name: '', conditions: conditionsToYaml(route.filter) }
            : undefined;
      out.onerror = withFilter(handlers, filter);
    }
    return out;
  };
  const flowJson = (modules: readonly ScenarioModule[], x: number, y: number): Record<string, unknown>[] =>
    modules.map((m, i) => moduleJson(m, x + i * X_STEP, y));

  const s = scenario.settings;
  const blueprint = {
    name: scenario.name,
    flow: flowJson(scenario.modules, 0, 0),
    metadata: {
      instant: s.instant,
      version: 1,
      scenario: {
        roundtrips: 1,
        maxErrors: s.maxConsecutiveErrors,
        autoCommit: true,
        autoCommitTriggerLast: true,
        sequential: s.sequentialProcessing,
        confidential: false,
        dataloss: s.dataLoss,
        dlq: s.storeIncompleteExecutions,
        freshVariables: false,
      },
      designer: { orphans: [] },
    },
  };
  return `${JSON.stringify(blueprint, null, 4)}\n`;
}
