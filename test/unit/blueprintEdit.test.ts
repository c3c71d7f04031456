/*
 * The blueprint quick fix: insert an `onerror` route ending in a directive module. Checked by
 * applying the edit and parsing the result again (valid JSON, the handler is there, ids unique),
 * on the hand-written exports of test/fixtures/blueprints: 4- and 2-space indented, BOM, and
 * minified with two modules per line. The same checks on real exports (read from ../shared beside
 * the clone) are in realExports.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { blueprintErrorHandlerEdit, detectJsonFormatting } from '../../src/core/fixes/blueprintEdit';
import { lintScenario, parseScenario } from '../../src/core/lint/lint';
import { findModule, walkModules } from '../../src/core/model';
import { parseTree } from 'jsonc-parser';
import { allIds, fix, load } from './helpers/blueprintFixtures';

describe('blueprintErrorHandlerEdit', () => {
  test('Break on a 4-space export (stock-report): id = max + 1 = 12, retry/count/interval, indentation of the file', () => {
    const name = 'stock-report.blueprint.json';
    const text = load(name);
    const out = fix(name, text, 3, 'break');
    const s = parseScenario(name, out).scenario;
    assert.ok(s);
    const route = findModule(s, 3)?.onError[0];
    assert.ok(route);
    assert.deepEqual([route.autoComplete, route.attempts, route.intervalMinutes], [true, 3, 15]);
    const ids = allIds(out);
    assert.equal(new Set(ids).size, ids.length, 'ids unique');
    assert.ok(ids.includes(12) && !allIds(text).includes(12));
    // Indented like its neighbours: "onerror" at the module's property depth (12 spaces), the
    // directive module's keys 8 deeper, in 4-space steps.
    assert.match(out, /\n {12}"onerror": \[\n {16}\{\n {20}"id": 12,\n {20}"module": "builtin:Break",/);
    assert.match(out, /\n {20}"mapper": \{\n {24}"retry": true,\n {24}"count": 3,\n {24}"interval": 15\n {20}\},/);
    // module 3 now has a route; the other findings stay as they were (dlq is false → break is a mistake)
    const pairs = lintScenario(name, out).findings.map((f) => `${f.code}@${f.moduleId}`);
    assert.deepEqual(pairs, ['break-requires-incomplete-storage@3']);
    // everything outside the inserted text is unchanged
    const edit = blueprintErrorHandlerEdit(parseScenario(name, text), 3, 'break');
    assert.ok(edit);
    assert.equal(out.slice(0, edit.start), text.slice(0, edit.start));
    assert.equal(out.slice(out.length - (text.length - edit.end)), text.slice(edit.end));
  });

  test('Resume on a BOM export nested in a router route (invoice-intake module 12): id 18, mapper {}', () => {
    const name = 'invoice-intake.blueprint.json';
    const text = load(name);
    const out = fix(name, text, 12, 'resume');
    assert.ok(allIds(out).includes(18));
    assert.ok(!allIds(text).includes(18));
    const s = parseScenario(name, out).scenario;
    assert.ok(s);
    assert.deepEqual(findModule(s, 12)?.onError[0].output, {});
    assert.deepEqual(findModule(s, 12)?.routerPath, [9]);
    const before = lintScenario(name, text)
      .findings.filter((f) => f.moduleId === 12)
      .map((f) => f.code);
    const after = lintScenario(name, out)
      .findings.filter((f) => f.moduleId === 12)
      .map((f) => f.code);
    assert.deepEqual([before, after], [['missing-error-handler'], []]);
  });

  test('Ignore and Rollback have no mapper; a minified module stays on its line', () => {
    const name = 'calendar-agent.blueprint.json';
    const text = load(name);
    for (const [id, directive] of [
      [4, 'ignore'],
      [9, 'rollback'],
    ] as const) {
      const out = fix(name, text, id, directive);
      assert.equal(out.split('\n').length, text.split('\n').length, 'no new lines in a one-line module');
      const json = JSON.parse(out) as { flow: { routes: { flow: { id: number; onerror?: Record<string, unknown>[] }[] }[] }[] };
      const mod = json.flow[1].routes.flatMap((r) => r.flow).find((m) => m.id === id);
      assert.ok(mod?.onerror);
      assert.equal(mod.onerror.length, 1);
      assert.equal(mod.onerror[0].id, 11);
      assert.equal('mapper' in mod.onerror[0], false);
      assert.deepEqual(mod.onerror[0].parameters, {});
      assert.equal(mod.onerror[0].version, 1);
    }
  });

  test('fixing every flagged module one after another keeps the file valid with unique ids (2-space export)', () => {
    const name = 'ticket-triage.blueprint.json';
    let text = load(name);
    for (const id of [2, 5]) text = fix(name, text, id, 'ignore');
    const ids = allIds(text);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(ids.filter((i) => i > 10).sort(), [11, 12]);
    assert.deepEqual(lintScenario(name, text).findings, []);
    // indented in 2-space steps like the file: "onerror" at module 2's property depth (6 spaces)
    assert.match(text, /\n {6}"onerror": \[\n {8}\{\n {10}"id": 11,\n {10}"module": "builtin:Ignore",/);
  });

  test('null when the module already has onerror, does not exist, is a directive module, or the file is YAML / broken', () => {
    const invoices = load('invoice-intake.blueprint.json');
    const p = parseScenario('m.blueprint.json', invoices);
    assert.equal(blueprintErrorHandlerEdit(p, 3, 'break'), null, 'module 3 has a Break route');
    assert.equal(blueprintErrorHandlerEdit(p, 999, 'break'), null);
    assert.equal(blueprintErrorHandlerEdit(p, 4, 'break'), null, "4 is module 3's builtin:Break");
    const yaml = parseScenario('a.scenario.yaml', 'name: a\nmodules:\n  - id: 1\n    app: a:b\n  - id: 2\n    app: c:d\n');
    assert.equal(blueprintErrorHandlerEdit(yaml, 2, 'break'), null);
    const broken = parseScenario('b.blueprint.json', load('newsletter.broken.blueprint.json'));
    assert.equal(blueprintErrorHandlerEdit(broken, 1, 'break'), null);
  });

  test('tab-indented and CRLF files get tabs and CRLF', () => {
    const text =
      '{\r\n\t"name": "t",\r\n\t"flow": [\r\n\t\t{\r\n\t\t\t"id": 1,\r\n\t\t\t"module": "a:b"\r\n\t\t},\r\n\t\t{\r\n\t\t\t"id": 2,\r\n\t\t\t"module": "c:d"\r\n\t\t}\r\n\t]\r\n}\r\n';
    const out = fix('t.blueprint.json', text, 2, 'commit');
    assert.ok(!/[^\r]\n/.test(out), 'only CRLF line breaks');
    assert.match(out, /\r\n\t\t\t"onerror": \[\r\n\t\t\t\t\{\r\n\t\t\t\t\t"id": 3,/);
    const tree = parseTree(out);
    assert.ok(tree);
    assert.deepEqual(detectJsonFormatting(text, tree.children?.[1]?.children?.[1]?.children?.[0] ?? tree), {
      insertSpaces: false,
      tabSize: 4,
      eol: '\r\n',
    });
  });

  test('ids above the largest one, also when the largest is a directive module', () => {
    const text = JSON.stringify(
      {
        name: 'x',
        flow: [
          { id: 1, module: 'a:b' },
          { id: 2, module: 'c:d', onerror: [{ id: 40, module: 'builtin:Ignore' }] },
          { id: 3, module: 'e:f' },
        ],
      },
      null,
      2,
    );
    const out = fix('x.blueprint.json', text, 3, 'break');
    assert.deepEqual(allIds(out), [1, 2, 40, 3, 41]);
    const s = parseScenario('x.blueprint.json', out).scenario;
    assert.ok(s);
    assert.equal([...walkModules(s.modules)].length, 3);
  });
});
