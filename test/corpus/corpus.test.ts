/**
 * The corpus suite (`npm run test:corpus`): every real export of `../shared/corpus/blueprints/**`
 * and `../shared/fixtures/blueprints/`, plus the hand-written shapes of test/fixtures/corpus-shapes,
 * is linted, each of its modules classified with three error types in both profiles, and converted
 * blueprint → YAML → blueprint → YAML.
 *
 * Always asserted: nothing throws, no finding reports an internal error or carries a stack trace,
 * every classification gives an outcome, a conversion either works or is refused with
 * `file:line:col`. Gated by KNOWN_GAPS (knownGaps.ts): no `invalid-scenario` on a valid export,
 * every module object of the raw JSON known to the model, stable round trips.
 *
 * The corpus is third-party data read at run time from `../shared` (beside the repository; override
 * with FUSION_SHARED_DIR); without it the real-export part is reported as skipped.
 */
import { after, describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KNOWN_GAPS } from './knownGaps';
import type { GatedCheck } from './knownGaps';
import { listFiles, runFile, summaryTable } from './corpusRun';
import type { FileResult } from './corpusRun';

const ROOT = path.resolve(__dirname, '../../..');
const SHARED = process.env.FUSION_SHARED_DIR ? path.resolve(process.env.FUSION_SHARED_DIR) : path.resolve(ROOT, '..', 'shared');
const CORPUS = path.join(SHARED, 'corpus', 'blueprints');
const SHARED_FIXTURES = path.join(SHARED, 'fixtures', 'blueprints');
const SHAPES = path.join(ROOT, 'test', 'fixtures', 'corpus-shapes');

const hasCorpus = fs.existsSync(CORPUS);
const results: FileResult[] = [];
const gapsSeen = new Set<string>();
const gapKey = (file: string, check: GatedCheck): string => `${file}\u0000${check}`;

interface Source {
  readonly prefix: string;
  readonly dir: string;
  readonly filter?: (rel: string) => boolean;
}

const sources: Source[] = [{ prefix: 'shapes', dir: SHAPES, filter: (rel) => rel.endsWith('.json') }];
if (hasCorpus) {
  sources.push({ prefix: 'corpus', dir: CORPUS });
  if (fs.existsSync(SHARED_FIXTURES)) sources.push({ prefix: 'fixtures', dir: SHARED_FIXTURES, filter: (rel) => rel.endsWith('.json') });
}

/** The gated checks for one file: undefined = does not apply, else the failure text ('' = passes). */
function gatedChecks(r: FileResult): Partial<Record<GatedCheck, string>> {
  const out: Partial<Record<GatedCheck, string>> = {};
  const validExport = r.jsonValid && r.kind !== undefined;
  if (validExport) {
    const n = r.findings['invalid-scenario'] ?? 0;
    out['no-invalid-scenario'] = n > 0 ? `${n} invalid-scenario finding(s) on a valid export` : '';
  }
  if (r.raw) {
    const problems: string[] = [];
    if (r.unknownIds.length > 0) problems.push(`module ids not in the model: ${r.unknownIds.join(', ')}`);
    if (r.raw.total !== r.modelModules) problems.push(`${r.raw.total} module objects in the JSON, ${r.modelModules} in the model`);
    out['all-modules-known'] = problems.join('; ');
  }
  if (r.convert.kind === 'unstable') out['round-trip'] = `round trip not stable: ${r.convert.detail}`;
  else if (r.convert.kind !== 'crash') out['round-trip'] = '';
  return out;
}

function checkFile(t: TestContext, r: FileResult): void {
  // Always: no crash, no internal error, no stack trace.
  assert.equal(r.crash, undefined, r.crash);
  assert.deepEqual(r.internal, [], `internal errors: ${r.internal.join('\n')}`);
  assert.deepEqual(r.classifyErrors, [], `classify threw: ${r.classifyErrors.slice(0, 5).join('\n')}`);
  if (r.convert.kind === 'crash') assert.fail(`convert crashed (no position): ${r.convert.message}`);
  if (r.convert.kind === 'refused') {
    assert.ok(!/\n\s+at /.test(r.convert.message), `stack trace in a refusal: ${r.convert.message}`);
  }

  // Gated by KNOWN_GAPS.
  const failures: string[] = [];
  for (const [check, failure] of Object.entries(gatedChecks(r)) as [GatedCheck, string][]) {
    const gap = KNOWN_GAPS.find((g) => g.file === r.id && g.check === check);
    if (gap) gapsSeen.add(gapKey(gap.file, gap.check));
    if (failure !== '' && gap) {
      t.diagnostic(`known gap (${check}): ${gap.why} — ${failure}`);
    } else if (failure !== '') {
      failures.push(`${check}: ${failure}`);
    } else if (gap) {
      failures.push(`${check}: listed in KNOWN_GAPS (${gap.why}) but it now passes; remove the entry from test/corpus/knownGaps.ts`);
    }
  }
  assert.deepEqual(failures, [], failures.join('\n'));
}

if (!hasCorpus) {
  const reason = `corpus suite skipped: ${path.relative(ROOT, path.join(SHARED, 'corpus')).split(path.sep).join('/')} not found`;
  console.log(reason);
  test('real exports of ../shared/corpus', { skip: reason }, () => undefined);
}

for (const source of sources) {
  describe(`corpus: ${source.prefix} (${source.dir})`, () => {
    for (const rel of listFiles(source.dir, source.filter)) {
      const id = `${source.prefix}/${rel}`;
      test(id, (t) => {
        const r = runFile(id, path.join(source.dir, ...rel.split('/')));
        results.push(r);
        checkFile(t, r);
      });
    }
  });
}

test('every known gap names a file and check of this run', () => {
  const checkedPrefixes = new Set(sources.map((s) => s.prefix));
  const stale = KNOWN_GAPS.filter((g) => checkedPrefixes.has(g.file.split('/')[0]) && !gapsSeen.has(gapKey(g.file, g.check)));
  assert.deepEqual(
    stale.map((g) => `${g.file} (${g.check})`),
    [],
    'KNOWN_GAPS entries whose file is not in the corpus or whose check does not apply: remove them',
  );
});

after(() => {
  const gaps = KNOWN_GAPS.filter((g) => gapsSeen.has(gapKey(g.file, g.check)));
  const lines = [
    '',
    `Corpus summary (${hasCorpus ? 'real exports + hand-written shapes' : 'hand-written shapes only; corpus suite skipped'}):`,
    summaryTable(results),
    '',
    `  known gaps (${gaps.length}):`,
    ...gaps.map((g) => `    known gap: ${g.file}: ${g.check} — ${g.why}`),
    '',
  ];
  console.log(lines.join('\n'));
});
