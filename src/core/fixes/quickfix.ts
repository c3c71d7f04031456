/*
 * Quick-fix edits on scenario files: attach an error-handler route to a module, correct a
 * misspelt directive (`brake` → `break`), and insert a `# fusion-lint-disable-next-line` comment. Edits are minimal insertions: everything else in the
 * file (comments, quoting, blank lines) stays byte-identical. The blueprint branch lives in
 * blueprintEdit.ts.
 */
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Pair, YAMLMap } from 'yaml';
import { blueprintErrorHandlerEdit } from './blueprintEdit';
import type { TextEdit } from '../text/edits';
import { applyEdits } from '../text/edits';
import type { ParsedScenario } from '../lint/lint';
import { DISABLE_NEXT_LINE } from '../lint/lint';
import { DIRECTIVES, findModule, handlerRoutesOf, walkModules } from '../model';
import { editDistance } from '../text/spelling';
import type { Directive, LintCode } from '../model';
import { LineIndex } from '../text/lineIndex';
import { parseYamlScenario } from '../scenario/yaml';

/** The fields of the route the quick fix inserts, per directive (spec 2 defaults for break). */
export function handlerFields(directive: Directive): string[] {
  switch (directive) {
    case 'break':
      return ['directive: break', 'autoComplete: true', 'attempts: 3', 'intervalMinutes: 15'];
    case 'resume':
      return ['directive: resume', 'output: {}'];
    default:
      return [`directive: ${directive}`];
  }
}

/** How the file indents: the unit of a nested mapping, and whether a list sits deeper than its key. */
export interface IndentStyle {
  readonly unit: number;
  readonly indentSequences: boolean;
}

/** Line break of the file (the first one found; `\n` when there is none). */
export function detectEol(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/** Detects the indentation style from the block collections of the document. */
export function detectIndentStyle(text: string): IndentStyle {
  const doc = parseDocument(text, { keepSourceTokens: true });
  const lineIndex = new LineIndex(text);
  const col = (offset: number): number => lineIndex.positionAt(offset).character;
  let unit: number | undefined;
  let indentSequences: boolean | undefined;
  const visit = (node: unknown, depth: number): void => {
    if (depth > 200 || (unit !== undefined && indentSequences !== undefined)) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key;
        const value = pair.value;
        const keyStart = isScalar(key) && key.range ? key.range[0] : undefined;
        if (keyStart !== undefined && !node.flow) {
          const keyLine = lineIndex.positionAt(keyStart).line;
          if (isMap(value) && !value.flow && value.items[0] && isScalar(value.items[0].key) && value.items[0].key.range) {
            const childStart = value.items[0].key.range[0];
            if (lineIndex.positionAt(childStart).line > keyLine && unit === undefined) {
              const d = col(childStart) - col(keyStart);
              if (d > 0) unit = d;
            }
          }
          if (isSeq(value) && !value.flow && value.range && indentSequences === undefined) {
            const dash = value.range[0];
            if (lineIndex.positionAt(dash).line > keyLine) indentSequences = col(dash) > col(keyStart);
          }
        }
        visit(value, depth + 1);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) visit(item, depth + 1);
    }
  };
  visit(doc.contents, 0);
  return { unit: unit ?? 2, indentSequences: indentSequences ?? true };
}

interface FoundMap {
  readonly map: YAMLMap;
  /** Whether the map, or any collection around it, is in flow style. */
  readonly insideFlow: boolean;
}

function findMapAt(node: unknown, start: number, insideFlow: boolean, depth: number): FoundMap | undefined {
  if (depth > 200 || isAlias(node)) return undefined;
  if (isMap(node)) {
    if (node.range && node.range[0] === start) return { map: node, insideFlow };
    const flow = insideFlow || Boolean(node.flow);
    for (const pair of node.items) {
      const hit = findMapAt(pair.value, start, flow, depth + 1);
      if (hit) return hit;
    }
  } else if (isSeq(node)) {
    const flow = insideFlow || Boolean(node.flow);
    for (const item of node.items) {
      const hit = findMapAt(item, start, flow, depth + 1);
      if (hit) return hit;
    }
  }
  return undefined;
}

function keyName(pair: Pair): string | undefined {
  return isScalar(pair.key) && typeof pair.key.value === 'string' ? pair.key.value : undefined;
}

/**
 * The edit that attaches an error-handler route with `directive` to module `moduleId` (YAML or
 * blueprint). Keeps indentation and comments. Null when the module is unknown, already has an
 * `onError`, its id is used twice, the directive is break while storing of incomplete executions
 * is off, or it sits where an insertion cannot be made safely (a module
 * inside a flow-style list).
 * A flow-style module in a block list (`- {id: 2, app: x}`) is rewritten to block style.
 */
export function errorHandlerEdit(parsed: ParsedScenario, moduleId: number, directive: Directive): TextEdit | null {
  try {
    const scenario = parsed.scenario;
    if (!scenario) return null;
    const module = findModule(scenario, moduleId);
    if (!module || module.onError.length > 0) return null;
    // Both formats: Break cannot store anything while storing of incomplete executions is off
    // (lint would flag the fix itself), and a duplicated id is ambiguous (fix that error first).
    if (directive === 'break' && !scenario.settings.storeIncompleteExecutions) return null;
    if ([...walkModules(scenario.modules)].filter((m) => m.id === moduleId).length > 1) return null;
    if (parsed.format === 'blueprint') return blueprintErrorHandlerEdit(parsed, moduleId, directive);
    const text = parsed.lineIndex.text;
    const doc = parseDocument(text, { keepSourceTokens: true });
    if (doc.errors.length > 0) return null;
    const found = findMapAt(doc.contents, module.span.start, false, 0);
    if (!found) return null;
    const { map, insideFlow } = found;
    if (map.items.some((p) => keyName(p) === 'onError')) return null;
    const style = detectIndentStyle(text);
    const eol = detectEol(text);
    let edit: TextEdit | null;
    if (!map.flow && !insideFlow) edit = blockInsert(text, parsed.lineIndex, map, directive, style, eol);
    else if (map.flow && !insideFlow) edit = flowToBlock(text, parsed.lineIndex, map, directive, style, eol);
    else edit = null;
    return edit && verify(text, edit, moduleId, directive) ? edit : null;
  } catch {
    return null;
  }
}

function blockInsert(
  text: string,
  lineIndex: LineIndex,
  map: YAMLMap,
  directive: Directive,
  style: IndentStyle,
  eol: string,
): TextEdit | null {
  const first = map.items[0];
  if (!first || !isScalar(first.key) || !first.key.range || !map.range) return null;
  const keyCol = lineIndex.positionAt(first.key.range[0]).character;
  let end = map.range[1];
  while (end > map.range[0] && /\s/.test(text[end - 1] ?? '')) end--;
  const lastLine = lineIndex.positionAt(end - 1).line;
  const at = lineIndex.lineEnd(lastLine);
  const pad = ' '.repeat(keyCol);
  const inner = ' '.repeat(keyCol + style.unit);
  const lines = [`${pad}onError:`, ...handlerFields(directive).map((f) => inner + f)];
  return { start: at, end: at, newText: eol + lines.join(eol) };
}

function flowToBlock(
  text: string,
  lineIndex: LineIndex,
  map: YAMLMap,
  directive: Directive,
  style: IndentStyle,
  eol: string,
): TextEdit | null {
  if (!map.range || map.items.length === 0) return null;
  const start = map.range[0];
  const end = map.range[1];
  const startLine = lineIndex.positionAt(start).line;
  const endLine = lineIndex.positionAt(Math.max(start, end - 1)).line;
  if (startLine !== endLine || text[start] !== '{') return null;
  const pairs: string[] = [];
  let covered = '';
  let cursor = start + 1;
  for (const pair of map.items) {
    if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) return null;
    const k0 = pair.key.range[0];
    const valueRange = isScalar(pair.value) || isCollection(pair.value) || isAlias(pair.value) ? pair.value.range : undefined;
    let slice: string;
    let pairEnd: number;
    if (valueRange && valueRange[1] > valueRange[0]) {
      slice = text.slice(k0, valueRange[1]);
      pairEnd = valueRange[1];
    } else {
      slice = `${text.slice(k0, pair.key.range[1])}:`;
      pairEnd = pair.key.range[1];
      // `{name: }`: skip the colon that belongs to the key.
      const after = text.slice(pairEnd).match(/^\s*:/);
      if (after) pairEnd += after[0].length;
    }
    if (/[\r\n]/.test(slice) || k0 < cursor) return null;
    covered += text.slice(cursor, k0);
    cursor = pairEnd;
    pairs.push(slice.trimEnd());
  }
  covered += text.slice(cursor, end);
  // Only braces, commas and blanks may sit between the pairs: a comment or anything else → give up.
  if (!/^[\s,{}]*$/.test(covered)) return null;
  const keyCol = lineIndex.positionAt(start).character;
  const pad = ' '.repeat(keyCol);
  const inner = ' '.repeat(keyCol + style.unit);
  const rest = [...pairs.slice(1).map((p) => pad + p), `${pad}onError:`, ...handlerFields(directive).map((f) => inner + f)];
  // Keep a trailing comment on the module's first line: replace the map, append the rest after the line.
  const lineEnd = lineIndex.lineEnd(endLine);
  const tail = text.slice(end, lineEnd);
  return { start, end: lineEnd, newText: pairs[0] + tail + eol + rest.join(eol) };
}

/** The edit must leave valid YAML where the module now has the route (never hand out a broken fix). */
function verify(text: string, edit: TextEdit, moduleId: number, directive: Directive): boolean {
  const next = applyEdits(text, [edit]);
  const parsed = parseYamlScenario(next, new LineIndex(next));
  if (!parsed.scenario || parsed.findings.some((f) => f.code === 'yaml-syntax')) return false;
  const m = findModule(parsed.scenario, moduleId);
  return m !== undefined && m.onError.length === 1 && m.onError[0].directive === directive;
}

const DISABLE_LINE_RE = /^(\s*#\s*fusion-lint-disable-next-line)\b([^\r\n]*)$/;

/**
 * The edit that inserts `# fusion-lint-disable-next-line <code>` above `line` (0-based), same
 * indentation. When the line above already is such a comment, the code is added to it instead.
 * YAML only; null for JSON, for a line out of range, or when the code is already disabled there.
 */
export function disableLineEdit(parsed: ParsedScenario, line: number, code: LintCode): TextEdit | null {
  if (parsed.format !== 'yaml') return null;
  const { lineIndex } = parsed;
  const text = lineIndex.text;
  if (!Number.isInteger(line) || line < 0 || line >= lineIndex.lineCount) return null;
  const start = lineIndex.lineStart(line);
  const content = text.slice(start, lineIndex.lineEnd(line));
  if (line > 0) {
    const prevStart = lineIndex.lineStart(line - 1);
    const prevEnd = lineIndex.lineEnd(line - 1);
    const m = DISABLE_LINE_RE.exec(text.slice(prevStart, prevEnd));
    if (m) {
      const rest = m[2];
      const dash = rest.search(/\s--(\s|$)/);
      const codesPart = dash >= 0 ? rest.slice(0, dash) : rest;
      const codes = codesPart.split(/[\s,]+/).filter((c) => c !== '');
      if (codes.length === 0 || codes.includes(code)) return null;
      const at = prevStart + m[1].length + codesPart.trimEnd().length;
      return { start: at, end: at, newText: ` ${code}` };
    }
  }
  const indent = /^ */.exec(content)?.[0] ?? '';
  const eol = detectEol(text);
  return { start, end: start, newText: `${indent}# ${DISABLE_NEXT_LINE} ${code}${eol}` };
}

/** One "Change to 'break'" fix for a directive Fusion does not know. */
export interface DirectiveTypoFix {
  /** The directive the value becomes. */
  readonly directive: Directive;
  /** Replaces the value's text only (inside its quotes when quoted): comments, keys and layout stay. */
  readonly edit: TextEdit;
  /** The only directive at the smallest spelling distance: the fix to apply with one key. */
  readonly preferred: boolean;
}

/**
 * The fixes for a route whose `directive` is not one Fusion knows (`directive: brake`), when
 * `offset` is on its value: the directives nearest by spelling (the same distance limit as the
 * parser's "did you mean"), nearest first. YAML only (a blueprint's misspelt directive module
 * name is a handler module to its parser, not an unknown directive); empty when no directive is
 * close enough or the value is not a plain or quoted scalar.
 */
export function directiveTypoFixes(parsed: ParsedScenario, offset: number): DirectiveTypoFix[] {
  if (parsed.format !== 'yaml' || !parsed.scenario) return [];
  const text = parsed.lineIndex.text;
  for (const m of walkModules(parsed.scenario.modules)) {
    for (const route of handlerRoutesOf(m)) {
      const span = route.directiveSpan;
      const written = route.unknownDirective;
      if (written === undefined || !span || offset < span.start || offset > span.end) continue;
      const raw = text.slice(span.start, span.end);
      // The token without its quotes: a quoted value keeps its quotes, only the letters change.
      const quoted = raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw[raw.length - 1] === raw[0];
      const inner = quoted ? raw.slice(1, -1) : raw;
      if (!/^\s*[A-Za-z]+\s*$/.test(inner)) return [];
      const word = inner.trim();
      const limit = word.length <= 4 ? 1 : word.length < 12 ? 2 : 3;
      const ranked = DIRECTIVES.map((d) => ({ d, distance: editDistance(word.toLowerCase(), d) }))
        .filter((r) => r.distance <= limit)
        .sort((a, b) => a.distance - b.distance);
      if (ranked.length === 0) return [];
      const best = ranked[0].distance;
      const unique = ranked.filter((r) => r.distance === best).length === 1;
      const start = span.start + (quoted ? 1 : 0) + (inner.length - inner.trimStart().length);
      return ranked.map((r) => ({
        directive: r.d,
        edit: { start, end: start + word.length, newText: r.d },
        preferred: unique && r.distance === best,
      }));
    }
  }
  return [];
}
