import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { Document, isMap, isSeq, stringify } from 'yaml';
import { lintScenario } from '../../src/core/lint/lint';
import type { ParsedScenario } from '../../src/core/lint/lint';
import { symbolAt } from '../../src/core/scenario/symbols';
import { errorHandlerEdit } from '../../src/core/fixes/quickfix';
import { applyEdits } from '../../src/core/text/edits';
import { LINT_CODES } from '../../src/core/lint/registry';
import { walkModules } from '../../src/core/model';
import type { Span } from '../../src/core/model';

const FIXTURES = path.join(__dirname, '../../../test/fixtures/scenarios');
const SEED = 20261120;
const RUNS = 2000;

function inside(span: Span, length: number): boolean {
  return Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= length;
}

/** The invariants every lint result must hold, whatever the input. */
function checkResult(text: string, r: ParsedScenario): void {
  for (const f of r.findings) {
    assert.ok(inside(f.span, text.length), `finding ${f.code} span ${JSON.stringify(f.span)} outside [0, ${text.length}]`);
    assert.ok((LINT_CODES as readonly string[]).includes(f.code));
    assert.deepEqual(f.range, r.lineIndex.rangeOf(f.span));
    assert.ok(typeof f.message === 'string' && f.message.length > 0 && !f.message.includes('\n'));
  }
  for (let i = 1; i < r.findings.length; i++) assert.ok(r.findings[i - 1].span.start <= r.findings[i].span.start, 'sorted by position');
  if (r.scenario) {
    for (const m of walkModules(r.scenario.modules)) {
      for (const s of [m.span, m.anchor, m.idSpan, m.appSpan]) assert.ok(inside(s, text.length), `module ${m.id} span`);
      for (const route of m.onError) for (const s of route.errorSpans) assert.ok(inside(s, text.length));
    }
  }
}

const errorName = fc.constantFrom(
  'ConnectionError',
  'RateLimitError',
  'DataError',
  'OutOfSpaceError',
  'RuntimeError',
  'AcmeQuota',
  '',
  'Connection Error',
);
const directive = fc.constantFrom('break', 'resume', 'ignore', 'commit', 'rollback', 'Break', 'explode', 7, null);
const id = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 60 }), weight: 8 },
  { arbitrary: fc.constantFrom(0, -1, 2.5, '3', null), weight: 1 },
);
const app = fc.oneof(
  { arbitrary: fc.constantFrom('http:makeRequest', 'builtin:router', 'builtin:BasicRouter', 'slack:createMessage'), weight: 6 },
  { arbitrary: fc.constantFrom('nocolon', '', 42), weight: 1 },
);
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined, freq: 2 });

const handlerRoute = (modules: fc.Arbitrary<unknown[]>): fc.Arbitrary<Record<string, unknown>> =>
  fc.record(
    {
      errors: fc.oneof(fc.array(errorName, { maxLength: 3 }), errorName, fc.constant(5)),
      directive,
      autoComplete: fc.oneof(fc.boolean(), fc.constant('yes')),
      attempts: fc.oneof(fc.integer({ min: -2, max: 20000 }), fc.constant(1.5), fc.constant('x')),
      intervalMinutes: fc.oneof(fc.integer({ min: -2, max: 50000 }), fc.constant(0.5)),
      output: fc.jsonValue({ maxDepth: 2 }),
      modules,
      extra: fc.string({ maxLength: 4 }),
    },
    { requiredKeys: [] },
  );

const { module: moduleArb } = fc.letrec<{ module: Record<string, unknown>; modules: unknown[] }>((tie) => ({
  module: fc.record(
    {
      id,
      app,
      name: fc.oneof(fc.string({ maxLength: 8 }), fc.integer()),
      onError: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        handlerRoute(tie('modules')),
        fc.array(handlerRoute(tie('modules')), { maxLength: 2 }),
        fc.constant('ignore'),
      ),
      routes: fc.array(fc.record({ name: maybe(fc.string({ maxLength: 6 })), modules: tie('modules') }, { requiredKeys: [] }), {
        maxLength: 2,
      }),
    },
    { requiredKeys: ['id', 'app'] },
  ),
  modules: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constant<unknown[]>([]), fc.array(tie('module'), { maxLength: 3 })),
}));

const scenarioArb = fc.record(
  {
    name: fc.oneof(fc.string({ maxLength: 12 }), fc.constant(null)),
    settings: fc.record(
      {
        storeIncompleteExecutions: fc.oneof(fc.boolean(), fc.constant('no')),
        profile: fc.constantFrom('fusion', 'make', 'zapier'),
        maxConsecutiveErrors: fc.integer({ min: -1, max: 5 }),
        sequentialProcessing: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
    modules: fc.oneof(fc.array(moduleArb, { minLength: 1, maxLength: 5 }), fc.constant([]), fc.constant('x')),
    simulation: fc.record(
      {
        bundles: fc.integer({ min: 0, max: 4 }),
        faults: fc.array(
          fc.record(
            {
              module: id,
              error: errorName,
              message: fc.string({ maxLength: 6 }),
              bundles: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }),
              recoverAfter: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(null)),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['modules'] },
);

describe('lint properties', () => {
  let withModel = 0;
  let fixed = 0;
  test(`${RUNS} generated scenarios (yaml.stringify, block and flow styles, LF and CRLF): never throws, spans inside`, () => {
    fc.assert(
      fc.property(scenarioArb, fc.boolean(), fc.boolean(), fc.constantFrom(2, 4), fc.boolean(), (obj, flow, crlf, indent, indentSeq) => {
        let text = stringify(obj, { indent, indentSeq, collectionStyle: flow ? 'flow' : 'any', lineWidth: 0 });
        if (crlf) text = text.replace(/\n/g, '\r\n');
        const r = lintScenario('gen.scenario.yaml', text, { profile: 'fusion' });
        checkResult(text, r);
        // Hover lookup is total too.
        for (const offset of [0, Math.floor(text.length / 2), text.length]) symbolAt(r, offset);
        if (r.scenario && r.scenario.modules.length > 0) withModel++;
        // The quick fix for the first missing handler removes that finding and adds none.
        const missing = r.findings.find((f) => f.code === 'missing-error-handler');
        if (missing?.moduleId !== undefined) {
          const directive = r.scenario?.settings.storeIncompleteExecutions === false ? 'resume' : 'break';
          const edit = errorHandlerEdit(r, missing.moduleId, directive);
          if (!edit) return;
          fixed++;
          const after = lintScenario('gen.scenario.yaml', applyEdits(text, [edit]), { profile: 'fusion' });
          const key = (f: { code: string; moduleId?: number }): string => `${f.code}@${f.moduleId ?? ''}`;
          const expected = r.findings
            .filter((f) => f !== missing)
            .map(key)
            .sort();
          const got = after.findings
            .map(key)
            .filter((k) => k !== `partial-error-handler@${missing.moduleId}`)
            .sort();
          assert.deepEqual(got, expected, text);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The generator must produce usable scenarios, not only garbage.
    assert.ok(withModel > RUNS / 5, `only ${withModel} of ${RUNS} generated texts had modules`);
    assert.ok(fixed > 20, `only ${fixed} quick fixes were exercised`);
  });

  const samples = fs
    .readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => fs.readFileSync(path.join(FIXTURES, f), 'utf8'));

  const mutation = fc.oneof(
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      text: fc.oneof(
        fc.string({ maxLength: 4 }),
        fc.constantFrom(':', '- ', '\n', '\r\n', '  ', '#', '{', '[', '"', "'", '&a ', '*a', '!!', '|', '>', '\t', '\ufeff', '\ud800'),
      ),
    }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
    fc.record({
      kind: fc.constant('flip' as const),
      at: fc.nat(),
      char: fc.constantFrom(' ', ':', '-', '\n', 'x', '0', '}', ']', '#', '\u00e9'),
    }),
  );

  test(`${RUNS} mutated sample texts (insertions, deletions, character flips): never throws, spans inside`, () => {
    fc.assert(
      fc.property(fc.nat({ max: samples.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), (which, edits) => {
        let text = samples[which];
        for (const e of edits) {
          const at = text.length === 0 ? 0 : e.at % (text.length + 1);
          if (e.kind === 'insert') text = text.slice(0, at) + e.text + text.slice(at);
          else if (e.kind === 'delete') text = text.slice(0, at) + text.slice(at + e.length);
          else text = text.slice(0, at) + e.char + text.slice(at + 1);
        }
        const r = lintScenario('mutated.scenario.yaml', text, { profile: which % 2 === 0 ? 'fusion' : 'make' });
        checkResult(text, r);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  const FIX_RUNS = 300;
  const shape = fc.array(
    fc.record({
      kind: fc.constantFrom('plain', 'handled', 'router', 'flow'),
      children: fc.integer({ min: 1, max: 3 }),
      name: fc.boolean(),
    }),
    { minLength: 1, maxLength: 5 },
  );
  test(`${FIX_RUNS} generated block-style scenarios: every quick fix removes its finding and adds none`, () => {
    let checked = 0;
    fc.assert(
      fc.property(
        shape,
        fc.constantFrom(2, 3, 4),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom<'break' | 'resume' | 'ignore' | 'rollback'>('break', 'resume', 'ignore', 'rollback'),
        (mods, indent, indentSeq, crlf, comments, directive) => {
          let next = 2;
          const plain = (): Record<string, unknown> => ({ id: next++, app: 'http:makeRequest' });
          const modules: Record<string, unknown>[] = [{ id: 1, app: 'a:trigger' }];
          for (const m of mods) {
            const mod = plain();
            if (m.name) mod.name = `Step ${String(mod.id)}`;
            if (m.kind === 'handled') mod.onError = { directive: 'ignore' };
            if (m.kind === 'router') {
              mod.app = 'builtin:router';
              mod.routes = Array.from({ length: m.children }, (_, i) => ({ name: `R${i}`, modules: [plain()] }));
            }
            modules.push(mod);
          }
          const doc = new Document({ name: 'Gen', modules });
          // Some modules in flow style inside the block list.
          const seq = doc.get('modules', true);
          if (isSeq(seq)) {
            mods.forEach((m, i) => {
              const node = seq.items[i + 1];
              if (m.kind === 'flow' && isMap(node)) node.flow = true;
            });
          }
          let text = doc.toString({ indent, indentSeq, lineWidth: 0 });
          if (comments) text = text.replace(/(app: [^\n]*)/g, '$1 # app');
          if (crlf) text = text.replace(/\n/g, '\r\n');
          const before = lintScenario('gen.scenario.yaml', text);
          const key = (f: { code: string; moduleId?: number }): string => `${f.code}@${f.moduleId ?? ''}`;
          for (const missing of before.findings.filter((f) => f.code === 'missing-error-handler')) {
            const id = missing.moduleId as number;
            const edit = errorHandlerEdit(before, id, directive);
            assert.ok(edit, `a fix for module ${id} in\n${text}`);
            checked++;
            const fixedText = applyEdits(text, [edit]);
            const after = lintScenario('gen.scenario.yaml', fixedText);
            assert.deepEqual(after.findings.map(key), before.findings.filter((f) => f !== missing).map(key), fixedText);
            if (crlf) assert.ok(!/[^\r]\n/.test(fixedText), 'CRLF kept');
          }
        },
      ),
      { seed: SEED, numRuns: FIX_RUNS },
    );
    assert.ok(checked > FIX_RUNS, `only ${checked} fixes checked`);
  });
});
