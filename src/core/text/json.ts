/**
 * Strict JSON text with positions, for files a person may have edited by hand (the executions
 * file, saved Make API responses): a parse that says where the first problem is, the 1-based
 * line/column of an offset or of a JSON path, and a readable form of a path.
 *
 * A problem is returned as plain data (`JsonProblem`); each caller wraps it in its own error type,
 * so a broken Make API response is reported as that file's problem, not the executions file's.
 */
import { findNodeAtLocation, parse as parseJsonc, parseTree, printParseErrorCode, visit } from 'jsonc-parser';
import type { JSONPath, Node as JsonNode, ParseError } from 'jsonc-parser';
import { stripBom } from './bom';

/** What is wrong with a JSON text and where (1-based, UTF-16 code units; absent when unknown). */
export interface JsonProblem {
  /** One line, e.g. `invalid JSON: a comma is expected, found "}"`. */
  readonly detail: string;
  readonly line?: number;
  readonly column?: number;
}

/** How much nesting a JSON text may have (objects and arrays inside each other). */
export const MAX_JSON_DEPTH = 256;

export interface JsonTextOptions {
  /** Deepest nesting allowed (default MAX_JSON_DEPTH). Deeper texts are refused before parsing. */
  readonly maxDepth?: number;
  /**
   * Refuse an object that has the same key twice (JSON.parse would silently keep the last value,
   * and the next write would drop the other). Default false.
   */
  readonly rejectDuplicateKeys?: boolean;
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
 * the text parsed again with jsonc-parser to find the position of the first problem. Nesting
 * deeper than `maxDepth` is refused before parsing (deep values crash recursive code later), and
 * duplicate keys when asked. The `text` of a success and every position refer to the text without
 * its BOM. Never throws.
 */
export function parseJsonText(rawText: string, options: JsonTextOptions = {}): JsonTextResult {
  // positions are counted in the text without its byte-order mark, as an editor shows the file
  const text = stripBom(rawText).text;
  if (text.trim() === '') {
    return { ok: false, problem: { detail: 'the file is empty (expected a JSON object)', line: 1, column: 1 } };
  }
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  const shape = scanJsonShape(text, maxDepth);
  if (shape.tooDeepAt >= 0) {
    return {
      ok: false,
      problem: {
        detail: `nested more than ${maxDepth} levels deep (objects and arrays inside each other); this is not a file the tool can use`,
        ...lineColumnAt(text, shape.tooDeepAt),
      },
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
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
  // Without duplicate keys every key of the text is a property of the parsed value; a duplicate
  // makes the parsed value have fewer. Counting both is cheap; only a mismatch pays for locating it.
  if (options.rejectDuplicateKeys && shape.keys !== countKeys(value)) {
    const dup = findDuplicateKey(text);
    if (dup) return { ok: false, problem: dup };
  }
  return { ok: true, value, text };
}

/**
 * One pass over the text: how many object keys it has (colons outside strings) and the offset of
 * the first bracket nested deeper than `maxDepth` (-1 when none). Tolerant of invalid JSON (it only
 * counts); strings are skipped with indexOf.
 */
function scanJsonShape(text: string, maxDepth: number): { keys: number; tooDeepAt: number } {
  let depth = 0;
  let keys = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let j = i;
      for (;;) {
        j = text.indexOf('"', j + 1);
        if (j < 0) return { keys, tooDeepAt: -1 };
        let k = j - 1;
        let backslashes = 0;
        while (text.charCodeAt(k) === 92 /* \ */) {
          backslashes++;
          k--;
        }
        if ((backslashes & 1) === 0) break;
      }
      i = j;
    } else if (c === 58 /* : */) keys++;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > maxDepth) return { keys, tooDeepAt: i };
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return { keys, tooDeepAt: -1 };
}

/** Own keys of every object in a parsed JSON value (iterative: no recursion on deep values). */
function countKeys(root: unknown): number {
  let n = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x === null || typeof x !== 'object') continue;
    if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) {
        const y: unknown = x[i];
        if (y !== null && typeof y === 'object') stack.push(y);
      }
    } else {
      const o = x as Record<string, unknown>;
      for (const k in o) {
        n++;
        const y = o[k];
        if (y !== null && typeof y === 'object') stack.push(y);
      }
    }
  }
  return n;
}

/** The second occurrence of a key within one object, as a problem with its position. */
function findDuplicateKey(text: string): JsonProblem | undefined {
  const open: Map<string, number>[] = [];
  let found: JsonProblem | undefined;
  visit(
    text,
    {
      onObjectBegin: () => {
        open.push(new Map());
      },
      onObjectEnd: () => {
        open.pop();
      },
      onObjectProperty: (key, offset) => {
        if (found) return;
        const keys = open[open.length - 1];
        if (!keys) return;
        const first = keys.get(key);
        if (first !== undefined) {
          const at = lineColumnAt(text, first);
          found = {
            detail: `duplicate key ${JSON.stringify(key)} in one object (first at line ${at.line}, column ${at.column}); a second value would be silently dropped`,
            ...lineColumnAt(text, offset),
          };
        } else keys.set(key, offset);
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  return found;
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

export type DecodedText = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problem: JsonProblem };

/**
 * The bytes of a JSON file as text: UTF-8 (a leading byte-order mark is kept here and dropped by
 * `parseJsonText`), refused when they contain a NUL byte anywhere or are not valid UTF-8 — a
 * lenient decode would turn each bad byte into U+FFFD and the next write would store that instead
 * of the original byte. The problem says where (line and column of the first bad byte).
 */
export function decodeJsonBytes(bytes: Uint8Array): DecodedText {
  const nul = bytes.indexOf(0);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    if (nul >= 0 && nul < bad) return { ok: false, problem: nulProblem(bytes, nul) };
    const at = positionOfByte(bytes, bad);
    return {
      ok: false,
      problem: {
        detail: `not UTF-8 text: byte 0x${bytes[bad].toString(16).toUpperCase().padStart(2, '0')} at byte offset ${bad} is not valid UTF-8 (save the file as UTF-8)`,
        ...at,
      },
    };
  }
  if (nul >= 0) return { ok: false, problem: nulProblem(bytes, nul) };
  return { ok: true, text };
}

function nulProblem(bytes: Uint8Array, offset: number): JsonProblem {
  return { detail: `binary content: a NUL byte at byte offset ${offset} (expected JSON text)`, ...positionOfByte(bytes, offset) };
}

/** Line and column (UTF-16 code units, as an editor counts them) of byte `offset`; the bytes before it are valid UTF-8. */
function positionOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  const before = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
  const text = stripBom(before).text;
  return lineColumnAt(text, text.length);
}

/** Offset of the first byte that starts an invalid UTF-8 sequence (bytes.length when all are valid). */
function firstInvalidUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let len: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      min = 0x10000;
    } else return i;
    if (i + len > n) return i;
    let cp = c & (0xff >> (len + 1));
    for (let k = 1; k < len; k++) {
      const cc = b[i + k];
      if ((cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += len;
  }
  return n;
}
