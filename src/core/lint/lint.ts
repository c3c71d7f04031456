/*
 * The lint engine: parse either scenario format, run every rule of the registry on the model,
 * apply `# fusion-lint-disable-next-line` comments and the configured severities, and return the
 * findings sorted by position. The rules themselves live one per file under rules/ (see rule.ts);
 * the parsers report the rules they find while reading the source (syntax, structure, duplicate
 * ids, unknown directives, retry fields of the wrong type), the registry's checks the rest.
 *
 * Cost: one walk of the modules shared by every check (LintContext), and each check linear in the
 * number of modules, so a lint stays linear in the size of the file.
 */
import { parseTree } from 'jsonc-parser';
import { parseBlueprintScenario } from '../scenario/blueprint';
import { walkModules } from '../model';
import type { Finding, Profile, Scenario, ScenarioFormat, ScenarioModule, Severity, Span } from '../model';
import { routeFieldSpans } from '../scenario/modelBuilder';
import { parseYamlScenario } from '../scenario/yaml';
import { stripBom } from '../text/bom';
import { LineIndex } from '../text/lineIndex';
import { DEFAULT_SEVERITIES, isSuppressible, RULES, STRUCTURAL_CODES } from './registry';
import type { LintCode } from './registry';
import type { LintContext } from './rule';

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
  try {
    if (/\.blueprint\.json$/i.test(fileName)) return true;
    if (!/\.json$/i.test(fileName)) return false;
    const tree = parseTree(stripBom(text).text, [], { allowTrailingComma: true });
    if (!tree || tree.type !== 'object' || !tree.children) return false;
    const keys = new Set<unknown>(tree.children.map((p): unknown => (p.children && p.children[0] ? p.children[0].value : undefined)));
    return keys.has('flow') && keys.has('metadata');
  } catch {
    return false;
  }
}

/** Order of findings: by position, then by rule code (what `lintScenario` returns). */
export function compareFindings(a: Finding, b: Finding): number {
  return a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code);
}

/**
 * The findings that make a scenario unusable for classify / simulate / convert (the rules marked
 * `structural`), first in the file first: the one to name when refusing.
 */
export function structuralFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => STRUCTURAL_CODES.has(f.code)).sort(compareFindings);
}

/** Parses a scenario file of either format (dispatch on file name / content). Never throws. */
export function parseScenario(fileName: string, text: string): ParsedScenario {
  const lineIndex = new LineIndex(text);
  const blueprint = /\.json$/i.test(fileName) || isBlueprint(fileName, text);
  const format: ScenarioFormat = blueprint ? 'blueprint' : 'yaml';
  try {
    const { scenario, findings } = blueprint ? parseBlueprintScenario(text, lineIndex) : parseYamlScenario(text, lineIndex);
    return { format, scenario, findings, lineIndex };
  } catch (e) {
    return { format, scenario: null, findings: [internalFinding(e, text, lineIndex)], lineIndex };
  }
}

/** Every rule of the registry, suppression comments applied, severities applied. Never throws. */
export function lintScenario(fileName: string, text: string, options?: LintOptions): ParsedScenario {
  const parsed = parseScenario(fileName, text);
  const { lineIndex } = parsed;
  let raw: Finding[] = [...parsed.findings];
  try {
    if (parsed.scenario) raw = raw.concat(checkFindings(parsed.scenario, lineIndex, options?.profile));
  } catch (e) {
    raw.push(internalFinding(e, text, lineIndex));
  }
  let findings: Finding[];
  try {
    const suppressed = parsed.format === 'yaml' ? suppressions(text, lineIndex) : new Map<number, Set<string> | null>();
    findings = [];
    for (const f of raw) {
      const span = clampSpan(f.span, text.length);
      const range = lineIndex.rangeOf(span);
      if (isSuppressible(f.code)) {
        const codes = suppressed.get(range.start.line);
        if (codes !== undefined && (codes === null || codes.has(f.code))) continue;
      }
      const configured = options?.severities?.[f.code];
      if (configured === 'off') continue;
      const severity: Severity = configured ?? DEFAULT_SEVERITIES[f.code] ?? f.severity;
      findings.push({ ...f, span, range, severity });
    }
    findings.sort(compareFindings);
  } catch (e) {
    findings = [internalFinding(e, text, lineIndex)];
  }
  return { ...parsed, findings };
}

// ---------------------------------------------------------------------------------------------
// The registry's checks
// ---------------------------------------------------------------------------------------------

/** The findings of every rule that has a check, in registry order, at default severities. */
function checkFindings(scenario: Scenario, lineIndex: LineIndex, fallbackProfile: Profile | undefined): Finding[] {
  const modules = [...walkModules(scenario.modules)];
  const byId = new Map<number, ScenarioModule>();
  for (const m of modules) if (!byId.has(m.id)) byId.set(m.id, m);
  const ctx: LintContext = {
    scenario,
    profile: scenario.settings.profile ?? fallbackProfile ?? 'fusion',
    modules,
    byId,
    fieldSpans: routeFieldSpans,
  };
  const out: Finding[] = [];
  for (const rule of RULES) {
    if (!rule.check) continue;
    const code: LintCode = rule.code;
    rule.check(ctx, (span: Span, message: string, moduleId?: number) => {
      out.push({
        code,
        severity: rule.defaultSeverity,
        message,
        span,
        range: lineIndex.rangeOf(span),
        ...(moduleId !== undefined ? { moduleId } : {}),
      });
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Suppression comments
// ---------------------------------------------------------------------------------------------

const DISABLE_RE = /^\s*#\s*fusion-lint-disable-next-line\b(.*)$/;

/** The comment text that disables `codes` for the next line. */
export const DISABLE_NEXT_LINE = 'fusion-lint-disable-next-line';

/**
 * Line (0-based) → codes suppressed there (`null` = every code). A comment line
 * `# fusion-lint-disable-next-line [code …] [-- reason]` targets the next line that is neither
 * blank nor a comment.
 */
export function suppressions(text: string, lineIndex: LineIndex): Map<number, Set<string> | null> {
  const out = new Map<number, Set<string> | null>();
  let pending: Set<string> | null | undefined;
  for (let line = 0; line < lineIndex.lineCount; line++) {
    const content = text.slice(lineIndex.lineStart(line), lineIndex.lineEnd(line));
    const m = DISABLE_RE.exec(content);
    if (m) {
      const rest = m[1].split(/\s--\s|^--\s|\s--$/)[0];
      const codes = rest.split(/[\s,]+/).filter((c) => c !== '');
      const set = codes.length === 0 ? null : new Set(codes);
      pending = mergeCodes(pending, set);
      continue;
    }
    const trimmed = content.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (pending !== undefined) {
      out.set(line, mergeCodes(out.get(line), pending));
      pending = undefined;
    }
  }
  return out;
}

function mergeCodes(a: Set<string> | null | undefined, b: Set<string> | null): Set<string> | null {
  if (a === undefined) return b;
  if (a === null || b === null) return null;
  return new Set([...a, ...b]);
}

// ---------------------------------------------------------------------------------------------

function clampSpan(span: Span, length: number): Span {
  const s = Number.isFinite(span.start) ? span.start : 0;
  const e = Number.isFinite(span.end) ? span.end : s;
  const start = Math.max(0, Math.min(s, length));
  const end = Math.max(start, Math.min(e, length));
  return { start, end };
}

function internalFinding(e: unknown, text: string, lineIndex: LineIndex): Finding {
  const span = clampSpan({ start: 0, end: lineIndex.lineEnd(0) }, text.length);
  const detail = e instanceof Error ? e.message : String(e);
  return {
    code: 'invalid-scenario',
    severity: DEFAULT_SEVERITIES['invalid-scenario'],
    message: `The scenario could not be checked (internal error: ${detail}).`,
    span,
    range: lineIndex.rangeOf(span),
  };
}
