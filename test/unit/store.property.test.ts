// Random damage to a valid executions file: the parser's own code never fails (it catches
// everything so a reader never crashes, so "no exception" alone proves nothing: no input may get
// its internal-error answer), and every position it reports lies inside the text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { INTERNAL_READ_ERROR, parseExecutionsText } from '../../src/core/executions/validate';
import { serializeExecutions, serializeExecutionsPieces } from '../../src/core/executions/store';
import type { ExecutionsFile } from '../../src/core/executions/model';

const VALID = `${JSON.stringify(
  {
    version: 1,
    note: 'kept',
    executions: [
      {
        id: 'ie-7f3a2c',
        scenario: 'Invoice export',
        scenarioFile: 'scenarios/invoice-export.scenario.yaml',
        moduleId: 2,
        moduleName: 'Fetch invoice PDF',
        error: { type: 'ConnectionError', message: 'ECONNRESET' },
        status: 'pending',
        autoRetry: true,
        attempts: 1,
        maxAttempts: 8,
        nextRetryAt: '2026-11-20T10:11:00.000Z',
        created: '2026-11-20T10:00:00.000Z',
        updated: '2026-11-20T10:01:00.000Z',
        size: 412,
        bundle: { invoiceId: 1234, lines: [1, 2.5, -3e2, null, true, 'é€😀'] },
        history: [{ at: '2026-11-20T10:01:00.000Z', action: 'retry', result: 'failed', error: 'ConnectionError' }],
      },
      {
        id: 'ie-91b0',
        scenario: 'Lead sync',
        moduleId: 3,
        error: { type: 'DataError', message: 'Missing "email"\\n' },
        status: 'unresolved',
        created: '2026-11-19T08:00:00.000Z',
      },
    ],
  },
  null,
  2,
)}\n`;

const PIECES = [
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '"',
  '\\',
  '\n',
  '\r\n',
  ' ',
  '0',
  '-',
  '1e',
  'null',
  'true',
  '/*',
  '//',
  '\uFEFF',
  '\u0000',
  '\uD800',
  '😀',
  '"id"',
  '"version"',
  '2',
  '"x"',
];

type Edit =
  { kind: 'insert'; at: number; piece: string } | { kind: 'delete'; at: number; len: number } | { kind: 'flip'; at: number; code: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    piece: fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 4 })),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), code: fc.integer({ min: 0, max: 0xffff }) }),
);

function apply(text: string, edits: readonly Edit[]): string {
  let t = text;
  for (const e of edits) {
    const at = t.length === 0 ? 0 : e.at % (t.length + 1);
    if (e.kind === 'insert') t = t.slice(0, at) + e.piece + t.slice(at);
    else if (e.kind === 'delete') t = t.slice(0, at) + t.slice(at + e.len);
    else t = t.slice(0, at) + String.fromCharCode(e.code) + t.slice(at + 1);
  }
  return t;
}

/** Lines as the parser counts them (\n, \r\n, \r), BOM excluded. */
function lineLengths(text: string): number[] {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return t.split(/\r\n|\r|\n/).map((l) => l.length);
}

test('2000 damaged files: no internal error, positions inside the text', () => {
  assert.equal(parseExecutionsText(VALID, 'x.json').ok, true, 'the base text is valid');
  let failures = 0;
  fc.assert(
    fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
      const text = apply(VALID, edits);
      const r = parseExecutionsText(text, 'x.json');
      if (r.ok) return;
      failures++;
      assert.notEqual(r.error.code, 'INTERNAL', `the parser's own code failed: ${r.error.message}`);
      assert.ok(!r.error.message.includes(INTERNAL_READ_ERROR));
      const { line, column, message } = r.error;
      assert.ok(message.length > 0 && !message.includes('\n'));
      assert.ok(message.startsWith('x.json'));
      if (line === undefined) return;
      const lengths = lineLengths(text);
      assert.ok(Number.isInteger(line) && line >= 1 && line <= lengths.length, `line ${line} of ${lengths.length}`);
      assert.ok(
        column !== undefined && Number.isInteger(column) && column >= 1 && column <= lengths[line - 1] + 1,
        `column ${column} on a line of ${lengths[line - 1]}`,
      );
    }),
    { seed: 20261120, numRuns: 2000 },
  );
  // The damage must actually produce many invalid files for the test to mean anything.
  assert.ok(failures > 1000, `${failures} of 2000 mutated texts were rejected`);
});

test('the piecewise serialization is exactly JSON.stringify(doc, null, 2) + newline', () => {
  const json = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constant(null),
      fc.boolean(),
      fc.double({ noNaN: true }),
      fc.string(),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.string(), tie('value'), { maxKeys: 3 }),
    ),
  })).value;
  fc.assert(
    fc.property(
      fc.dictionary(fc.string(), json, { maxKeys: 3 }),
      fc.array(fc.oneof(fc.dictionary(fc.string(), json, { maxKeys: 4 }), json), { maxLength: 4 }),
      fc.boolean(),
      (top, executions, before) => {
        const doc = (before ? { executions, version: 1, ...top } : { version: 1, ...top, executions }) as unknown as ExecutionsFile;
        assert.equal([...serializeExecutionsPieces(doc)].join(''), serializeExecutions(doc));
      },
    ),
    { seed: 7, numRuns: 500 },
  );
});
