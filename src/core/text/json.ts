/**
 * Strict JSON text with positions, for files a person may have edited by hand (the executions
 * file, saved Make API responses): a parse that says where the first problem is, the 1-based
 * line/column of an offset or of a JSON path, and a readable form of a path.
 *
 * A problem is returned as plain data (`JsonProblem`); each caller wraps it in its own error type,
 * so a broken Make API response is reported as that file's problem, not the executions file's.
 */
import { findNodeAtLocation, parse as parseJsonc, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { JSONPath, Node as JsonNode, ParseError } from 'jsonc-parser';
import { stripBom } from './bom';

/** What is wrong with a JSON text and where (1-based, UTF-16 code units; absent when unknown). */
export interface JsonProblem {
  /** One line, e.g. `invalid JSON: a comma is expected, found "}"`. */
  readonly detail: string;
  readonly line?: number;
  readonly column?: number;
}

export type JsonTextResult =
  { readonly ok: true; readonly value: unknown; readonly text: string } | { readonly ok: false; readonly problem: JsonProblem };

/** 1-based line and column (UTF-16 code units) of `offset` in `text`. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const o = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < o; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
    } else if (c === 13) {
      if (i + 1 < o && text.charCodeAt(i + 1) === 10) i++;
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: o - lineStart + 1 };
}

/**
 * Parses strict JSON (a leading BOM is allowed). Fast path: `JSON.parse`; only when that fails is
 * the text parsed again with jsonc-parser to find the position of the first problem. The `text`
 * of a success and every position refer to the text without its BOM. Never throws.
 */
export function parseJsonText(rawText: string): JsonTextResult {
  // positions are counted in the text without its byte-order mark, as an editor shows the file
  const text = stripBom(rawText).text;
  if (text.trim() === '') {
    return { ok: false, problem: { detail: 'the file is empty (expected a JSON object)', line: 1, column: 1 } };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown, text };
  } catch (e) {
    const errors: ParseError[] = [];
    parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    if (errors.length > 0) {
      const first = errors[0];
      return { ok: false, problem: { detail: `invalid JSON: ${describeParseError(first, text)}`, ...lineColumnAt(text, first.offset) } };
    }
    // jsonc-parser is more lenient in a few corners (e.g. control characters inside strings).
    const message = e instanceof Error ? e.message : String(e);
    const m = /position (\d+)/.exec(message);
    const detail = `invalid JSON: ${firstLine(message)}`;
    return { ok: false, problem: m ? { detail, ...lineColumnAt(text, Number(m[1])) } : { detail } };
  }
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

const PARSE_ERROR_TEXT: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'a property name in double quotes is expected',
  ValueExpected: 'a value is expected',
  ColonExpected: 'a colon is expected',
  CommaExpected: 'a comma is expected',
  CloseBraceExpected: 'a closing brace } is expected',
  CloseBracketExpected: 'a closing bracket ] is expected',
  EndOfFileExpected: 'the end of the file is expected (extra content after the JSON value)',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'incomplete number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in string',
};

function describeParseError(err: ParseError, text: string): string {
  const name = printParseErrorCode(err.error);
  const what = PARSE_ERROR_TEXT[name] ?? name;
  if (err.offset >= text.length) return `${what} (at the end of the file)`;
  const found = text.slice(err.offset, err.offset + Math.max(1, Math.min(err.length, 20)));
  const shown = JSON.stringify(found.length > 0 ? found : text.charAt(err.offset));
  return `${what}, found ${shown}`;
}

/** The deepest existing node on `p` (walks up the path until a node exists). */
function nodeFor(root: JsonNode | undefined, p: JSONPath): JsonNode | undefined {
  if (!root) return undefined;
  for (let n = p.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, p.slice(0, n));
    if (node) {
      // Point at the property (key) rather than the value when the path ends at a property.
      if (n > 0 && typeof p[n - 1] === 'string' && node.parent?.type === 'property') return node.parent;
      return node;
    }
  }
  return root;
}

/**
 * 1-based line and column of the value at JSON path `p` in `text` (of its key when the path ends
 * at a property; of the deepest part of the path that exists otherwise); undefined when the text
 * gives no tree.
 */
export function jsonPathPosition(text: string, p: JSONPath): { line: number; column: number } | undefined {
  let root: JsonNode | undefined;
  try {
    root = parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
  } catch {
    root = undefined;
  }
  const node = nodeFor(root, p);
  return node ? lineColumnAt(text, node.offset) : undefined;
}

/** `executions[3].error.type`; `the top level` for the empty path. */
export function formatPath(p: JSONPath): string {
  let s = '';
  for (const seg of p) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) s += s === '' ? seg : `.${seg}`;
    else s += `[${JSON.stringify(seg)}]`;
  }
  return s === '' ? 'the top level' : s;
}

/** How a finding names the JSON value it found: "an object", "an array", "null", a short quoted string, a number or boolean. */
export function describeJsonNode(node: JsonNode | undefined): string {
  if (!node) return 'nothing';
  switch (node.type) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'null':
      return 'null';
    case 'string': {
      const v = String(node.value);
      return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
    }
    default:
      return String(node.value);
  }
}
