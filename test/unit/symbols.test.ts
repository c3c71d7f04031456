import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseScenario } from '../../src/core/lint/lint';
import { symbolAt } from '../../src/core/scenario/symbols';
import type { ScenarioSymbol } from '../../src/core/scenario/symbols';

const FIXTURES = path.join(__dirname, '../../../test/fixtures/scenarios');
const text = fs.readFileSync(path.join(FIXTURES, 'lead-sync.scenario.yaml'), 'utf8');
const parsed = parseScenario('lead-sync.scenario.yaml', text);

/** The symbol at the `nth` occurrence of `needle` (offset `delta` into it). */
function at(needle: string, delta = 1, nth = 0): ScenarioSymbol | undefined {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(needle, i + 1);
    assert.ok(i >= 0, `${needle} #${nth} is in the text`);
  }
  return symbolAt(parsed, i + delta);
}

function spanText(s: ScenarioSymbol | undefined): string {
  assert.ok(s);
  return text.slice(s.span.start, s.span.end);
}

describe('symbolAt', () => {
  test('error type names in errors: lists and in faults', () => {
    const s = at('RateLimitError, ModuleTimeoutError', 3);
    assert.equal(s?.kind, 'errorType');
    assert.equal(s.kind === 'errorType' && s.name, 'RateLimitError');
    assert.equal(spanText(s), 'RateLimitError');
    const fault = at('error: ConnectionError', 10);
    assert.equal(fault?.kind, 'errorType');
    assert.equal(spanText(fault), 'ConnectionError');
  });

  test('directives carry their route and module', () => {
    const s = at('directive: rollback', 13);
    assert.equal(s?.kind, 'directive');
    if (s?.kind !== 'directive') return;
    assert.equal(s.directive, 'rollback');
    assert.equal(s.module.id, 3);
    assert.deepEqual(s.route.errors, ['ConnectionError', 'RateLimitError', 'ModuleTimeoutError']);
    assert.equal(spanText(s), 'rollback');
  });

  test('setting keys', () => {
    const s = at('sequentialProcessing', 0);
    assert.equal(s?.kind, 'setting');
    assert.equal(s.kind === 'setting' && s.key, 'sequentialProcessing');
    assert.equal(at('sequentialProcessing: true', 'sequentialProcessing: '.length + 1), undefined, 'the value is not the key');
  });

  test("module ids (own id and a fault's module), cursor at the end of the token too", () => {
    const s = at('id: 31', 4);
    assert.equal(s?.kind, 'module');
    assert.equal(s.kind === 'module' && s.module.id, 31);
    const end = at('id: 31', 6);
    assert.equal(end?.kind === 'module' && end.module.id, 31);
    const fault = at('module: 5', 8);
    assert.equal(fault?.kind === 'module' && fault.module.id, 5);
    assert.equal(fault?.kind === 'module' && fault.module.name, 'Ping the sales channel');
  });

  test("the app value is the module too (a minified blueprint's id is a one-character target)", () => {
    const app = at('app: acme-crm', 6);
    assert.equal(app?.kind, 'module');
    assert.ok(spanText(app).startsWith('acme-crm:'), spanText(app));
  });

  test('nothing at keys, comments, names; nothing without a model', () => {
    assert.equal(at('name: Lead sync', 2), undefined);
    assert.equal(at('# Lead sync', 3), undefined);
    assert.equal(at('app: acme-crm', 1), undefined, 'the key is not the module');
    assert.equal(symbolAt(parseScenario('x.scenario.yaml', 'a: ['), 1), undefined);
  });
});
