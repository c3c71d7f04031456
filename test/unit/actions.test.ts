/**
 * The executions actions (core/executions/actions), the one implementation of each use case that
 * the CLI and the extension call: what they report per record, whether they wrote the file, and
 * the scenario files they read through an injected reader (the extension's source).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { importAction } from '../../src/core/executions/actions/import';
import { resolveAction } from '../../src/core/executions/actions/resolve';
import { retryAction } from '../../src/core/executions/actions/retry';
import { simulateAction } from '../../src/core/executions/actions/simulate';
import type { ExecutionsFile, IncompleteExecution } from '../../src/core/executions/model';
import type { ScenarioFileSource } from '../../src/core/executions/scenarioFiles';
import { MakeImportError } from '../../src/core/make/importError';

const SCENARIO = `name: Invoice export
modules:
  - id: 1
    app: workfront:watchEvents
  - id: 2
    app: http:makeRequest
    onError:
      errors: [ConnectionError]
      directive: break
      autoComplete: true
simulation:
  bundles: 2
  faults:
    - module: 2
      error: ConnectionError
      bundles: [2]
      recoverAfter: 1
`;

const NOW = new Date('2026-11-20T12:00:00.000Z');
const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-actions-'));
  dirs.push(d);
  return d;
}

function record(id: string, extra: Partial<IncompleteExecution> = {}): IncompleteExecution {
  return {
    id,
    scenario: 'Invoice export',
    moduleId: 2,
    error: { type: 'ConnectionError', message: 'reset' },
    status: 'pending',
    autoRetry: true,
    attempts: 0,
    maxAttempts: 3,
    nextRetryAt: '2026-11-20T10:15:00.000Z',
    created: '2026-11-20T10:00:00.000Z',
    updated: '2026-11-20T10:00:00.000Z',
    bundleNumber: 2,
    history: [],
    ...extra,
  };
}

function writeDoc(dir: string, executions: IncompleteExecution[]): string {
  const file = path.join(dir, 'ie.json');
  fs.writeFileSync(file, `${JSON.stringify({ version: 1, executions }, null, 2)}\n`);
  return file;
}

const readDoc = (file: string): ExecutionsFile => JSON.parse(fs.readFileSync(file, 'utf8')) as ExecutionsFile;

/** An injected reader over in-memory files, recording what was read. */
function reader(files: Record<string, string>, read: string[]): ScenarioFileSource {
  return {
    kind: 'reader',
    reader: {
      findFiles: () => Promise.resolve(Object.keys(files)),
      readFile: (rel) => {
        read.push(rel);
        return Promise.resolve(files[rel]);
      },
    },
  };
}

describe('actions: retry', () => {
  test('by ids, through an injected reader: the scenario is found by name and the outcome written', async () => {
    const file = writeDoc(tempDir(), [record('ie-1'), record('ie-2', { status: 'resolved' })]);
    const read: string[] = [];
    const out = await retryAction({
      executionsFile: file,
      scenarioFiles: reader({ 'flows/invoices.scenario.yaml': SCENARIO, 'notes.md': '# not a scenario' }, read),
      select: { ids: ['ie-1', 'ie-2', 'ie-3'] },
      clock: () => NOW,
    });
    assert.deepEqual(
      out.results.map((r) => [r.id, r.result]),
      [
        ['ie-1', 'resolved'],
        ['ie-2', 'skipped'],
        ['ie-3', 'not-found'],
      ],
    );
    assert.equal(out.written, true);
    assert.deepEqual(read, ['flows/invoices.scenario.yaml'], 'only the scenario files the core accepts are read');
    assert.deepEqual(
      out.lookups.map((l) => [l.id, l.kind, l.path]),
      [
        ['ie-1', 'by-name', 'flows/invoices.scenario.yaml'],
        ['ie-2', 'by-name', 'flows/invoices.scenario.yaml'],
      ],
    );
    const doc = readDoc(file);
    assert.equal(doc.executions[0].status, 'resolved');
    assert.equal(doc.executions[0].history.at(-1)?.at, NOW.toISOString());
  });

  test('a record whose own scenarioFile the globs do not match is still read for it', async () => {
    const file = writeDoc(tempDir(), [record('ie-1', { scenarioFile: 'odd/invoices.yaml' })]);
    const read: string[] = [];
    const out = await retryAction({
      executionsFile: file,
      scenarioFiles: reader({ 'odd/invoices.yaml': SCENARIO }, read),
      select: { ids: ['ie-1'] },
    });
    assert.deepEqual(
      out.lookups.map((l) => [l.kind, l.path]),
      [['by-file', 'odd/invoices.yaml']],
    );
    assert.equal(out.results[0].result, 'resolved');
  });

  test('all of a scenario: the retryable records (unresolved, pending) only', async () => {
    const file = writeDoc(tempDir(), [
      record('ie-1'),
      record('ie-2', { status: 'in-progress' }),
      record('ie-3', { status: 'resolved' }),
      record('ie-4', { scenario: 'Other' }),
      record('ie-5', { status: 'unresolved', autoRetry: false }),
    ]);
    const out = await retryAction({
      executionsFile: file,
      scenarioFiles: reader({ 'invoices.scenario.yaml': SCENARIO }, []),
      select: { all: true, scenario: 'Invoice export' },
    });
    assert.deepEqual(
      out.results.map((r) => r.id),
      ['ie-1', 'ie-5'],
    );
  });
});

describe('actions: resolve, import, simulate', () => {
  test('resolve says per record what happened and whether the file was written', async () => {
    const file = writeDoc(tempDir(), [record('ie-1')]);
    const first = await resolveAction({ executionsFile: file, ids: ['ie-1'], note: '  fixed by hand ' });
    assert.deepEqual([first.results[0].result, first.written], ['resolved', true]);
    assert.equal(readDoc(file).executions[0].history.at(-1)?.note, 'fixed by hand');
    const before = fs.readFileSync(file, 'utf8');
    const again = await resolveAction({ executionsFile: file, ids: ['ie-1'] });
    assert.deepEqual([again.results[0].result, again.results[0].message, again.written], ['skipped', 'ie-1 is already resolved.', false]);
    assert.equal(fs.readFileSync(file, 'utf8'), before);
  });

  test('import refuses a malformed input before it creates the executions file', async () => {
    const dir = tempDir();
    const file = path.join(dir, '.fusion', 'ie.json');
    await assert.rejects(
      importAction({ executionsFile: file, inputs: [{ file: 'dlqs.json', text: '{"dlqs": [ {"id": "x", } ' }] }),
      (e: unknown) => {
        assert.ok(e instanceof MakeImportError, String(e));
        assert.equal(e.file, 'dlqs.json');
        assert.equal(e.code, 'SYNTAX');
        return true;
      },
    );
    assert.equal(fs.existsSync(path.join(dir, '.fusion')), false);
    const ok = await importAction({
      executionsFile: file,
      inputs: [{ file: 'dlqs.json', text: '{"dlqs": [{"id": "abcd1234", "reason": "DataError: bad"}]}' }],
      now: NOW,
    });
    assert.deepEqual([ok.summary.added, ok.written], [1, true]);
    const same = await importAction({
      executionsFile: file,
      inputs: [{ file: 'dlqs.json', text: '{"dlqs": [{"id": "abcd1234", "reason": "DataError: bad"}]}' }],
      now: NOW,
    });
    assert.deepEqual([same.summary.unchanged, same.written], [1, false]);
  });

  test('simulate stores only when asked, and refuses a scenario with a structural problem', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'ie.json');
    const dry = await simulateAction({ file: 'x.scenario.yaml', text: SCENARIO, clock: () => NOW });
    assert.ok(dry.kind === 'simulated' && !dry.stored && dry.report.executions.length === 1);
    assert.equal(fs.existsSync(file), false);
    const stored = await simulateAction({
      file: 'x.scenario.yaml',
      text: SCENARIO,
      scenarioFile: 'x.scenario.yaml',
      store: { executionsFile: file },
    });
    assert.ok(stored.kind === 'simulated' && stored.stored);
    assert.deepEqual(
      readDoc(file).executions.map((x) => x.scenarioFile),
      ['x.scenario.yaml'],
    );
    const broken = await simulateAction({
      file: 'x.scenario.yaml',
      text: SCENARIO.replace('simulation:', '  - id: 2\n    app: x:y\nsimulation:'),
      store: { executionsFile: file },
    });
    assert.equal(broken.kind, 'unusable');
    assert.ok(broken.kind === 'unusable' && broken.structural[0]?.code === 'duplicate-module-id', JSON.stringify(broken));
    assert.equal(readDoc(file).executions.length, 1);
  });
});
