// The lint registry is the one list of rules: everything derived from it exists and is up to date.
// When a rule is added, these tests say what is still missing (its page, a fixture, a stale
// generated file: run `npm run generate`).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintScenario } from '../../src/core/lint/lint';
import { DEFAULT_SEVERITIES, isLintCode, isSuppressible, LINT_CODES, RULES, STRUCTURAL_CODES } from '../../src/core/lint/registry';
import {
  artefacts,
  BODY_END_MARKER,
  bodyStartMarker,
  pageBody,
  replaceBetweenMarkers,
  replaceJsonValue,
} from '../../src/generate/artefacts';
import { orphanRulePages } from '../../src/generate/main';
import { NOT_FROM_SCENARIO_FILES, RULE_FIXTURES } from '../integration/ruleFixtures';

const ROOT = path.join(__dirname, '../../..');
const read = (rel: string): string | undefined =>
  fs.existsSync(path.join(ROOT, rel)) ? fs.readFileSync(path.join(ROOT, rel), 'utf8') : undefined;

describe('lint registry', () => {
  test('every file under src/core/lint/rules/ is a registered rule named after its code', () => {
    const files = fs
      .readdirSync(path.join(ROOT, 'src/core/lint/rules'))
      .filter((n) => n.endsWith('.ts'))
      .map((n) => n.slice(0, -3))
      .sort();
    assert.deepEqual(
      files,
      [...LINT_CODES].sort(),
      'a rule file is missing from RULES in registry.ts (or a registered rule has no file of its name)',
    );
    assert.equal(new Set(LINT_CODES).size, LINT_CODES.length);
  });

  test('codes, severities, structural set and isLintCode derive from the rules', () => {
    for (const r of RULES) {
      assert.match(r.code, /^[a-z]+(-[a-z]+)*$/, r.code);
      assert.equal(DEFAULT_SEVERITIES[r.code], r.defaultSeverity);
      assert.equal(STRUCTURAL_CODES.has(r.code), r.structural, r.code);
      assert.equal(isSuppressible(r.code), r.suppressible, r.code);
      assert.ok(isLintCode(r.code));
    }
    assert.equal(isLintCode('no-such-rule'), false);
    assert.equal(isLintCode('toString'), false);
  });

  test('each summary is one line of prose ending with a full stop', () => {
    for (const r of RULES) {
      assert.ok(!r.summary.includes('\n') && r.summary === r.summary.trim(), r.code);
      assert.match(r.summary, /^[A-Z`].*\.$/, r.code);
    }
  });

  test('fromParser says which rules the scenario parsers report (read from their source)', () => {
    const dir = path.join(ROOT, 'src/core/scenario');
    const reported = new Set<string>();
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      for (const m of text.matchAll(/\breport\(\s*'([a-z-]+)'/g)) reported.add(m[1]);
    }
    assert.ok(reported.size > 0, "found the parsers' report calls");
    for (const code of reported) assert.ok(isLintCode(code), `a parser reports ${code}, which is no registered rule`);
    assert.deepEqual(
      RULES.filter((r) => r.fromParser)
        .map((r) => r.code)
        .sort(),
      [...reported].sort(),
    );
  });
});

describe('generated from the registry and the catalogue (npm run generate)', () => {
  for (const a of artefacts()) {
    test(`${a.path} is up to date`, () => {
      const current = read(a.path);
      assert.ok(current !== undefined, `${a.path} does not exist: run npm run generate`);
      assert.equal(a.render(current), current, `${a.path} is stale: run npm run generate`);
    });
  }

  test('rendering is deterministic and idempotent', () => {
    for (const a of artefacts()) {
      const once = a.render(read(a.path));
      assert.equal(a.render(once), once, a.path);
    }
  });

  test('package.json lists every rule in lint.severity, and nothing else', () => {
    const pkg = JSON.parse(read('package.json') ?? '{}') as {
      contributes: { configuration: { properties: Record<string, { properties?: Record<string, { enum: string[] }> }> } };
    };
    const props = pkg.contributes.configuration.properties['fusionExecutions.lint.severity'].properties ?? {};
    assert.deepEqual(Object.keys(props), [...LINT_CODES]);
    for (const code of LINT_CODES) assert.ok(props[code].enum.includes(DEFAULT_SEVERITIES[code]) && props[code].enum.includes('off'));
  });

  test('the helpers keep everything outside the generated part', () => {
    const json = '{\n  "a": {\n    "b": [1],\n    "c": "keep"\n  }\n}\n';
    assert.equal(
      replaceJsonValue(json, ['a', 'b'], [1, 2]),
      '{\n  "a": {\n    "b": [\n      1,\n      2\n    ],\n    "c": "keep"\n  }\n}\n',
    );
    assert.throws(() => replaceJsonValue(json, ['a', 'x'], 1), /No JSON value at a\.x/);
    const md = 'before\n<!-- t:start -->\nold\n<!-- t:end -->\nafter\n';
    assert.equal(replaceBetweenMarkers(md, 't', 'new'), 'before\n<!-- t:start -->\nnew\n<!-- t:end -->\nafter\n');
    assert.throws(() => replaceBetweenMarkers('no markers', 't', 'x'), /Missing the marker comments/);
  });
});

describe('rule pages docs/rules/<code>.md', () => {
  test('every rule has a written page, and no page is left without a rule', () => {
    for (const code of LINT_CODES) {
      const text = read(`docs/rules/${code}.md`);
      assert.ok(text !== undefined, `docs/rules/${code}.md is missing: run npm run generate, then write its body`);
      const body = pageBody(text, code);
      assert.ok(body !== undefined, `docs/rules/${code}.md needs ${bodyStartMarker(code)} … ${BODY_END_MARKER}`);
      assert.doesNotMatch(body, /\bTODO\b/, `docs/rules/${code}.md: write the body (it still has the TODOs of the generated stub)`);
      assert.match(body, /\*\*Why it matters:\*\*/, code);
      assert.match(body, /\*\*How to fix:\*\*/, code);
    }
    assert.deepEqual(orphanRulePages(ROOT), [], 'pages of rules that are not in the registry');
  });
});

describe('a fixture for every rule (test/integration/ruleFixtures.ts)', () => {
  test("the fixture map has exactly the registry's codes", () => {
    assert.deepEqual(Object.keys(RULE_FIXTURES).sort(), [...LINT_CODES].sort());
  });
  for (const code of LINT_CODES) {
    const noFixture = RULE_FIXTURES[code] === null ? NOT_FROM_SCENARIO_FILES[code] : undefined;
    test(`the fixture of ${code} reports it`, { skip: noFixture ? `no scenario fixture: ${noFixture}` : false }, () => {
      const rel: string | null | undefined = RULE_FIXTURES[code];
      assert.ok(rel, `${code} has no fixture in test/integration/ruleFixtures.ts`);
      const file = path.join(ROOT, 'test/fixtures/workspace/scenarios', rel);
      assert.ok(fs.existsSync(file), `${rel} does not exist`);
      const codes = lintScenario(path.basename(file), fs.readFileSync(file, 'utf8')).findings.map((f) => f.code);
      assert.ok(codes.includes(code), `${rel} reports ${codes.join(', ') || 'nothing'}, not ${code}`);
    });
  }
});
