import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseYamlScenario, routeFieldSpans } from '../../src/core/scenario/yaml';
import { findModule, walkModules } from '../../src/core/model';
import type { Finding, Scenario, Span } from '../../src/core/model';
import { LineIndex } from '../../src/core/text/lineIndex';

const FIXTURES = path.join(__dirname, '../../../test/fixtures/scenarios');

function parse(text: string): { scenario: Scenario | null; findings: Finding[] } {
  return parseYamlScenario(text, new LineIndex(text));
}

function slice(text: string, span: Span | undefined): string {
  assert.ok(span, 'span is set');
  return text.slice(span.start, span.end);
}

function codes(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.code);
}

describe('parseYamlScenario: the model and its spans', () => {
  const text = fs.readFileSync(path.join(FIXTURES, 'invoice-export.scenario.yaml'), 'utf8');
  const { scenario, findings } = parse(text);

  test('a valid sample parses without findings', () => {
    assert.deepEqual(findings, []);
    assert.ok(scenario);
    assert.equal(scenario.format, 'yaml');
    assert.equal(scenario.name, 'Invoice export');
    assert.equal(slice(text, scenario.nameSpan), 'Invoice export');
  });

  test('settings: values, defaults and key spans', () => {
    assert.ok(scenario);
    assert.equal(scenario.settings.storeIncompleteExecutions, true);
    assert.equal(scenario.settings.maxConsecutiveErrors, 3);
    assert.equal(scenario.settings.dataLoss, false);
    assert.equal(scenario.settings.profile, undefined);
    assert.equal(slice(text, scenario.settingSpans.storeIncompleteExecutions), 'storeIncompleteExecutions');
    assert.equal(slice(text, scenario.settingSpans.maxConsecutiveErrors), 'maxConsecutiveErrors');
    assert.equal(scenario.settingSpans.dataLoss, undefined);
  });

  test('module spans: anchor is the id pair, idSpan / appSpan / nameSpan are the values', () => {
    assert.ok(scenario);
    const m2 = findModule(scenario, 2);
    assert.ok(m2);
    assert.equal(slice(text, m2.anchor), 'id: 2');
    assert.equal(slice(text, m2.idSpan), '2');
    assert.equal(slice(text, m2.appSpan), 'http:makeRequest');
    assert.equal(slice(text, m2.nameSpan), 'Fetch invoice PDF');
    assert.equal(m2.name, 'Fetch invoice PDF');
    // The whole module: from its first key to its last value (comment included), no trailing blanks.
    assert.ok(slice(text, m2.span).startsWith('id: 2\n'));
    assert.ok(slice(text, m2.span).endsWith('# no error handler: a ConnectionError is stored and retried'));
  });

  test('routers, router paths and routes', () => {
    assert.ok(scenario);
    assert.deepEqual(
      scenario.modules.map((m) => m.id),
      [1, 2, 3],
    );
    const router = findModule(scenario, 3);
    assert.ok(router?.isRouter);
    assert.deepEqual(
      router.routes.map((r) => r.name),
      ['Paid', 'Unpaid'],
    );
    assert.ok(slice(text, router.routes[0].span).startsWith('name: Paid'));
    assert.deepEqual(
      [...walkModules(scenario.modules)].map((m) => [m.id, m.routerPath]),
      [
        [1, []],
        [2, []],
        [3, []],
        [4, [3]],
        [5, [3]],
      ],
    );
  });

  test('error-handler route: values, directive span and field spans', () => {
    assert.ok(scenario);
    const m4 = findModule(scenario, 4);
    assert.ok(m4);
    assert.equal(m4.onError.length, 1);
    const route = m4.onError[0];
    assert.equal(route.directive, 'break');
    assert.equal(route.directiveExplicit, true);
    assert.equal(route.autoComplete, true);
    assert.equal(route.attempts, 3);
    assert.equal(route.intervalMinutes, 15);
    assert.equal(route.errors, null);
    assert.equal(slice(text, route.directiveSpan), 'break');
    assert.ok(slice(text, route.span).startsWith('directive: break'));
    const fields = routeFieldSpans(route);
    assert.equal(slice(text, fields.attempts), 'attempts: 3');
    assert.equal(slice(text, fields.intervalMinutes), 'intervalMinutes: 15');
    assert.equal(fields.output, undefined);
  });

  test('simulation: bundles, faults and their spans', () => {
    assert.ok(scenario?.simulation);
    const sim = scenario.simulation;
    assert.equal(sim.bundles, 3);
    assert.equal(sim.faults.length, 3);
    const f = sim.faults[0];
    assert.deepEqual(
      { module: f.module, error: f.error, message: f.message, bundles: f.bundles, recoverAfter: f.recoverAfter },
      {
        module: 2,
        error: 'ConnectionError',
        message: 'Connection reset by peer',
        bundles: [2],
        recoverAfter: 2,
      },
    );
    assert.equal(slice(text, f.moduleSpan), '2');
    assert.equal(slice(text, f.errorSpan), 'ConnectionError');
    assert.ok(slice(text, f.span).startsWith('module: 2'));
    assert.equal(sim.faults[1].recoverAfter, null);
  });
});

describe('parseYamlScenario: handler routes', () => {
  const text = fs.readFileSync(path.join(FIXTURES, 'lead-sync.scenario.yaml'), 'utf8');
  const { scenario } = parse(text);

  test('a list of routes keeps its order, filters and error spans', () => {
    assert.ok(scenario);
    const m3 = findModule(scenario, 3);
    assert.ok(m3);
    assert.equal(m3.onError.length, 2);
    assert.deepEqual(m3.onError[0].errors, ['AcmeQuotaExceeded']);
    assert.deepEqual(m3.onError[1].errors, ['ConnectionError', 'RateLimitError', 'ModuleTimeoutError']);
    assert.deepEqual(
      m3.onError[1].errorSpans.map((s) => text.slice(s.start, s.end)),
      ['ConnectionError', 'RateLimitError', 'ModuleTimeoutError'],
    );
    assert.equal(m3.onError[1].directive, 'rollback');
  });

  test('modules inside a handler route know their owner', () => {
    assert.ok(scenario);
    const m31 = findModule(scenario, 31);
    assert.ok(m31);
    assert.equal(m31.handlerOf, 3);
    assert.deepEqual(m31.routerPath, []);
    assert.equal(findModule(scenario, 3)?.handlerOf, undefined);
  });

  test('resume keeps its output', () => {
    assert.ok(scenario);
    const route = findModule(scenario, 2)?.onError[0];
    assert.equal(route?.directive, 'resume');
    assert.deepEqual(route?.output, { totalSize: 0, records: [] });
  });

  test('a route without directive defaults to ignore (not explicit); case of the directive is forgiven', () => {
    const t =
      'name: x\nmodules:\n  - id: 1\n    app: a:b\n  - id: 2\n    app: a:b\n    onError: {errors: [DataError]}\n  - id: 3\n    app: a:b\n    onError: {directive: Break}\n';
    const r = parse(t);
    assert.deepEqual(r.findings, []);
    const route = findModule(r.scenario as Scenario, 2)?.onError[0];
    assert.equal(route?.directive, 'ignore');
    assert.equal(route?.directiveExplicit, false);
    assert.equal(findModule(r.scenario as Scenario, 3)?.onError[0].directive, 'break');
  });

  test('nested routers: router path outermost first; routers inside handler routes pass handlerOf down', () => {
    const t = [
      'name: nest',
      'modules:',
      '  - id: 1',
      '    app: a:b',
      '  - id: 10',
      '    app: builtin:router',
      '    routes:',
      '      - modules:',
      '          - id: 20',
      '            app: builtin:BasicRouter',
      '            routes:',
      '              - modules:',
      '                  - id: 30',
      '                    app: x:y',
      '  - id: 40',
      '    app: x:y',
      '    onError:',
      '      modules:',
      '        - id: 41',
      '          app: builtin:router',
      '          routes:',
      '            - modules: [{id: 42, app: "x:z"}]',
      '',
    ].join('\n');
    const r = parse(t);
    assert.deepEqual(r.findings, []);
    const s = r.scenario as Scenario;
    assert.deepEqual(findModule(s, 30)?.routerPath, [10, 20]);
    assert.equal(findModule(s, 20)?.isRouter, true);
    assert.equal(findModule(s, 42)?.handlerOf, 40);
    assert.deepEqual(findModule(s, 42)?.routerPath, [41]);
    assert.equal(slice(t, findModule(s, 42)?.anchor), 'id: 42');
  });
});

describe('parseYamlScenario: problems', () => {
  test('YAML syntax errors: every one reported at the parser position, no model', () => {
    const t = 'name: x\nmodules: [1, 2\nfoo: bar: baz\n';
    const r = parse(t);
    assert.equal(r.scenario, null);
    assert.ok(r.findings.length >= 2, `expected several errors, got ${r.findings.length}`);
    assert.ok(r.findings.every((f) => f.code === 'yaml-syntax' && f.severity === 'error'));
    assert.ok(r.findings.every((f) => f.span.start >= 0 && f.span.end <= t.length));
    assert.ok(r.findings.every((f) => !f.message.includes('\n')));
  });

  test('duplicate keys are a syntax error', () => {
    const r = parse('name: x\nname: y\nmodules: [{id: 1, app: a:b}]\n');
    assert.deepEqual(codes(r.findings), ['yaml-syntax']);
    assert.equal(r.findings[0].range.start.line, 1);
  });

  test('empty file, comments only, not a mapping', () => {
    for (const t of ['', '# nothing here\n', '   \n']) {
      const r = parse(t);
      assert.equal(r.scenario, null);
      assert.deepEqual(codes(r.findings), ['invalid-scenario'], JSON.stringify(t));
    }
    const list = parse('- id: 1\n');
    assert.equal(list.scenario, null);
    assert.deepEqual(codes(list.findings), ['invalid-scenario']);
    const scalar = parse('just text');
    assert.deepEqual(codes(scalar.findings), ['invalid-scenario']);
    assert.equal(slice('just text', scalar.findings[0].span), 'just text');
  });

  test('missing name / modules, empty modules, modules not a list', () => {
    const noName = parse('modules:\n  - id: 1\n    app: a:b\n');
    assert.deepEqual(codes(noName.findings), ['invalid-scenario']);
    assert.match(noName.findings[0].message, /name/);
    assert.ok(noName.scenario, 'a best-effort model is still built');
    assert.equal(noName.scenario.modules.length, 1);

    const noModules = parse('name: x\n');
    assert.deepEqual(codes(noModules.findings), ['invalid-scenario']);
    assert.match(noModules.findings[0].message, /modules/);

    const t = 'name: x\nmodules: []\n';
    const empty = parse(t);
    assert.deepEqual(codes(empty.findings), ['invalid-scenario']);
    assert.equal(slice(t, empty.findings[0].span), '[]');

    const t2 = 'name: x\nmodules: trigger\n';
    const wrong = parse(t2);
    assert.deepEqual(codes(wrong.findings), ['invalid-scenario']);
    assert.equal(slice(t2, wrong.findings[0].span), 'trigger');
  });

  test('module fields: missing id/app, bad ids, wrong types are reported at the node; other modules survive', () => {
    const t = [
      'name: x',
      'modules:',
      '  - id: 1',
      '    app: a:b',
      '  - app: http:makeRequest', // no id → skipped
      '  - id: 0', // non-positive
      '    app: a:b',
      '  - id: 2.5', // non-integer
      '    app: a:b',
      '  - id: "3"', // string
      '    app: a:b',
      '  - id: 4', // no app → kept
      '  - id: 5',
      '    app: [x]',
      '  - id: 6',
      '    app: nocolon',
      '  - 42',
      '  - id: 7',
      '    app: a:b',
      '    name: {a: 1}',
      '',
    ].join('\n');
    const r = parse(t);
    assert.ok(r.scenario);
    assert.deepEqual(
      r.scenario.modules.map((m) => m.id),
      [1, 4, 5, 6, 7],
    );
    const got = r.findings.map((f) => [f.code, slice(t, f.span)]);
    assert.deepEqual(got, [
      ['invalid-scenario', 'app: http:makeRequest'],
      ['invalid-scenario', '0'],
      ['invalid-scenario', '2.5'],
      ['invalid-scenario', '"3"'],
      ['invalid-scenario', 'id: 4'],
      ['invalid-scenario', '[x]'],
      ['invalid-scenario', 'nocolon'],
      ['invalid-scenario', '42'],
      ['invalid-scenario', '{a: 1}'],
    ]);
    assert.ok(r.findings.every((f) => f.severity === 'error'));
  });

  test('duplicate ids anywhere in the file: reported on the second occurrence, naming the first line', () => {
    const t = [
      'name: x',
      'modules:',
      '  - id: 1',
      '    app: a:b',
      '  - id: 2',
      '    app: a:b',
      '    onError:',
      '      modules:',
      '        - id: 3',
      '          app: a:b',
      '  - id: 4',
      '    app: builtin:router',
      '    routes:',
      '      - modules:',
      '          - id: 3',
      '            app: a:b',
      '          - id: 2',
      '            app: a:b',
      '',
    ].join('\n');
    const r = parse(t);
    assert.deepEqual(codes(r.findings), ['duplicate-module-id', 'duplicate-module-id']);
    assert.equal(r.findings[0].range.start.line, 14);
    assert.match(r.findings[0].message, /line 9/);
    assert.equal(r.findings[1].range.start.line, 16);
    assert.equal(r.findings[1].moduleId, 2);
    assert.equal(slice(t, r.findings[1].span), '2');
  });

  test('unknown directive at its value (with a suggestion); the route is kept', () => {
    const t = 'name: x\nmodules:\n  - id: 1\n    app: a:b\n  - id: 2\n    app: a:b\n    onError:\n      directive: brake\n';
    const r = parse(t);
    assert.deepEqual(codes(r.findings), ['unknown-directive']);
    assert.equal(slice(t, r.findings[0].span), 'brake');
    assert.match(r.findings[0].message, /Did you mean "break"/);
    assert.equal(findModule(r.scenario as Scenario, 2)?.onError.length, 1);
  });

  test('settings: wrong types, unknown keys (with a suggestion), bad profile', () => {
    const t = [
      'name: x',
      'settings:',
      '  storeIncompleteExecution: false',
      '  dataLoss: yes please',
      '  maxConsecutiveErrors: 0',
      '  profile: zapier',
      '  instant: true',
      'modules:',
      '  - id: 1',
      '    app: a:b',
      '',
    ].join('\n');
    const r = parse(t);
    assert.deepEqual(
      r.findings.map((f) => slice(t, f.span)),
      ['storeIncompleteExecution', 'yes please', '0', 'zapier'],
    );
    assert.match(r.findings[0].message, /Did you mean "storeIncompleteExecutions"/);
    const s = r.scenario as Scenario;
    assert.equal(s.settings.storeIncompleteExecutions, true);
    assert.equal(s.settings.instant, true);
    assert.equal(s.settings.profile, undefined);
    assert.equal(s.settings.maxConsecutiveErrors, 3);
  });

  test('profile setting is read', () => {
    const r = parse('name: x\nsettings: {profile: make}\nmodules: [{id: 1, app: "a:b"}]\n');
    assert.deepEqual(r.findings, []);
    assert.equal(r.scenario?.settings.profile, 'make');
  });

  test('handler route problems: unknown fields, wrong errors, non-numeric retry fields, onError not a route', () => {
    const t = [
      'name: x',
      'modules:',
      '  - id: 1',
      '    app: a:b',
      '  - id: 2',
      '    app: a:b',
      '    onError:',
      '      errors: ConnectionError', // a single name is accepted
      '      directive: break',
      '      autocomplete: true', // typo
      '      attempts: three',
      '  - id: 3',
      '    app: a:b',
      '    onError: ignore',
      '  - id: 4',
      '    app: a:b',
      '    onError:',
      '      errors: [1, DataError]',
      '',
    ].join('\n');
    const r = parse(t);
    assert.deepEqual(
      r.findings.map((f) => [f.code, slice(t, f.span)]),
      [
        ['invalid-scenario', 'autocomplete'],
        ['invalid-retry-settings', 'three'],
        ['invalid-scenario', 'ignore'],
        ['invalid-scenario', '1'],
      ],
    );
    const s = r.scenario as Scenario;
    assert.deepEqual(findModule(s, 2)?.onError[0].errors, ['ConnectionError']);
    assert.equal(findModule(s, 2)?.onError[0].attempts, 3);
    assert.equal(findModule(s, 3)?.onError.length, 0);
    assert.deepEqual(findModule(s, 4)?.onError[0].errors, ['DataError']);
  });

  test('routes on a non-router are reported; their modules still count for duplicates', () => {
    const t = 'name: x\nmodules:\n  - id: 1\n    app: a:b\n  - id: 2\n    app: a:b\n    routes:\n      - modules: [{id: 1, app: "a:b"}]\n';
    const r = parse(t);
    assert.deepEqual(codes(r.findings), ['invalid-scenario', 'duplicate-module-id']);
    assert.equal(slice(t, r.findings[0].span), 'routes');
    assert.equal(findModule(r.scenario as Scenario, 2)?.routes.length, 0);
  });

  test('simulation problems: faults without module or error, bad bundle numbers, unknown fields', () => {
    const t = [
      'name: x',
      'modules: [{id: 1, app: "a:b"}]',
      'simulation:',
      '  bundles: 2',
      '  faults:',
      '    - error: DataError',
      '    - module: 1',
      '      error: DataError',
      '      bundles: [1, 3, x]',
      '      recoverAfter: 0',
      '      recoveryAfter: 1',
      '',
    ].join('\n');
    const r = parse(t);
    assert.deepEqual(
      r.findings.map((f) => slice(t, f.span)),
      ['error: DataError', '3', 'x', '0', 'recoveryAfter'],
    );
    const sim = r.scenario?.simulation;
    assert.equal(sim?.faults.length, 1);
    assert.deepEqual(sim?.faults[0].bundles, [1]);
  });

  test('aliases: scalar aliases resolve, collection aliases are refused (no infinite recursion)', () => {
    const t = 'name: &n x\nmodules: &m\n  - id: 1\n    app: a:b\n  - id: 2\n    app: a:b\n    onError:\n      modules: *m\n';
    const r = parse(t);
    assert.ok(r.scenario);
    assert.equal(r.scenario.name, 'x');
    assert.deepEqual(codes(r.findings), ['invalid-scenario']);
  });

  test('a leading byte-order mark and CRLF line breaks are handled; spans still match the text', () => {
    const t = '\ufeffname: x\r\nmodules:\r\n  - id: 1\r\n    app: a:b\r\n  - id: 2\r\n    app: c:d\r\n';
    const r = parse(t);
    assert.deepEqual(r.findings, []);
    const m2 = findModule(r.scenario as Scenario, 2);
    assert.equal(slice(t, m2?.anchor), 'id: 2');
    assert.equal(slice(t, m2?.appSpan), 'c:d');
    assert.equal(slice(t, m2?.span), 'id: 2\r\n    app: c:d');
  });
});
