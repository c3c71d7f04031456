// CONTRACT STUB — owned by the "core-yaml" helper; replace the body, keep the signatures.
import type { Finding, LintCode, Profile, Scenario, ScenarioFormat, Severity } from './model';
import { LineIndex } from './text';

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

/** True for `*.blueprint.json`, or any `.json` whose top level has `flow` and `metadata`. */
export function isBlueprint(fileName: string, text: string): boolean {
  void fileName; void text;
  throw new Error('not implemented');
}

/** Parses a scenario file of either format (dispatch on file name / content). Never throws. */
export function parseScenario(fileName: string, text: string): ParsedScenario {
  void fileName; void text;
  throw new Error('not implemented');
}

/** Every rule of spec 2.1, suppression comments applied, severities applied. Never throws. */
export function lintScenario(fileName: string, text: string, options?: LintOptions): ParsedScenario {
  void fileName; void text; void options;
  throw new Error('not implemented');
}
