/*
 * The blueprints of samples/ (the workspace of `npm start` and of the UI suite), both written by
 * hand. blueprints/calendar-agent.blueprint.json is the same file as the test fixture of that name,
 * and has what the UI suite looks for in it; scenarios/Order routing.blueprint.json has the shapes
 * of an if-else
 * (`builtin:BasicIfElse` + `builtin:BasicMerge`) and of error-handler routes filtered by error type,
 * checked here on the JSON itself (what the parser makes of them is another test's business).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isBlueprint, lintScenario, parseScenario } from '../../src/core/lint/lint';
import { REPO_ROOT, allIds, load } from './helpers/blueprintFixtures';

const SAMPLES = path.join(REPO_ROOT, 'samples');
const BLUEPRINTS = path.join(SAMPLES, 'blueprints');
/** A sample by its path under samples/. */
const sample = (rel: string): string => fs.readFileSync(path.join(SAMPLES, ...rel.split('/')), 'utf8');
const CALENDAR = 'blueprints/calendar-agent.blueprint.json';
// In scenarios/, after invoice-export.scenario.yaml: the Problems panel sorts files by path and
// shows only the rows that fit, and the UI suite looks for that file's warnings there.
const ORDERS = 'scenarios/Order routing.blueprint.json';

interface Json {
  readonly [key: string]: unknown;
}
const obj = (v: unknown): Json => {
  assert.ok(v !== null && typeof v === 'object' && !Array.isArray(v), `an object expected, got ${JSON.stringify(v)}`);
  return v as Json;
};
const arr = (v: unknown): unknown[] => {
  assert.ok(Array.isArray(v), `an array expected, got ${JSON.stringify(v)}`);
  return v;
};

describe('sample blueprints', () => {
  test('the two hand-written exports', () => {
    assert.deepEqual(fs.readdirSync(BLUEPRINTS), ['calendar-agent.blueprint.json']);
    assert.deepEqual(
      fs.readdirSync(path.join(SAMPLES, 'scenarios')).filter((f) => f.endsWith('.json')),
      ['Order routing.blueprint.json'],
    );
  });

  test('calendar-agent: the test fixture of that name, byte for byte, in every place it is used', () => {
    const text = sample(CALENDAR);
    assert.equal(text, load('calendar-agent.blueprint.json'));
    for (const copy of ['test/fixtures/cli', 'test/fixtures/workspace/scenarios']) {
      assert.equal(fs.readFileSync(path.join(REPO_ROOT, copy, 'calendar-agent.blueprint.json'), 'utf8'), text, copy);
    }
  });

  test('calendar-agent: what the UI suite relies on', () => {
    const text = sample(CALENDAR);
    assert.notEqual(text.charCodeAt(0), 0xfeff, 'no BOM: the suite reads it with JSON.parse');
    const lines = text.split('\n');
    // the first "http:ActionSendData" is module 3's, on the line it shares with module 4
    const line3 = lines.findIndex((l) => l.includes('"http:ActionSendData"'));
    assert.ok(lines[line3].includes('{"id":3,"module":"http:ActionSendData"'));
    assert.ok(lines[line3].includes('{"id":4,"module":"gmail:sendEmail"'));
    // its only bare `4` token is module 4's id (the suite hovers the token "4" on that line)
    assert.deepEqual(lines[line3].match(/(?<![\w."-])4(?![\w."])/g), ['4']);
    assert.equal(text.includes('"onerror"'), false, 'no module has a handler yet');
    const r = lintScenario('calendar-agent.blueprint.json', text);
    assert.deepEqual(
      r.findings.map((f) => `${f.code}@${f.moduleId}`),
      [3, 4, 5, 6, 7, 8, 9, 10].map((id) => `missing-error-handler@${id}`),
    );
    assert.ok(r.findings.every((f) => f.severity === 'warning' && /storing of incomplete executions is off/.test(f.message)));
  });

  test('Order routing: an export (flow and metadata) that is valid JSON with unique module ids', () => {
    const text = sample(ORDERS);
    assert.ok(isBlueprint('Order routing.json', text), 'recognised by its content too, not only by the .blueprint.json name');
    const r = parseScenario('Order routing.blueprint.json', text);
    assert.deepEqual(
      r.findings.filter((f) => f.severity === 'error'),
      [],
    );
    assert.equal(r.scenario?.name, 'Order routing');
    assert.equal(r.scenario?.settings.storeIncompleteExecutions, true);
    const ids = allIds(text);
    assert.equal(new Set(ids).size, ids.length, 'ids unique');
  });

  test('Order routing: builtin:BasicIfElse with two condition branches and an else, then builtin:BasicMerge', () => {
    const bp = obj(JSON.parse(sample(ORDERS)));
    const flow = arr(bp.flow).map(obj);
    assert.deepEqual(
      flow.map((m) => m.module),
      ['gateway:CustomWebHook', 'http:ActionSendData', 'builtin:BasicIfElse', 'builtin:BasicMerge', 'gmail:sendEmail'],
    );
    const ifElse = flow[2];
    const branches = arr(ifElse.branches).map(obj);
    assert.deepEqual(
      branches.map((b) => [b.type, b.label, b.merge]),
      [
        ['condition', 'Express shipping', true],
        ['condition', 'Large order', true],
        ['else', '', true],
      ],
    );
    for (const b of branches.slice(0, 2)) {
      const conditions = arr(b.conditions).map(arr);
      assert.ok(
        conditions.length > 0 &&
          conditions.every((and) => and.length > 0 && and.every((c) => ['a', 'b', 'o'].every((k) => typeof obj(c)[k] === 'string'))),
      );
    }
    assert.equal('conditions' in branches[2], false, 'the else branch has no conditions');
    assert.deepEqual(
      branches.map((b) => arr(b.flow).map((m) => obj(m).id)),
      [[4], [5], [6]],
    );
    // the branches' modules are inside the if-else, not in the top-level flow
    assert.ok(!flow.some((m) => [4, 5, 6].includes(Number(m.id))));
    // the merge right after it has one filter slot per branch
    assert.equal(arr(flow[3].filters).length, branches.length);
  });

  test('Order routing: error-handler routes whose first module is filtered by the error type', () => {
    const bp = obj(JSON.parse(sample(ORDERS)));
    const flow = arr(bp.flow).map(obj);
    // module 2: the route is one Break directive that only takes connection errors
    const route2 = arr(flow[1].onerror).map(obj);
    assert.deepEqual(
      route2.map((m) => m.module),
      ['builtin:Break'],
    );
    assert.deepEqual(obj(route2[0].filter).conditions, [[{ a: '{{2.error.type}}', b: 'ConnectionError', o: 'text:equal' }]]);
    assert.deepEqual(route2[0].mapper, { retry: true, count: '3', interval: '15' });
    // module 4 (in the first branch): a handler module filtered on RateLimitError, then Ignore
    const m4 = obj(arr(obj(arr(flow[2].branches)[0]).flow)[0]);
    const route4 = arr(m4.onerror).map(obj);
    assert.deepEqual(
      route4.map((m) => m.module),
      ['slack:CreateMessage', 'builtin:Ignore'],
    );
    assert.deepEqual(obj(route4[0].filter).conditions, [[{ a: '{{4.error.type}}', b: 'RateLimitError', o: 'text:equal' }]]);
    assert.equal('filter' in route4[1], false);
  });
});
