// A fixture file that breaks each lint rule, relative to test/fixtures/workspace/scenarios/. Keyed
// by LintCode, so a rule added to the registry without a fixture does not compile; the unit test
// lint.registry.test.ts also lints each file and checks it reports its rule, and the integration
// test scenarioDiagnostics.test.ts runs the workspace scan over every rule of the registry.
import type { LintCode } from '../../src/core/lint/registry';

export const RULE_FIXTURES: Readonly<Record<LintCode, string | null>> = {
  'missing-error-handler': 'rules/missing-error-handler.scenario.yaml',
  'partial-error-handler': 'rules/partial-error-handler.scenario.yaml',
  'yaml-syntax': 'rules/yaml-syntax.scenario.yaml',
  'json-syntax': 'newsletter.broken.blueprint.json',
  'invalid-scenario': 'rules/invalid-scenario.scenario.yaml',
  'duplicate-module-id': 'rules/duplicate-module-id.scenario.yaml',
  'unknown-directive': 'rules/unknown-directive.scenario.yaml',
  'unknown-error-type': 'rules/unknown-error-type.scenario.yaml',
  'break-requires-incomplete-storage': 'rules/break-requires-incomplete-storage.scenario.yaml',
  'invalid-retry-settings': 'rules/invalid-retry-settings.scenario.yaml',
  'unknown-module-reference': 'rules/unknown-module-reference.scenario.yaml',
  // Rules the editor's workspace scan does not report (null above); each needs a reason here, and
  // its own tests elsewhere (named below).
  'unreadable-file': null,
  'invalid-config': null,
};

/** Why a rule has no scenario fixture, and where it is tested instead. */
export const NOT_FROM_SCENARIO_FILES: Readonly<Partial<Record<LintCode, string>>> = {
  'unreadable-file': 'reported by the CLI lint run on files it cannot read as text (test/unit/cliLint.test.ts, lintInputs.test.ts)',
  'invalid-config': 'reported on .fusionlintrc.json, not on a scenario (test/unit/config.test.ts)',
};
