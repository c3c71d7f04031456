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

/** One error-handler route attached to a module (or to a router). */
export interface ErrorHandlerRoute {
  /** The error types this route catches; `null` = all types. */
  readonly errors: readonly string[] | null;
  /** Source spans of the names in `errors`, same order (for hovers / unknown-error-type). */
  readonly errorSpans: readonly Span[];
  /** Modules the route runs before its directive. */
  readonly modules: readonly ScenarioModule[];
  /** The directive that ends the route (`ignore` when none is given). */
  readonly directive: Directive;
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
}

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
  /** Ids of the enclosing routers, outermost first. */
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

export interface SimulationConfig {
  readonly bundles: number;
  readonly faults: readonly Fault[];
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
}

/** The result of classifying one failure (core/classify/classifier.ts says how it is decided). */
export interface Classification {
  readonly moduleId: number;
  readonly errorType: string;
  readonly outcome: Outcome;
  readonly storesIncompleteExecution: boolean;
  readonly autoRetry: boolean;
  /** The directive that decided, or null. */
  readonly handler: Directive | null;
  /** One sentence citing the rule. */
  readonly reason: string;
  readonly profile: Profile;
  /** The handler route that applied (break: its retry settings drive the schedule). */
  readonly route?: ErrorHandlerRoute;
}

// ---------------------------------------------------------------------------------------------
// Small helpers over the model
// ---------------------------------------------------------------------------------------------

/** Every module in the scenario, depth first in source order: flow, router routes, handler routes. */
export function* walkModules(modules: readonly ScenarioModule[]): Generator<ScenarioModule> {
  for (const m of modules) {
    yield m;
    for (const route of m.onError) yield* walkModules(route.modules);
    for (const r of m.routes) yield* walkModules(r.modules);
  }
}

export function findModule(scenario: Scenario, id: number): ScenarioModule | undefined {
  for (const m of walkModules(scenario.modules)) if (m.id === id) return m;
  return undefined;
}
