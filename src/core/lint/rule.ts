/*
 * What a lint rule is. Each rule is ONE file, `rules/<code>.ts`, that exports `rule =
 * defineRule({...})` with everything the tool knows about it:
 *   - `code`: the stable code shown in diagnostics, CLI output, suppression comments and settings;
 *   - `defaultSeverity`: what `fusionExecutions.lint.severity` / `--severity` start from;
 *   - `structural`: a finding of this rule makes the scenario unusable for classify, simulate and
 *     convert (they refuse and name the first such finding);
 *   - `suppressible`: whether `# fusion-lint-disable-next-line` can silence it (syntax errors
 *     cannot: when the file does not parse, nothing else is reliable);
 *   - `summary`: one line of Markdown saying when it is reported (the rule tables of README.md and
 *     docs/rules/README.md, and the "When" line of the rule's page, are generated from it);
 *   - where its findings come from: `check`, run by the engine (lint.ts) on the parsed model,
 *     and/or `fromParser: true` when the scenario parsers report it while reading the source (the
 *     syntax rules, the structure of the file, duplicate ids, unknown directives, retry fields of
 *     the wrong type). A parser-only rule has `check: null`. A rule reported outside the lint of a
 *     scenario (the CLI's file reading, the project configuration's parser) names that module in
 *     `reportedBy`.
 * `registry.ts` lists the rules; everything else (the LintCode type, the default severities, the
 * structural set, the settings schema in package.json, the docs) derives from that list, and unit
 * tests fail when a generated file or a rule page is missing or stale.
 *
 * A check receives a `LintContext` (the scenario, the effective profile and indexes built once per
 * lint, so every rule stays linear in the number of modules) and a `report` function bound to its
 * own code: a rule can only report findings of its own code. Rule files import no scenario
 * parser (the parsers read the registry for default severities); what they need from the source,
 * such as the spans of a route's fields, comes through the context.
 */
import type { ErrorHandlerRoute, Profile, Scenario, ScenarioModule, Severity, Span } from '../model';
import type { RouteField } from '../scenario/modelBuilder';

/** What a check sees: the parsed scenario and indexes shared by every rule of one lint. */
export interface LintContext {
  readonly scenario: Scenario;
  /** The effective profile: the scenario's `settings.profile`, else the caller's, else `fusion`. */
  readonly profile: Profile;
  /** Every module, depth first in source order (flow, handler routes, router routes). */
  readonly modules: readonly ScenarioModule[];
  /** Each id's first module in that order (duplicates are `duplicate-module-id`'s business). */
  readonly byId: ReadonlyMap<number, ScenarioModule>;
  /** Source spans of the fields written for a route (empty when the parser did not record them). */
  fieldSpans(route: ErrorHandlerRoute): Readonly<Partial<Record<RouteField, Span>>>;
}

/** Reports one finding of the rule's own code; `moduleId` is the module it is about, if any. */
export type Report = (span: Span, message: string, moduleId?: number) => void;

/** A rule's check over the model. Runs only when the file parsed into a scenario. */
export type Check = (ctx: LintContext, report: Report) => void;

export interface LintRule<C extends string = string> {
  readonly code: C;
  readonly defaultSeverity: Severity;
  readonly structural: boolean;
  readonly suppressible: boolean;
  /** One line of Markdown: when the rule reports a finding. */
  readonly summary: string;
  /** Run by the engine on the model; null when only the parsers report the rule. */
  readonly check: Check | null;
  /** True when the scenario parsers report findings of this code while reading the source. */
  readonly fromParser: boolean;
  /** For a rule reported outside the lint of a scenario: the module that reports it (repository path). */
  readonly reportedBy?: string;
}

/** The fields a rule file writes; `suppressible` defaults to true, `fromParser` to false. */
export type RuleDefinition<C extends string> = Omit<LintRule<C>, 'suppressible' | 'fromParser'> & {
  readonly suppressible?: boolean;
  readonly fromParser?: boolean;
};

/** A rule with its defaults filled in. Throws when it has no source of findings at all. */
export function defineRule<C extends string>(def: RuleDefinition<C>): LintRule<C> {
  const rule: LintRule<C> = { ...def, suppressible: def.suppressible ?? true, fromParser: def.fromParser ?? false };
  if (rule.check === null && !rule.fromParser && !rule.reportedBy)
    throw new Error(`Lint rule ${rule.code} has neither a check, fromParser nor reportedBy: nothing would report it.`);
  return rule;
}
