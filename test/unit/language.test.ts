import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseScenario } from '../../src/core/lint/lint';
import {
  completionsAt,
  definitionAt,
  documentSymbols,
  imlReferences,
  moduleReferences,
  prepareModuleRename,
  renameModule,
  yamlKeyContextAt,
  type OutlineSymbol,
} from '../../src/core/scenario/language';
import { applyEdits } from '../../src/core/text/edits';
import { ERROR_TYPES } from '../../src/core/catalogue/catalogue';

const CURSOR = '|';

/** Parses `text` with one `|` marking the cursor; returns the parse and the cursor offset. */
function at(text: string, name = 'x.scenario.yaml'): { parsed: ReturnType<typeof parseScenario>; offset: number; text: string } {
  const offset = text.indexOf(CURSOR);
  assert.ok(offset >= 0, 'the text marks the cursor');
  const clean = text.slice(0, offset) + text.slice(offset + 1);
  return { parsed: parseScenario(name, clean), offset, text: clean };
}

const BASE = (body: string): string => `name: Test
settings:
  storeIncompleteExecutions: true
modules:
  - id: 1
    app: webhook:custom
  - id: 2
    app: http:makeRequest
    name: Fetch
${body}`;

describe('completion', () => {
  test('after `directive: ` the five directives, in order', () => {
    const { parsed, offset } = at(BASE('    onError:\n      directive: |\n'));
    const r = completionsAt(parsed, offset);
    assert.equal(r?.context, 'directive');
    assert.deepEqual(
      r.items.map((i) => i.label),
      ['break', 'resume', 'ignore', 'commit', 'rollback'],
    );
    assert.deepEqual(r.replace, { start: offset, end: offset });
  });

  test('a half-typed directive is replaced whole; also in a flow mapping and in a list of routes', () => {
    const typed = at(BASE('    onError:\n      directive: br|\n'));
    const r = completionsAt(typed.parsed, typed.offset);
    assert.equal(r?.context, 'directive');
    assert.equal(typed.text.slice(r.replace.start, r.replace.end), 'br');
    const flow = at(BASE('    onError: {directive: |}\n'));
    assert.equal(completionsAt(flow.parsed, flow.offset)?.context, 'directive');
    const list = at(BASE('    onError:\n      - errors: [DataError]\n        directive: |\n'));
    assert.equal(completionsAt(list.parsed, list.offset)?.context, 'directive');
    const noSpace = at(BASE('    onError:\n      directive:|\n'));
    assert.equal(completionsAt(noSpace.parsed, noSpace.offset)?.context, 'directive');
  });

  test('error types in an `errors:` list, without the ones already listed', () => {
    const { parsed, offset } = at(BASE('    onError:\n      errors: [ConnectionError, |]\n      directive: break\n'));
    const r = completionsAt(parsed, offset);
    assert.equal(r?.context, 'errorType');
    const labels = r.items.map((i) => i.label);
    assert.ok(!labels.includes('ConnectionError'), 'already listed');
    assert.ok(labels.includes('RateLimitError'));
    assert.equal(labels.length, ERROR_TYPES.length - 1);
    const item = r.items.find((i) => i.label === 'DataError');
    assert.equal(item?.detail, 'data');
    assert.ok(item?.documentation && item.documentation.length > 10);
    const block = at(BASE('    onError:\n      errors:\n        - |\n'));
    assert.equal(completionsAt(block.parsed, block.offset)?.context, 'errorType');
  });

  test('error types and module ids in simulation faults', () => {
    const sim = (f: string): string => BASE(`simulation:\n  faults:\n    - ${f}\n`);
    const err = at(sim('module: 2\n      error: |'));
    assert.equal(completionsAt(err.parsed, err.offset)?.context, 'errorType');
    const mod = at(sim('module: |'));
    const r = completionsAt(mod.parsed, mod.offset);
    assert.equal(r?.context, 'moduleId');
    assert.deepEqual(
      r.items.map((i) => [i.label, i.detail]),
      [
        ['1', 'webhook:custom'],
        ['2', 'Fetch · http:makeRequest'],
      ],
    );
  });

  test('setting keys under `settings:` (not the ones present), profile and boolean values', () => {
    const { parsed, offset } = at(`name: Test\nsettings:\n  storeIncompleteExecutions: true\n  seq|\nmodules:\n  - id: 1\n    app: a:b\n`);
    const r = completionsAt(parsed, offset);
    assert.equal(r?.context, 'settingKey');
    const labels = r.items.map((i) => i.label);
    assert.ok(labels.includes('sequentialProcessing') && labels.includes('profile'));
    assert.ok(!labels.includes('storeIncompleteExecutions'), 'already present');
    assert.equal(r.items.find((i) => i.label === 'maxConsecutiveErrors')?.insertText, 'maxConsecutiveErrors: 3');
    const profile = at(`name: T\nsettings:\n  profile: |\nmodules:\n  - id: 1\n    app: a:b\n`);
    assert.deepEqual(
      completionsAt(profile.parsed, profile.offset)?.items.map((i) => i.label),
      ['fusion', 'make'],
    );
    const bool = at(`name: T\nsettings:\n  dataLoss: |\nmodules:\n  - id: 1\n    app: a:b\n`);
    assert.deepEqual(
      completionsAt(bool.parsed, bool.offset)?.items.map((i) => i.label),
      ['true', 'false'],
    );
  });

  test('handler route keys and fault keys by indentation', () => {
    const route = at(BASE('    onError:\n      directive: break\n      |\n'));
    const r = completionsAt(route.parsed, route.offset);
    assert.equal(r?.context, 'routeKey');
    assert.ok(!r.items.some((i) => i.label === 'directive'));
    assert.ok(r.items.some((i) => i.label === 'autoComplete'));
    const fault = at(BASE('simulation:\n  faults:\n    - module: 2\n      |\n'));
    const f = completionsAt(fault.parsed, fault.offset);
    assert.equal(f?.context, 'faultKey');
    assert.deepEqual(
      f.items.map((i) => i.label),
      ['error', 'message', 'bundles', 'recoverAfter'],
    );
  });

  test('nothing where nothing fits: a module name, a comment, a blueprint', () => {
    const name = at(BASE('    onError:\n      directive: break\n').replace('name: Fetch', 'name: Fe|tch'));
    assert.equal(completionsAt(name.parsed, name.offset), undefined);
    const comment = at(BASE('    # directive: |\n'));
    assert.equal(completionsAt(comment.parsed, comment.offset), undefined);
    const bp = at('{"name": "x", "flow": [|], "metadata": {}}', 'x.blueprint.json');
    assert.equal(completionsAt(bp.parsed, bp.offset), undefined);
  });

  test('key context: parent found through list items and comments', () => {
    const text = 'simulation:\n  faults:\n    # a comment\n    - module: 2\n      error: X\n      \n';
    const ctx = yamlKeyContextAt(text, text.length - 1);
    assert.equal(ctx?.parent, 'faults');
    assert.equal(ctx?.inListItem, true);
    assert.deepEqual([...(ctx?.siblings ?? [])].sort(), ['error', 'module']);
  });
});

const INVOICE = fs.readFileSync(path.join(__dirname, '../../../test/fixtures/workspace/scenarios/invoices.scenario.yaml'), 'utf8');
const invoice = parseScenario('invoices.scenario.yaml', INVOICE);

function names(symbols: readonly OutlineSymbol[], depth = 0): string[] {
  return symbols.flatMap((s) => [`${'  '.repeat(depth)}${s.name}`, ...names(s.children, depth + 1)]);
}

describe('document symbols', () => {
  test('modules with id and name; router routes and handler routes nested; the simulation faults', () => {
    const symbols = documentSymbols(invoice);
    assert.deepEqual(names(symbols), [
      '1 · Watch approved invoices',
      '2 · Fetch invoice PDF',
      '3 · Upload to Drive',
      '  On error: Break',
      '4 · builtin:router',
      '  On error: Ignore',
      '  Paid',
      '    5 · Tell finance',
      '6 · Mark exported',
      '  On error: Rollback',
      '    61 · slack:createMessage',
      'Simulation',
      '  Fault 1: module 2',
    ]);
    assert.equal(symbols[0].kind, 'trigger');
    assert.equal(symbols[3].kind, 'router');
    assert.equal(symbols[2].children[0].detail, 'ConnectionError, RateLimitError');
  });

  test('every selection lies inside its symbol, every child inside its parent', () => {
    const check = (s: OutlineSymbol, parent?: OutlineSymbol): void => {
      assert.ok(s.selection.start >= s.span.start && s.selection.end <= s.span.end, `${s.name}: selection inside`);
      if (parent) assert.ok(s.span.start >= parent.span.start && s.span.end <= parent.span.end, `${s.name} inside ${parent.name}`);
      for (const c of s.children) check(c, s);
    };
    for (const s of documentSymbols(invoice)) check(s);
    const id2 = documentSymbols(invoice)[1].selection;
    assert.equal(INVOICE.slice(id2.start, id2.end), '2');
  });

  test('blueprints: the same outline from the exported JSON', () => {
    const file = path.join(__dirname, '../../../samples/blueprints/calendar-agent.blueprint.json');
    const parsed = parseScenario('calendar-agent.blueprint.json', fs.readFileSync(file, 'utf8'));
    const symbols = documentSymbols(parsed);
    assert.ok(symbols.length > 0);
    const router = symbols.find((s) => s.kind === 'router');
    assert.ok(router, 'the router is in the outline');
    assert.equal(router.children.filter((c) => c.kind === 'route').length, 4);
  });

  test('nothing for a file that does not parse', () => {
    assert.deepEqual(documentSymbols(parseScenario('x.scenario.yaml', 'name: [')), []);
  });
});

describe('module ids: definition, references, rename', () => {
  const WITH_REFS = BASE(`    mapper:
      url: "https://x/{{1.invoiceId}}/{{ formatDate(2.date; 'YYYY') }}"
  - id: 3
    app: slack:post
    text: "{{2.body}} and 12.5 and {{3.ok}}"
simulation:
  faults:
    - module: 2
      error: ConnectionError
    - module: 3
      error: DataError
`);
  const parsed = parseScenario('x.scenario.yaml', WITH_REFS);

  test('IML references: N. inside {{ }} only', () => {
    const refs = imlReferences(WITH_REFS).map((r) => r.id);
    assert.deepEqual(refs, [1, 2, 2, 3]);
  });

  test("F12 on a fault's module goes to the module; on an IML reference too", () => {
    const fault = WITH_REFS.indexOf('- module: 2') + '- module: '.length;
    assert.equal(definitionAt(parsed, fault)?.id, 2);
    assert.equal(definitionAt(parsed, WITH_REFS.indexOf('{{2.body') + 2)?.id, 2);
    assert.equal(definitionAt(parsed, WITH_REFS.indexOf('error: DataError') + 8), undefined);
  });

  test('references: the id, the faults and the IML references, in file order', () => {
    const refs = moduleReferences(parsed, 2);
    assert.deepEqual(
      refs.map((r) => r.kind),
      ['declaration', 'iml', 'iml', 'fault'],
    );
    for (const r of refs) assert.equal(WITH_REFS.slice(r.span.start, r.span.end), '2');
    assert.deepEqual(
      moduleReferences(parsed, 2, false).map((r) => r.kind),
      ['iml', 'iml', 'fault'],
    );
  });

  test('rename updates the id, the faults and the references; nothing else', () => {
    const r = renameModule(parsed, WITH_REFS.indexOf('- id: 2') + 6, '20');
    assert.ok(r.ok);
    const out = applyEdits(WITH_REFS, r.edits);
    assert.match(out, /- id: 20\n/);
    assert.match(out, /- module: 20\n/);
    assert.match(out, /\{\{20\.body\}\} and 12\.5/);
    assert.match(out, /formatDate\(20\.date/);
    assert.match(out, /\{\{1\.invoiceId\}\}/);
    assert.match(out, /- module: 3\n/);
    assert.equal(parseScenario('x.scenario.yaml', out).scenario?.simulation?.faults[0].module, 20);
  });

  test('rename refuses a clash, a non-number, and a position that is no module id', () => {
    const clash = renameModule(parsed, WITH_REFS.indexOf('- id: 2') + 6, '3');
    assert.equal(clash.ok, false);
    assert.match(!clash.ok ? clash.message : '', /Module 3 already exists/);
    const bad = renameModule(parsed, WITH_REFS.indexOf('- id: 2') + 6, 'two');
    assert.equal(bad.ok, false);
    assert.equal(renameModule(parsed, WITH_REFS.indexOf('- id: 2') + 6, '0').ok, false);
    assert.equal(prepareModuleRename(parsed, WITH_REFS.indexOf('name: Fetch') + 7).ok, false);
    const prep = prepareModuleRename(parsed, WITH_REFS.indexOf('- module: 3') + 10);
    assert.ok(prep.ok && prep.id === 3);
  });

  test('rename in a blueprint: the module\'s "id" and its IML references', () => {
    const bp = JSON.stringify(
      {
        name: 'B',
        flow: [
          { id: 1, module: 'gateway:CustomWebHook', mapper: {} },
          { id: 2, module: 'http:ActionSendData', mapper: { url: '{{1.url}}' } },
        ],
        metadata: { scenario: { dlq: true } },
      },
      null,
      2,
    );
    const p = parseScenario('b.blueprint.json', bp);
    const r = renameModule(p, bp.indexOf('"id": 1') + 6, '7');
    assert.ok(r.ok);
    const out = applyEdits(bp, r.edits);
    assert.match(out, /"id": 7,/);
    assert.match(out, /\{\{7\.url\}\}/);
    assert.equal(parseScenario('b.blueprint.json', out).scenario?.modules[0].id, 7);
  });
});
