/*
 * The files generated from the lint registry (core/lint/registry.ts) and the error catalogue
 * (core/catalogue/catalogue.ts), so a rule or an error type is one place to edit. `npm run
 * generate` (scripts/generate.mjs → main.ts) rewrites them; the unit test lint.registry.test.ts
 * fails when a committed file differs from what is rendered here, so CI can also run the generator
 * and `git diff --exit-code`.
 *
 * Each artefact renders the whole new text from the current one: only the generated parts change
 * (a JSON value at a path, or the lines between two marker comments), everything written by hand
 * is kept byte for byte. Rendering is deterministic: registry and catalogue order, `\n` line ends,
 * JSON in npm's layout (two spaces). Pure: no I/O here.
 */
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import type { JSONPath } from 'jsonc-parser';
import { ERROR_TYPES, UNKNOWN_TYPE_UNHANDLED } from '../core/catalogue/catalogue';
import type { ErrorTypeInfo } from '../core/catalogue/catalogue';
import { RULES } from '../core/lint/registry';
import type { RegisteredRule } from '../core/lint/registry';
import { DISABLE_NEXT_LINE } from '../core/lint/lint';

/** One generated file: its path from the repository root and how to render it from its current text. */
export interface Artefact {
  readonly path: string;
  /** The new text; `current` is undefined when the file does not exist yet. Throws when the file cannot be updated (a marker is missing). */
  render(current: string | undefined): string;
}

/** The value `fusionExecutions.lint.severity` accepts for each rule. */
export const SEVERITY_SETTING_VALUES = ['error', 'warning', 'information', 'hint', 'off'] as const;

/** The severity setting's `properties`: one entry per rule, registry order. */
export function severityProperties(rules: readonly RegisteredRule[] = RULES): Record<string, { type: 'string'; enum: string[] }> {
  return Object.fromEntries(rules.map((r) => [r.code, { type: 'string' as const, enum: [...SEVERITY_SETTING_VALUES] }]));
}

const SEVERITY_PATH: JSONPath = ['contributes', 'configuration', 'properties', 'fusionExecutions.lint.severity', 'properties'];
const ROUTE_ERRORS_PATH: JSONPath = ['definitions', 'route', 'properties', 'errors', 'items', 'anyOf', 0, 'enum'];
const FAULT_ERROR_PATH: JSONPath = ['definitions', 'fault', 'properties', 'error', 'anyOf', 0, 'enum'];

/**
 * The text with the JSON value at `path` replaced by `value`, written as `JSON.stringify(value,
 * null, 2)` indented like the line it starts on. Everything else is kept as it is.
 */
export function replaceJsonValue(text: string, path: JSONPath, value: unknown): string {
  const root = parseTree(text);
  const node = root ? findNodeAtLocation(root, path) : undefined;
  if (!node) throw new Error(`No JSON value at ${path.join('.')}.`);
  const lineStart = text.lastIndexOf('\n', node.offset - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
  const json = JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}`);
  return text.slice(0, node.offset) + json + text.slice(node.offset + node.length);
}

/**
 * The text with the lines between `<!-- name:start -->` and `<!-- name:end -->` replaced by
 * `content` (the marker lines stay). Throws when a marker is missing or out of order.
 */
export function replaceBetweenMarkers(text: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`Missing the marker comments ${start} … ${end}.`);
  const from = text.indexOf('\n', a) + 1;
  return `${text.slice(0, from)}${content.endsWith('\n') ? content : `${content}\n`}${text.slice(b)}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function codeList(codes: readonly string[]): string {
  return codes.map((c) => `\`${c}\``).join(', ');
}

/** The rule table with links relative to `docsDir` ('' inside docs/rules), and the notes on structural and unsuppressible rules. */
export function rulesTable(docsDir: string, rules: readonly RegisteredRule[] = RULES): string {
  const rows = rules.map((r) => `| [\`${r.code}\`](${docsDir}${r.code}.md) | ${r.defaultSeverity} | ${cell(r.summary)} |`);
  const structural = rules.filter((r) => r.structural).map((r) => r.code);
  const unsuppressible = rules.filter((r) => !r.suppressible).map((r) => r.code);
  return [
    '| code | default | when |',
    '|---|---|---|',
    ...rows,
    '',
    `A finding of ${codeList(structural)} makes the scenario unusable: classify, simulate and convert refuse it and name the first one. ` +
      `${codeList(unsuppressible)} cannot be suppressed with a comment (until the file parses, nothing else can be checked).`,
  ].join('\n');
}

function unhandledCell(e: ErrorTypeInfo, profile: 'fusion' | 'make'): string {
  const outcome = `\`${e.unhandled[profile]}\``;
  return profile === 'make' && e.uncatchableInMake ? `${outcome}, on any module (no handler can catch it)` : outcome;
}

/** The README's error-type table: what each catalogue type does when a non-first module raises it with no handler. */
export function errorTypesTable(types: readonly ErrorTypeInfo[] = ERROR_TYPES): string {
  return [
    `The error catalogue (\`src/core/catalogue/catalogue.ts\`) holds ${types.length} error types, each with its family, meaning,`,
    'typical causes, what to do, what it does unhandled under each profile, and a documentation link.',
    'With no error-handler route, on a module after the trigger, storage of incomplete executions on:',
    '',
    '| error type | family | fusion | make |',
    '|---|---|---|---|',
    ...types.map((e) => `| ${e.name} | ${e.family} | ${unhandledCell(e, 'fusion')} | ${unhandledCell(e, 'make')} |`),
    `| any other name (a custom app's) | | \`${UNKNOWN_TYPE_UNHANDLED.fusion}\` | \`${UNKNOWN_TYPE_UNHANDLED.make}\` |`,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Rule pages: docs/rules/<code>.md
// ---------------------------------------------------------------------------------------------

/** Opens the hand-written part of a rule page. */
export function bodyStartMarker(code: string): string {
  return `<!-- rule:body — written by hand; the lines above and below come from src/core/lint/rules/${code}.ts (npm run generate) -->`;
}
export const BODY_END_MARKER = '<!-- rule:end -->';

/** The body a new page starts with: the sections every page has, to be written. */
export function stubBody(code: string): string {
  return [
    '**Why it matters:** TODO',
    '',
    '**How to fix:** TODO',
    '',
    '```yaml',
    `# TODO: a minimal example that breaks ${code}`,
    '```',
  ].join('\n');
}

/** The hand-written part of a rule page (between its markers), or undefined when the page has none. */
export function pageBody(text: string, code: string): string | undefined {
  const start = bodyStartMarker(code);
  const a = text.indexOf(start);
  const b = text.indexOf(`\n${BODY_END_MARKER}`, a);
  if (a < 0 || b < 0) return undefined;
  return text.slice(a + start.length + 1, b);
}

/** A rule page: generated title, severity and summary, the hand-written body, the generated suppression line. */
export function rulePage(rule: RegisteredRule, body: string): string {
  const structural = rule.structural ? ' A finding of this rule makes the scenario unusable for classify, simulate and convert.' : '';
  const suppress = rule.suppressible
    ? `Suppress one finding (YAML) with a comment on the line above: \`# ${DISABLE_NEXT_LINE} ${rule.code}\`.`
    : 'A comment cannot suppress this rule: until the file parses, nothing else can be checked.';
  return [
    `# \`${rule.code}\``,
    '',
    `Default severity: **${rule.defaultSeverity}** (change it with \`fusionExecutions.lint.severity\`; \`off\` disables the rule).${structural}`,
    '',
    `**When:** ${rule.summary}`,
    '',
    bodyStartMarker(rule.code),
    body.replace(/\n+$/, ''),
    BODY_END_MARKER,
    '',
    suppress,
    '',
  ].join('\n');
}

function rulePageArtefact(rule: RegisteredRule): Artefact {
  return {
    path: `docs/rules/${rule.code}.md`,
    render(current) {
      if (current === undefined) return rulePage(rule, stubBody(rule.code));
      const body = pageBody(current, rule.code);
      if (body === undefined)
        throw new Error(
          `docs/rules/${rule.code}.md has no ${bodyStartMarker(rule.code)} … ${BODY_END_MARKER} around its hand-written part.`,
        );
      return rulePage(rule, body);
    },
  };
}

/** Every generated file, in a fixed order. */
export function artefacts(rules: readonly RegisteredRule[] = RULES, types: readonly ErrorTypeInfo[] = ERROR_TYPES): Artefact[] {
  const names = types.map((e) => e.name);
  return [
    {
      path: 'package.json',
      render: (current) => replaceJsonValue(required(current, 'package.json'), SEVERITY_PATH, severityProperties(rules)),
    },
    {
      path: 'schemas/scenario.schema.json',
      render: (current) =>
        replaceJsonValue(
          replaceJsonValue(required(current, 'schemas/scenario.schema.json'), ROUTE_ERRORS_PATH, names),
          FAULT_ERROR_PATH,
          names,
        ),
    },
    {
      path: 'README.md',
      render: (current) =>
        replaceBetweenMarkers(
          replaceBetweenMarkers(required(current, 'README.md'), 'rules', rulesTable('docs/rules/', rules)),
          'error-types',
          errorTypesTable(types),
        ),
    },
    {
      path: 'docs/rules/README.md',
      render: (current) => replaceBetweenMarkers(required(current, 'docs/rules/README.md'), 'rules', rulesTable('', rules)),
    },
    ...rules.map(rulePageArtefact),
  ];
}

function required(text: string | undefined, path: string): string {
  if (text === undefined) throw new Error(`${path} does not exist.`);
  return text;
}
