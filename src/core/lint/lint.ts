/*
 * Lint (spec 2.1): parse either scenario format, run the semantic rules on the model, apply
 * `# fusion-lint-disable-next-line` comments and the configured severities.
 *
 * Parser-level rules (yaml-syntax, json-syntax, invalid-scenario, duplicate-module-id,
 * unknown-directive and type errors in retry fields) come from the format's parser; the rules that
 * need the model (and the profile) live here so both formats share them.
 */
import { parseTree } from 'jsonc-parser';
import { parseBlueprintScenario } from '../scenario/blueprint';
import { ERROR_TYPE_NAMES, isKnownErrorType, lookupErrorType } from '../catalogue/catalogue';
import { classifyOutcome, moduleContext, outcomesByErrorTypeIn, routeCatches, unknownTypeOutcomeIn } from '../classify/classifier';
import type { ModuleContext } from '../classify/classifier';
import { DEFAULT_SEVERITIES, LINT_CODES, STRUCTURAL_CODES, walkModules } from '../model';
import type {
  ErrorHandlerRoute,
  Finding,
  LintCode,
  Outcome,
  Profile,
  Scenario,
  ScenarioFormat,
  ScenarioModule,
  Severity,
  Span,
} from '../model';
import { LineIndex } from '../text/lineIndex';
import { nearest } from '../text/spelling';
import { parseYamlScenario, routeFieldSpans } from '../scenario/yaml';

export interface LintOptions {
  /** Per-rule severity overrides; 'off' disables a rule. */
  readonly severities?: Partial<Record<LintCode, Severity | 'off'>>;
  /** Profile used when the scenario does not set settings.profile. Default 'fusion'. */
  readonly profile?: Profile;
}

export interface ParsedScenario {
  readonly format: ScenarioFormat;
  /** Best-effort model; null when the text is not usable at all (syntax error, not a mapping, ...). */
  readonly scenario: Scenario | null;
  /** Parser-level findings (syntax / structure), unsuppressed, default severities. */
  readonly findings: readonly Finding[];
  readonly lineIndex: LineIndex;
}

/** Retry limits of a break route (spec 2: attempts 1..100 in fusion, 1..10000 in make; interval 1..44640 minutes). */
export const RETRY_LIMITS: Readonly<Record<Profile, { readonly maxAttempts: number }>> & { readonly maxIntervalMinutes: number } = {
  fusion: { maxAttempts: 100 },
  make: { maxAttempts: 10000 },
  maxIntervalMinutes: 44640,
};

/** Codes a suppression comment cannot silence: the file does not parse, nothing else is reliable. */
const NOT_SUPPRESSIBLE: ReadonlySet<LintCode> = new Set<LintCode>(['yaml-syntax', 'json-syntax']);

/** True for `*.blueprint.json`, or any `.json` whose top level has `flow` and `metadata`. */
export function isBlueprint(fileName: string, text: string): boolean {
  try {
    if (/\.blueprint\.json$/i.test(fileName)) return true;
    if (!/\.json$/i.test(fileName)) return false;
    const tree = parseTree(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, [], { allowTrailingComma: true });
    if (!tree || tree.type !== 'object' || !tree.children) return false;
    const keys = new Set(tree.children.map((p) => (p.children && p.children[0] ? p.children[0].value : undefined)));
    return keys.has('flow') && keys.has('metadata');
  } catch {
    return false;
  }
}

/** Order of findings: by position, then by rule code (what `lintScenario` returns). */
export function compareFindings(a: Finding, b: Finding): number {
  return a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code);
}

/**
 * The findings that make a scenario unusable for classify / simulate / convert (spec 5), first in
 * the file first: the one to name when refusing.
 */
export function structuralFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => STRUCTURAL_CODES.has(f.code)).sort(compareFindings);
}

/** Parses a scenario file of either format (dispatch on file name / content). Never throws. */
export function parseScenario(fileName: string, text: string): ParsedScenario {
  const lineIndex = new LineIndex(text);
  const blueprint = /\.json$/i.test(fileName) || isBlueprint(fileName, text);
  const format: ScenarioFormat = blueprint ? 'blueprint' : 'yaml';
  try {
    const { scenario, findings } = blueprint ? parseBlueprintScenario(text, lineIndex) : parseYamlScenario(text, lineIndex);
    return { format, scenario, findings, lineIndex };
  } catch (e) {
    return { format, scenario: null, findings: [internalFinding(e, text, lineIndex)], lineIndex };
  }
}

/** Every rule of spec 2.1, suppression comments applied, severities applied. Never throws. */
export function lintScenario(fileName: string, text: string, options?: LintOptions): ParsedScenario {
  const parsed = parseScenario(fileName, text);
  const { lineIndex } = parsed;
  let raw: Finding[] = [...parsed.findings];
  try {
    if (parsed.scenario) raw = raw.concat(semanticFindings(parsed.scenario, lineIndex, options?.profile));
  } catch (e) {
    raw.push(internalFinding(e, text, lineIndex));
  }
  let findings: Finding[];
  try {
    const suppressed = parsed.format === 'yaml' ? suppressions(text, lineIndex) : new Map<number, Set<string> | null>();
    findings = [];
    for (const f of raw) {
      const span = clampSpan(f.span, text.length);
      const range = lineIndex.rangeOf(span);
      if (!NOT_SUPPRESSIBLE.has(f.code)) {
        const codes = suppressed.get(range.start.line);
        if (codes !== undefined && (codes === null || codes.has(f.code))) continue;
      }
      const configured = options?.severities?.[f.code];
      if (configured === 'off') continue;
      const severity: Severity = configured ?? DEFAULT_SEVERITIES[f.code] ?? f.severity;
      findings.push({ ...f, span, range, severity });
    }
    findings.sort(compareFindings);
  } catch (e) {
    findings = [internalFinding(e, text, lineIndex)];
  }
  return { ...parsed, findings };
}

// ---------------------------------------------------------------------------------------------
// Semantic rules
// ---------------------------------------------------------------------------------------------

function semanticFindings(scenario: Scenario, lineIndex: LineIndex, fallbackProfile: Profile | undefined): Finding[] {
  const profile: Profile = scenario.settings.profile ?? fallbackProfile ?? 'fusion';
  const out: Finding[] = [];
  const add = (code: LintCode, span: Span, message: string, moduleId?: number): void => {
    out.push({
      code,
      severity: DEFAULT_SEVERITIES[code],
      message,
      span,
      range: lineIndex.rangeOf(span),
      ...(moduleId !== undefined ? { moduleId } : {}),
    });
  };

  const all = [...walkModules(scenario.modules)];
  const byId = new Map<number, ScenarioModule>();
  for (const m of all) if (!byId.has(m.id)) byId.set(m.id, m);
  const first = scenario.modules[0];

  for (const m of all) {
    // Error-handler routes attached to this module.
    for (const route of m.onError) checkRoute(route, m, scenario, profile, add);

    if (m.isRouter) continue;
    const isFirst = m === first;
    const applicable = applicableRoutes(m, byId);
    if (applicable.length === 0) {
      if (!isFirst && m.handlerOf === undefined) {
        add('missing-error-handler', m.anchor, missingHandlerMessage(classifierView(scenario, m, byId), m, profile), m.id);
      }
      continue;
    }
    // Partial filters: the trigger's routes never apply in fusion (rule 1 comes first).
    if (isFirst && profile === 'fusion') continue;
    const message = partialHandlerMessage(classifierView(scenario, m, byId), m, applicable, profile);
    if (message) add('partial-error-handler', m.anchor, message, m.id);
  }

  // Faults of the simulation.
  for (const fault of scenario.simulation?.faults ?? []) {
    if (!byId.has(fault.module)) {
      const ids = [...byId.keys()].sort((a, b) => a - b);
      add(
        'unknown-module-reference',
        fault.moduleSpan ?? fault.span,
        `Fault names module ${fault.module}, which does not exist in this scenario (ids: ${ids.length ? ids.join(', ') : 'none'}).`,
      );
    }
    if (!isKnownErrorType(fault.error)) {
      add('unknown-error-type', fault.errorSpan ?? fault.span, unknownTypeMessage(fault.error, profile), fault.module);
    }
  }
  return out;
}

type Add = (code: LintCode, span: Span, message: string, moduleId?: number) => void;

function checkRoute(route: ErrorHandlerRoute, owner: ScenarioModule, scenario: Scenario, profile: Profile, add: Add): void {
  const fields = routeFieldSpans(route);
  const where = route.directiveSpan ?? route.span;

  route.errors?.forEach((name, i) => {
    if (!isKnownErrorType(name)) add('unknown-error-type', route.errorSpans[i] ?? route.span, unknownTypeMessage(name, profile), owner.id);
  });

  if (route.directive === 'break') {
    if (!scenario.settings.storeIncompleteExecutions) {
      add(
        'break-requires-incomplete-storage',
        where,
        `A Break directive needs "Allow storing of incomplete executions": settings.storeIncompleteExecutions is false, so this route cannot store anything and the run fails instead. Turn the setting on or use another directive.`,
        owner.id,
      );
    }
    const maxAttempts = RETRY_LIMITS[profile].maxAttempts;
    if (!Number.isInteger(route.attempts) || route.attempts < 1 || route.attempts > maxAttempts) {
      add(
        'invalid-retry-settings',
        fields.attempts ?? where,
        `\`attempts\` must be a whole number from 1 to ${maxAttempts} (profile ${profile}); found ${route.attempts}.`,
        owner.id,
      );
    }
    if (!Number.isInteger(route.intervalMinutes) || route.intervalMinutes < 1 || route.intervalMinutes > RETRY_LIMITS.maxIntervalMinutes) {
      add(
        'invalid-retry-settings',
        fields.intervalMinutes ?? where,
        `\`intervalMinutes\` must be a whole number of minutes from 1 to ${RETRY_LIMITS.maxIntervalMinutes} (31 days); found ${route.intervalMinutes}.`,
        owner.id,
      );
    }
  } else {
    for (const field of ['autoComplete', 'attempts', 'intervalMinutes'] as const) {
      const span = fields[field];
      if (span) {
        add(
          'invalid-retry-settings',
          span,
          `\`${field}\` only applies to a Break directive; this route's directive is ${route.directive}${route.directiveExplicit ? '' : ' (the default)'}, so it has no effect.`,
          owner.id,
        );
      }
    }
  }
}

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
 * The part of the scenario the classifier needs for one module: the trigger (rule 1), the module
 * and its enclosing routers (handler lookup), without the routers' branches. Keeps lint linear in
 * the number of modules (the classifier looks modules up by walking the whole tree).
 */
function classifierView(scenario: Scenario, m: ScenarioModule, byId: ReadonlyMap<number, ScenarioModule>): Scenario {
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

function moduleTitle(m: ScenarioModule): string {
  return m.name ? `Module ${m.id} "${m.name}" (${m.app})` : `Module ${m.id} (${m.app})`;
}

function listTypes(types: readonly string[]): string {
  return types.join(', ');
}

/** "store an incomplete execution with automatic retry" (plural verb, for a list of types). */
function outcomePhrase(o: Outcome, plural: boolean): string {
  const s = plural ? '' : 's';
  switch (o) {
    case 'incomplete-with-retry':
      return `store${s} an incomplete execution with automatic retry`;
    case 'incomplete-without-retry':
      return `store${s} an incomplete execution without automatic retry`;
    case 'failed':
      return `fail${s} the run`;
    case 'succeeded':
      return `${plural ? 'are' : 'is'} handled and the run goes on`;
    case 'stopped':
      return `stop${s} the run without storing anything`;
  }
}

/** The classifier's context for `m` in its view (see `classifierView`). */
function contextIn(view: Scenario, m: ScenarioModule): ModuleContext {
  const ctx = moduleContext(view, m.id);
  if (!ctx) throw new Error(`Module ${m.id} does not exist in scenario "${view.name}".`);
  return ctx;
}

function missingHandlerMessage(scenario: Scenario, m: ScenarioModule, profile: Profile): string {
  const ctx = contextIn(scenario, m);
  const groups = outcomesByErrorTypeIn(scenario, ctx, profile);
  const other = unknownTypeOutcomeIn(scenario, ctx, profile);
  const parts: string[] = [];
  for (const g of groups) {
    if (g.outcome === other || g.errorTypes.length === 0) continue;
    parts.push(`${listTypes(g.errorTypes)} ${outcomePhrase(g.outcome, g.errorTypes.length > 1)}`);
  }
  parts.push(`${parts.length ? 'any other error' : 'every error'} ${outcomePhrase(other, false)}`);
  const storageOff = scenario.settings.storeIncompleteExecutions ? '' : ' (storing of incomplete executions is off)';
  return `${moduleTitle(m)} has no error-handler route${storageOff}: ${parts.join('; ')}.`;
}

function partialHandlerMessage(
  scenario: Scenario,
  m: ScenarioModule,
  routes: readonly ErrorHandlerRoute[],
  profile: Profile,
): string | undefined {
  if (routes.some((r) => r.errors === null)) return undefined;
  const mustCatch = ERROR_TYPE_NAMES.filter((t) => !(profile === 'make' && lookupErrorType(t)?.uncatchableInMake));
  const uncaught = mustCatch.filter((t) => !routes.some((r) => routeCatches(r, t)));
  if (uncaught.length === 0) return undefined;
  const caught = [...new Set(routes.flatMap((r) => r.errors ?? []))];
  const byOutcome = new Map<Outcome, string[]>();
  const ctx = contextIn(scenario, m);
  for (const t of uncaught) {
    const o = classifyOutcome(scenario, ctx, t, profile);
    byOutcome.set(o, [...(byOutcome.get(o) ?? []), t]);
  }
  const other = unknownTypeOutcomeIn(scenario, ctx, profile);
  const parts: string[] = [];
  for (const o of ['incomplete-with-retry', 'incomplete-without-retry', 'stopped', 'succeeded', 'failed'] as const) {
    const types = byOutcome.get(o);
    if (!types || o === other) continue;
    parts.push(`${listTypes(types)} ${outcomePhrase(o, types.length > 1)}`);
  }
  const rest = byOutcome.get(other);
  if (rest && rest.length <= 5)
    parts.push(`${listTypes(rest)} ${outcomePhrase(other, rest.length > 1)} (so do error types the catalogue does not know)`);
  else if (rest) parts.push(`${parts.length ? 'any other uncaught error' : 'every uncaught error'} ${outcomePhrase(other, false)}`);
  const many = m.onError.length > 1 || (m.onError.length === 0 && routes.length > 1);
  const via =
    m.onError.length > 0 ? `its error-handler route${many ? 's' : ''}` : `the enclosing router's error-handler route${many ? 's' : ''}`;
  const caughtText = caught.length
    ? `${many ? 'catch' : 'catches'} only ${listTypes(caught)}`
    : `${many ? 'catch' : 'catches'} no error type`;
  return `${moduleTitle(m)}: ${via} ${caughtText}; the other errors fall through to the default rules: ${parts.join('; ')}.`;
}

function unknownTypeMessage(name: string, profile: Profile): string {
  const hint = nearest(name, ERROR_TYPE_NAMES);
  const suggestion = hint && hint !== name ? ` Did you mean ${hint}?` : '';
  const fate = profile === 'make' ? 'they are stored as incomplete executions without automatic retry' : 'they fail the run';
  return `"${name}" is not an error type in the catalogue.${suggestion} Custom app errors are allowed; without a handler ${fate}.`;
}

// ---------------------------------------------------------------------------------------------
// Suppression comments
// ---------------------------------------------------------------------------------------------

const DISABLE_RE = /^\s*#\s*fusion-lint-disable-next-line\b(.*)$/;

/** The comment text that disables `codes` for the next line. */
export const DISABLE_NEXT_LINE = 'fusion-lint-disable-next-line';

/**
 * Line (0-based) → codes suppressed there (`null` = every code). A comment line
 * `# fusion-lint-disable-next-line [code …] [-- reason]` targets the next line that is neither
 * blank nor a comment.
 */
export function suppressions(text: string, lineIndex: LineIndex): Map<number, Set<string> | null> {
  const out = new Map<number, Set<string> | null>();
  let pending: Set<string> | null | undefined;
  for (let line = 0; line < lineIndex.lineCount; line++) {
    const content = text.slice(lineIndex.lineStart(line), lineIndex.lineEnd(line));
    const m = DISABLE_RE.exec(content);
    if (m) {
      const rest = m[1].split(/\s--\s|^--\s|\s--$/)[0];
      const codes = rest.split(/[\s,]+/).filter((c) => c !== '');
      const set = codes.length === 0 ? null : new Set(codes);
      pending = mergeCodes(pending, set);
      continue;
    }
    const trimmed = content.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (pending !== undefined) {
      out.set(line, mergeCodes(out.get(line), pending));
      pending = undefined;
    }
  }
  return out;
}

function mergeCodes(a: Set<string> | null | undefined, b: Set<string> | null): Set<string> | null {
  if (a === undefined) return b;
  if (a === null || b === null) return null;
  return new Set([...a, ...b]);
}

/** True when `code` is one of the stable lint codes. */
export function isLintCode(code: string): code is LintCode {
  return (LINT_CODES as readonly string[]).includes(code);
}

// ---------------------------------------------------------------------------------------------

function clampSpan(span: Span, length: number): Span {
  const s = Number.isFinite(span.start) ? span.start : 0;
  const e = Number.isFinite(span.end) ? span.end : s;
  const start = Math.max(0, Math.min(s, length));
  const end = Math.max(start, Math.min(e, length));
  return { start, end };
}

function internalFinding(e: unknown, text: string, lineIndex: LineIndex): Finding {
  const span = clampSpan({ start: 0, end: lineIndex.lineEnd(0) }, text.length);
  const detail = e instanceof Error ? e.message : String(e);
  return {
    code: 'invalid-scenario',
    severity: DEFAULT_SEVERITIES['invalid-scenario'],
    message: `The scenario could not be checked (internal error: ${detail}).`,
    span,
    range: lineIndex.rangeOf(span),
  };
}
