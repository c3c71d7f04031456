/*
 * The blueprint quick fix: insert an `onerror` route ending in a directive module. Checked by
 * applying the edit and parsing the result again (valid JSON, the handler is there, ids unique),
 * on real exports: 4-space indented, BOM, and one-module-per-line minified.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { blueprintErrorHandlerEdit, detectJsonFormatting } from '../../src/core/fixes/blueprintEdit';
import { applyEdits } from '../../src/core/text/edits';
import { lintScenario, parseScenario } from '../../src/core/lint/lint';
import { findModule, walkModules } from '../../src/core/model';
import type { Directive } from '../../src/core/model';
import { parseTree } from 'jsonc-parser';

const FIXTURES = path.join(__dirname, '../../../test/fixtures/blueprints');
const load = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

/** Applies the quick fix and checks the result; returns the new text. */
function fix(name: string, text: string, moduleId: number, directive: Directive): string {
  const parsed = parseScenario(name, text);
  const edit = blueprintErrorHandlerEdit(parsed, moduleId, directive);
  assert.ok(edit, `an edit for module ${moduleId}`);
  const out = applyEdits(text, [edit]);
  // strict JSON once the BOM (if any) is set aside
  assert.doesNotThrow(() => JSON.parse(out.replace(/^\uFEFF/, '')));
  assert.equal(out.charCodeAt(0) === 0xfeff, text.charCodeAt(0) === 0xfeff, 'the BOM is kept as it was');
  const again = parseScenario(name, out);
  assert.deepEqual(again.findings, [], 'no parser findings after the fix');
  assert.ok(again.scenario);
  const m = findModule(again.scenario, moduleId);
  assert.ok(m);
  assert.equal(m.onError.length, 1);
  assert.equal(m.onError[0].directive, directive);
  assert.equal(m.onError[0].directiveExplicit, true);
  assert.equal(
    out.slice(m.onError[0].directiveSpan?.start, m.onError[0].directiveSpan?.end),
    `"builtin:${directive[0].toUpperCase()}${directive.slice(1)}"`,
  );
  return out;
}

/** Every `"id": N` of module objects in the file (flow, routes and onerror arrays). */
function allIds(text: string): number[] {
  const ids: number[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.id === 'number' && typeof o.module === 'string') ids.push(o.id);
      for (const k of ['flow', 'routes', 'onerror']) if (k in o) visit(o[k]);
    }
  };
  visit(JSON.parse(text.replace(/^\uFEFF/, '')));
  return ids;
}

describe('blueprintErrorHandlerEdit', () => {
  test('Break on a 4-space export (notion-task): id = max + 1 = 10, retry/count/interval, indentation of the file', () => {
    const name = 'notion-task-dashboard-updater.blueprint.json';
    const text = load(name);
    const out = fix(name, text, 4, 'break');
    const s = parseScenario(name, out).scenario;
    assert.ok(s);
    const route = findModule(s, 4)?.onError[0];
    assert.ok(route);
    assert.deepEqual([route.autoComplete, route.attempts, route.intervalMinutes], [true, 3, 15]);
    const ids = allIds(out);
    assert.equal(new Set(ids).size, ids.length, 'ids unique');
    assert.ok(ids.includes(10) && !allIds(text).includes(10));
    // Indented like its neighbours: "onerror" at the module's property depth (12 spaces), the
    // directive module's keys 8 deeper, in 4-space steps.
    assert.match(out, /\n {12}"onerror": \[\n {16}\{\n {20}"id": 10,\n {20}"module": "builtin:Break",/);
    assert.match(out, /\n {20}"mapper": \{\n {24}"retry": true,\n {24}"count": 3,\n {24}"interval": 15\n {20}\},/);
    // module 4 now has a route; the other findings stay as they were (dlq is false → break is a mistake)
    const pairs = lintScenario(name, out).findings.map((f) => `${f.code}@${f.moduleId}`);
    assert.deepEqual(pairs, ['break-requires-incomplete-storage@4']);
    // everything outside the inserted text is unchanged
    const edit = blueprintErrorHandlerEdit(parseScenario(name, text), 4, 'break');
    assert.ok(edit);
    assert.equal(out.slice(0, edit.start), text.slice(0, edit.start));
    assert.equal(out.slice(out.length - (text.length - edit.end)), text.slice(edit.end));
  });

  test('Resume on a BOM export nested in a router route (marketing module 20): id 62, mapper {}', () => {
    const name = 'marketing-ai-post.blueprint.json';
    const text = load(name);
    const out = fix(name, text, 20, 'resume');
    assert.ok(allIds(out).includes(62));
    assert.ok(!allIds(text).includes(62));
    const s = parseScenario(name, out).scenario;
    assert.ok(s);
    assert.deepEqual(findModule(s, 20)?.onError[0].output, {});
    assert.deepEqual(findModule(s, 20)?.routerPath, [17]);
    const before = lintScenario(name, text)
      .findings.filter((f) => f.moduleId === 20)
      .map((f) => f.code);
    const after = lintScenario(name, out)
      .findings.filter((f) => f.moduleId === 20)
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

  test('fixing every flagged module one after another keeps the file valid with unique ids', () => {
    const name = 'notion-language-dashboard-updater.blueprint.json';
    let text = load(name);
    for (const id of [4, 14]) text = fix(name, text, id, 'ignore');
    const ids = allIds(text);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(ids.filter((i) => i > 16).sort(), [17, 18]);
    assert.deepEqual(lintScenario(name, text).findings, []);
  });

  test('null when the module already has onerror, does not exist, is a directive module, or the file is YAML / broken', () => {
    const marketing = load('marketing-ai-post.blueprint.json');
    const p = parseScenario('m.blueprint.json', marketing);
    assert.equal(blueprintErrorHandlerEdit(p, 6, 'break'), null, 'module 6 has a Break route');
    assert.equal(blueprintErrorHandlerEdit(p, 999, 'break'), null);
    assert.equal(blueprintErrorHandlerEdit(p, 7, 'break'), null, "7 is module 6's builtin:Break");
    const yaml = parseScenario('a.scenario.yaml', 'name: a\nmodules:\n  - id: 1\n    app: a:b\n  - id: 2\n    app: c:d\n');
    assert.equal(blueprintErrorHandlerEdit(yaml, 2, 'break'), null);
    const broken = parseScenario('b.blueprint.json', load('instagram-dm.broken.blueprint.json'));
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
