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
 * Handler lookup: the module's own error-handler routes, first whose `errors` filter contains the
 * type (a null filter catches all); then the routes of each enclosing router (`routerPath`,
 * innermost first). A router's handler covers every module below it.
 */
import { ERROR_TYPES, lookupErrorType, unhandledOutcome } from '../catalogue/catalogue';
import { OUTCOME_WORDS } from './outcomes';
import { findModule } from '../model';
import type { Classification, Directive, ErrorHandlerRoute, Outcome, Profile, Scenario, ScenarioModule } from '../model';

/** A handler route found by the lookup, and the module it is attached to. */
export interface HandlerMatch {
  readonly route: ErrorHandlerRoute;
  /** The module the route is attached to (the failing module itself, or an enclosing router). */
  readonly owner: ScenarioModule;
}

/** True when the route's `errors` filter lets the type through (null = all types). */
export function routeCatches(route: ErrorHandlerRoute, errorType: string): boolean {
  return route.errors === null || route.errors.includes(errorType);
}

/** Resolves an enclosing router's id to its module (the handler lookup's view of the scenario). */
export type RouterLookup = (id: number) => ScenarioModule | undefined;

/** The handler lookup: own routes first, then enclosing routers innermost first. */
export function findHandler(scenario: Scenario, module: ScenarioModule, errorType: string): HandlerMatch | undefined {
  return findHandlerVia(module, errorType, (id) => findModule(scenario, id));
}

function findHandlerVia(module: ScenarioModule, errorType: string, router: RouterLookup): HandlerMatch | undefined {
  const own = module.onError.find((r) => routeCatches(r, errorType));
  if (own) return { route: own, owner: module };
  for (let i = module.routerPath.length - 1; i >= 0; i--) {
    const owner = router(module.routerPath[i]);
    if (!owner) continue;
    const route = owner.onError.find((r) => routeCatches(r, errorType));
    if (route) return { route, owner };
  }
  return undefined;
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
  readonly outcome: Outcome;
  readonly handler: Directive | null;
  readonly route?: ErrorHandlerRoute;
  readonly sentence: () => string;
}

function decide(ctx: ModuleContext, errorType: string, p: Profile): Decision {
  const { module, isFirst } = ctx;
  const moduleId = module.id;
  const match = findHandlerVia(module, errorType, ctx.router);
  const raised = (): string => `${errorType} raised in module ${moduleId}${module.name ? ` (${module.name})` : ''}`;
  const d = (rule: number, outcome: Outcome, handler: Directive | null, sentence: () => string, route?: ErrorHandlerRoute): Decision =>
    route ? { rule, outcome, handler, sentence, route } : { rule, outcome, handler, sentence };

  const byHandler = (rule: number, m: HandlerMatch): Decision => {
    const dir = m.route.directive;
    const via = (): string =>
      m.owner.id === moduleId
        ? `its error-handler route${m.route.errors ? ` (filter ${m.route.errors.join(', ')})` : ''}`
        : `the error-handler route of enclosing router ${m.owner.id}${m.route.errors ? ` (filter ${m.route.errors.join(', ')})` : ''}`;
    switch (dir) {
      case 'break':
        return m.route.autoComplete
          ? d(
              rule,
              'incomplete-with-retry',
              dir,
              () =>
                `${raised()} is caught by ${via()}, whose Break directive stores an incomplete execution completed automatically (${m.route.attempts} attempts every ${m.route.intervalMinutes} min).`,
              m.route,
            )
          : d(
              rule,
              'incomplete-without-retry',
              dir,
              () => `${raised()} is caught by ${via()}, whose Break directive stores an incomplete execution without automatic completion.`,
              m.route,
            );
      case 'resume':
        return d(
          rule,
          'succeeded',
          dir,
          () => `${raised()} is caught by ${via()}, whose Resume directive substitutes the module's output and the run continues.`,
          m.route,
        );
      case 'ignore':
        return d(
          rule,
          'succeeded',
          dir,
          () =>
            `${raised()} is caught by ${via()}, whose Ignore directive drops this bundle's branch and the run continues with the next bundle.`,
          m.route,
        );
      case 'commit':
        return d(
          rule,
          'succeeded',
          dir,
          () => `${raised()} is caught by ${via()}, whose Commit directive stops the run at once and marks it successful.`,
          m.route,
        );
      case 'rollback':
        return d(
          rule,
          'failed',
          dir,
          () => `${raised()} is caught by ${via()}, whose Rollback directive stops the run, rolls it back and marks it as an error.`,
          m.route,
        );
    }
  };

  if (p === 'fusion') {
    if (isFirst) {
      return d(
        1,
        'stopped',
        null,
        () =>
          `${raised()}, the first module of the scenario, stops the run at once and stores no incomplete execution${match ? ' (its error-handler route does not apply to the trigger)' : ''}.`,
      );
    }
    if (match) return byHandler(2, match);
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
  if (match) return byHandler(2, match);
  if (isFirst) {
    return d(
      3,
      'stopped',
      null,
      () => `${raised()}, the first module of the scenario, with no error-handler route stops the run and stores no incomplete execution.`,
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
}

function stores(outcome: Outcome): boolean {
  return outcome === 'incomplete-with-retry' || outcome === 'incomplete-without-retry';
}

/** The outcome alone (what `classify(...).outcome` returns), without building the reason text. */
export function classifyOutcome(scenario: Scenario, ctx: ModuleContext, errorType: string, profile?: Profile): Outcome {
  const outcome = decide(ctx, errorType, effectiveProfile(scenario, profile)).outcome;
  return stores(outcome) && !scenario.settings.storeIncompleteExecutions ? 'failed' : outcome;
}

/** What happens when the module fails with the error type, and why. Throws only for an unknown module id (callers check first). */
export function classify(scenario: Scenario, moduleId: number, errorType: string, profile?: Profile): Classification {
  const ctx = moduleContext(scenario, moduleId);
  if (!ctx) {
    throw new Error(`Module ${moduleId} does not exist in scenario "${scenario.name}".`);
  }
  return classifyIn(scenario, ctx, errorType, profile);
}

/** `classify` for a module already resolved (see `ModuleContext`). */
export function classifyIn(scenario: Scenario, ctx: ModuleContext, errorType: string, profile?: Profile): Classification {
  const p = effectiveProfile(scenario, profile);
  const { rule, outcome, handler, route, sentence } = decide(ctx, errorType, p);
  const base = { moduleId: ctx.module.id, errorType, profile: p };
  if (stores(outcome) && !scenario.settings.storeIncompleteExecutions) {
    return {
      ...base,
      outcome: 'failed',
      storesIncompleteExecution: false,
      autoRetry: false,
      handler,
      reason: `Profile ${p}, rule ${rule}: ${sentence().replace(/\.$/, '')} — but storing of incomplete executions is off for this scenario, so the run fails and is rolled back instead.`,
      ...(route ? { route } : {}),
    };
  }
  return {
    ...base,
    outcome,
    storesIncompleteExecution: stores(outcome),
    autoRetry: outcome === 'incomplete-with-retry',
    handler,
    reason: `Profile ${p}, rule ${rule}: ${sentence()}`,
    ...(route ? { route } : {}),
  };
}

/** The effective profile: scenario setting, else the given default, else 'fusion'. */
export function effectiveProfile(scenario: Scenario, fallback?: Profile): Profile {
  return scenario.settings.profile ?? fallback ?? 'fusion';
}

export interface OutcomeGroup {
  readonly outcome: Outcome;
  /** Catalogue error types that lead to this outcome when the module fails. */
  readonly errorTypes: readonly string[];
}

const GROUP_ORDER: readonly Outcome[] = ['stopped', 'incomplete-with-retry', 'incomplete-without-retry', 'succeeded', 'failed'];

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
  const byOutcome = new Map<Outcome, string[]>();
  for (const info of ERROR_TYPES) {
    const outcome = classifyOutcome(scenario, ctx, info.name, profile);
    const list = byOutcome.get(outcome) ?? [];
    list.push(info.name);
    byOutcome.set(outcome, list);
  }
  return GROUP_ORDER.filter((o) => byOutcome.has(o)).map((o) => ({ outcome: o, errorTypes: byOutcome.get(o) ?? [] }));
}

/** What an error type the catalogue does not know (a custom app's) would do at the module. */
export function unknownTypeOutcome(scenario: Scenario, moduleId: number, profile?: Profile): Outcome {
  const ctx = moduleContext(scenario, moduleId);
  if (!ctx) throw new Error(`Module ${moduleId} does not exist in scenario "${scenario.name}".`);
  return classifyOutcome(scenario, ctx, UNKNOWN_TYPE_PROBE, profile);
}

/** `unknownTypeOutcome` for a module already resolved (see `ModuleContext`). */
export function unknownTypeOutcomeIn(scenario: Scenario, ctx: ModuleContext, profile?: Profile): Outcome {
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
  if (nonEmpty.length === 1) return `On failure: ${OUTCOME_WORDS[nonEmpty[0].outcome].every}`;
  const last = nonEmpty[nonEmpty.length - 1];
  // `failed` last means "whatever is left", unknown types included (fusion): phrased as "others".
  const parts = nonEmpty.map((g) =>
    g.outcome === 'failed' && g === last ? 'others fail the run' : OUTCOME_WORDS[g.outcome].counted(g.errorTypes.length),
  );
  return `On failure: ${parts.join(' · ')}`;
}
