/*
 * Conversion between exported blueprints (spec 7) and scenario YAML (spec 2), through the shared
 * model: what the tool reasons about (name, settings, modules with ids, apps and names, router
 * routes, error-handler routes with their directive and retry settings) survives both ways. A
 * blueprint's parameters and mappings are not part of the model and are not carried over; the YAML
 * `simulation` section and `settings.profile` are the tool's own and have no place in a blueprint.
 *
 * Round trips: yaml → blueprint → yaml gives the same model (spans aside), and
 * blueprint → yaml → blueprint → yaml is stable. What a blueprint cannot express (an `errors`
 * filter, several error-handler routes on one module) is refused with a one-line message naming
 * the file and line, rather than converted into something that behaves differently.
 */
import { Document } from 'yaml';
import { BLUEPRINT_ROUTER, directiveModuleName, parseBlueprintScenario } from './blueprint';
import { walkModules } from '../model';
import type { ErrorHandlerRoute, Finding, Scenario, ScenarioModule, Span } from '../model';
import { LineIndex } from '../text/lineIndex';
import { isRouterApp, parseYamlScenario } from './yaml';

/** The router module in scenario YAML. */
export const YAML_ROUTER = 'builtin:router';

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

function routeToYaml(route: ErrorHandlerRoute): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (route.errors !== null) out.errors = [...route.errors];
  if (route.modules.length > 0) out.modules = route.modules.map(moduleToYaml);
  if (route.directiveExplicit) out.directive = route.directive;
  if (route.directive === 'break') {
    out.autoComplete = route.autoComplete;
    out.attempts = route.attempts;
    out.intervalMinutes = route.intervalMinutes;
  }
  if (route.directive === 'resume' && route.output !== undefined) out.output = route.output;
  return out;
}

function moduleToYaml(m: ScenarioModule): Record<string, unknown> {
  const out: Record<string, unknown> = { id: m.id, app: m.isRouter ? YAML_ROUTER : m.app };
  if (m.name !== undefined) out.name = m.name;
  if (m.onError.length === 1) out.onError = routeToYaml(m.onError[0]);
  else if (m.onError.length > 1) out.onError = m.onError.map(routeToYaml);
  if (m.isRouter) {
    out.routes = m.routes.map((r) => ({
      ...(r.name !== undefined ? { name: r.name } : {}),
      modules: r.modules.map(moduleToYaml),
    }));
  }
  return out;
}

/** The scenario YAML (spec 2) of a model; `header` becomes a comment at the top. */
export function scenarioToYaml(scenario: Scenario, header?: string): string {
  const s = scenario.settings;
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
    modules: scenario.modules.map(moduleToYaml),
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
    `Converted from ${baseName(fileName)}: modules, routes, error handlers and settings.\nThe modules' parameters, mappings and filter conditions stay in the blueprint.`,
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

  const moduleJson = (m: ScenarioModule, x: number, y: number, filterName?: string): Record<string, unknown> => {
    const router = m.isRouter || isRouterApp(m.app);
    const out: Record<string, unknown> = {
      id: m.id,
      module: router ? BLUEPRINT_ROUTER : m.app,
      version: 1,
      parameters: {},
      ...(filterName !== undefined ? { filter: { name: filterName, conditions: [] } } : {}),
      mapper: router ? null : {},
      metadata: { designer: { x, y, ...(m.name !== undefined ? { name: m.name } : {}) } },
    };
    if (router) {
      out.routes = m.routes.map((r, i) => ({ flow: flowJson(r.modules, x + X_STEP, y + i * Y_STEP, r.name) }));
    }
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
      if (route.errors !== null) {
        fail(
          fileName,
          lineIndex,
          route.errorSpans[0] ?? route.span,
          `the error-handler route of module ${m.id} catches only ${route.errors.join(', ')}; a blueprint's \`onerror\` route catches every error type, so this filter cannot be converted`,
        );
      }
      const handlers = route.modules.map((h, i) => moduleJson(h, x + i * X_STEP, y + Y_STEP / 2));
      const needsDirective = route.directiveExplicit || route.modules.length === 0;
      if (needsDirective) {
        const mapper =
          route.directive === 'break'
            ? { retry: route.autoComplete, count: route.attempts, interval: route.intervalMinutes }
            : route.directive === 'resume'
              ? (route.output ?? {})
              : undefined;
        handlers.push({
          id: freshId(),
          module: directiveModuleName(route.directive),
          version: 1,
          parameters: {},
          ...(mapper !== undefined ? { mapper } : {}),
          metadata: { designer: { x: x + route.modules.length * X_STEP, y: y + Y_STEP / 2 } },
        });
      }
      out.onerror = handlers;
    }
    return out;
  };
  const flowJson = (modules: readonly ScenarioModule[], x: number, y: number, routeName?: string): Record<string, unknown>[] =>
    modules.map((m, i) => moduleJson(m, x + i * X_STEP, y, i === 0 ? routeName : undefined));

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
