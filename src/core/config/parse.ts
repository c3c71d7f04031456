/**
 * Parsing `.fusionlintrc.json` (JSON with comments and trailing commas) with positions. Every
 * mistake is an `invalid-config` finding at its place in the configuration file; the function never
 * throws.
 *
 * A text with a syntax error (or whose top level is not an object) gives no configuration at all:
 * guessing at the rest of a broken file could silence the wrong thing. Otherwise every valid entry
 * is kept and every wrong one is reported and left out.
 */
import { describeJsonNode } from '../text/json';
import { parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Node, ParseError } from 'jsonc-parser';
import { DEFAULT_SEVERITIES, LINT_CODES } from '../lint/registry';
import type { Finding, LintCode, Span } from '../model';
import { blankBom } from '../text/bom';
import { LineIndex } from '../text/lineIndex';
import { nearest } from '../text/spelling';
import { CONFIGURABLE_CODES, RULE_SETTINGS } from './types';
import type { ConfigOverride, Exemptions, ModuleExemption, ProjectConfig, RuleSetting, RuleSettings } from './types';

export interface ParsedConfig {
  /** Undefined when the text has a syntax error or is not an object. */
  readonly config: ProjectConfig | undefined;
  /** `invalid-config` findings, in file order. */
  readonly findings: readonly Finding[];
}

/** `make` belongs to the Make connection (zone, team, scenario ids) and is read by core/make/config.ts. */
const TOP_KEYS = ['$schema', 'rules', 'exempt', 'overrides', 'ignorePatterns', 'make'] as const;
const EXEMPT_KEYS = ['apps', 'modules', 'defaults'] as const;
const OVERRIDE_KEYS = ['files', 'rules', 'exempt'] as const;

/** Common misspellings of a severity that edit distance alone would not catch. */
const SEVERITY_ALIASES: Readonly<Record<string, RuleSetting>> = {
  warn: 'warning',
  info: 'information',
  err: 'error',
  none: 'off',
  disable: 'off',
  disabled: 'off',
  false: 'off',
};

function spanOf(node: Node): Span {
  return { start: node.offset, end: node.offset + node.length };
}

class ConfigParser {
  readonly findings: Finding[] = [];
  private readonly lineIndex: LineIndex;

  constructor(private readonly text: string) {
    this.lineIndex = new LineIndex(text);
  }

  report(span: Span, message: string): void {
    const start = Math.max(0, Math.min(span.start, this.text.length));
    const end = Math.max(start, Math.min(span.end, this.text.length));
    this.findings.push({
      code: 'invalid-config',
      severity: DEFAULT_SEVERITIES['invalid-config'],
      message,
      span: { start, end },
      range: this.lineIndex.rangeOf({ start, end }),
    });
  }

  syntax(errors: readonly ParseError[]): void {
    const seen = new Set<number>();
    for (const e of errors.slice(0, 20)) {
      if (seen.has(e.offset)) continue;
      seen.add(e.offset);
      this.report(
        { start: e.offset, end: e.offset + Math.max(1, e.length) },
        `JSON syntax error (${printParseErrorCode(e.error)}); the configuration is not applied until it is fixed.`,
      );
    }
  }

  /** The properties of an object node with their key nodes; unknown keys are reported. */
  private properties(node: Node, where: string, known: readonly string[]): { key: string; keyNode: Node; value: Node }[] {
    const out: { key: string; keyNode: Node; value: Node }[] = [];
    for (const p of node.children ?? []) {
      const keyNode = p.children?.[0];
      const value = p.children?.[1];
      if (!keyNode || !value) continue;
      const key = String(keyNode.value);
      if (!known.includes(key)) {
        const hint = nearest(key, known);
        this.report(
          spanOf(keyNode),
          `${where}: unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}; the keys are ${known.filter((k) => k !== '$schema').join(', ')}.`,
        );
        continue;
      }
      out.push({ key, keyNode, value });
    }
    return out;
  }

  private object(node: Node, where: string): boolean {
    if (node.type === 'object') return true;
    this.report(spanOf(node), `${where} must be an object; found ${describeJsonNode(node)}.`);
    return false;
  }

  document(root: Node): ProjectConfig | undefined {
    if (root.type !== 'object') {
      this.report(
        spanOf(root),
        `A project configuration must be a JSON object (with "rules", "exempt", "overrides", "ignorePatterns"); found ${describeJsonNode(root)}. It is not applied.`,
      );
      return undefined;
    }
    let rules: RuleSettings = {};
    let exempt: Exemptions = { apps: [], modules: [] };
    let overrides: ConfigOverride[] = [];
    let ignorePatterns: string[] = [];
    for (const { key, value } of this.properties(root, 'configuration', TOP_KEYS)) {
      if (key === '$schema') {
        if (value.type !== 'string')
          this.report(spanOf(value), `"$schema" must be a text (the schema's URL or path); found ${describeJsonNode(value)}.`);
      } else if (key === 'rules') rules = this.rules(value, 'rules');
      else if (key === 'exempt') exempt = this.exempt(value, 'exempt');
      else if (key === 'overrides') overrides = this.overrides(value);
      else if (key === 'ignorePatterns') ignorePatterns = this.globs(value, 'ignorePatterns');
      // 'make': checked by its own reader (core/make/config.ts) when a command talks to Make.
    }
    return { rules, exempt, overrides, ignorePatterns };
  }

  private rules(node: Node, where: string): RuleSettings {
    const out: Partial<Record<LintCode, RuleSetting>> = {};
    if (!this.object(node, `"${where}"`)) return out;
    for (const p of node.children ?? []) {
      const keyNode = p.children?.[0];
      const value = p.children?.[1];
      if (!keyNode || !value) continue;
      const code = String(keyNode.value);
      if (code === 'invalid-config') {
        this.report(spanOf(keyNode), `${where}: "invalid-config" cannot be configured (it reports mistakes in this file).`);
        continue;
      }
      if (!(CONFIGURABLE_CODES as readonly string[]).includes(code)) {
        const hint = nearest(code, CONFIGURABLE_CODES);
        this.report(
          spanOf(keyNode),
          `${where}: "${code}" is not a rule code${hint ? ` (did you mean "${hint}"?)` : ''}; the codes are listed in docs/rules/README.md.`,
        );
        continue;
      }
      const setting = value.type === 'string' ? RULE_SETTINGS.find((s) => s === value.value) : undefined;
      if (!setting) {
        const text = value.type === 'string' ? String(value.value) : '';
        const hint = SEVERITY_ALIASES[text.toLowerCase()] ?? (text ? nearest(text, RULE_SETTINGS) : undefined);
        this.report(
          spanOf(value),
          `${where}.${code} must be one of ${RULE_SETTINGS.map((s) => `"${s}"`).join(', ')}; found ${describeJsonNode(value)}${hint ? ` (did you mean "${hint}"?)` : ''}.`,
        );
        continue;
      }
      out[code as LintCode] = setting;
    }
    return out;
  }

  private exempt(node: Node, where: string): Exemptions {
    let apps: string[] = [];
    const modules: ModuleExemption[] = [];
    let defaults: boolean | undefined;
    if (!this.object(node, `"${where}"`)) return { apps, modules };
    for (const { key, value } of this.properties(node, where, EXEMPT_KEYS)) {
      if (key === 'apps') apps = this.strings(value, `${where}.apps`, 'an app pattern such as "util:SetVariable*"');
      else if (key === 'defaults') {
        if (value.type === 'boolean') defaults = value.value === true;
        else
          this.report(
            spanOf(value),
            `${where}.defaults must be true or false (whether the built-in exemptions apply); found ${describeJsonNode(value)}.`,
          );
      } else if (key === 'modules' && this.object(value, `"${where}.modules"`)) {
        for (const p of value.children ?? []) {
          const keyNode = p.children?.[0];
          const ids = p.children?.[1];
          if (!keyNode || !ids) continue;
          const files = String(keyNode.value);
          if (!this.checkGlob(files, keyNode, `${where}.modules`)) continue;
          if (ids.type !== 'array') {
            this.report(
              spanOf(ids),
              `${where}.modules["${files}"] must be an array of module ids, e.g. [3, 7]; found ${describeJsonNode(ids)}.`,
            );
            continue;
          }
          const list: number[] = [];
          for (const item of ids.children ?? []) {
            if (item.type === 'number' && typeof item.value === 'number' && Number.isSafeInteger(item.value) && item.value > 0)
              list.push(item.value);
            else
              this.report(
                spanOf(item),
                `${where}.modules["${files}"]: a module id is a positive whole number; found ${describeJsonNode(item)}.`,
              );
          }
          modules.push({ files, ids: list });
        }
      }
    }
    return { apps, modules, ...(defaults !== undefined ? { defaults } : {}) };
  }

  private overrides(node: Node): ConfigOverride[] {
    const out: ConfigOverride[] = [];
    if (node.type !== 'array') {
      this.report(
        spanOf(node),
        `"overrides" must be an array of {"files": [...], "rules": {...}, "exempt": {...}}; found ${describeJsonNode(node)}.`,
      );
      return out;
    }
    (node.children ?? []).forEach((item, i) => {
      const where = `overrides[${i}]`;
      if (!this.object(item, where)) return;
      let files: string[] | undefined;
      let rules: RuleSettings = {};
      let exempt: Exemptions = { apps: [], modules: [] };
      for (const { key, value } of this.properties(item, where, OVERRIDE_KEYS)) {
        if (key === 'files') {
          files = this.globs(value, `${where}.files`, true);
          if (value.type === 'array' && (value.children ?? []).length === 0)
            this.report(spanOf(value), `${where}.files is empty: the override applies to no file.`);
        } else if (key === 'rules') rules = this.rules(value, `${where}.rules`);
        else if (key === 'exempt') exempt = this.exempt(value, `${where}.exempt`);
      }
      if (files === undefined) {
        this.report({ start: item.offset, end: item.offset + 1 }, `${where} has no "files": the globs of the files it applies to.`);
        return;
      }
      if (files.length === 0) return; // every glob was wrong (reported): the override applies to nothing
      out.push({ files, rules, exempt });
    });
    return out;
  }

  private strings(node: Node, where: string, what: string): string[] {
    if (node.type !== 'array') {
      this.report(spanOf(node), `${where} must be an array of texts (each ${what}); found ${describeJsonNode(node)}.`);
      return [];
    }
    const out: string[] = [];
    for (const item of node.children ?? []) {
      if (item.type === 'string' && String(item.value).trim() !== '') out.push(String(item.value));
      else this.report(spanOf(item), `${where}: each entry must be ${what}; found ${describeJsonNode(item)}.`);
    }
    return out;
  }

  /** An array of globs (or, where `single` is allowed, one glob as a text). */
  private globs(node: Node, where: string, single = false): string[] {
    const items = single && node.type === 'string' ? [node] : node.type === 'array' ? (node.children ?? []) : undefined;
    if (!items) {
      this.report(spanOf(node), `${where} must be an array of globs such as "exports/**/*.json"; found ${describeJsonNode(node)}.`);
      return [];
    }
    const out: string[] = [];
    for (const item of items) {
      if (item.type !== 'string')
        this.report(spanOf(item), `${where}: each entry must be a glob (a text); found ${describeJsonNode(item)}.`);
      else if (this.checkGlob(String(item.value), item, where)) out.push(String(item.value));
    }
    return out;
  }

  private checkGlob(glob: string, node: Node, where: string): boolean {
    if (glob.trim() === '') {
      this.report(spanOf(node), `${where}: an empty glob matches nothing.`);
      return false;
    }
    if (glob.trim().startsWith('!')) {
      this.report(spanOf(node), `${where}: negated globs ("${glob}") are not supported; list what to match instead.`);
      return false;
    }
    return true;
  }
}

/** Parses a project configuration text (BOM allowed). Never throws. */
export function parseProjectConfig(text: string): ParsedConfig {
  const parser = new ConfigParser(text);
  try {
    if (blankBom(text).trim() === '') {
      parser.report({ start: 0, end: 0 }, 'The project configuration is empty: it needs a JSON object, e.g. {"rules": {}}.');
      return { config: undefined, findings: parser.findings };
    }
    const errors: ParseError[] = [];
    const root = parseTree(blankBom(text), errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
    if (errors.length > 0) {
      parser.syntax(errors);
      return { config: undefined, findings: parser.findings };
    }
    if (!root) {
      parser.report({ start: 0, end: 0 }, 'The project configuration holds only comments: it needs a JSON object, e.g. {"rules": {}}.');
      return { config: undefined, findings: parser.findings };
    }
    const config = parser.document(root);
    return { config, findings: [...parser.findings].sort((a, b) => a.span.start - b.span.start) };
  } catch (e) {
    parser.report({ start: 0, end: 0 }, `The project configuration could not be read (${e instanceof Error ? e.message : String(e)}).`);
    return { config: undefined, findings: parser.findings };
  }
}

/** True when `code` is a rule a configuration (or `--rule`) may set. */
export function isConfigurableCode(code: string): code is LintCode {
  return (CONFIGURABLE_CODES as readonly string[]).includes(code) && (LINT_CODES as readonly string[]).includes(code);
}
