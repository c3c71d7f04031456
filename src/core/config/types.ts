/**
 * The project configuration (`.fusionlintrc.json`): what a team accepts, shared by the CLI and the
 * extension. Pure types and constants.
 */
import { LINT_CODES } from '../lint/registry';
import type { LintCode, Severity } from '../model';

/** The file name looked up from a linted file's folder upwards. */
export const CONFIG_FILE_NAME = '.fusionlintrc.json';

/** A severity, or `off` to drop the rule's findings. */
export type RuleSetting = Severity | 'off';
export const RULE_SETTINGS: readonly RuleSetting[] = ['error', 'warning', 'information', 'hint', 'off'];

export type RuleSettings = Readonly<Partial<Record<LintCode, RuleSetting>>>;

/** Codes a configuration may set; `invalid-config` is not one of them (it reports the configuration itself). */
export const CONFIGURABLE_CODES: readonly LintCode[] = LINT_CODES.filter((c) => c !== 'invalid-config');

/**
 * The codes an exemption silences: the two "this module lacks (complete) error handling" rules.
 * Everything else (syntax, structure, retry settings, unknown error types) is about what is written
 * in the file and is reported on exempt modules too.
 */
export const EXEMPTABLE_CODES: ReadonlySet<LintCode> = new Set<LintCode>(['missing-error-handler', 'partial-error-handler']);

/** Module ids exempt in the files one glob matches. */
export interface ModuleExemption {
  /** Glob relative to the configuration file's folder. */
  readonly files: string;
  readonly ids: readonly number[];
}

export interface Exemptions {
  /** App patterns (`builtin:SetVariable*`, `util:*`; `*` and `?` wildcards, case-insensitive). */
  readonly apps: readonly string[];
  readonly modules: readonly ModuleExemption[];
  /** Whether the built-in default exemptions apply; undefined = not said here (they do). */
  readonly defaults?: boolean;
}

export interface ConfigOverride {
  /** Globs relative to the configuration file's folder; the override applies to a file matching any. */
  readonly files: readonly string[];
  readonly rules: RuleSettings;
  readonly exempt: Exemptions;
}

export interface ProjectConfig {
  readonly rules: RuleSettings;
  readonly exempt: Exemptions;
  /** In order; for a file, every matching override applies, a later one winning over an earlier one. */
  readonly overrides: readonly ConfigOverride[];
  /** Globs relative to the configuration file's folder: files (and folders) a directory walk skips. */
  readonly ignorePatterns: readonly string[];
}

export const NO_EXEMPTIONS: Exemptions = { apps: [], modules: [] };

/** The configuration in effect when there is no configuration file: defaults only. */
export const EMPTY_CONFIG: ProjectConfig = { rules: {}, exempt: NO_EXEMPTIONS, overrides: [], ignorePatterns: [] };
