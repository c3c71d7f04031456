/**
 * Applying a project configuration to the findings of one file.
 *
 * Severity of a finding, first that says something wins:
 *   1. the command line (`--rule code=severity`, CLI only);
 *   2. the last override whose `files` match the file, then the earlier ones;
 *   3. the configuration's top-level `rules`;
 *   4. the caller's base settings (in VS Code: `fusionExecutions.lint.severity`);
 *   5. the rule's default.
 * `off` at the winning level drops the finding.
 *
 * Exemptions (`exempt` at the top level and in every matching override, added together, plus the
 * built-in defaults unless the last word on `defaults` is false) drop `missing-error-handler` and
 * `partial-error-handler` findings on the modules they name: by app pattern, or by module id in
 * the files a glob matches. Other findings on those modules stay.
 */
import * as path from 'node:path';
import type { Finding, LintCode, Scenario, Severity } from '../model';
import { DEFAULT_SEVERITIES } from '../lint/registry';
import { walkModules } from '../model';
import { DEFAULT_EXEMPT_APPS } from './defaults';
import { matchesAppPattern, matchesFileGlob, matchesIgnorePattern } from './glob';
import { EMPTY_CONFIG, EXEMPTABLE_CODES } from './types';
import type { ProjectConfig, RuleSetting, RuleSettings } from './types';

/** What applies to one file once the overrides are resolved. */
export interface FileConfig {
  readonly rules: RuleSettings;
  /** App patterns, the defaults included when they apply. */
  readonly exemptApps: readonly string[];
  readonly exemptIds: ReadonlySet<number>;
  readonly defaultsApply: boolean;
}

export interface ApplyOptions {
  /** Settings below the configuration (the extension's `fusionExecutions.lint.severity`). */
  readonly baseRules?: RuleSettings;
  /** Settings above everything (the CLI's `--rule`). */
  readonly cliRules?: RuleSettings;
}

/**
 * The path of `file` relative to the configuration file's folder, with forward slashes (what the
 * configuration's globs are matched against); starts with `../` when the file is outside it.
 * `p` = the path flavour of both paths (default: the OS's; `path.posix` for URI paths).
 */
export function configRelativePath(configFile: string, file: string, p: path.PlatformPath = path): string {
  return p
    .relative(p.dirname(p.resolve(configFile)), p.resolve(file))
    .split(p.sep)
    .join('/');
}

/** The rules and exemptions that apply to the file at `relPath` (see `configRelativePath`). */
export function configForFile(config: ProjectConfig | undefined, relPath: string, options: ApplyOptions = {}): FileConfig {
  const c = config ?? EMPTY_CONFIG;
  const matching = c.overrides.filter((o) => o.files.some((g) => matchesFileGlob(relPath, g)));
  const rules: Partial<Record<LintCode, RuleSetting>> = { ...options.baseRules, ...c.rules };
  for (const o of matching) Object.assign(rules, o.rules);
  Object.assign(rules, options.cliRules);

  let defaultsApply = c.exempt.defaults ?? true;
  for (const o of matching) if (o.exempt.defaults !== undefined) defaultsApply = o.exempt.defaults;
  const exemptApps = [...(defaultsApply ? DEFAULT_EXEMPT_APPS : []), ...c.exempt.apps, ...matching.flatMap((o) => o.exempt.apps)];
  const exemptIds = new Set<number>();
  for (const e of [c.exempt, ...matching.map((o) => o.exempt)]) {
    for (const m of e.modules) if (matchesFileGlob(relPath, m.files)) m.ids.forEach((id) => exemptIds.add(id));
  }
  return { rules, exemptApps, exemptIds, defaultsApply };
}

/** True when a directory walk skips the file (or folder) at `relPath` because of `ignorePatterns`. */
export function isIgnoredByConfig(config: ProjectConfig | undefined, relPath: string): boolean {
  return config !== undefined && matchesIgnorePattern(relPath, config.ignorePatterns);
}

/** The module ids of `scenario` whose app matches one of the patterns. */
function exemptByApp(scenario: Scenario | null, patterns: readonly string[]): Set<number> {
  const out = new Set<number>();
  if (!scenario || patterns.length === 0) return out;
  for (const m of walkModules(scenario.modules)) if (patterns.some((p) => matchesAppPattern(m.app, p))) out.add(m.id);
  return out;
}

/**
 * The findings of one file with the configuration applied: exempt modules' handler findings
 * dropped, severities set, `off` rules dropped. `config` undefined = no configuration file (the
 * default exemptions and `options` still apply). Order is kept.
 */
export function applyProjectConfig(
  findings: readonly Finding[],
  scenario: Scenario | null,
  relPath: string,
  config: ProjectConfig | undefined,
  options: ApplyOptions = {},
): Finding[] {
  const fc = configForFile(config, relPath, options);
  const byApp = exemptByApp(scenario, fc.exemptApps);
  const out: Finding[] = [];
  for (const f of findings) {
    if (EXEMPTABLE_CODES.has(f.code) && f.moduleId !== undefined && (byApp.has(f.moduleId) || fc.exemptIds.has(f.moduleId))) continue;
    const setting = fc.rules[f.code];
    if (setting === 'off') continue;
    const severity: Severity = setting ?? f.severity ?? DEFAULT_SEVERITIES[f.code];
    out.push(severity === f.severity ? f : { ...f, severity });
  }
  return out;
}
