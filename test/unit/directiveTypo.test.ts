// A directive Fusion does not know (`directive: brake`): the route's outcome is unknown, not the
// parser's default (Ignore); no follow-on findings; a "Change to 'break'" fix on the value only.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintScenario, parseScenario } from '../../src/core/lint/lint';
import { classify, outcomesByErrorType, summarizeOutcomes } from '../../src/core/classify/classifier';
import { describeOutcome } from '../../src/core/classify/outcomes';
import { directiveTypoFixes } from '../../src/core/fixes/quickfix';
import { buildMap } from '../../src/core/map/layout';
import { colourMap } from '../../src/core/map/colours';
import { simulate } from '../../src/core/simulate/simulator';
import { applyEdits } from '../../src/core/text/edits';
import { findModule } from '../../src/core/model';
import { documentSymbols } from '../../src/core/scenario/language';
import type { Scenario } from '../../src/core/model';

const F = 'typo.scenario.yaml';

/** A scenario whose module 2 has one route ending with `directive: <value>` and Break settings. */
function typo(value: string, extra = ''): string {
  return [
    'name: Typo',
    'modules:',
    '  - id: 1',
    '    app: webhook:customWebhook',
    '  - id: 2',
    '    app: http:makeRequest',
    '    onError:',
    `      directive: ${value}`,
    '      autoComplete: true',
    '      attempts: 5',
    '      intervalMinutes: 10',
    extra,
    '',
  ].join('\n');
}

function scenarioOf(text: string): Scenario {
  const s = parseScenario(F, text).scenario;
  assert.ok(s, 'the scenario parses');
  return s;
}

describe('directive typo: the parser keeps the directive as written', () => {
  test('unknownDirective carries the raw text; a known directive has none', () => {
    const route = findModule(scenarioOf(typo('brake')), 2)?.onError[0];
    assert.equal(route?.unknownDirective, 'brake');
    assert.equal(route?.directiveExplicit, false);
    const known = findModule(scenarioOf(typo('break')), 2)?.onError[0];
    assert.equal(known?.unknownDirective, undefined);
    assert.equal(known?.directive, 'break');
  });

  test('a non-text value is kept in words', () => {
    assert.equal(findModule(scenarioOf(typo('42')), 2)?.onError[0].unknownDirective, '42');
  });
});

describe('directive typo: lint', () => {
  test('one unknown-directive error and no retry settings "on a non-break directive"', () => {
    const codes = lintScenario(F, typo('brake')).findings.map((f) => f.code);
    assert.deepEqual(codes, ['unknown-directive']);
  });

  test('the same settings on a real non-break directive are still reported', () => {
    const codes = lintScenario(F, typo('ignore')).findings.map((f) => f.code);
    assert.deepEqual(codes, ['invalid-retry-settings', 'invalid-retry-settings', 'invalid-retry-settings']);
  });
});

describe('directive typo: the classifier answers unknown', () => {
  test('classify: outcome unknown, nothing claimed, the directive named', () => {
    const c = classify(scenarioOf(typo('brake')), 2, 'ConnectionError');
    assert.equal(c.outcome, 'unknown');
    assert.equal(c.unknownDirective, 'brake');
    assert.equal(c.handler, null);
    assert.equal(c.storesIncompleteExecution, false);
    assert.equal(c.autoRetry, false);
    assert.match(c.reason, /directive 'brake' is not one Fusion knows, so what happens is unknown/);
    assert.doesNotMatch(c.reason, /Ignore/);
    assert.equal(describeOutcome(c.outcome, c.dependsOn, c.unknownDirective), "unknown: the directive 'brake' is not one Fusion knows");
  });

  test('the CodeLens summary says unknown, not "every error is handled"', () => {
    const summary = summarizeOutcomes(outcomesByErrorType(scenarioOf(typo('brake')), 2));
    assert.equal(summary, "On failure: unknown: the directive 'brake' is not one Fusion knows");
  });

  test('a route catching some types: the others keep their known outcomes', () => {
    const text = typo('brake').replace('    onError:\n', '    onError:\n      errors: [ConnectionError]\n');
    const groups = outcomesByErrorType(scenarioOf(text), 2);
    const unknown = groups.find((g) => g.outcome === 'unknown');
    assert.deepEqual(unknown?.errorTypes, ['ConnectionError']);
    assert.ok(groups.some((g) => g.outcome === 'incomplete-with-retry'));
    assert.match(summarizeOutcomes(groups), /1 unknown \(the directive 'brake' is not one Fusion knows\)/);
  });

  test('the failure map colours the module unknown; simulate does not claim Ignore', () => {
    const text = typo('brake', 'simulation:\n  bundles: 1\n  faults:\n    - module: 2\n      error: ConnectionError');
    const s = scenarioOf(text);
    const b = buildMap(s);
    const colours = colourMap(s, b.map, { kind: 'type', name: 'ConnectionError' });
    const node = b.nodeOfModule.get(2);
    assert.ok(node);
    assert.equal(colours.nodes[node]?.category, 'unknown');
    const directiveNode = b.map.nodes.find((n) => n.kind === 'directive');
    assert.equal(directiveNode?.label, 'brake — unknown directive');
    assert.equal(directiveNode?.directive, undefined);
    const report = simulate(s, { clock: () => new Date('2026-01-01T00:00:00Z'), newId: () => 'ie-1' });
    assert.equal(report.executions.length, 0);
    assert.ok(
      report.summary.some((l) => /unknown: the directive 'brake' is not one Fusion knows/.test(l)),
      report.summary.join('\n'),
    );
    assert.ok(!report.summary.some((l) => /ignored/.test(l)), report.summary.join('\n'));
  });
});

describe('directive typo: the fix "Change to \'break\'"', () => {
  const fixAt = (text: string, word: string): ReturnType<typeof directiveTypoFixes> =>
    directiveTypoFixes(parseScenario(F, text), text.indexOf(word) + 1);

  test('replaces the value token only; the comment stays; preferred when unique; re-lints clean', () => {
    const text = typo('brake # retry later');
    const fixes = fixAt(text, 'brake');
    assert.deepEqual(
      fixes.map((f) => [f.directive, f.preferred]),
      [['break', true]],
    );
    const next = applyEdits(text, [fixes[0].edit]);
    assert.equal(next, text.replace('brake # retry later', 'break # retry later'));
    assert.deepEqual(lintScenario(F, next).findings, []);
  });

  test('a quoted value keeps its quotes', () => {
    for (const q of ['"', "'"]) {
      const text = typo(`${q}brake${q}`);
      const next = applyEdits(text, [fixAt(text, 'brake')[0].edit]);
      assert.match(next, new RegExp(`directive: ${q}break${q}\\n`));
    }
  });

  test('the nearest directive only, preferred; nothing near enough: no fix; off the value: no fix', () => {
    // The five directives are far apart: no misspelling within the limit is equally near two of them.
    assert.deepEqual(
      fixAt(typo('comit'), 'comit').map((f) => [f.directive, f.preferred]),
      [['commit', true]],
    );
    assert.deepEqual(fixAt(typo('explode'), 'explode'), []);
    // Off the value: nothing.
    const text = typo('brake');
    assert.deepEqual(directiveTypoFixes(parseScenario(F, text), text.indexOf('attempts')), []);
  });

  test('blueprints get no directive fix (a misspelt directive module is a handler module there)', () => {
    const bp = JSON.stringify({
      name: 'bp',
      flow: [
        { id: 1, module: 'gateway:CustomWebHook' },
        { id: 2, module: 'http:ActionSendData', onerror: [{ id: 3, module: 'builtin:Brake' }] },
      ],
      metadata: { scenario: { dlq: true } },
    });
    const parsed = lintScenario('x.blueprint.json', bp);
    assert.ok(!parsed.findings.some((f) => f.code === 'unknown-directive'));
    assert.deepEqual(directiveTypoFixes(parsed, bp.indexOf('builtin:Brake') + 2), []);
  });
});

describe('directive typo: the Outline and decided-at-run-time name it as written', () => {
  test('the handler route reads "On error: brake (unknown directive)", not Ignore', () => {
    const symbols = documentSymbols(parseScenario(F, typo('brake')));
    const names = JSON.stringify(symbols);
    assert.match(names, /On error: brake \(unknown directive\)/);
    assert.doesNotMatch(names, /On error: Ignore/);
  });
});
