/*
 * The list of lint rules: the one place a rule is registered (see rule.ts for what a rule file
 * holds). The LintCode type, the default severities, the structural set and `isLintCode` derive
 * from it; `npm run generate` writes the settings schema in package.json, the rule tables of
 * README.md and docs/rules/README.md, and the generated lines of each docs/rules/<code>.md page
 * from it. The order here is the order of those tables and of the settings.
 *
 * Adding a rule: write rules/<code>.ts, add it to RULES, run `npm run generate`, write the body of
 * docs/rules/<code>.md, and add a fixture that breaks the rule to test/integration/ruleFixtures.ts.
 * The unit tests (lint.registry.test.ts) fail until each of these is done.
 */
import type { Severity } from '../model';
import type { LintRule } from './rule';
import { rule as breakRequiresIncompleteStorage } from './rules/break-requires-incomplete-storage';
import { rule as duplicateModuleId } from './rules/duplicate-module-id';
import { rule as invalidRetrySettings } from './rules/invalid-retry-settings';
import { rule as invalidScenario } from './rules/invalid-scenario';
import { rule as jsonSyntax } from './rules/json-syntax';
import { rule as missingErrorHandler } from './rules/missing-error-handler';
import { rule as partialErrorHandler } from './rules/partial-error-handler';
import { rule as unknownDirective } from './rules/unknown-directive';
import { rule as unknownErrorType } from './rules/unknown-error-type';
import { rule as unknownModuleReference } from './rules/unknown-module-reference';
import { rule as yamlSyntax } from './rules/yaml-syntax';
import { rule as unreadableFile } from './rules/unreadable-file';
import { rule as invalidConfig } from './rules/invalid-config';

/** Every lint rule, in the order of the docs and the settings. */
export const RULES = [
  missingErrorHandler,
  partialErrorHandler,
  yamlSyntax,
  jsonSyntax,
  invalidScenario,
  duplicateModuleId,
  unknownDirective,
  unknownErrorType,
  breakRequiresIncompleteStorage,
  invalidRetrySettings,
  unknownModuleReference,
  unreadableFile,
  invalidConfig,
] as const;

/** The stable code of a lint rule. */
export type LintCode = (typeof RULES)[number]['code'];

/** A rule of the registry (its code typed as any LintCode). */
export type RegisteredRule = LintRule<LintCode>;

export const LINT_CODES: readonly LintCode[] = RULES.map((r) => r.code);

const BY_CODE: ReadonlyMap<string, RegisteredRule> = new Map(RULES.map((r: RegisteredRule) => [r.code, r]));
if (BY_CODE.size !== RULES.length) throw new Error('Two lint rules share a code.');

/** True when `code` is one of the lint codes. */
export function isLintCode(code: string): code is LintCode {
  return BY_CODE.has(code);
}

/** The rule of a code. */
export function ruleOf(code: LintCode): RegisteredRule {
  const rule = BY_CODE.get(code);
  if (!rule) throw new Error(`No lint rule ${code}.`);
  return rule;
}

export const DEFAULT_SEVERITIES: Readonly<Record<LintCode, Severity>> = Object.fromEntries(
  RULES.map((r) => [r.code, r.defaultSeverity]),
) as Record<LintCode, Severity>;

/** Codes that make a scenario unusable for classify / simulate / convert. */
export const STRUCTURAL_CODES: ReadonlySet<LintCode> = new Set(RULES.filter((r) => r.structural).map((r) => r.code));

/** Codes a `# fusion-lint-disable-next-line` comment cannot silence. */
export const UNSUPPRESSIBLE_CODES: ReadonlySet<LintCode> = new Set(RULES.filter((r) => !r.suppressible).map((r) => r.code));

/** True when a suppression comment can silence the code. */
export function isSuppressible(code: LintCode): boolean {
  return !UNSUPPRESSIBLE_CODES.has(code);
}
