/** Recognising scenario exports by content (`sniffScenarioJson`), whatever the file is called. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isScenarioJson, sniffScenarioJson } from '../../src/core/scenario/workspace';

const EXPORT = '{"name":"Orders sync","flow":[{"id":1,"module":"gateway:CustomWebHook","version":1}],"metadata":{"instant":true}}';

describe('sniffScenarioJson', () => {
  test('a plain export: top-level flow and metadata, in any order, BOM allowed', () => {
    assert.equal(sniffScenarioJson(EXPORT).kind, 'blueprint');
    assert.equal(sniffScenarioJson('\ufeff{"metadata":{},"flow":[]}').kind, 'blueprint');
    assert.equal(sniffScenarioJson('{\r\n  "flow": [],\r\n  "metadata": {"scenario": {"dlq": true}}\r\n}').kind, 'blueprint');
  });

  test('keys of nested objects do not count: only the top level decides', () => {
    const nested = '{"data":{"flow":[],"metadata":{}},"items":[{"flow":[],"metadata":{}}]}';
    assert.equal(sniffScenarioJson(nested).kind, undefined);
    // keys after a skipped array and a skipped object are still seen
    assert.equal(sniffScenarioJson('{"a":[{"b":[1,{"c":2}]}],"d":{"e":{"f":[]}},"flow":[],"metadata":{}}').kind, 'blueprint');
  });

  test('the Make API response and the template wrapper', () => {
    assert.equal(sniffScenarioJson(`{"code":"OK","response":{"blueprint":${EXPORT}}}`).kind, 'api-response');
    assert.equal(sniffScenarioJson(`{"response":{"scheduling":{"type":"indefinitely"},"blueprint":${EXPORT}}}`).kind, 'api-response');
    assert.equal(sniffScenarioJson(`{"blueprint":${EXPORT},"controller":{"modules":{}},"metadata":null}`).kind, 'template');
    assert.equal(sniffScenarioJson(`{"name":"Template","blueprint":${EXPORT}}`).kind, 'template');
    // a wrapper whose inner object is not an export
    assert.equal(sniffScenarioJson('{"response":{"blueprint":{"name":"x"}}}').kind, undefined);
    assert.equal(sniffScenarioJson('{"blueprint":"not an object"}').kind, undefined);
  });

  test('not scenarios: package.json, the executions file, arrays, literals, empty text', () => {
    const pkg = sniffScenarioJson('{"name":"x","version":"1.0.0","scripts":{"flow":"x","metadata":"y"}}');
    assert.equal(pkg.kind, undefined);
    assert.deepEqual(pkg.topKeys, ['name', 'version', 'scripts']);
    assert.equal(pkg.topType, 'object');
    assert.equal(sniffScenarioJson('{"version":1,"executions":[]}').kind, undefined);
    assert.equal(sniffScenarioJson('[{"flow":[],"metadata":{}}]').topType, 'array');
    assert.equal(sniffScenarioJson('[{"flow":[],"metadata":{}}]').kind, undefined);
    assert.equal(sniffScenarioJson('"flow metadata"').topType, 'literal');
    assert.equal(sniffScenarioJson('').topType, 'none');
    assert.equal(isScenarioJson(''), false);
  });

  test('a broken export (unquoted {{placeholders}} inside flow) is still recognised', () => {
    const broken = '{"name":"x","flow":[{"id":1,"module":"json:ParseJSON","mapper":{"json":{{1.body}}}}],"metadata":{}}';
    const s = sniffScenarioJson(broken);
    assert.equal(s.broken, true);
    assert.equal(s.kind, 'blueprint');
    // but an invalid text without a top-level flow array is not
    assert.equal(sniffScenarioJson('{"name": {{x}}, "flow": "no"}').kind, undefined);
  });

  test('comments and trailing commas are tolerated (a JSONC file is judged by its keys)', () => {
    assert.equal(sniffScenarioJson('// export\n{"flow":[],"metadata":{},}').kind, 'blueprint');
  });

  test('top keys are capped: a short excerpt, never the file', () => {
    const many = `{${Array.from({ length: 50 }, (_, i) => `"${'k'.repeat(100)}${i}":${i}`).join(',')}}`;
    const s = sniffScenarioJson(many);
    assert.equal(s.topKeys.length, 8);
    for (const k of s.topKeys) assert.ok(k.length <= 40);
  });

  test('linear: a 5 MB non-scenario JSON is judged in well under a second', () => {
    const big = `{"rows":[${Array.from({ length: 60000 }, (_, i) => `{"id":${i},"flow":[1,2,3],"metadata":{"x":"${'y'.repeat(40)}"}}`).join(',')}]}`;
    assert.ok(big.length > 5_000_000);
    const t0 = Date.now();
    assert.equal(sniffScenarioJson(big).kind, undefined);
    assert.ok(Date.now() - t0 < 3000, `${Date.now() - t0} ms`);
  });
});
