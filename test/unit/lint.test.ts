import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ERROR_TYPES } from '../../src/core/catalogue/catalogue';
import { isBlueprint, lintScenario, parseScenario, suppressions } from '../../src/core/lint/lint';
import type { Finding, LintCode } from '../../src/core/model';
import { LineIndex } from '../../src/core/text/lineIndex';

const FIXTURES = path.join(__dirname, '../../../test/fixtures/scenarios');
const F = 'test.scenario.yaml';

function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

function found(text: string, findings: readonly Finding[]): [LintCode, number, string][] {
  return findings.map((f) => [f.code, f.range.start.line + 1, text.slice(f.span.start, f.span.end)]);
}

function only(findings: readonly Finding[], code: LintCode): Finding[] {
  return findings.filter((f) => f.code === code);
}

/** A scenario with a trigger and the given module lines (already indented by 2). */
function scenario(body: string[], head: string[] = []): string {
  return ['name: Test', ...head, 'modules:', '  - id: 1', '    app: a:trigger', ...body, ''].join('\n');
}

describe('isBlueprint / parseScenario dispatch', () => {
  test('file names and content decide', () => {
    assert.equal(isBlueprint('x.blueprint.json', ''), true);
    assert.equal(isBlueprint('X.BLUEPRINT.JSON', 'not json'), true);
    assert.equal(isBlueprint('export.json', '{"name":"a","flow":[],"metadata":{}}'), true);
    assert.equal(isBlueprint('export.json', '\ufeff{"flow":[],"metadata":{}}'), true);
    assert.equal(isBlueprint('export.json', '{"flow":[]}'), false);
    assert.equal(isBlueprint('export.json', '{not json'), false);
    assert.equal(isBlueprint('x.scenario.yaml', '{"flow":[],"metadata":{}}'), false);
  });

  test('YAML files go to the YAML parser, .json files to the blueprint parser', () => {
    const y = parseScenario('a.scenario.yaml', 'name: x\nmodules: [{id: 1, app: "a:b"}]\n');
    assert.equal(y.format, 'yaml');
    assert.equal(y.scenario?.name, 'x');
    assert.equal(y.lineIndex.text.length, 'name: x\nmodules: [{id: 1, app: "a:b"}]\n'.length);
    assert.equal(parseScenario('a.blueprint.json', '{}').format, 'blueprint');
    assert.equal(parseScenario('a.json', '{}').format, 'blueprint');
  });
});

describe('missing-error-handler', () => {
  test('flags a non-first module without any applicable route, on its id line, saying what each family does', () => {
    const text = scenario(['  - id: 2', '    app: http:makeRequest', '    name: Fetch invoice PDF']);
    const r = lintScenario(F, text);
    assert.deepEqual(found(text, r.findings), [['missing-error-handler', 5, 'id: 2']]);
    const f = r.findings[0];
    assert.equal(f.severity, 'warning');
    assert.equal(f.moduleId, 2);
    assert.equal(
      f.message,
      'Module 2 "Fetch invoice PDF" (http:makeRequest) has no error-handler route: ConnectionError, RateLimitError, OutOfSpaceError, ModuleTimeoutError store an incomplete execution with automatic retry; DataError, InvalidConfigurationError, InvalidAccessTokenError, UnexpectedError, MaxFileSizeExceededError, MaxResultsExceededError store an incomplete execution without automatic retry; any other error fails the run.',
    );
  });

  test('make profile wording (setting or option): three retried types, unknown ones stored', () => {
    const text = scenario(['  - id: 2', '    app: http:makeRequest']);
    for (const r of [
      lintScenario(F, text, { profile: 'make' }),
      lintScenario(F, text.replace('modules:', 'settings: {profile: make}\nmodules:')),
    ]) {
      const m = only(r.findings, 'missing-error-handler')[0].message;
      assert.match(
        m,
        /^Module 2 \(http:makeRequest\) has no error-handler route: ConnectionError, RateLimitError, ModuleTimeoutError store an incomplete execution with automatic retry; /,
      );
      assert.match(m, /fail the run; any other error stores an incomplete execution without automatic retry\.$/);
    }
  });

  test('storage off: every error fails the run', () => {
    const text = scenario(['  - id: 2', '    app: http:makeRequest'], ['settings:', '  storeIncompleteExecutions: false']);
    const m = only(lintScenario(F, text).findings, 'missing-error-handler')[0].message;
    assert.equal(
      m,
      'Module 2 (http:makeRequest) has no error-handler route (storing of incomplete executions is off): every error fails the run.',
    );
  });

  test('not flagged: the trigger, routers, modules with a route, modules in handler routes, modules under a router with a route', () => {
    const text = scenario([
      '  - id: 2',
      '    app: a:b',
      '    onError:',
      '      directive: ignore',
      '      modules:',
      '        - id: 21',
      '          app: slack:createMessage',
      '  - id: 3',
      '    app: builtin:router',
      '    onError: {directive: commit}',
      '    routes:',
      '      - modules:',
      '          - id: 4',
      '            app: a:b',
      '          - id: 5',
      '            app: builtin:router',
      '            routes:',
      '              - modules: [{id: 6, app: "a:b"}]',
    ]);
    assert.deepEqual(lintScenario(F, text).findings, []);
  });

  test('a module under a router without a route is flagged; the router itself is not', () => {
    const text = scenario([
      '  - id: 3',
      '    app: builtin:router',
      '    routes:',
      '      - modules:',
      '          - id: 4',
      '            app: a:b',
    ]);
    assert.deepEqual(found(text, lintScenario(F, text).findings), [['missing-error-handler', 9, 'id: 4']]);
  });
});

describe('partial-error-handler', () => {
  test('own filters that miss types: lists the stored / retried ones that fall through', () => {
    const text = scenario([
      '  - id: 2',
      '    app: a:b',
      '    onError:',
      '      errors: [ConnectionError, DataError]',
      '      directive: ignore',
    ]);
    const r = lintScenario(F, text);
    assert.deepEqual(found(text, r.findings), [['partial-error-handler', 5, 'id: 2']]);
    const f = r.findings[0];
    assert.equal(f.severity, 'information');
    assert.match(f.message, /its error-handler route catches only ConnectionError, DataError/);
    assert.match(f.message, /RateLimitError, OutOfSpaceError, ModuleTimeoutError store an incomplete execution with automatic retry/);
    assert.match(
      f.message,
      /InvalidConfigurationError, InvalidAccessTokenError, UnexpectedError, MaxFileSizeExceededError, MaxResultsExceededError store an incomplete execution without automatic retry/,
    );
    assert.match(f.message, /any other uncaught error fails the run\.$/);
  });

  test('filters that together (module + enclosing router) catch every type: no finding', () => {
    const text = scenario([
      '  - id: 3',
      '    app: builtin:router',
      '    onError:',
      '      - errors: [ConnectionError]',
      '      - {directive: rollback}',
      '    routes:',
      '      - modules:',
      '          - id: 4',
      '            app: a:b',
      '            onError: {errors: [DataError], directive: resume}',
    ]);
    assert.deepEqual(lintScenario(F, text).findings, []);
  });

  test('only the enclosing router filters: reported on the module with the router wording', () => {
    const text = scenario([
      '  - id: 3',
      '    app: builtin:router',
      '    onError: {errors: [ConnectionError], directive: ignore}',
      '    routes:',
      '      - modules:',
      '          - id: 4',
      '            app: a:b',
    ]);
    const r = lintScenario(F, text);
    assert.deepEqual(found(text, r.findings), [['partial-error-handler', 10, 'id: 4']]);
    assert.match(r.findings[0].message, /the enclosing router's error-handler route catches only ConnectionError/);
  });

  test('make profile: uncatchable AccountValidationError need not be listed', () => {
    // Every catalogue type a route can catch in make: all but AccountValidationError.
    const all = ERROR_TYPES.filter((e) => !e.uncatchableInMake).map((e) => e.name);
    assert.ok(!all.includes('AccountValidationError') && all.length === ERROR_TYPES.length - 1);
    const text = scenario(['  - id: 2', '    app: a:b', `    onError: {errors: [${all.join(', ')}]}`]);
    assert.deepEqual(lintScenario(F, text, { profile: 'make' }).findings, []);
    const fusion = lintScenario(F, text, { profile: 'fusion' }).findings;
    assert.deepEqual(
      fusion.map((f) => f.code),
      ['partial-error-handler'],
    );
    assert.match(fusion[0].message, /AccountValidationError fails the run/);
  });

  test('the trigger: its filters are not checked in fusion (the trigger stops the run anyway), they are in make', () => {
    const text = [
      'name: t',
      'modules:',
      '  - id: 1',
      '    app: a:trigger',
      '    onError: {errors: [DataError], directive: break}',
      '',
    ].join('\n');
    assert.deepEqual(lintScenario(F, text).findings, []);
    assert.deepEqual(
      lintScenario(F, text, { profile: 'make' }).findings.map((f) => f.code),
      ['partial-error-handler'],
    );
  });
});

describe('unknown-error-type', () => {
  test('names in errors: and in faults; custom app errors allowed; suggestion for typos', () => {
    const text =
      scenario(['  - id: 2', '    app: a:b', '    onError: {errors: [ConnectionErorr, AcmeQuotaExceeded, DataError]}'], []) +
      'simulation:\n  faults:\n    - module: 2\n      error: RateLimitErrors\n';
    const r = lintScenario(F, text);
    const u = only(r.findings, 'unknown-error-type');
    assert.deepEqual(found(text, u), [
      ['unknown-error-type', 7, 'ConnectionErorr'],
      ['unknown-error-type', 7, 'AcmeQuotaExceeded'],
      ['unknown-error-type', 11, 'RateLimitErrors'],
    ]);
    assert.ok(u.every((f) => f.severity === 'warning'));
    assert.match(u[0].message, /Did you mean ConnectionError\?/);
    assert.match(u[1].message, /custom app errors are allowed; without a handler they fail the run/i);
    assert.doesNotMatch(u[1].message, /Did you mean/);
    assert.match(
      lintScenario(F, text, { profile: 'make' }).findings.filter((f) => f.code === 'unknown-error-type')[1].message,
      /stored as incomplete executions without automatic retry/,
    );
  });

  test('known names: no finding', () => {
    const text =
      scenario(['  - id: 2', '    app: a:b', '    onError: {errors: [ConnectionError], directive: ignore}']) +
      'simulation:\n  faults: [{module: 2, error: DataError}]\n';
    assert.deepEqual(only(lintScenario(F, text).findings, 'unknown-error-type'), []);
  });
});

describe('break-requires-incomplete-storage', () => {
  const body = ['  - id: 2', '    app: a:b', '    onError:', '      directive: break'];
  test('break with storage off: error at the directive', () => {
    const text = scenario(body, ['settings:', '  storeIncompleteExecutions: false']);
    const r = lintScenario(F, text);
    assert.deepEqual(found(text, r.findings), [['break-requires-incomplete-storage', 10, 'break']]);
    assert.equal(r.findings[0].severity, 'error');
  });
  test('break with storage on, or another directive with storage off: nothing', () => {
    assert.deepEqual(lintScenario(F, scenario(body)).findings, []);
    const ignore = scenario(
      ['  - id: 2', '    app: a:b', '    onError: {directive: ignore}'],
      ['settings:', '  storeIncompleteExecutions: false'],
    );
    assert.deepEqual(lintScenario(F, ignore).findings, []);
  });
});

describe('invalid-retry-settings', () => {
  const route = (lines: string[]): string => scenario(['  - id: 2', '    app: a:b', '    onError:', ...lines.map((l) => `      ${l}`)]);

  test('attempts range depends on the profile: 1..100 fusion, 1..10000 make', () => {
    const t = route(['directive: break', 'attempts: 500']);
    assert.deepEqual(found(t, lintScenario(F, t).findings), [['invalid-retry-settings', 9, 'attempts: 500']]);
    assert.match(lintScenario(F, t).findings[0].message, /1 to 100 \(profile fusion\)/);
    assert.deepEqual(lintScenario(F, t, { profile: 'make' }).findings, []);
    const t2 = route(['directive: break', 'attempts: 10001']);
    assert.deepEqual(
      lintScenario(F, t2, { profile: 'make' }).findings.map((f) => f.code),
      ['invalid-retry-settings'],
    );
    for (const ok of ['1', '100']) assert.deepEqual(lintScenario(F, route(['directive: break', `attempts: ${ok}`])).findings, []);
    for (const bad of ['0', '-1', '2.5', '101']) {
      assert.deepEqual(
        lintScenario(F, route(['directive: break', `attempts: ${bad}`])).findings.map((f) => f.code),
        ['invalid-retry-settings'],
        bad,
      );
    }
  });

  test('intervalMinutes 1..44640, whole numbers', () => {
    for (const ok of ['1', '44640']) assert.deepEqual(lintScenario(F, route(['directive: break', `intervalMinutes: ${ok}`])).findings, []);
    for (const bad of ['0', '44641', '1.5', 'soon']) {
      const t = route(['directive: break', `intervalMinutes: ${bad}`]);
      const r = lintScenario(F, t);
      assert.deepEqual(
        r.findings.map((f) => f.code),
        ['invalid-retry-settings'],
        bad,
      );
      assert.ok(t.slice(r.findings[0].span.start, r.findings[0].span.end).includes(bad));
    }
  });

  test('retry fields on a non-break directive (explicit or default) are reported at each field', () => {
    const t = route(['directive: resume', 'autoComplete: true', 'attempts: 3']);
    assert.deepEqual(found(t, lintScenario(F, t).findings), [
      ['invalid-retry-settings', 9, 'autoComplete: true'],
      ['invalid-retry-settings', 10, 'attempts: 3'],
    ]);
    const t2 = route(['intervalMinutes: 5']);
    const r2 = lintScenario(F, t2);
    assert.deepEqual(found(t2, r2.findings), [['invalid-retry-settings', 8, 'intervalMinutes: 5']]);
    assert.match(r2.findings[0].message, /ignore \(the default\)/);
  });
});

describe('unknown-module-reference', () => {
  test('a fault naming a missing id (handler modules count as existing)', () => {
    const text =
      scenario(['  - id: 2', '    app: a:b', '    onError:', '      modules: [{id: 21, app: "a:b"}]']) +
      'simulation:\n  faults:\n    - {module: 21, error: DataError}\n    - {module: 7, error: DataError}\n';
    const r = lintScenario(F, text);
    assert.deepEqual(found(text, only(r.findings, 'unknown-module-reference')), [['unknown-module-reference', 12, '7']]);
    assert.match(r.findings.find((f) => f.code === 'unknown-module-reference')?.message ?? '', /ids: 1, 2, 21/);
  });
});

describe('the every-rule fixture', () => {
  test('one lint pass reports every problem, sorted by position', () => {
    const text = fixture('every-rule.scenario.yaml');
    const r = lintScenario('every-rule.scenario.yaml', text);
    assert.deepEqual(found(text, r.findings), [
      ['missing-error-handler', 8, 'id: 2'],
      ['partial-error-handler', 10, 'id: 3'],
      ['unknown-error-type', 13, 'TeapotError'],
      ['break-requires-incomplete-storage', 14, 'break'],
      ['invalid-retry-settings', 15, 'attempts: 0'],
      ['invalid-retry-settings', 16, 'intervalMinutes: 50000'],
      ['invalid-retry-settings', 21, 'autoComplete: true'],
      ['duplicate-module-id', 22, '4'],
      ['unknown-directive', 24, 'explode'],
      ['unknown-module-reference', 28, '9'],
      ['unknown-error-type', 29, 'ConnectionErorr'],
    ]);
    for (const f of r.findings) {
      assert.ok(f.span.start >= 0 && f.span.end <= text.length && f.span.start <= f.span.end);
      assert.deepEqual(f.range, r.lineIndex.rangeOf(f.span));
    }
  });

  test('the samples lint as documented', () => {
    const inv = lintScenario('invoice-export.scenario.yaml', fixture('invoice-export.scenario.yaml'));
    assert.deepEqual(
      inv.findings.map((f) => [f.code, f.moduleId]),
      [
        ['missing-error-handler', 2],
        ['missing-error-handler', 5],
      ],
    );
    const lead = lintScenario('lead-sync.scenario.yaml', fixture('lead-sync.scenario.yaml'));
    assert.deepEqual(
      lead.findings.map((f) => [f.code, f.moduleId]),
      [
        ['partial-error-handler', 3],
        ['missing-error-handler', 5],
      ],
    );
    const order = lintScenario('order-fulfilment.scenario.yaml', fixture('order-fulfilment.scenario.yaml'));
    assert.deepEqual(order.findings, []);
  });
});

describe('suppression comments', () => {
  const body = ['  - id: 2', '    app: a:b', '    onError: {errors: [Bogus], directive: ignore}'];

  test('a code suppresses only that code, on the next non-comment line', () => {
    const text = scenario(['  # fusion-lint-disable-next-line missing-error-handler', '  # another comment in between', '', ...body]);
    // The comment targets the `- id: 2` line: the partial finding sits there too but is another code.
    const r = lintScenario(F, text);
    assert.deepEqual(
      r.findings.map((f) => f.code),
      ['partial-error-handler', 'unknown-error-type'],
    );
    const text2 = scenario(['  # fusion-lint-disable-next-line partial-error-handler', ...body]);
    assert.deepEqual(
      lintScenario(F, text2).findings.map((f) => f.code),
      ['unknown-error-type'],
    );
  });

  test('several codes, commas, a reason after --, or no code at all (every code)', () => {
    const withCodes = scenario([
      '  - id: 2',
      '    app: a:b',
      '    onError:',
      '      # fusion-lint-disable-next-line unknown-error-type, partial-error-handler -- custom app',
      '      errors: [Bogus]',
    ]);
    assert.deepEqual(
      lintScenario(F, withCodes).findings.map((f) => f.code),
      ['partial-error-handler'],
    );
    const all = scenario(['  # fusion-lint-disable-next-line', '  - id: 2', '    app: a:b']);
    assert.deepEqual(lintScenario(F, all).findings, []);
  });

  test('a comment suppresses only the next line, not the one after', () => {
    const text = scenario([
      '  # fusion-lint-disable-next-line missing-error-handler',
      '  - id: 2',
      '    app: a:b',
      '  - id: 3',
      '    app: a:b',
    ]);
    assert.deepEqual(
      lintScenario(F, text).findings.map((f) => f.moduleId),
      [3],
    );
  });

  test('a trailing comment on the same line or a misspelled directive does not suppress', () => {
    const text = scenario([
      '  - id: 2 # fusion-lint-disable-next-line',
      '    app: a:b',
      '  # fusion-lint-disable-nextline',
      '  - id: 3',
      '    app: a:b',
    ]);
    assert.deepEqual(
      lintScenario(F, text).findings.map((f) => f.moduleId),
      [2, 3],
    );
  });

  test('syntax errors cannot be suppressed', () => {
    const text = 'name: x\n# fusion-lint-disable-next-line\nmodules: [1,\n';
    const codes = lintScenario(F, text).findings.map((f) => f.code);
    assert.ok(codes.length > 0 && codes.every((c) => c === 'yaml-syntax'), codes.join());
  });

  test('suppressions() maps target lines to code sets', () => {
    const text = '# fusion-lint-disable-next-line a b\n\n# x\nkey: 1\n# fusion-lint-disable-next-line\nother: 2\n';
    const map = suppressions(text, new LineIndex(text));
    assert.deepEqual(
      [...map.entries()].map(([l, c]) => [l, c === null ? null : [...c]]),
      [
        [3, ['a', 'b']],
        [5, null],
      ],
    );
  });

  test('CRLF file: suppression and ranges', () => {
    const text = fixture('crlf.scenario.yaml');
    assert.ok(text.includes('\r\n'));
    const r = lintScenario('crlf.scenario.yaml', text);
    assert.deepEqual(found(text, r.findings), [
      ['missing-error-handler', 6, 'id: 2'],
      ['partial-error-handler', 8, 'id: 3'],
    ]);
    assert.deepEqual(r.findings[0].range, { start: { line: 5, character: 4 }, end: { line: 5, character: 9 } });
  });
});

describe('severities', () => {
  const text = scenario(['  - id: 2', '    app: a:b', '    onError: {errors: [Bogus], directive: ignore}']);
  test('overrides change the severity; off drops the rule', () => {
    const r = lintScenario(F, text, { severities: { 'partial-error-handler': 'error', 'unknown-error-type': 'off' } });
    assert.deepEqual(
      r.findings.map((f) => [f.code, f.severity]),
      [['partial-error-handler', 'error']],
    );
  });
  test('defaults without options', () => {
    assert.deepEqual(
      lintScenario(F, text).findings.map((f) => [f.code, f.severity]),
      [
        ['partial-error-handler', 'information'],
        ['unknown-error-type', 'warning'],
      ],
    );
  });
  test('parser findings take overrides too', () => {
    const bad = 'name: x\nmodules: []\n';
    assert.deepEqual(
      lintScenario(F, bad, { severities: { 'invalid-scenario': 'hint' } }).findings.map((f) => f.severity),
      ['hint'],
    );
    assert.deepEqual(lintScenario(F, bad, { severities: { 'invalid-scenario': 'off' } }).findings, []);
  });
});

describe('robustness', () => {
  test('never throws on odd inputs; spans inside the text', () => {
    const inputs = [
      '',
      '\ufeff',
      '\u0000',
      '---\n---\n',
      '[',
      '{',
      'name: x\nmodules: *a\n',
      '? [a]\n: b\n',
      'modules:\n  - !!binary AAAA\n',
      'a: &a [*a]\n',
      '\r\r\r',
      'name: x\nmodules:\n  - id: 99999999999999999999\n    app: a:b\n',
    ];
    for (const t of inputs) {
      const r = lintScenario(F, t);
      for (const f of r.findings) assert.ok(f.span.start >= 0 && f.span.end <= t.length, JSON.stringify(t));
    }
  });
});
