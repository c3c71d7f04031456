/**
 * The shared domain model. Pure types (plus a few tiny helpers), free of any `vscode` import.
 *
 * Positions: the model keeps UTF-16 *offsets* into the source text (`Span`, end exclusive), the
 * way both `yaml` and `jsonc-parser` report them. `LineIndex` (text.ts) turns an offset into a
 * 0-based line/character pair; the CLI prints them 1-based.
 */

import type { LintCode } from './lint/registry';

/** Half-open range of UTF-16 offsets into the source text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** 0-based line and character (UTF-16 code units), as VS Code counts them. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export type Profile = 'fusion' | 'make';
export const PROFILES: readonly Profile[] = ['fusion', 'make'];

export type Directive = 'break' | 'resume' | 'ignore' | 'commit' | 'rollback';
export const DIRECTIVES: readonly Directive[] = ['break', 'resume', 'ignore', 'commit', 'rollback'];

export type Outcome = 'stopped' | 'incomplete-with-retry' | 'incomplete-without-retry' | 'failed' | 'succeeded';

export type ScenarioFormat = 'yaml' | 'blueprint';

/**
 * One condition of a Make filter: the IML expression `a` (e.g. `{{18.error.type}}`), the operator
 * `o` (`text:equal`, `text:contain:ci`, `exist`, ...) and the value `b` (absent for `exist` /
 * `notexist`).
 */
export interface FilterCondition {
  readonly a: string;
  readonly o: string;
  readonly b?: string;
}

/**
 * A filter: passes when ANY of its groups holds, a group holds when ALL of its conditions do (the
 * blueprint's `conditions: [[...], [...]]`).
 */
export interface RouteFilter {
  /** The filter's label (Make shows it on the link). */
  readonly name?: string;
  readonly conditions: readonly (readonly FilterCondition[])[];
  /** The filter node in the source. */
  readonly span: Span;
}

/** Break settings whose value is an IML expression (`"{{1.maxAttempts}}"`), decided when the scenario runs. */
export type RunTimeSetting = 'autoComplete' | 'attempts' | 'intervalMinutes';

/** One error-handler route attached to a module (or to a router). */
export interface ErrorHandlerRoute {
  /** The error types this route catches; `null` = all types (or, with `filter`, whatever the filter lets through). */
  readonly errors: readonly string[] | null;
  /**
   * A blueprint filter on the route's first module that is not a plain list of error types: its
   * conditions are evaluated on the error type, on the error message when it is known, and anything
   * else (a bundle's data) is decided at run time. The route applies only to errors that pass it;
   * an error that does not pass is treated as if the route were not there.
   */
  readonly filter?: RouteFilter;
  /** Break settings given as IML expressions (their model values are the defaults), with the expression. */
  readonly runTime?: Readonly<Partial<Record<RunTimeSetting, string>>>;
  /** Source spans of the names in `errors`, same order (for hovers / unknown-error-type). */
  readonly errorSpans: readonly Span[];
  /** Modules the route runs before its directive. */
  readonly modules: readonly ScenarioModule[];
  /**
   * The directive that ends the route (`ignore` when none is given). When `unknownDirective` is set
   * this is only the parser's placeholder, not what the route does.
   */
  readonly directive: Directive;
  /**
   * The directive as written when it is none of DIRECTIVES (`directive: brake`): what the route
   * does is unknown, and the classifier answers `unknown` for errors it catches instead of guessing.
   */
  readonly unknownDirective?: string;
  /** Whether the directive was written explicitly in the source. */
  readonly directiveExplicit: boolean;
  /** break only: "Automatically complete execution" (blueprint `retry`). Default false. */
  readonly autoComplete: boolean;
  /** break only: number of attempts (blueprint `count`). Default 3. */
  readonly attempts: number;
  /** break only: minutes between attempts (blueprint `interval`). Default 15. */
  readonly intervalMinutes: number;
  /** resume only: the substitute output. */
  readonly output?: unknown;
  /** The whole route node. */
  readonly span: Span;
  /** The directive's value (or, in a blueprint, the directive module's `module` value). */
  readonly directiveSpan?: Span;
}

export interface RouterRoute {
  readonly name?: string;
  readonly modules: readonly ScenarioModule[];
  readonly span: Span;
  /** The filter on the route (a blueprint's filter on its first module), when it has conditions. */
  readonly filter?: RouteFilter;
  /**
   * Inside an error-handler route: the directive module that ends this route (errors/filter unused,
   * `modules` empty: the route's modules are the router route's own).
   */
  readonly ending?: ErrorHandlerRoute;
}

/**
 * One branch of an if-else module (`builtin:BasicIfElse`). Exactly one branch runs per bundle: the
 * first enabled `condition` branch whose condition holds, else the `else` branch.
 */
export interface IfElseBranch {
  readonly name?: string;
  /** The `else` branch (no condition). */
  readonly isElse: boolean;
  /** The branch condition (condition branches; absent = a condition not given). */
  readonly condition?: RouteFilter;
  /** Whether the branch continues into the Merge module that follows the if-else (blueprint `merge`). */
  readonly merge: boolean;
  /** A disabled branch never runs (blueprint `disabled`). */
  readonly disabled: boolean;
  readonly modules: readonly ScenarioModule[];
  readonly span: Span;
  /** Inside an error-handler route: the directive module that ends this branch. */
  readonly ending?: ErrorHandlerRoute;
}

/** Modules nested under a key the model does not understand (an AI agent's `tools`, ...): not checked. */
export interface UncheckedModules {
  /** The key that holds them (`tools`). */
  readonly key: string;
  /** How many module objects sit under it (at any depth). */
  readonly count: number;
  /** The key in the source. */
  readonly span: Span;
}

/** Flow-control modules without an action of their own, and the unset trigger. */
export type ModuleKind = 'if-else' | 'merge' | 'unset-trigger';

export interface ScenarioModule {
  readonly id: number;
  /** "<app>:<action>" (YAML `app`, blueprint `module`). */
  readonly app: string;
  readonly name?: string;
  /** `builtin:router` (YAML) / `builtin:BasicRouter` (blueprint). */
  readonly isRouter: boolean;
  /** Error-handler routes, in source order; empty = none attached. */
  readonly onError: readonly ErrorHandlerRoute[];
  /** Router branches (routers only; empty otherwise). */
  readonly routes: readonly RouterRoute[];
  /** If-else branches (`kind: 'if-else'` only). */
  readonly branches?: readonly IfElseBranch[];
  /**
   * `if-else` (`builtin:BasicIfElse` / YAML `builtin:if-else`), `merge` (`builtin:BasicMerge`),
   * `unset-trigger` (Make's `placeholder:Placeholder` with `id: null`; its `id` is 0). Absent = an
   * ordinary module (or a router: `isRouter`).
   */
  readonly kind?: ModuleKind;
  /** Nested modules the model does not understand, reported and left unchecked. */
  readonly unchecked?: readonly UncheckedModules[];
  /** Ids of the enclosing routers and if-else modules, outermost first (their handler routes cover this module). */
  readonly routerPath: readonly number[];
  /** Id of the module whose handler route contains this module, if any. */
  readonly handlerOf?: number;
  /** Whole module node. */
  readonly span: Span;
  /** Where a diagnostic about the module goes (the `id` key/value, or the `module` value). */
  readonly anchor: Span;
  readonly idSpan: Span;
  readonly appSpan: Span;
  readonly nameSpan?: Span;
}

export interface ScenarioSettings {
  /** "Allow storing of incomplete executions" (blueprint `dlq`). Default true. */
  readonly storeIncompleteExecutions: boolean;
  readonly sequentialProcessing: boolean;
  readonly maxConsecutiveErrors: number;
  readonly dataLoss: boolean;
  readonly instant: boolean;
  /** `undefined` = not set in the file (the caller's default applies). */
  readonly profile?: Profile;
}

export const DEFAULT_SETTINGS: ScenarioSettings = {
  storeIncompleteExecutions: true,
  sequentialProcessing: false,
  maxConsecutiveErrors: 3,
  dataLoss: false,
  instant: false,
};

export interface Fault {
  readonly module: number;
  readonly error: string;
  readonly message?: string;
  /** 1-based bundle numbers that fail; `null` = all. */
  readonly bundles: readonly number[] | null;
  /** The retry number that succeeds; `null` = never. */
  readonly recoverAfter: number | null;
  readonly span: Span;
  readonly moduleSpan?: Span;
  readonly errorSpan?: Span;
}

/** Which branch of an if-else the simulated bundles take (the simulation has no data to test conditions on). */
export interface BranchChoice {
  /** The if-else module's id. */
  readonly module: number;
  /** The branch: its name, its 1-based position, or `else`. */
  readonly branch: string | number;
  /** 1-based bundle numbers that take it; `null` = all. */
  readonly bundles: readonly number[] | null;
  readonly span: Span;
}

export interface SimulationConfig {
  readonly bundles: number;
  readonly faults: readonly Fault[];
  /** If-else branch choices; absent = every bundle takes each if-else's first enabled branch. */
  readonly branches?: readonly BranchChoice[];
  readonly span?: Span;
}

export interface Scenario {
  readonly format: ScenarioFormat;
  readonly name: string;
  readonly nameSpan?: Span;
  readonly settings: ScenarioSettings;
  /** Source spans of setting keys present in the file, keyed by the YAML setting name. */
  readonly settingSpans: Readonly<Partial<Record<keyof ScenarioSettings, Span>>>;
  /** Top-level flow; `modules[0]` is the trigger. */
  readonly modules: readonly ScenarioModule[];
  readonly simulation: SimulationConfig | null;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** The stable code of a lint rule: one per file under core/lint/rules/, listed in core/lint/registry.ts. */
export type { LintCode };

/** One lint finding: a rule's code, its effective severity and where it applies. */
export interface Finding {
  readonly code: LintCode;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  /** `span` converted through the document's LineIndex (0-based). */
  readonly range: Range;
  readonly moduleId?: number;
  /**
   * The long form, when the message is a summary (e.g. what each group of error types does): for
   * the diagnostic's related information and `lint --format json`; the message stays short enough
   * for one line of the Problems panel.
   */
  readonly detail?: string;
}

/**
 * What one possibility of a classification leads to: an outcome, or `unknown` when the error-handler
 * route that catches the error ends with a directive that is not one Fusion knows (`directive:
 * brake`), so nothing can honestly be said about the run.
 */
export type CaseOutcome = Outcome | 'unknown';

/**
 * An outcome, `unknown` (see CaseOutcome), or `depends`: it turns on something the classification
 * was not given (the error message, a bundle's data).
 */
export type ClassifiedOutcome = CaseOutcome | 'depends';

/** What a failure may depend on when its outcome is `depends`. */
export type DependsOn = 'message' | 'data';

/** One possibility of a classification whose outcome depends on something not given. */
export interface ClassificationCase {
  /** When this case happens, in words (`the error message contains "timeout"`, `otherwise`). */
  readonly when: string;
  readonly outcome: CaseOutcome;
  readonly storesIncompleteExecution: boolean;
  readonly autoRetry: boolean;
  readonly handler: Directive | null;
  readonly reason: string;
  readonly route?: ErrorHandlerRoute;
}

/** The result of classifying one failure (core/classify/classifier.ts says how it is decided). */
export interface Classification {
  readonly moduleId: number;
  readonly errorType: string;
  /** The error message the classification was given, if any. */
  readonly message?: string;
  /**
   * `depends` when the cases differ; then `storesIncompleteExecution`, `autoRetry`, `handler`,
   * `reason` and `route` are the worst case's (see `worstCase`) and `worst` is its outcome.
   */
  readonly outcome: ClassifiedOutcome;
  readonly storesIncompleteExecution: boolean;
  readonly autoRetry: boolean;
  /** The directive that decided, or null. */
  readonly handler: Directive | null;
  /** One sentence citing the rule. */
  readonly reason: string;
  readonly profile: Profile;
  /** The route whose directive decided (break: its retry settings drive the schedule): the handler route, or the ending of its router route / if-else branch. */
  readonly route?: ErrorHandlerRoute;
  /** The error-handler route attached to the module (or an enclosing router) that caught the error. */
  readonly handlerRoute?: ErrorHandlerRoute;
  /** `depends` only: every possibility, in the order the handler lookup meets them. */
  readonly cases?: readonly ClassificationCase[];
  /** `depends` only: the worst case's outcome. */
  readonly worst?: CaseOutcome;
  /** `unknown` only (or `depends` whose worst case is unknown): the directive as written (`brake`). */
  readonly unknownDirective?: string;
  /** `depends` only: `message` when giving the error message would decide it (at least in part), else `data`. */
  readonly dependsOn?: DependsOn;
}

// ---------------------------------------------------------------------------------------------
// Small helpers over the model
// ---------------------------------------------------------------------------------------------

/** The module lists nested in a module: its handler routes', its router routes', its if-else branches'. */
export function nestedLists(m: ScenarioModule): (readonly ScenarioModule[])[] {
  const out: (readonly ScenarioModule[])[] = [];
  for (const route of m.onError) out.push(route.modules);
  for (const r of m.routes) out.push(r.modules);
  for (const b of m.branches ?? []) out.push(b.modules);
  return out;
}

/**
 * Every module in the scenario, depth first in source order: flow, handler routes, router routes,
 * if-else branches. Iterative (an explicit stack): deep nesting costs no call stack and no
 * generator chain per level.
 */
export function* walkModules(modules: readonly ScenarioModule[]): Generator<ScenarioModule> {
  const stack: { list: readonly ScenarioModule[]; i: number }[] = [{ list: modules, i: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.i >= top.list.length) {
      stack.pop();
      continue;
    }
    const m = top.list[top.i++];
    yield m;
    const nested = nestedLists(m);
    for (let k = nested.length - 1; k >= 0; k--) if (nested[k].length > 0) stack.push({ list: nested[k], i: 0 });
  }
}

/** Every module as an array (same order as `walkModules`). */
export function allModules(modules: readonly ScenarioModule[]): ScenarioModule[] {
  return [...walkModules(modules)];
}

/** The error-handler routes written in a module: its own, and the endings of its routes / branches (inside a handler route). */
export function handlerRoutesOf(m: ScenarioModule): ErrorHandlerRoute[] {
  const out: ErrorHandlerRoute[] = [...m.onError];
  for (const r of m.routes) if (r.ending) out.push(r.ending);
  for (const b of m.branches ?? []) if (b.ending) out.push(b.ending);
  return out;
}

/** True for the unset trigger (a placeholder, no id). */
export function isUnsetTrigger(m: ScenarioModule): boolean {
  return m.kind === 'unset-trigger';
}

/** Modules with no action of their own (routers, if-else, merge, the unset trigger): they cannot fail. */
export function isFlowControl(m: ScenarioModule): boolean {
  return m.isRouter || m.kind !== undefined;
}

export function findModule(scenario: Scenario, id: number): ScenarioModule | undefined {
  for (const m of walkModules(scenario.modules)) if (m.id === id && !isUnsetTrigger(m)) return m;
  return undefined;
}
