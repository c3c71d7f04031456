/**
 * The text the store writes: exactly `JSON.stringify(doc, null, 2) + "\n"`, produced piece by
 * piece (one record at a time) so that saving a large file never holds a second copy of it in
 * memory as one string.
 */
import type { ExecutionsFile } from './model';

/** `JSON.stringify(v, null, 2)` of a value inside an object or array: undefined when JSON leaves it out. */
function stringifyMember(v: unknown): string | undefined {
  // Typed as string, but undefined for undefined, a function or a symbol.
  return JSON.stringify(v, null, 2);
}

/** The pieces of `JSON.stringify(doc, null, 2) + "\n"`, in order; joined they are that text exactly. */
export function* serializeExecutionsPieces(doc: ExecutionsFile): Generator<string> {
  const members: [string, string | unknown[]][] = [];
  for (const key of Object.keys(doc)) {
    const value: unknown = (doc as Record<string, unknown>)[key];
    if (key === 'executions' && Array.isArray(value)) {
      members.push([key, value]);
      continue;
    }
    const text = stringifyMember(value);
    if (text !== undefined) members.push([key, text]);
  }
  if (members.length === 0) {
    yield '{}\n';
    return;
  }
  yield '{\n';
  for (let m = 0; m < members.length; m++) {
    const [key, value] = members[m];
    yield `  ${JSON.stringify(key)}: `;
    if (typeof value === 'string') {
      yield value.replace(/\n/g, '\n  ');
    } else if (value.length === 0) {
      yield '[]';
    } else {
      yield '[\n';
      for (let i = 0; i < value.length; i++) {
        // Inside an array JSON writes null for what it leaves out of objects (undefined, functions).
        const text = stringifyMember(value[i]) ?? 'null';
        // Raw newlines only occur as indentation: JSON strings escape theirs.
        yield `    ${text.replace(/\n/g, '\n    ')}${i < value.length - 1 ? ',\n' : '\n'}`;
      }
      yield '  ]';
    }
    yield m < members.length - 1 ? ',\n' : '\n';
  }
  yield '}\n';
}

/** The text the store writes: 2-space JSON and a trailing newline. */
export function serializeExecutions(doc: ExecutionsFile): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
