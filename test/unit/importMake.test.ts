import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ExecutionsFile, IncompleteExecution } from '../../src/core/executions/model';
import { errorFromReason, importMakeResponses } from '../../src/core/make/importExport';
import { loadExecutions, serializeExecutions, updateExecutions } from '../../src/core/executions/store';
import { parseExecutionsText } from '../../src/core/executions/validate';
import { MakeImportError } from '../../src/core/make/importError';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'make-api');
const NOW = new Date('2026-11-22T12:00:00.000Z');
const LATER = new Date('2026-11-23T12:00:00.000Z');
const INVOICE = '6d2f8b14e9a04c7b9e3a5c1d0f8b2e61';
const LEAD = '9d4e2a1b7c3f4e8a8b6d0c5f1e2a3b4c';

function input(name: string): { file: string; text: string } {
  const file = path.join(FIXTURES, name);
  return { file, text: readFileSync(file, 'utf8') };
}

const empty = (): ExecutionsFile => ({ version: 1, executions: [] });

function byId(doc: ExecutionsFile, id: string): IncompleteExecution {
  const r = doc.executions.find((e) => e.id === id);
  assert.ok(r, `record ${id}`);
  return r;
}

/** The result must be a valid executions file (round trip through the validator). */
function assertValid(doc: ExecutionsFile): void {
  const r = parseExecutionsText(serializeExecutions(doc), 'out.json');
  assert.ok(r.ok, r.ok ? '' : r.error.message);
}

function rejects(fn: () => unknown, file: string, pattern: RegExp, line?: number): MakeImportError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof MakeImportError, `expected a MakeImportError, got ${String(caught)}`);
  assert.equal(caught.file, file);
  assert.ok(caught.message.startsWith(file), 'the message names the file');
  assert.match(caught.message, pattern);
  assert.ok(!caught.message.includes('\n'));
  if (line !== undefined) assert.equal(caught.line, line);
  return caught;
}

describe('importMakeResponses: shapes', () => {
  test('list: statuses from resolved/retry, error from reason, Make fields kept', () => {
    const { doc, summary } = importMakeResponses(empty(), [input('list-invoice-export.json')], NOW);
    assert.deepEqual(
      { added: summary.added, updated: summary.updated, unchanged: summary.unchanged },
      { added: 3, updated: 0, unchanged: 0 },
    );
    assertValid(doc);
    const pending = byId(doc, INVOICE);
    assert.equal(pending.status, 'pending');
    assert.equal(pending.autoRetry, true);
    assert.equal(pending.attempts, 2);
    assert.equal(pending.maxAttempts, 8);
    assert.deepEqual(pending.error, { type: 'ConnectionError', message: 'read ECONNRESET' });
    assert.equal(pending.size, 412);
    assert.equal(pending.created, '2026-11-20T10:00:03.118Z');
    assert.equal(pending.updated, NOW.toISOString());
    assert.equal(pending.moduleId, 0, 'a list entry does not name the module');
    assert.equal(pending.scenario, 'Unknown Make scenario');
    assert.deepEqual(pending.history, [{ at: NOW.toISOString(), action: 'import', note: 'Imported from Make (list-invoice-export.json)' }]);
    assert.deepEqual(pending.make, {
      id: INVOICE,
      reason: 'ConnectionError: read ECONNRESET',
      created: '2026-11-20T10:00:03.118Z',
      size: 412,
      resolved: false,
      retry: true,
      attempts: 2,
    });
    const unresolved = byId(doc, '5c1d93e0b7a44f6e9a1f2d7c8b3e4f10');
    assert.equal(unresolved.status, 'unresolved');
    assert.equal(unresolved.autoRetry, false);
    assert.equal(unresolved.error.type, 'UnknownError');
    assert.match(unresolved.error.message, /has no PDF attachment/);
    const resolved = byId(doc, 'e2b8f4a61c0d4b7f8e5a9c3d2f1b0a77');
    assert.equal(resolved.status, 'resolved');
    assert.equal(resolved.nextRetryAt, null);
    assert.deepEqual(resolved.error, { type: 'RateLimitError', message: '[429] Too Many Requests' });
  });

  test('detail: scenario, failer object (id and name), executionId', () => {
    const { doc } = importMakeResponses(empty(), [input(`detail-${INVOICE}.json`)], NOW);
    assertValid(doc);
    const r = byId(doc, INVOICE);
    assert.equal(r.scenario, 'Invoice export');
    assert.equal(r.moduleId, 2);
    assert.equal(r.moduleName, 'Fetch invoice PDF');
    assert.equal((r.make as Record<string, unknown>).executionId, '8f1c2b7e4d9a4c0e9b6f3a1d5e7c2b48');
    assert.equal((r.make as Record<string, unknown>).scenarioId, 4211873);
  });

  test('detail: failer as a numeric string, scenarioId as a string', () => {
    const { doc } = importMakeResponses(empty(), [input('detail-lead-sync.json')], NOW);
    const r = byId(doc, LEAD);
    assert.equal(r.moduleId, 3);
    assert.equal(r.scenario, 'Lead sync');
    assert.equal(r.status, 'unresolved');
    assert.deepEqual(r.error, { type: 'InvalidAccessTokenError', message: 'The access token expired' });
  });

  test('failer variants: number, junk, missing', () => {
    const mk = (failer: unknown): IncompleteExecution => {
      const text = JSON.stringify({
        dlq: { id: 'abcd1234', scenarioName: 'S', reason: 'DataError: x', resolved: false, retry: false, failer },
      });
      return importMakeResponses(empty(), [{ file: 'd.json', text }], NOW).doc.executions[0];
    };
    assert.equal(mk(7).moduleId, 7);
    assert.equal(mk({ id: '12' }).moduleId, 12);
    assert.equal(mk('not-a-number').moduleId, 0);
    assert.equal(mk(null).moduleId, 0);
    assert.equal(mk(-3).moduleId, 0);
    assert.equal(mk({ name: 'only a name' }).moduleName, 'only a name');
  });

  test('bundle matched by file name: its failing module gives the error type and module', () => {
    const { doc, summary } = importMakeResponses(empty(), [input('list-invoice-export.json'), input(`${INVOICE}.bundle.json`)], NOW);
    assert.equal(summary.added, 3);
    assertValid(doc);
    const r = byId(doc, INVOICE);
    assert.equal(r.moduleId, 2, 'from the bundle: module 2 carries the error');
    assert.equal(r.error.type, 'ConnectionError');
    assert.equal(r.error.message, 'read ECONNRESET');
    assert.deepEqual((r.bundle as Record<string, Record<string, unknown>>)['1'].invoiceId, 88230);
    assert.match(String(r.history[0].note), /list-invoice-export\.json, 6d2f.*\.bundle\.json/);
  });

  test('bundle matched by a dlqId field', () => {
    const { doc } = importMakeResponses(empty(), [input('bundle-with-dlqid.json'), input('detail-lead-sync.json')], NOW);
    const r = byId(doc, LEAD);
    assert.deepEqual(r.error, { type: 'InvalidAccessTokenError', message: 'The access token expired (HTTP 401)' });
    assert.equal((r.bundle as Record<string, Record<string, unknown>>)['1'].email, 'ana.lima@example.com');
  });

  test('bundle matched to the single detail of the same import', () => {
    const bundle = {
      file: 'bundle.json',
      text: JSON.stringify({ response: { '4': { error: { type: 'DataError', message: 'bad date' } } } }),
    };
    const { doc } = importMakeResponses(empty(), [input('detail-lead-sync.json'), bundle], NOW);
    const r = byId(doc, LEAD);
    assert.equal(r.error.type, 'DataError');
    assert.equal(r.moduleId, 3, 'failer wins over the bundle for the module id');
  });

  test('bundle for a record already in the file', () => {
    const first = importMakeResponses(empty(), [input('detail-lead-sync.json')], NOW).doc;
    const { doc, summary } = importMakeResponses(
      first,
      [{ file: `${LEAD}-bundle.json`, text: input('bundle-with-dlqid.json').text }],
      LATER,
    );
    assert.equal(summary.updated, 1);
    const r = byId(doc, LEAD);
    assert.equal(r.error.message, 'The access token expired (HTTP 401)');
    assert.equal(r.updated, LATER.toISOString());
    assert.equal(r.history.length, 2);
    assert.match(String(r.history[1].note), /bundle/);
  });

  test('an array of responses in one file', () => {
    const text = JSON.stringify([JSON.parse(input('detail-lead-sync.json').text), JSON.parse(input('bundle-with-dlqid.json').text)]);
    const { summary } = importMakeResponses(empty(), [{ file: 'all.json', text }], NOW);
    assert.equal(summary.added, 1);
  });

  test('a BOM is fine', () => {
    const { summary } = importMakeResponses(empty(), [{ file: 'b.json', text: `\uFEFF${input('detail-lead-sync.json').text}` }], NOW);
    assert.equal(summary.added, 1);
  });

  test('errorFromReason', () => {
    assert.deepEqual(errorFromReason('ModuleTimeoutError: timed out after 40s'), {
      type: 'ModuleTimeoutError',
      message: 'timed out after 40s',
    });
    assert.deepEqual(errorFromReason('DataError'), { type: 'DataError', message: 'DataError' });
    assert.deepEqual(errorFromReason('[ConnectionError] ETIMEDOUT'), { type: 'ConnectionError', message: 'ETIMEDOUT' });
    assert.deepEqual(errorFromReason('Something broke'), { type: 'UnknownError', message: 'Something broke' });
  });
});

describe('importMakeResponses: merge and idempotence', () => {
  const all = (): { file: string; text: string }[] => [
    input('list-invoice-export.json'),
    input(`detail-${INVOICE}.json`),
    input(`${INVOICE}.bundle.json`),
    input('detail-lead-sync.json'),
    input('bundle-with-dlqid.json'),
  ];

  test('importing the same data again changes nothing', () => {
    const first = importMakeResponses(empty(), all(), NOW);
    assert.equal(first.summary.added, 4);
    const again = importMakeResponses(first.doc, all(), LATER);
    assert.deepEqual(
      { added: again.summary.added, updated: again.summary.updated, unchanged: again.summary.unchanged },
      { added: 0, updated: 0, unchanged: 4 },
    );
    assert.equal(again.doc, first.doc, 'the very same document comes back');
    assert.equal(serializeExecutions(again.doc), serializeExecutions(first.doc));
    // A partial re-import (list only) does not undo what the detail and bundle said.
    const listOnly = importMakeResponses(first.doc, [input('list-invoice-export.json')], LATER);
    assert.equal(listOnly.summary.updated, 0);
    assert.equal(listOnly.summary.unchanged, 3);
    assert.equal(byId(listOnly.doc, INVOICE).moduleId, 2);
    assert.equal(byId(listOnly.doc, INVOICE).scenario, 'Invoice export');
  });

  test('a changed status updates the record once, with one history entry', () => {
    const first = importMakeResponses(empty(), all(), NOW).doc;
    const list = JSON.parse(input('list-invoice-export.json').text) as { dlqs: Record<string, unknown>[] };
    list.dlqs[0].resolved = true;
    list.dlqs[0].retry = false;
    list.dlqs[0].attempts = 3;
    const { doc, summary } = importMakeResponses(first, [{ file: 'list2.json', text: JSON.stringify(list) }], LATER);
    assert.deepEqual(summary.updatedIds, [INVOICE]);
    assert.equal(summary.unchanged, 2);
    const r = byId(doc, INVOICE);
    assert.equal(r.status, 'resolved');
    assert.equal(r.autoRetry, false);
    assert.equal(r.attempts, 3);
    assert.equal(r.nextRetryAt, null);
    assert.equal(r.error.type, 'ConnectionError', 'the bundle error is kept');
    assert.equal(r.history.length, 2);
    assert.match(String(r.history[1].note), /status "pending" → "resolved", attempts 2 → 3/);
    const again = importMakeResponses(doc, [{ file: 'list2.json', text: JSON.stringify(list) }], new Date('2026-11-24T00:00:00Z'));
    assert.equal(again.summary.updated, 0);
    assert.equal(byId(again.doc, INVOICE).history.length, 2, 'no history spam');
  });

  test('local fields and unknown fields of existing records are kept', () => {
    const first = importMakeResponses(empty(), [input('detail-lead-sync.json')], NOW).doc;
    const edited: ExecutionsFile = {
      ...first,
      team: 'sales-ops',
      executions: first.executions.map((e) => ({ ...e, scenarioFile: 'scenarios/lead-sync.scenario.yaml', ticket: 'OPS-7' })),
    };
    const { doc, summary } = importMakeResponses(edited, [input('detail-lead-sync.json')], LATER);
    assert.equal(summary.unchanged, 1);
    assert.equal(doc.team, 'sales-ops');
    assert.equal(byId(doc, LEAD).ticket, 'OPS-7');
    assert.equal(byId(doc, LEAD).scenarioFile, 'scenarios/lead-sync.scenario.yaml');
  });

  test('end to end through updateExecutions: re-import leaves the file byte-identical', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'fie-import-'));
    const file = path.join(dir, '.fusion', 'incomplete-executions.json');
    try {
      const s1 = await updateExecutions(
        file,
        (doc) => {
          const r = importMakeResponses(doc, all(), NOW);
          return { doc: r.doc, result: r.summary };
        },
        { create: true },
      );
      assert.equal(s1.added, 4);
      const bytes = await fsp.readFile(file, 'utf8');
      const s2 = await updateExecutions(file, (doc) => {
        const r = importMakeResponses(doc, all(), LATER);
        return { doc: r.doc, result: r.summary };
      });
      assert.equal(s2.unchanged, 4);
      assert.equal(await fsp.readFile(file, 'utf8'), bytes);
      assert.equal((await loadExecutions(file)).doc.executions.length, 4);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('importMakeResponses: malformed input', () => {
  test('truncated JSON: syntax error with the file and the position', () => {
    const i = input('truncated-detail.json');
    const e = rejects(() => importMakeResponses(empty(), [i], NOW), i.file, /invalid JSON/);
    assert.equal(e.code, 'SYNTAX');
    assert.equal(e.line, 6, 'the end of the cut-off file');
  });

  test('a wrong field type points at the field', () => {
    const i = input('malformed-list.json');
    const e = rejects(
      () => importMakeResponses(empty(), [i], NOW),
      i.file,
      /dlqs\[0\] \(id "0f9e8d7c6b5a49382716f5e4d3c2b1a0"\): "resolved" must be true or false/,
    );
    assert.equal(e.line, 8);
    assert.equal(e.code, 'SHAPE');
  });

  test('an API error body is named as such', () => {
    const i = input('error-response.json');
    rejects(() => importMakeResponses(empty(), [i], NOW), i.file, /a Make API error response \(IM005: Not found\)/, 1);
  });

  test('other shapes', () => {
    rejects(
      () => importMakeResponses(empty(), [{ file: 'x.json', text: '{"scenarios": []}' }], NOW),
      'x.json',
      /not a Make API incomplete-executions response/,
    );
    rejects(() => importMakeResponses(empty(), [{ file: 'x.json', text: '' }], NOW), 'x.json', /empty/);
    rejects(() => importMakeResponses(empty(), [{ file: 'x.json', text: '[]' }], NOW), 'x.json', /empty array/);
    rejects(() => importMakeResponses(empty(), [{ file: 'x.json', text: '"dlqs"' }], NOW), 'x.json', /not a Make API response/);
    rejects(() => importMakeResponses(empty(), [{ file: 'x.json', text: '{"dlqs": {}}' }], NOW), 'x.json', /"dlqs" must be an array/);
    rejects(
      () => importMakeResponses(empty(), [{ file: 'x.json', text: '{"dlqs": [{"reason": "x"}]}' }], NOW),
      'x.json',
      /"id" is missing/,
    );
    rejects(
      () => importMakeResponses(empty(), [{ file: 'x.json', text: '{"dlq": {"id": "abcd", "created": "yesterday"}}' }], NOW),
      'x.json',
      /"created" must be an ISO date-time/,
    );
    rejects(
      () => importMakeResponses(empty(), [{ file: 'x.json', text: '{"response": []}' }], NOW),
      'x.json',
      /"response" must be an object/,
    );
  });

  test('a bundle that cannot be matched to a record', () => {
    const bundle = { file: 'bundle.json', text: '{"response": {"2": {"error": {"type": "DataError", "message": "x"}}}}' };
    rejects(
      () => importMakeResponses(empty(), [bundle], NOW),
      'bundle.json',
      /cannot tell which incomplete execution this bundle belongs to/,
      1,
    );
    const withId = { file: 'bundle.json', text: '{"dlqId": "ffff0000", "response": {}}' };
    rejects(
      () => importMakeResponses(empty(), [withId], NOW),
      'bundle.json',
      /"ffff0000", which is neither in this import nor in the executions file/,
    );
  });

  test('one bad input in a batch: nothing is imported and the file is untouched', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'fie-import-'));
    const file = path.join(dir, 'ie.json');
    try {
      const original = serializeExecutions(importMakeResponses(empty(), [input('detail-lead-sync.json')], NOW).doc);
      await fsp.writeFile(file, original);
      const bad = input('malformed-list.json');
      await assert.rejects(
        updateExecutions(file, (doc) => {
          const r = importMakeResponses(doc, [input('list-invoice-export.json'), bad], LATER);
          return { doc: r.doc, result: r.summary };
        }),
        (e: unknown) => e instanceof MakeImportError && e.file === bad.file,
      );
      assert.equal(await fsp.readFile(file, 'utf8'), original);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});
