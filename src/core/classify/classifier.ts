/*
 * Classification of one failure: a scenario, the id of the module that failed, an error type name →
 * what happens to the run. What an error type does with no handler comes from its catalogue entry
 * (`unhandled` per profile, `uncatchableInMake`); a name the catalogue does not know does what
 * UNKNOWN_TYPE_UNHANDLED says. The rule numbers below are the ones every reason cites.
 *
 * Profile `fusion` (default; Adobe's tutorial "Understand incomplete executions"). First match wins:
 *   1. The failing module is the first module (`modules[0]`, the trigger) → `stopped`, nothing is
 *      stored (even when the trigger has an error-handler route).
 *   2. An error-handler route applies → its directive decides: break → stored (with retry when
 *      `autoComplete`, else without); resume / ignore / commit → `succeeded`; rollback → `failed`.
 *   3. No handler; the entry says `unhandled.fusion: 'incomplete-with-retry'` (the four types the
 *      tutorial lists: ConnectionError, RateLimitError, OutOfSpaceError, ModuleTimeoutError).
 *   4. No handler; the entry says `'incomplete-without-retry'` (the six types the tutorial lists).
 *   5. Anything else, names the catalogue does not know included → `failed`.
 *
 * Profile `make` (Make Help Center: "Types of errors", "Automatic retry of incomplete executions",
 * "Errors that don't create incomplete executions"):
 *   1. An entry with `uncatchableInMake` (AccountValidationError) → `failed` on any module: Make
 *      raises it while the scenario initialises, so no error-handler route can catch it and nothing
 *      is stored.
 *   2. An error-handler route applies → its directive decides, exactly as fusion rule 2, on ANY
 *      module including the first (Make: "with the Break error handler, Make stores the incomplete
 *      execution even when the first module outputs an error"; the other directives work there too).
 *   3. The first module, no handler → `stopped`, nothing is stored.
 *   4. No handler; the entry says `unhandled.make: 'incomplete-with-retry'` (Make retries only
 *      ConnectionError, RateLimitError and ModuleTimeoutError automatically).
 *   5. No handler; the entry says `'failed'`: a platform limit or an interruption outside the
 *      operation phase, which creates no incomplete execution (Make: runs longer than the duration
 *      limit create none).
 *   6. No handler; any other type, names the catalogue does not know included →
 *      `incomplete-without-retry`.
 *
 * Both profiles: when the scenario setting `storeIncompleteExecutions` is false, any outcome that
 * would store an incomplete execution becomes `failed` (the run ends with an error and is rolled
 * back); the reason says so. `handler` stays the directive that decided (so a `break` with storage
 * off reports handler `break`, outcome `failed`).
 *
 * Handler lookup: the module's own error-handler routes, then the routes of each enclosing
 * router or if-else (`routerPath`, innermost first); the first route that applies decides. A route
 * applies when its `errors` list (null = every type) holds the type AND its filter passes: a
 * blueprint's filter on the route's first module is evaluated on the error type and, when given, the
 * error message (see scenario/filter.ts); an error that does not pass is treated as if the route were
 * not there, so the lookup goes on. A condition it cannot decide (the message when not given, a
 * bundle's data) makes the classification fork.
 *
 * Inside the route that applies, a router or if-else whose routes / branches end in their own
 * directive modules decides the directive: the first route whose filter passes (if-else: the first
 * enabled branch whose condition holds, else the `else` branch) gives its directive; none → Ignore
 * (the error is handled and the bundle goes no further). For a router this takes the first passing
 * route's directive although Make runs every passing route: the first directive met ends the handling
 * of that error. A Break whose "Automatically complete execution" is an expression forks too.
 *
 * A route whose directive is not one Fusion knows (`directive: brake`, reported as
 * unknown-directive) decides nothing: an error it catches has outcome `unknown` (no handler, nothing
 * stored as far as anyone can say), and the reason names the directive as written. It is not taken
 * for the parser's default (Ignore), which would claim the error is handled.
 *
 * A classification that forks has outcome `depends` and lists its `cases` (each with `when`). Its
 * top-level fields describe the worst case: failed (the run is rolled back, nothing kept) is worse
 * than stopped, which is worse than stored without retry (a person must act), which is worse than
 * stored with automatic retry, which is worse than succeeded; `unknown` counts as worse than all of
 * them, so a guess never hides it. Cases that agree on outcome, storage,
 * retry and handler are not a fork: they collapse into one answer.
 */
import { ERROR_TYPES, lookupErrorType, unhandledOutcome } from '../catalogue/catalogue';
import { dependsWords, OUTCOME_WORDS, unknownWords } from './outcomes';
import { DIRECTIVES, findModule } from '../model';
import type {
  CaseOutcome,
  Classification,
  ClassificationCase,
  ClassifiedOutcome,
  DependsOn,
  Directive,
  ErrorHandlerRoute,
  Profile,
  RouteFilter,
  Scenario,
  ScenarioModule,
} from '../model';
import { describeFilter, evaluateFilter, undecidedInput } from '../scenario/filter';
import type { ErrorFacts, Truth } from '../scenario/filter';

/** A handler route found by the lookup, and the module it is attached to. */
export interface HandlerMatch {
  readonly route: ErrorHandlerRoute;
  /** The module the route is attached to (the failing module itself, or an enclosing router). */
  readonly owner: ScenarioModule;
}

/**
 * Whether the route applies to an error: its `errors` list, then its filter (the message, when not
 * given, and a bundle's data make it `unknown`).
 */
export function routeApplies(route: ErrorHandlerRoute, errorType: string, ownerIds: readonly number[], message?: string): Truth {
  if (route.errors !== null && !route.errors.includes(errorType)) return 'no';
  return evaluateFilter(route.filter, { ownerIds, type: errorType, ...(message !== undefined ? { message } : {}) });
}

/** True when the route surely applies to the type (its `errors` list holds it and its filter, if any, surely passes). */
export function routeCatches(route: ErrorHandlerRoute, errorType: string, ownerIds: readonly number[] = []): boolean {
  return routeApplies(route, errorType, ownerIds) === 'yes';
}

/** Resolves an enclosing router's id to its module (the handler lookup's view of the scenario). */
export type RouterLookup = (id: number) => ScenarioModule | undefined;

/** The routes the lookup tries, in order: the module's own, then each enclosing router's (innermost first). */
function candidates(module: ScenarioModule, router: RouterLookup): HandlerMatch[] {
  const out: HandlerMatch[] = module.onError.map((route) => ({ route, owner: module }));
  for (let i = module.routerPath.length - 1; i >= 0; i--) {
    const owner = router(module.routerPath[i]);
    if (owner) for (const route of owner.onError) out.push({ route, owner });
  }
  return out;
}

/** The handler lookup: the first route that surely applies (own routes first, then enclosing routers innermost first). */
export function findHandler(scenario: Scenario, module: ScenarioModule, errorType: string): HandlerMatch | undefined {
  return candidates(module, (id) => findModule(scenario, id)).find(
    (c) => routeApplies(c.route, errorType, [module.id, c.owner.id]) === 'yes',
  );
}

/**
 * The module a classification is about, resolved once: `isFirst` is rule 1's test (the module's id
 * is the trigger's), `router` resolves enclosing routers. Lets callers that classify many types or
 * many modules skip the tree walks of `classify`.
 */
export interface ModuleContext {
  readonly module: ScenarioModule;
  readonly isFirst: boolean;
  readonly router: RouterLookup;
}

/** The context `classify` uses: the first module with the id, routers looked up in the whole tree. */
export function moduleContext(scenario: Scenario, moduleId: number): ModuleContext | undefined {
  const module = findModule(scenario, moduleId);
  if (!module) return undefined;
  const isFirst = scenario.modules.length > 0 && scenario.modules[0].id === moduleId;
  return { module, isFirst, router: (id) => findModule(scenario, id) };
}

/** The rule that decides, before the storage setting is applied; `sentence` builds its reason on demand. */
interface Decision {
  readonly rule: number;
  readonly outcome: CaseOutcome;
  readonly handler: Directive | null;
  /** The route whose directive decided (its settings). */
  readonly route?: ErrorHandlerRoute;
  /** The handler route that caught the error. */
  readonly handlerRoute?: ErrorHandlerRoute;
  readonly sentence: () => string;
}

/** A decision, or a fork on something the classification was not given. */
type Tree =
  | { readonly leaf: Decision }
  | { readonly fork: { readonly when: string; readonly input: DependsOn; readonly yes: Tree; readonly no: Tree } };

function leaf(d: Decision): Tree {
  return { leaf: d };
}

/** What an undecided filter needs, and the words for it. */
function forkOn(filter: RouteFilter | undefined, facts: ErrorFacts, what: string, yes: Tree, no: Tree): Tree {
  const when = filter ? describeFilter(filter, facts.ownerIds) : `the condition of ${what} (not given in the file) holds`;
  return { fork: { when, input: filter ? undecidedInput(filter, facts) : 'data', yes, no } };
}

/** The module of a handler route that splits it: the last router or if-else of the route whose routes / branches end in directives. */
function splitterOf(route: ErrorHandlerRoute): ScenarioModule | undefined {
  for (let i = route.modules.length - 1; i >= 0; i--) {
    const m = route.modules[i];
    if (m.routes.some((r) => r.ending !== undefined) || (m.branches ?? []).some((b) => b.ending !== undefined)) return m;
  }
  return undefined;
}

function decide(ctx: ModuleContext, errorType: string, p: Profile, message?: string): Tree {
  const { module, isFirst } = ctx;
  const moduleId = module.id;
  const cands = candidates(module, ctx.router);
  const raised = (): string => `${errorType} raised in module ${moduleId}${module.name ? ` (${module.name})` : ''}`;
  const d = (
    rule: number,
    outcome: CaseOutcome,
    handler: Directive | null,
    sentence: () => string,
    route?: ErrorHandlerRoute,
    handlerRoute?: ErrorHandlerRoute,
  ): Tree => leaf({ rule, outcome, handler, sentence, ...(route ? { route } : {}), ...(handlerRoute ? { handlerRoute } : {}) });

  /** The directive's decision, `via` naming where it sits. */
  const byDirective = (rule: number, dirRoute: ErrorHandlerRoute, caught: HandlerMatch, via: () => string, facts: ErrorFacts): Tree => {
    const dir = dirRoute.directive;
    const hr = caught.route;
    if (dirRoute.unknownDirective !== undefined) {
      const written = dirRoute.unknownDirective;
      return d(
        rule,
        'unknown',
        null,
        () =>
          `${raised()} is caught by ${via()}, whose directive '${written}' is not one Fusion knows, so what happens is unknown (use one of ${DIRECTIVES.join(', ')}).`,
        dirRoute,
        hr,
      );
    }
    switch (dir) {
      case 'break': {
        const withRetry = (): Tree =>
          d(
            rule,
            'incomplete-with-retry',
            dir,
            () =>
              `${raised()} is caught by ${via()}, whose Break directive stores an incomplete execution completed automatically (${dirRoute.attempts} attempts every ${dirRoute.intervalMinutes} min).`,
            dirRoute,
            hr,
          );
        const without = (): Tree =>
          d(
            rule,
            'incomplete-without-retry',
            dir,
            () => `${raised()} is caught by ${via()}, whose Break directive stores an incomplete execution without automatic completion.`,
            dirRoute,
            hr,
          );
        const expr = dirRoute.runTime?.autoComplete;
        if (expr !== undefined) {
          return {
            fork: {
              when: `Break's "Automatically complete execution" (${expr}) is true when the scenario runs`,
              input: 'data',
              yes: withRetry(),
              no: without(),
            },
          };
        }
        void facts;
        return dirRoute.autoComplete ? withRetry() : without();
      }
      case 'resume':
        return d(
          rule,
          'succeeded',
          dir,
          () => `${raised()} is caught by ${via()}, whose Resume directive substitutes the module's output and the run continues.`,
          dirRoute,
          hr,
        );
      case 'ignore':
        return d(
          rule,
          'succeeded',
          dir,
          () =>
            `${raised()} is caught by ${via()}, whose Ignore directive drops this bundle's branch and the run continues with the next bundle.`,
          dirRoute,
          hr,
        );
      case 'commit':
        return d(
          rule,
          'succeeded',
          dir,
          () => `${raised()} is caught by ${via()}, whose Commit directive stops the run at once and marks it successful.`,
          dirRoute,
          hr,
        );
      case 'rollback':
        return d(
          rule,
          'failed',
          dir,
          () => `${raised()} is caught by ${via()}, whose Rollback directive stops the run, rolls it back and marks it as an error.`,
          dirRoute,
          hr,
        );
    }
  };

  const byHandler = (rule: number, m: HandlerMatch, facts: ErrorFacts): Tree => {
    const filterText = (): string =>
      m.route.errors
        ? ` (filter ${m.route.errors.join(', ')})`
        : m.route.filter
          ? ` (${describeFilter(m.route.filter, facts.ownerIds)})`
          : '';
    const via = (): string =>
      m.owner.id === moduleId
        ? `its error-handler route${filterText()}`
        : `the error-handler route of enclosing ${m.owner.isRouter ? 'router' : 'if-else'} ${m.owner.id}${filterText()}`;
    const splitter = splitterOf(m.route);
    if (!splitter) return byDirective(rule, m.route, m, via, facts);
    const none = (): Tree =>
      d(
        rule,
        'succeeded',
        'ignore',
        () =>
          `${raised()} is caught by ${via()}, where no route of ${splitter.isRouter ? 'router' : 'if-else'} ${splitter.id} runs to a directive, so the error is ignored and the run continues with the next bundle.`,
        m.route,
        m.route,
      );
    const ended = (ending: ErrorHandlerRoute | undefined, label: string): Tree =>
      ending
        ? byDirective(rule, ending, m, () => `${via()}, ${label}`, facts)
        : d(rule, 'succeeded', 'ignore', () => `${raised()} is caught by ${via()}, ${label} with no directive (Ignore).`, m.route, m.route);
    if (splitter.isRouter) {
      const build = (i: number): Tree => {
        if (i >= splitter.routes.length) return none();
        const r = splitter.routes[i];
        const label = `route ${r.name ? `"${r.name}"` : i + 1} of router ${splitter.id}`;
        const t = evaluateFilter(r.filter, facts);
        if (t === 'yes') return ended(r.ending, label);
        if (t === 'no') return build(i + 1);
        return forkOn(r.filter, facts, label, ended(r.ending, label), build(i + 1));
      };
      return build(0);
    }
    const branches = splitter.branches ?? [];
    const build = (i: number): Tree => {
      if (i >= branches.length) return none();
      const b = branches[i];
      if (b.disabled) return build(i + 1);
      const label = `${b.isElse ? 'the else branch' : `branch ${b.name ? `"${b.name}"` : i + 1}`} of if-else ${splitter.id}`;
      if (b.isElse) return ended(b.ending, label);
      const t: Truth = b.condition ? evaluateFilter(b.condition, facts) : 'unknown';
      if (t === 'yes') return ended(b.ending, label);
      if (t === 'no') return build(i + 1);
      return forkOn(b.condition, facts, label, ended(b.ending, label), build(i + 1));
    };
    return build(0);
  };

  /** The handler lookup: the first route that applies decides (`rule`); none → `otherwise`. */
  const lookup = (rule: number, otherwise: () => Tree): Tree => {
    const build = (i: number): Tree => {
      if (i >= cands.length) return otherwise();
      const c = cands[i];
      const facts: ErrorFacts = { ownerIds: [moduleId, c.owner.id], type: errorType, ...(message !== undefined ? { message } : {}) };
      const t = routeApplies(c.route, errorType, facts.ownerIds, message);
      if (t === 'yes') return byHandler(rule, c, facts);
      if (t === 'no') return build(i + 1);
      const whose =
        c.owner.id === moduleId
          ? `the error-handler route of module ${moduleId}`
          : `the error-handler route of enclosing ${c.owner.isRouter ? 'router' : 'if-else'} ${c.owner.id}`;
      return forkOn(c.route.filter, facts, whose, byHandler(rule, c, facts), build(i + 1));
    };
    return build(0);
  };

  if (p === 'fusion') {
    if (isFirst) {
      return d(
        1,
        'stopped',
        null,
        () =>
          `${raised()}, the first module of the scenario, stops the run at once and stores no incomplete execution${cands.length > 0 ? ' (its error-handler route does not apply to the trigger)' : ''}.`,
      );
    }
    return lookup(2, () => {
      switch (unhandledOutcome(errorType, p)) {
        case 'incomplete-with-retry':
          return d(
            3,
            'incomplete-with-retry',
            null,
            () => `${raised()} with no error-handler route stores an incomplete execution with automatic retry.`,
          );
        case 'incomplete-without-retry':
          return d(
            4,
            'incomplete-without-retry',
            null,
            () => `${raised()} with no error-handler route stores an incomplete execution without automatic retry.`,
          );
        case 'failed':
          return d(5, 'failed', null, () => {
            const known = lookupErrorType(errorType) !== undefined;
            return `${raised()} with no error-handler route fails the run: ${known ? 'this type' : 'a type the catalogue does not know'} is not one that stores an incomplete execution.`;
          });
      }
    });
  }

  // make profile
  const info = lookupErrorType(errorType);
  if (info?.uncatchableInMake) {
    return d(
      1,
      'failed',
      null,
      () =>
        `${raised()} happens while the scenario initialises, so no error-handler route can catch it and the run fails without storing anything.`,
    );
  }
  return lookup(2, () => {
    if (isFirst) {
      return d(
        3,
        'stopped',
        null,
        () =>
          `${raised()}, the first module of the scenario, with no error-handler route stops the run and stores no incomplete execution.`,
      );
    }
    switch (unhandledOutcome(errorType, p)) {
      case 'incomplete-with-retry':
        return d(
          4,
          'incomplete-with-retry',
          null,
          () => `${raised()} with no error-handler route stores an incomplete execution with automatic retry.`,
        );
      case 'failed':
        return d(
          5,
          'failed',
          null,
          () => `${raised()} is a platform limit or interruption that creates no incomplete execution, so the run fails.`,
        );
      case 'incomplete-without-retry':
        return d(
          6,
          'incomplete-without-retry',
          null,
          () =>
            `${raised()} with no error-handler route stores an incomplete execution without automatic retry${info ? '' : ' (a type the catalogue does not know is stored like any other error)'}.`,
        );
    }
  });
}

function stores(outcome: CaseOutcome): boolean {
  return outcome === 'incomplete-with-retry' || outcome === 'incomplete-without-retry';
}

/** How bad an outcome is for the run's data (higher = worse): what `depends` reports at the top level. */
export const OUTCOME_SEVERITY: Readonly<Record<CaseOutcome, number>> = {
  succeeded: 0,
  'incomplete-with-retry': 1,
  'incomplete-without-retry': 2,
  stopped: 3,
  failed: 4,
  // Nothing can be said about it, so no known outcome hides it as the worst case.
  unknown: 5,
};

/** The worst of several cases (the first of equally bad ones). */
export function worstCase<T extends { readonly outcome: CaseOutcome }>(cases: readonly T[]): T {
  let worst = cases[0];
  for (const c of cases) if (OUTCOME_SEVERITY[c.outcome] > OUTCOME_SEVERITY[worst.outcome]) worst = c;
  return worst;
}

/** The leaves of a tree with the conditions that lead to each. */
function flatten(tree: Tree, path: string[] = [], inputs: DependsOn[] = []): { when: string[]; inputs: DependsOn[]; decision: Decision }[] {
  if ('leaf' in tree) return [{ when: path, inputs, decision: tree.leaf }];
  const { when, input, yes, no } = tree.fork;
  return [...flatten(yes, [...path, when], [...inputs, input]), ...flatten(no, [...path, `not: ${when}`], [...inputs, input])];
}

/** The outcome of a decision once the storage setting is applied. */
function finalOutcome(scenario: Scenario, d: Decision): CaseOutcome {
  return stores(d.outcome) && !scenario.settings.storeIncompleteExecutions ? 'failed' : d.outcome;
}

/** The outcome and, for `depends`, what it depends on, without building the reason text. */
function outcomeOf(
  scenario: Scenario,
  ctx: ModuleContext,
  errorType: string,
  profile?: Profile,
  message?: string,
): { outcome: ClassifiedOutcome; dependsOn?: DependsOn; unknownDirective?: string } {
  const tree = decide(ctx, errorType, effectiveProfile(scenario, profile), message);
  const written = (d: Decision): { unknownDirective?: string } =>
    d.outcome === 'unknown' && d.route?.unknownDirective !== undefined ? { unknownDirective: d.route.unknownDirective } : {};
  if ('leaf' in tree) return { outcome: finalOutcome(scenario, tree.leaf), ...written(tree.leaf) };
  const leaves = flatten(tree);
  const first = finalOutcome(scenario, leaves[0].decision);
  if (leaves.every((l) => finalOutcome(scenario, l.decision) === first)) return { outcome: first, ...written(leaves[0].decision) };
  return { outcome: 'depends', dependsOn: leaves.some((l) => l.inputs.includes('message')) ? 'message' : 'data' };
}

/** The outcome alone (what `classify(...).outcome` returns), without building the reason text. */
export function classifyOutcome(
  scenario: Scenario,
  ctx: ModuleContext,
  errorType: string,
  profile?: Profile,
  message?: string,
): ClassifiedOutcome {
  return outcomeOf(scenario, ctx, errorType, profile, message).outcome;
}

/** What happens when the module fails with the error type, and why. Throws only for an unknown module id (callers check first). `message`: the error message, when known. */
export function classify(scenario: Scenario, moduleId: number, errorType: string, profile?: Profile, message?: string): Classification {
  const ctx = moduleContext(scenario, moduleId);
  if (!ctx) {
    throw new Error(`Module ${moduleId} does not exist in scenario "${scenario.name}".`);
  }
  return classifyIn(scenario, ctx, errorType, profile, message);
}

/** One decision as a case (the storage setting applied). */
function caseOf(scenario: Scenario, p: Profile, d: Decision, when: string): ClassificationCase {
  const { rule, outcome, handler, route, sentence } = d;
  if (stores(outcome) && !scenario.settings.storeIncompleteExecutions) {
    return {
      when,
      outcome: 'failed',
      storesIncompleteExecution: false,
      autoRetry: false,
      handler,
      reason: `Profile ${p}, rule ${rule}: ${sentence().replace(/\.$/, '')} — but storing of incomplete executions is off for this scenario, so the run fails and is rolled back instead.`,
      ...(route ? { route } : {}),
    };
  }
  return {
    when,
    outcome,
    storesIncompleteExecution: stores(outcome),
    autoRetry: outcome === 'incomplete-with-retry',
    handler,
    reason: `Profile ${p}, rule ${rule}: ${sentence()}`,
    ...(route ? { route } : {}),
  };
}

/** `classify` for a module already resolved (see `ModuleContext`). */
export function classifyIn(scenario: Scenario, ctx: ModuleContext, errorType: string, profile?: Profile, message?: string): Classification {
  const p = effectiveProfile(scenario, profile);
  const tree = decide(ctx, errorType, p, message);
  const base = { moduleId: ctx.module.id, errorType, ...(message !== undefined ? { message } : {}), profile: p };
  const leaves = flatten(tree);
  const cases = leaves.map((l) => caseOf(scenario, p, l.decision, l.when.length ? l.when.join(' and ') : 'always'));
  const same = cases.every(
    (c) =>
      c.outcome === cases[0].outcome &&
      c.storesIncompleteExecution === cases[0].storesIncompleteExecution &&
      c.autoRetry === cases[0].autoRetry &&
      c.handler === cases[0].handler,
  );
  if (same) {
    const { when: _when, ...only } = cases[0];
    void _when;
    const hr = leaves[0].decision.handlerRoute;
    const written = only.outcome === 'unknown' ? only.route?.unknownDirective : undefined;
    return { ...base, ...only, ...(hr ? { handlerRoute: hr } : {}), ...(written !== undefined ? { unknownDirective: written } : {}) };
  }
  const worstIndex = cases.indexOf(worstCase(cases));
  const worst = cases[worstIndex];
  const hr = leaves[worstIndex].decision.handlerRoute;
  const dependsOn: DependsOn = leaves.some((l) => l.inputs.includes('message')) ? 'message' : 'data';
  const on = dependsOn === 'message' ? 'the error message' : "the run's data";
  return {
    ...base,
    outcome: 'depends',
    storesIncompleteExecution: worst.storesIncompleteExecution,
    autoRetry: worst.autoRetry,
    handler: worst.handler,
    reason: `What happens depends on ${on}: ${cases.map((c) => `when ${c.when}, ${c.outcome}${c.handler ? ` (${c.handler})` : ''}`).join('; ')}. Worst case: ${worst.reason}`,
    ...(worst.route ? { route: worst.route } : {}),
    ...(hr ? { handlerRoute: hr } : {}),
    cases,
    worst: worst.outcome,
    dependsOn,
    ...(worst.outcome === 'unknown' && worst.route?.unknownDirective !== undefined
      ? { unknownDirective: worst.route.unknownDirective }
      : {}),
  };
}

/** The effective profile: scenario setting, else the given default, else 'fusion'. */
export function effectiveProfile(scenario: Scenario, fallback?: Profile): Profile {
  return scenario.settings.profile ?? fallback ?? 'fusion';
}

export interface OutcomeGroup {
  readonly outcome: ClassifiedOutcome;
  /** Catalogue error types that lead to this outcome when the module fails. */
  readonly errorTypes: readonly string[];
  /** `depends` only: `message` when at least one of its types depends on the error message. */
  readonly dependsOn?: DependsOn;
  /** `unknown` only: the directive as written that makes it unknown (`brake`). */
  readonly unknownDirective?: string;
}

const GROUP_ORDER: readonly ClassifiedOutcome[] = [
  'stopped',
  'incomplete-with-retry',
  'incomplete-without-retry',
  'succeeded',
  'depends',
  'failed',
  'unknown',
];

/**
 * For a module, what each catalogue error type would do if it failed there, grouped by outcome
 * (in the order stopped, incomplete-with-retry, incomplete-without-retry, succeeded, failed).
 * Used by lint messages, hovers and CodeLens. Outcomes no type leads to are left out.
 * Throws for an unknown module id (like `classify`).
 */
export function outcomesByErrorType(scenario: Scenario, moduleId: number, profile?: Profile): OutcomeGroup[] {
  const ctx = moduleContext(scenario, moduleId);
  if (!ctx) throw new Error(`Module ${moduleId} does not exist in scenario "${scenario.name}".`);
  return outcomesByErrorTypeIn(scenario, ctx, profile);
}

/** `outcomesByErrorType` for a module already resolved (see `ModuleContext`). */
export function outcomesByErrorTypeIn(scenario: Scenario, ctx: ModuleContext, profile?: Profile): OutcomeGroup[] {
  const byOutcome = new Map<ClassifiedOutcome, string[]>();
  let dependsOn: DependsOn | undefined;
  let unknownDirective: string | undefined;
  for (const info of ERROR_TYPES) {
    const r = outcomeOf(scenario, ctx, info.name, profile);
    const list = byOutcome.get(r.outcome) ?? [];
    list.push(info.name);
    byOutcome.set(r.outcome, list);
    if (r.dependsOn && dependsOn !== 'message') dependsOn = r.dependsOn;
    unknownDirective ??= r.unknownDirective;
  }
  return GROUP_ORDER.filter((o) => byOutcome.has(o)).map((o) => ({
    outcome: o,
    errorTypes: byOutcome.get(o) ?? [],
    ...(o === 'depends' && dependsOn ? { dependsOn } : {}),
    ...(o === 'unknown' && unknownDirective !== undefined ? { unknownDirective } : {}),
  }));
}

/** What an error type the catalogue does not know (a custom app's) would do at the module. */
export function unknownTypeOutcome(scenario: Scenario, moduleId: number, profile?: Profile): ClassifiedOutcome {
  const ctx = moduleContext(scenario, moduleId);
  if (!ctx) throw new Error(`Module ${moduleId} does not exist in scenario "${scenario.name}".`);
  return classifyOutcome(scenario, ctx, UNKNOWN_TYPE_PROBE, profile);
}

/** `unknownTypeOutcome` for a module already resolved (see `ModuleContext`). */
export function unknownTypeOutcomeIn(scenario: Scenario, ctx: ModuleContext, profile?: Profile): ClassifiedOutcome {
  return classifyOutcome(scenario, ctx, UNKNOWN_TYPE_PROBE, profile);
}
/** A name no catalogue or app uses; only for probing the "any other type" rule. */
const UNKNOWN_TYPE_PROBE = '\u0000UnknownErrorType';

/**
 * A short phrase for CodeLens / hovers, e.g.
 * "On failure: 4 types retry automatically · 6 stored without retry · others fail the run".
 * The `failed` group is phrased as "others" when other groups exist (unknown types land there in
 * fusion); a single group covering everything is phrased as "every error …".
 */
export function summarizeOutcomes(groups: readonly OutcomeGroup[]): string {
  const nonEmpty = groups.filter((g) => g.errorTypes.length > 0);
  if (nonEmpty.length === 0) return 'On failure: nothing known';
  if (nonEmpty.length === 1) {
    const only = nonEmpty[0];
    if (only.outcome === 'unknown') return `On failure: ${unknownWords(only.unknownDirective)}`;
    return `On failure: ${only.outcome === 'depends' ? `what happens depends on ${dependsWords(only.dependsOn)}` : OUTCOME_WORDS[only.outcome].every}`;
  }
  const last = nonEmpty[nonEmpty.length - 1];
  // `failed` last means "whatever is left", unknown types included (fusion): phrased as "others".
  const parts = nonEmpty.map((g) => {
    if (g.outcome === 'depends') return `${g.errorTypes.length} depend on ${dependsWords(g.dependsOn)}`;
    if (g.outcome === 'unknown') return `${g.errorTypes.length} ${unknownWords(g.unknownDirective, 'counted')}`;
    return g.outcome === 'failed' && g === last ? 'others fail the run' : OUTCOME_WORDS[g.outcome].counted(g.errorTypes.length);
  });
  return `On failure: ${parts.join(' · ')}`;
}
