import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ExecutionsFile, IncompleteExecution } from '../../src/core/executions/model';
import { ExecutionsFileError } from '../../src/core/executions/fileError';
import { parseExecutionsText } from '../../src/core/executions/validate';
import { holdFileLock } from '../../src/core/executions/lock';
import { contentHash, loadExecutions, saveIfUnchanged, serializeExecutions, updateExecutions } from '../../src/core/executions/store';

const F = 'ws/.fusion/incomplete-executions.json';

function record(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
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
    history: [{ at: '2026-11-20T10:01:00.000Z', action: 'retry', result: 'failed', error: 'ConnectionError' }],
    ...extra,
  };
}

function text(records: unknown[], top: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ version: 1, ...top, executions: records }, null, 2)}\n`;
}

function fail(t: string): ExecutionsFileError {
  const r = parseExecutionsText(t, F);
  assert.equal(r.ok, false, 'expected a validation error');
  if (r.ok) throw new Error('unreachable');
  assert.ok(r.error instanceof ExecutionsFileError);
  assert.equal(r.error.file, F);
  assert.ok(!r.error.message.includes('\n'), 'one-line message');
  return r.error;
}

/** 1-based line of the first occurrence of `needle` (nth occurrence with `nth`). */
function lineOf(t: string, needle: string, nth = 1): number {
  let i = -1;
  for (let k = 0; k < nth; k++) i = t.indexOf(needle, i + 1);
  assert.ok(i >= 0, `${needle} occurs`);
  return t.slice(0, i).split('\n').length;
}

async function tmpDir(): Promise<string> {
  return fsp.mkdtemp(path.join(os.tmpdir(), 'fie-store-'));
}

describe('parseExecutionsText: JSON syntax', () => {
  test('reports line and column of the first syntax error', () => {
    const t = '{\n  "version": 1,\n  "executions": [\n    { "id": "a", }\n  ]\n}\n';
    const e = fail(t);
    assert.equal(e.code, 'SYNTAX');
    assert.equal(e.line, 4);
    assert.equal(e.column, 18); // the "}" after the trailing comma
    assert.match(e.message, /^ws\/\.fusion\/incomplete-executions\.json:4:18: invalid JSON: /);
  });

  test('unterminated document points at the end', () => {
    const t = '{\n  "version": 1,\n  "executions": [\n';
    const e = fail(t);
    assert.equal(e.code, 'SYNTAX');
    assert.equal(e.line, 4);
    assert.equal(e.column, 1);
  });

  test('comments are not JSON', () => {
    const e = fail('{\n  // note\n  "version": 1, "executions": []\n}');
    assert.equal(e.line, 2);
    assert.equal(e.column, 3);
    assert.match(e.detail, /comments are not allowed/);
  });

  test('empty and whitespace-only files get a clear message', () => {
    for (const t of ['', '   \n\n', '\uFEFF']) {
      const e = fail(t);
      assert.equal(e.code, 'SYNTAX');
      assert.match(e.detail, /the file is empty/);
    }
  });

  test('binary garbage is a syntax error, not a throw', () => {
    const garbage = Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x01, 0x80, 0x22]).toString('utf8');
    const e = fail(garbage);
    assert.equal(e.code, 'SYNTAX');
    assert.equal(e.line, 1);
  });

  test('a leading UTF-8 BOM is allowed; positions ignore it', () => {
    const ok = parseExecutionsText(`\uFEFF${text([record('a')])}`, F);
    assert.equal(ok.ok, true);
    const e = fail('\uFEFF{"version": 1, "executions": [}');
    assert.equal(e.line, 1);
    assert.equal(e.column, 31);
  });

  test('CRLF line endings count as one line break', () => {
    const e = fail('{\r\n"version": 1,\r\n"executions": [\r\n  1,,\r\n]}');
    assert.equal(e.line, 4);
    assert.equal(e.column, 5);
  });
});

describe('parseExecutionsText: shape', () => {
  test('a JSON array at the top level', () => {
    const e = fail('[{"id": "a"}]');
    assert.equal(e.code, 'SHAPE');
    assert.match(e.detail, /top level must be an object .* found an array/);
    assert.equal(e.line, 1);
  });

  test('version must be 1', () => {
    const t = '{\n  "version": 2,\n  "executions": []\n}';
    const e = fail(t);
    assert.match(e.detail, /unsupported "version" 2/);
    assert.equal(e.line, 2);
    assert.equal(e.column, 3);
    assert.match(fail('{"executions": []}').detail, /"version" is required/);
  });

  test('executions must be an array', () => {
    const e = fail('{\n "version": 1,\n "executions": {}\n}');
    assert.match(e.detail, /"executions" must be an array, found an object/);
    assert.equal(e.line, 3);
  });

  // [name, fields of record "b", where the error must point (text, its occurrence, line offset), message]
  const cases: [string, Record<string, unknown>, [string, number, number], RegExp][] = [
    [
      'moduleId as a string',
      { moduleId: '2' },
      ['"moduleId"', 2, 0],
      /execution "b": "moduleId" must be a non-negative integer, found the string "2"/,
    ],
    ['moduleId as a fraction', { moduleId: 2.5 }, ['"moduleId"', 2, 0], /"moduleId" must be a non-negative integer, found the number 2.5/],
    [
      'unknown status',
      { status: 'done' },
      ['"status"', 2, 0],
      /"status" must be one of "unresolved", "pending", "in-progress", "resolved", found the string "done"/,
    ],
    ['error without type', { error: { message: 'x' } }, ['"error": {', 2, 0], /"error.type" is required/],
    [
      'error type wrong',
      { error: { type: 5, message: 'x' } },
      ['"type"', 2, 0],
      /"error.type" must be a non-empty string, found the number 5/,
    ],
    ['attempts negative', { attempts: -1 }, ['"attempts"', 2, 0], /"attempts" must be a non-negative integer/],
    ['history not an array', { history: {} }, ['"history"', 2, 0], /"history" must be an array, found an object/],
    [
      'history entry without action',
      { history: [{ at: '2026-01-01T00:00:00Z' }] },
      ['"at"', 2, -1],
      /history\[0\].action must be a string/,
    ],
    ['bad nextRetryAt', { nextRetryAt: 'tomorrow' }, ['"nextRetryAt"', 2, 0], /"nextRetryAt" must be an ISO date-time string or null/],
    ['scenario missing', { scenario: undefined }, ['"id": "b"', 1, -1], /execution "b": "scenario" is required/],
  ];
  for (const [name, extra, anchor, message] of cases) {
    test(`${name}: message and the line of the field or record`, () => {
      const t = text([record('a'), record('b', extra)]);
      const e = fail(t);
      assert.equal(e.code, 'SHAPE');
      assert.match(e.detail, message);
      const expected = lineOf(t, anchor[0], anchor[1]) + anchor[2];
      assert.equal(e.line, expected, `line of ${anchor[0]} in record b`);
      assert.ok(e.column !== undefined && e.column >= 1);
      assert.match(e.message, new RegExp(`^${F.replace(/\./g, '\\.')}:${expected}:\\d+: `));
    });
  }

  test('record that is not an object', () => {
    const t = text([record('a'), 42]);
    const e = fail(t);
    assert.match(e.detail, /executions\[1\] must be an object, found the number 42/);
    assert.equal(e.line, t.split('\n').findIndex((l) => l.trim() === '42') + 1);
  });

  test('duplicate ids point at the second one', () => {
    const t = text([record('a'), record('b'), record('a')]);
    const e = fail(t);
    assert.match(e.detail, /duplicate id "a" \(executions\[2\] repeats executions\[0\]\)/);
    assert.equal(e.line, lineOf(t, '"id": "a"', 2));
  });

  test('unknown fields are kept at the top level and in records and errors', () => {
    const t = text([record('a', { customerTag: 'vip', error: { type: 'DataError', message: 'm', statusCode: 422 } })], {
      exportedBy: 'me',
    });
    const r = parseExecutionsText(t, F);
    assert.ok(r.ok);
    assert.equal(r.doc.exportedBy, 'me');
    assert.equal(r.doc.executions[0].customerTag, 'vip');
    assert.equal(r.doc.executions[0].error.statusCode, 422);
  });

  test('optional fields get defaults in memory', () => {
    const minimal = {
      id: 'm',
      scenario: 'Lead sync',
      moduleId: 3,
      error: { type: 'DataError', message: 'bad' },
      status: 'unresolved',
      created: '2026-11-20T10:00:00.000Z',
    };
    const r = parseExecutionsText(text([minimal]), F);
    assert.ok(r.ok);
    const e = r.doc.executions[0];
    assert.equal(e.autoRetry, false);
    assert.equal(e.attempts, 0);
    assert.equal(e.maxAttempts, 0);
    assert.equal(e.nextRetryAt, null);
    assert.equal(e.updated, '2026-11-20T10:00:00.000Z');
    assert.deepEqual(e.history, []);
  });

  test('the spec example is valid', () => {
    const r = parseExecutionsText(text([record('ie-7f3a2c', { size: 412, bundle: { invoiceId: 1234 } })]), F);
    assert.ok(r.ok);
    assert.equal(r.doc.executions[0].size, 412);
  });
});

describe('load, update, save', () => {
  test('a change made by someone else between two updates of this process is seen, even with the same size', async () => {
    const dir = await tmpDir();
    const file = path.join(dir, 'x.json');
    await fsp.writeFile(file, text([record('a')]));
    // First update: this process now remembers the file as it wrote it.
    await updateExecutions(file, (doc) => ({
      doc: { ...doc, executions: [...doc.executions, record('b') as unknown as IncompleteExecution] },
      result: undefined,
    }));
    // Someone else rewrites it in place: same length (a -> c, b -> d), same inode.
    const written = await fsp.readFile(file, 'utf8');
    const edited = written.replace('"id": "a"', '"id": "c"').replace('"id": "b"', '"id": "d"');
    assert.equal(edited.length, written.length);
    await fsp.writeFile(file, edited);
    const ids = await updateExecutions(file, (doc) => ({ doc, result: doc.executions.map((e) => e.id) }));
    assert.deepEqual(ids, ['c', 'd'], "the second update works on the other writer's content");
    // And through an atomic replace (new inode), too.
    await fsp.writeFile(`${file}.tmp`, text([record('e')]));
    await fsp.rename(`${file}.tmp`, file);
    assert.deepEqual(await updateExecutions(file, (doc) => ({ doc, result: doc.executions.map((e) => e.id) })), ['e']);
    await fsp.rm(dir, { recursive: true, force: true });
  });

  test('missing file: ENOENT "not found"', async () => {
    const dir = await tmpDir();
    const file = path.join(dir, 'nope.json');
    await assert.rejects(
      loadExecutions(file),
      (e: unknown) => e instanceof ExecutionsFileError && e.code === 'ENOENT' && /not found/.test(e.message),
    );
    await assert.rejects(
      updateExecutions(file, (doc) => ({ doc, result: 0 })),
      (e: unknown) => e instanceof ExecutionsFileError && e.code === 'ENOENT',
    );
    await assert.rejects(fsp.access(file));
    await fsp.rm(dir, { recursive: true, force: true });
  });

  test('version is the sha256 of the bytes', async () => {
    const dir = await tmpDir();
    const file = path.join(dir, 'x.json');
    const t = text([record('a')]);
    await fsp.writeFile(file, t);
    const loaded = await loadExecutions(file);
    assert.equal(loaded.version, contentHash(Buffer.from(t)));
    assert.match(loaded.version, /^[0-9a-f]{64}$/);
    await fsp.rm(dir, { recursive: true, force: true });
  });

  test('create: makes the folder and the file, 2-space JSON and a trailing newline', async () => {
    const dir = await tmpDir();
    const file = path.join(dir, 'ws', '.fusion', 'incomplete-executions.json');
    const result = await updateExecutions(
      file,
      (doc) => ({ doc: { ...doc, executions: [...doc.executions, record('new') as unknown as IncompleteExecution] }, result: 'added' }),
      { create: true },
    );
    assert.equal(result, 'added');
    const written = await fsp.readFile(file, 'utf8');
    assert.ok(written.endsWith('}\n'));
    assert.ok(written.startsWith('{\n  "version": 1,\n  "executions": [\n    {\n      "id": "new"'));
    assert.deepEqual(
      (await loadExecutions(file)).doc.executions.map((e) => e.id),
      ['new'],
    );
    assert.deepEqual((await fsp.readdir(path.dirname(file))).sort(), ['incomplete-executions.json']);
    await fsp.rm(dir, { recursive: true, force: true });
  });

  test('create on an empty folder with no change still writes an empty document', async () => {
    const dir = await tmpDir();
    const file = path.join(dir, 'e.json');
    await updateExecutions(file, (doc) => ({ doc, result: undefined }), { create: true });
    assert.equal(await fsp.readFile(file, 'utf8'), '{\n  "version": 1,\n  "executions": []\n}\n');
    await fsp.rm(dir, { recursive: true, force: true });
  });

  test('unknown fields survive a write', async () => {
    const dir = await tmpDir();
    const file = path.join(dir, 'u.json');
    await fsp.writeFile(
      file,
      text([record('a', { ticket: 'OPS-12', error: { type: 'DataError', message: 'm', raw: { code: 7 } } }), record('b')], {
        team: 'finance',
      }),
    );
    await updateExecutions(file, (doc) => ({
      doc: { ...doc, executions: doc.executions.map((e) => (e.id === 'b' ? { ...e, status: 'resolved' as const } : e)) },
      result: undefined,
    }));
    const raw = JSON.parse(await fsp.readFile(file, 'utf8')) as { team: string; executions: Record<string, unknown>[] };
    assert.equal(raw.team, 'finance');
    assert.equal(raw.executions[0].ticket, 'OPS-12');
    assert.deepEqual((raw.executions[0].error as Record<string, unknown>).raw, { code: 7 });
    assert.equal(raw.executions[1].status, 'resolved');
    await fsp.rm(dir, { recursive: true, force: true });
  });

  test('an invalid file on disk is refused and left untouched', async () => {
    const dir = await tmpDir();
    const file = path.join(dir, 'bad.json');
    const bad = '{"version": 1, "executions": [ {"id": "a",} ]}';
    await fsp.writeFile(file, bad);
    let called = false;
    await assert.rejects(
      updateExecutions(
        file,
        (doc) => {
          called = true;
          return { doc, result: 0 };
        },
        { create: true },
      ),
      (e: unknown) => e instanceof ExecutionsFileError && e.code === 'SYNTAX' && e.line === 1,
    );
    assert.equal(called, false);
    assert.equal(await fsp.readFile(file, 'utf8'), bad);
    await fsp.rm(dir, { recursive: true, force: true });
  });

  test('a mutate that throws or returns an invalid document writes nothing', async () => {
    const dir = await tmpDir();
    const file = path.join(dir, 'm.json');
    const original = text([record('a')]);
    await fsp.writeFile(file, original);
    await assert.rejects(
      updateExecutions(file, () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    await assert.rejects(
      updateExecutions(file, (doc) => ({ doc: { ...doc, executions: [...doc.executions, doc.executions[0]] }, result: 0 })),
      (e: unknown) =>
        e instanceof ExecutionsFileError && e.code === 'SHAPE' && /refusing to write/.test(e.message) && /duplicate id "a"/.test(e.message),
    );
    await assert.rejects(
      updateExecutions(file, (doc) => ({
        doc: {
          ...doc,
          executions: [...doc.executions, { ...doc.executions[0], id: 'z', moduleId: 'two' } as unknown as IncompleteExecution],
        },
        result: 0,
      })),
      (e: unknown) => e instanceof ExecutionsFileError && e.code === 'SHAPE' && /"moduleId" must be a non-negative integer/.test(e.message),
    );
    assert.equal(await fsp.readFile(file, 'utf8'), original);
    // and the lock was released each time
    assert.equal(await updateExecutions(file, (doc) => ({ doc, result: 'free' })), 'free');
    await fsp.rm(dir, { recursive: true, force: true });
  });

  test('no change means no write; other formatting is normalized on the first write', async () => {
    const dir = await tmpDir();
    const file = path.join(dir, 'n.json');
    await fsp.writeFile(file, '{"version":1,"executions":[]}');
    await updateExecutions(file, (doc) => ({ doc, result: 0 }));
    const canonical = '{\n  "version": 1,\n  "executions": []\n}\n';
    assert.equal(await fsp.readFile(file, 'utf8'), canonical);
    const ino = (await fsp.stat(file)).ino;
    await updateExecutions(file, (doc) => ({ doc, result: 0 }));
    assert.equal((await fsp.stat(file)).ino, ino, 'an unchanged document is not replaced');
    await fsp.rm(dir, { recursive: true, force: true });
  });

  test('concurrent updates in one process are serialized and all kept', async () => {
    const dir = await tmpDir();
    const file = path.join(dir, 'c.json');
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        updateExecutions(
          file,
          (doc) => ({ doc: { ...doc, executions: [...doc.executions, record(`r${i}`) as unknown as IncompleteExecution] }, result: i }),
          { create: true },
        ),
      ),
    );
    const { doc } = await loadExecutions(file);
    assert.equal(doc.executions.length, 25);
    await fsp.rm(dir, { recursive: true, force: true });
  });

  test('saveIfUnchanged: saves when the version matches, refuses with CONFLICT otherwise', async () => {
    const dir = await tmpDir();
    const file = path.join(dir, 's.json');
    await fsp.writeFile(file, text([record('a'), record('b')]));
    const first = await loadExecutions(file);
    const edited: ExecutionsFile = { ...first.doc, executions: first.doc.executions.filter((e) => e.id !== 'b') };
    const v2 = await saveIfUnchanged(file, edited, first.version);
    assert.equal(v2, (await loadExecutions(file)).version);
    assert.deepEqual(
      (await loadExecutions(file)).doc.executions.map((e) => e.id),
      ['a'],
    );

    // Someone else writes in between: the stale snapshot must not overwrite it.
    await updateExecutions(file, (doc) => ({
      doc: { ...doc, executions: [...doc.executions, record('c') as unknown as IncompleteExecution] },
      result: 0,
    }));
    const before = await fsp.readFile(file, 'utf8');
    await assert.rejects(
      saveIfUnchanged(file, edited, v2),
      (e: unknown) => e instanceof ExecutionsFileError && e.code === 'CONFLICT' && /changed since it was loaded/.test(e.message),
    );
    assert.equal(await fsp.readFile(file, 'utf8'), before);

    await fsp.rm(file);
    await assert.rejects(saveIfUnchanged(file, edited, v2), (e: unknown) => e instanceof ExecutionsFileError && e.code === 'ENOENT');
    await fsp.rm(dir, { recursive: true, force: true });
  });

  test('a lock held by a live process: LOCKED after the timeout, file untouched', async () => {
    const dir = await tmpDir();
    const file = path.join(dir, 'l.json');
    const original = text([record('a')]);
    await fsp.writeFile(file, original);
    const { release } = await holdFileLock(await fsp.realpath(file));
    try {
      const started = Date.now();
      await assert.rejects(
        updateExecutions(file, (doc) => ({ doc: { ...doc, executions: [] }, result: 0 }), { lockTimeoutMs: 300 }),
        (e: unknown) => e instanceof ExecutionsFileError && e.code === 'LOCKED' && /locked by another process/.test(e.message),
      );
      assert.ok(Date.now() - started >= 300);
    } finally {
      await release();
    }
    assert.equal(await fsp.readFile(file, 'utf8'), original);
    await fsp.rm(dir, { recursive: true, force: true });
  });

  test('an abandoned lock without an owner record is broken once stale', async () => {
    const dir = await tmpDir();
    const file = path.join(dir, 'st.json');
    await fsp.writeFile(file, text([]));
    // e.g. left by a writer on another machine sharing the folder
    await fsp.mkdir(`${file}.lock`);
    const old = new Date(Date.now() - 60_000);
    await fsp.utimes(`${file}.lock`, old, old);
    const r = await updateExecutions(
      file,
      (doc) => ({ doc: { ...doc, executions: [record('x') as unknown as IncompleteExecution] }, result: 'ok' }),
      { staleMs: 2000 },
    );
    assert.equal(r, 'ok');
    assert.equal((await loadExecutions(file)).doc.executions.length, 1);
    await assert.rejects(fsp.access(`${file}.lock`));
    await fsp.rm(dir, { recursive: true, force: true });
  });

  test('serializeExecutions is stable 2-space JSON', () => {
    assert.equal(serializeExecutions({ version: 1, executions: [] }), '{\n  "version": 1,\n  "executions": []\n}\n');
  });
});

describe('the sample executions file', () => {
  const root = path.resolve(__dirname, '..', '..', '..', 'samples');
  test('is valid, mixes statuses, and points at real scenario modules', async () => {
    const { doc } = await loadExecutions(path.join(root, '.fusion', 'incomplete-executions.json'));
    assert.deepEqual([...new Set(doc.executions.map((e) => e.status))].sort(), ['pending', 'resolved', 'unresolved']);
    assert.ok(doc.executions.some((e) => e.status === 'pending' && e.nextRetryAt !== null));
    assert.ok(
      doc.executions.some((e) => Object.keys(e).includes('ticket')),
      'one unknown field shows that they are kept',
    );
    for (const e of doc.executions) {
      assert.ok(e.scenarioFile, `${e.id} has a scenarioFile`);
      const yaml = await fsp.readFile(path.join(root, e.scenarioFile), 'utf8');
      assert.match(yaml, new RegExp(`^name: ${e.scenario}$`, 'm'), `${e.id}: scenario name matches ${e.scenarioFile}`);
      assert.match(
        yaml,
        new RegExp(`- id: ${e.moduleId}\\n\\s+app: [^\\n]+\\n\\s+name: ${e.moduleName}`),
        `${e.id}: module ${e.moduleId} "${e.moduleName}" exists`,
      );
    }
  });
});
