/*
 * Blueprint parser on the hand-written exports of test/fixtures/blueprints (invented scenarios in
 * the shapes real exports have; see the README there). Every expected value below was written down
 * by reading the fixture files (module ids, routers, onerror arrays, metadata.scenario, the line and
 * column of the broken file's error), not produced by the code under test. The same assertions on
 * real exports, read from ../shared beside the clone, are in realExports.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { lintScenario, parseScenario } from '../../src/core/lint/lint';
import { walkModules } from '../../src/core/model';
import type { ErrorHandlerRoute } from '../../src/core/model';
import { routeFieldSpans } from '../../src/core/scenario/yaml';
import { FIXTURES, at, lintPairs, load, missing, mod, parse, parsedText, routeSummary, slice } from './helpers/blueprintFixtures';

const parsed = (name: string): ReturnType<typeof parsedText> => parsedText(name, load(name));

describe('blueprint fixtures', () => {
  test('every hand-written fixture is there; the BOM on the files that have one', () => {
    const files = fs.readdirSync(FIXTURES).sort();
    assert.deepEqual(files, [
      'README.md',
      'calendar-agent.blueprint.json',
      'channel-digest.blueprint.json',
      'invoice-intake.blueprint.json',
      'lead-scoring.blueprint.json',
      'newsletter.broken.blueprint.json',
      'stock-report.blueprint.json',
      'ticket-triage.blueprint.json',
    ]);
    for (const name of [
      'invoice-intake.blueprint.json',
      'lead-scoring.blueprint.json',
      'channel-digest.blueprint.json',
      'newsletter.broken.blueprint.json',
    ]) {
      assert.equal(load(name).charCodeAt(0), 0xfeff, `${name} starts with a BOM`);
    }
    for (const name of ['calendar-agent.blueprint.json', 'stock-report.blueprint.json', 'ticket-triage.blueprint.json']) {
      assert.notEqual(load(name).charCodeAt(0), 0xfeff, `${name} has no BOM`);
    }
  });

  test('invoice-intake: BOM, instant, dlq true, Break handlers with string mapper values (one after a handler module), a router, a feeder', () => {
    const { text, scenario: s, findings, lineIndex } = parsed('invoice-intake.blueprint.json');
    assert.deepEqual(findings, []);
    assert.equal(s.format, 'blueprint');
    assert.equal(s.name, 'Supplier invoices: scan -> book -> tell accounts');
    assert.equal(slice(text, s.nameSpan), '"Supplier invoices: scan -> book -> tell accounts"');
    assert.deepEqual(
      s.modules.map((m) => m.id),
      [1, 2, 3, 5, 7, 8, 9],
    );
    // 17 module objects in the file; the 4 builtin:Break directive modules (4, 6, 11, 15) are
    // routes' directives, not modules; the handler module 14 is one.
    assert.equal([...walkModules(s.modules)].length, 13);

    const router = mod(s, 9);
    assert.equal(router.isRouter, true);
    assert.equal(router.app, 'builtin:BasicRouter');
    assert.deepEqual(
      router.routes.map((r) => r.modules.map((m) => m.id)),
      [
        [10, 12],
        [13, 16, 17],
      ],
    );
    // A route's name is the label of the filter on its first module (module 10's filter).
    assert.deepEqual(
      router.routes.map((r) => r.name),
      ['Over 1000 EUR', undefined],
    );
    assert.deepEqual(mod(s, 16).routerPath, [9]);
    assert.deepEqual(mod(s, 3).routerPath, []);
    assert.equal(mod(s, 2).isRouter, false, 'a feeder is not a router');

    const withHandlers = [...walkModules(s.modules)].filter((m) => m.onError.length > 0).map((m) => m.id);
    assert.deepEqual(withHandlers, [3, 5, 10, 13]);
    const expected: Record<
      number,
      { attempts: number; intervalMinutes: number; handlerModules: number[]; count: string; interval: string; retry: string }
    > = {
      3: {
        attempts: 3,
        intervalMinutes: 15,
        handlerModules: [],
        count: '"count": "3"',
        interval: '"interval": "15"',
        retry: '"retry": true',
      },
      5: {
        attempts: 5,
        intervalMinutes: 60,
        handlerModules: [],
        count: '"count": "5"',
        interval: '"interval": "60"',
        retry: '"retry": "true"',
      },
      10: {
        attempts: 3,
        intervalMinutes: 15,
        handlerModules: [],
        count: '"count": "3"',
        interval: '"interval": "15"',
        retry: '"retry": true',
      },
      13: {
        attempts: 3,
        intervalMinutes: 15,
        handlerModules: [14],
        count: '"count": "3"',
        interval: '"interval": "15"',
        retry: '"retry": true',
      },
    };
    for (const id of withHandlers) {
      const m = mod(s, id);
      const want = expected[id];
      assert.equal(m.onError.length, 1);
      assert.deepEqual(routeSummary(m.onError[0]), {
        directive: 'break',
        explicit: true,
        autoComplete: true,
        attempts: want.attempts,
        intervalMinutes: want.intervalMinutes,
        handlerModules: want.handlerModules,
        errors: null,
      });
      assert.equal(slice(text, m.onError[0].directiveSpan), '"builtin:Break"');
      assert.deepEqual(m.onError[0].errorSpans, []);
      const route = slice(text, m.onError[0].span);
      assert.ok(route.startsWith('[') && route.endsWith(']'));
      // lint points retry problems at the blueprint keys
      assert.equal(slice(text, routeFieldSpans(m.onError[0]).attempts), want.count);
      assert.equal(slice(text, routeFieldSpans(m.onError[0]).intervalMinutes), want.interval);
      assert.equal(slice(text, routeFieldSpans(m.onError[0]).autoComplete), want.retry);
    }
    // The first Break module sits on line 65, its value at column 31 ("module": at 21).
    assert.equal(at(lineIndex, mod(s, 3).onError[0].directiveSpan), '65:31');
    assert.equal(at(lineIndex, mod(s, 13).onError[0].directiveSpan), '304:47');
    // the handler module before the directive belongs to module 13's route
    assert.equal(mod(s, 14).handlerOf, 13);
    assert.equal(mod(s, 14).name, 'Tell accounts');
    assert.deepEqual(mod(s, 14).onError, []);

    // module 3 spans: id on line 43, name in metadata.designer
    const m3 = mod(s, 3);
    assert.equal(m3.name, 'Download attachment');
    assert.equal(slice(text, m3.nameSpan), '"Download attachment"');
    assert.equal(slice(text, m3.idSpan), '3');
    assert.equal(at(lineIndex, m3.idSpan), '43:19');
    assert.equal(slice(text, m3.appSpan), '"http:ActionGetFile"');
    assert.equal(slice(text, m3.anchor), '"http:ActionGetFile"');
    assert.ok(slice(text, m3.span).startsWith('{\n            "id": 3,'));
    assert.ok(slice(text, m3.span).endsWith('}'));
    assert.equal(mod(s, 7).name, undefined);

    assert.deepEqual(s.settings, {
      storeIncompleteExecutions: true,
      sequentialProcessing: false,
      maxConsecutiveErrors: 3,
      dataLoss: false,
      instant: true,
    });
    assert.equal(slice(text, s.settingSpans.storeIncompleteExecutions), '"dlq"');
    assert.equal(at(lineIndex, s.settingSpans.storeIncompleteExecutions), '380:13');
    assert.equal(slice(text, s.settingSpans.instant), '"instant"');
    assert.equal(at(lineIndex, s.settingSpans.instant), '369:9');
    assert.equal(slice(text, s.settingSpans.maxConsecutiveErrors), '"maxErrors"');
    assert.equal(slice(text, s.settingSpans.sequentialProcessing), '"sequential"');
    assert.equal(slice(text, s.settingSpans.dataLoss), '"dataloss"');
    assert.equal(s.simulation, null);
  });

  test('stock-report: 4-space export, two builtin:Ignore handlers, dlq false', () => {
    const { text, scenario: s, findings, lineIndex } = parsed('stock-report.blueprint.json');
    assert.deepEqual(findings, []);
    assert.equal(s.name, 'Stock report: weekly refresh');
    assert.deepEqual(
      s.modules.map((m) => [m.id, m.app]),
      [
        [2, 'airtable:ActionSearchRecords'],
        [3, 'http:ActionSendData'],
        [5, 'airtable:ActionUpdateRecords'],
        [8, 'slack:CreateMessage'],
      ],
    );
    assert.ok(s.modules.every((m) => !m.isRouter && m.routes.length === 0));
    assert.deepEqual(
      s.modules.map((m) => m.onError.length),
      [0, 0, 1, 1],
    );
    for (const id of [5, 8]) {
      const r = mod(s, id).onError[0];
      assert.deepEqual(routeSummary(r), {
        directive: 'ignore',
        explicit: true,
        autoComplete: false,
        attempts: 3,
        intervalMinutes: 15,
        handlerModules: [],
        errors: null,
      });
      assert.equal(slice(text, r.directiveSpan), '"builtin:Ignore"');
      assert.deepEqual(routeFieldSpans(r).attempts, undefined);
    }
    assert.equal(at(lineIndex, mod(s, 5).onError[0].directiveSpan), '68:31');
    assert.equal(at(lineIndex, mod(s, 8).onError[0].directiveSpan), '99:31');
    assert.equal(s.settings.storeIncompleteExecutions, false);
    assert.equal(s.settings.instant, false);
    assert.equal(at(lineIndex, s.settingSpans.storeIncompleteExecutions), '123:13');
    assert.equal(slice(text, mod(s, 2).idSpan), '2');
    assert.equal(slice(text, mod(s, 2).anchor), '"airtable:ActionSearchRecords"');
    assert.equal(mod(s, 3).name, 'Fetch stock level');
  });

  test('ticket-triage: 2-space export, a filtered router with routes named by their first filter, a feeder, 3 builtin:Ignore handlers', () => {
    const { text, scenario: s, findings, lineIndex } = parsed('ticket-triage.blueprint.json');
    assert.deepEqual(findings, []);
    assert.deepEqual(
      s.modules.map((m) => m.id),
      [1, 2, 3, 5, 6],
    );
    assert.equal(mod(s, 5).app, 'builtin:BasicFeeder');
    assert.equal(mod(s, 5).isRouter, false);
    const router = mod(s, 6);
    assert.equal(router.isRouter, true);
    assert.equal(at(lineIndex, router.appSpan), '104:17');
    assert.deepEqual(
      router.routes.map((r) => r.modules.map((m) => m.id)),
      [[7], [9]],
    );
    // the router's own filter ("Not spam") names no route; the label is kept as written (trailing space)
    assert.deepEqual(
      router.routes.map((r) => r.name),
      ['Priority = urgent', 'Priority = normal '],
    );
    assert.deepEqual(mod(s, 7).routerPath, [6]);
    assert.deepEqual(mod(s, 9).routerPath, [6]);
    const handled = [...walkModules(s.modules)].filter((m) => m.onError.length > 0);
    assert.deepEqual(
      handled.map((m) => [m.id, m.onError[0].directive, at(lineIndex, m.onError[0].directiveSpan)]),
      [
        [3, 'ignore', '76:21'],
        [7, 'ignore', '160:29'],
        [9, 'ignore', '207:29'],
      ],
    );
    assert.equal(s.settings.storeIncompleteExecutions, false);
    assert.equal(slice(text, s.settingSpans.storeIncompleteExecutions), '"dlq"');
    assert.equal(at(lineIndex, s.settingSpans.storeIncompleteExecutions), '235:7');
  });

  test('lead-scoring: BOM, a router with two routes and a router nested in the second, no handlers', () => {
    const { scenario: s, findings, lineIndex } = parsed('lead-scoring.blueprint.json');
    assert.deepEqual(findings, []);
    assert.equal(s.name, 'Lead scoring: enrich and route');
    assert.deepEqual(
      s.modules.map((m) => m.id),
      [1, 2, 3, 4, 5, 6],
    );
    assert.equal([...walkModules(s.modules)].length, 13);
    const router = mod(s, 6);
    assert.equal(at(lineIndex, router.appSpan), '99:23');
    assert.deepEqual(
      router.routes.map((r) => [r.name, r.modules.map((m) => m.id)]),
      [
        ['Score >= 80', [7, 8, 9]],
        ['Score < 80', [10, 11]],
      ],
    );
    const inner = mod(s, 11);
    assert.equal(inner.isRouter, true);
    assert.deepEqual(inner.routerPath, [6]);
    assert.equal(at(lineIndex, inner.appSpan), '224:39');
    assert.deepEqual(
      inner.routes.map((r) => [r.name, r.modules.map((m) => m.id)]),
      [
        ['Has a phone number', [12]],
        [undefined, [13]],
      ],
    );
    assert.deepEqual(mod(s, 12).routerPath, [6, 11]);
    assert.deepEqual(mod(s, 13).routerPath, [6, 11]);
    assert.ok([...walkModules(s.modules)].every((m) => m.onError.length === 0));
    assert.equal(s.settings.storeIncompleteExecutions, false);
    assert.equal(at(lineIndex, s.settingSpans.storeIncompleteExecutions), '308:13');
  });

  test('calendar-agent: minified modules, a router with four labelled routes, instant, dlq false', () => {
    const { text, scenario: s, findings, lineIndex } = parsed('calendar-agent.blueprint.json');
    assert.deepEqual(findings, []);
    assert.deepEqual(
      s.modules.map((m) => [m.id, m.app]),
      [
        [1, 'gateway:CustomWebHook'],
        [2, 'builtin:BasicRouter'],
      ],
    );
    const router = mod(s, 2);
    assert.deepEqual(
      router.routes.map((r) => [r.name, r.modules.map((m) => m.id)]),
      [
        ['Book', [3, 4]],
        ['Agenda', [5, 6]],
        ['Cancel', [7, 8]],
        ['Reschedule', [9, 10]],
      ],
    );
    // Line 5: `    {"id":2,"module":"builtin:BasicRouter",...`
    assert.equal(at(lineIndex, router.idSpan), '5:11');
    assert.equal(at(lineIndex, router.anchor), '5:22');
    assert.equal(slice(text, router.anchor), '"builtin:BasicRouter"');
    // two modules on each route's line (line 6: modules 3 and 4)
    assert.equal(at(lineIndex, mod(s, 3).idSpan), '6:22');
    assert.equal(at(lineIndex, mod(s, 4).idSpan), '6:550');
    assert.deepEqual(s.settings, {
      storeIncompleteExecutions: false,
      sequentialProcessing: false,
      maxConsecutiveErrors: 3,
      dataLoss: false,
      instant: true,
    });
    assert.equal(at(lineIndex, s.settingSpans.instant), '12:16');
  });

  test('channel-digest: an Integromat-era export (no instant), a straight flow with aggregator and feeder, dlq false', () => {
    const { scenario: s, findings } = parsed('channel-digest.blueprint.json');
    assert.deepEqual(findings, []);
    assert.deepEqual(
      s.modules.map((m) => [m.id, m.app]),
      [
        [12, 'util:SetVariables'],
        [1, 'rss:ActionReadArticles'],
        [9, 'builtin:BasicAggregator'],
        [6, 'email:ActionSendEmail'],
        [7, 'builtin:BasicFeeder'],
        [4, 'http:ActionSendData'],
        [3, 'google-sheets:addRow'],
      ],
    );
    assert.ok(s.modules.every((m) => !m.isRouter && m.onError.length === 0));
    assert.equal(s.settings.storeIncompleteExecutions, false);
    // metadata has no `instant`: the default (a scheduled scenario), and no span to point at
    assert.equal(s.settings.instant, false);
    assert.equal(s.settingSpans.instant, undefined);
  });

  test('newsletter.broken: json-syntax at line 28, column 27 (a quote inside a string ends it early)', () => {
    const text = load('newsletter.broken.blueprint.json');
    const r = parse(text);
    assert.equal(r.scenario, null);
    assert.ok(r.findings.length >= 1);
    assert.ok(r.findings.every((f) => f.code === 'json-syntax' && f.severity === 'error'));
    const first = r.findings[0];
    assert.equal(at(r.lineIndex, first.span), '28:27');
    assert.ok(slice(text, first.span).startsWith('weekly'));
    assert.match(first.message, /^JSON syntax error \(InvalidSymbol\)/);
    assert.deepEqual(first.range.start, { line: 27, character: 26 });
  });

  test('lint: exactly the expected (code, module) pairs on every fixture', () => {
    const expected: Record<string, string[]> = {
      // no handlers; trigger 1 and router 2 are not flagged
      'calendar-agent.blueprint.json': missing([3, 4, 5, 6, 7, 8, 9, 10]),
      // the first module (12) is the trigger
      'channel-digest.blueprint.json': missing([1, 9, 6, 7, 4, 3]),
      // 3, 5, 10, 13 have Break handlers (dlq true; 3 attempts / 15 min and 5 / 60: valid); 14 is a handler module; 9 the router
      'invoice-intake.blueprint.json': missing([2, 7, 8, 12, 16, 17]),
      // routers 6 and 11 are not flagged
      'lead-scoring.blueprint.json': missing([2, 3, 4, 5, 7, 8, 9, 10, 12, 13]),
      'newsletter.broken.blueprint.json': Array(lintScenario('x.json', load('newsletter.broken.blueprint.json')).findings.length).fill(
        'json-syntax@-',
      ),
      // 5 and 8 have Ignore handlers
      'stock-report.blueprint.json': missing([3]),
      // 3, 7, 9 have Ignore handlers; 6 is the router
      'ticket-triage.blueprint.json': missing([2, 5]),
    };
    for (const [name, pairs] of Object.entries(expected)) {
      assert.deepEqual(lintPairs(name, load(name)), pairs, name);
    }
    assert.ok(expected['newsletter.broken.blueprint.json'].length >= 1);
  });

  test('lint anchors missing-error-handler on the module value, one line per route in a minified file', () => {
    const text = load('calendar-agent.blueprint.json');
    const f = lintScenario('calendar-agent.blueprint.json', text).findings.find((x) => x.moduleId === 5);
    assert.ok(f);
    assert.equal(slice(text, f.span), '"http:ActionSendData"');
    assert.equal(f.range.start.line, 6); // line 7 holds modules 5 and 6
    assert.match(f.message, /^Module 5 \(http:ActionSendData\) has no error-handler route \(storing of incomplete executions is off\)/);
  });

  test('a .json file goes to the blueprint parser through lint.parseScenario', () => {
    const r = parseScenario('exports/invoice-intake.blueprint.json', load('invoice-intake.blueprint.json'));
    assert.equal(r.format, 'blueprint');
    assert.equal(r.scenario?.modules.length, 7);
  });
});

describe('byte-order mark', () => {
  test('spans are right for the text given, with and without the BOM', () => {
    const withBom = load('invoice-intake.blueprint.json');
    const without = withBom.slice(1);
    const a = parse(withBom).scenario;
    const b = parse(without).scenario;
    assert.ok(a && b);
    const ma = [...walkModules(a.modules)];
    const mb = [...walkModules(b.modules)];
    assert.equal(ma.length, mb.length);
    for (let i = 0; i < ma.length; i++) {
      assert.equal(ma[i].anchor.start, mb[i].anchor.start + 1);
      assert.equal(slice(withBom, ma[i].anchor), slice(without, mb[i].anchor));
      assert.equal(slice(withBom, ma[i].idSpan), String(ma[i].id));
      assert.equal(slice(without, mb[i].idSpan), String(mb[i].id));
    }
    // positions: the BOM counts as one character on line 1 only
    assert.equal(at(parse(withBom).lineIndex, a.nameSpan), '2:13');
    assert.equal(at(parse(without).lineIndex, b.nameSpan), '2:13');
    assert.equal(slice(without, b.settingSpans.storeIncompleteExecutions), '"dlq"');
  });

  test('a BOM anywhere else is a syntax error; a BOM on a one-line file keeps column offsets', () => {
    const mid = parse('{"name": "x",\uFEFF "flow": []}');
    assert.equal(mid.scenario, null);
    assert.equal(mid.findings[0].code, 'json-syntax');
    assert.equal(mid.findings[0].span.start, 13);
    const one = '\uFEFF{"name":"n","flow":[{"id":1,"module":"a:b"},{"id":2,"module":"c:d"}]}';
    const s = parse(one).scenario;
    assert.ok(s);
    assert.equal(slice(one, s.modules[1].anchor), '"c:d"');
    assert.equal(s.modules[1].anchor.start, one.indexOf('"c:d"'));
  });
});

describe('strict JSON and structure', () => {
  const codes = (text: string): string[] => parse(text).findings.map((f) => f.code);

  test('comments and trailing commas are json-syntax errors at their position', () => {
    const comment = '{\n  // exported\n  "name": "x", "flow": []\n}';
    const r = parse(comment);
    assert.equal(r.scenario, null);
    assert.equal(r.findings[0].code, 'json-syntax');
    assert.equal(at(r.lineIndex, r.findings[0].span), '2:3');
    assert.match(r.findings[0].message, /InvalidCommentToken/);

    const trailing = '{"name": "x", "flow": [{"id": 1, "module": "a:b"},]}';
    const t = parse(trailing);
    assert.equal(t.scenario, null);
    assert.equal(t.findings[0].code, 'json-syntax');
    assert.equal(t.findings[0].span.start, trailing.indexOf(']'));
    assert.match(t.findings[0].message, /ValueExpected/);
  });

  test('empty text, a non-object, a missing or wrong flow', () => {
    assert.deepEqual(codes(''), ['json-syntax']);
    assert.deepEqual(codes('[1, 2]'), ['invalid-scenario']);
    const noFlow = parse('{"name": "x", "metadata": {}}');
    assert.deepEqual(
      noFlow.findings.map((f) => [f.code, noFlow.lineIndex.text.slice(f.span.start, f.span.end)]),
      [['invalid-scenario', '"name"']],
    );
    const flowObj = '{"name": "x", "flow": {"id": 1}}';
    const fo = parse(flowObj);
    assert.deepEqual(
      fo.findings.map((f) => [f.code, slice(flowObj, f.span)]),
      [['invalid-scenario', '{"id": 1}']],
    );
    assert.deepEqual(codes('{"name": "x", "flow": []}'), ['invalid-scenario']);
  });

  test('modules without id or module, or with a wrong id, are reported at the node', () => {
    const text = '{"name":"x","flow":[{"id":1,"module":"a:b"},{"module":"c:d"},{"id":"3","module":"e:f"},{"id":4},42]}';
    const r = parse(text);
    assert.ok(r.scenario);
    assert.deepEqual(
      r.scenario.modules.map((m) => m.id),
      [1, 4],
    );
    assert.deepEqual(
      r.findings.map((f) => [f.code, slice(text, f.span)]),
      [
        ['invalid-scenario', '"c:d"'],
        ['invalid-scenario', '"3"'],
        ['invalid-scenario', '"id":4'],
        ['invalid-scenario', '42'],
      ],
    );
    assert.equal(r.findings[2].moduleId, 4);
  });

  test('duplicate ids, including a directive module, on the second occurrence', () => {
    const text =
      '{"name":"x","flow":[{"id":1,"module":"a:b"},{"id":2,"module":"c:d","onerror":[{"id":1,"module":"builtin:Ignore"}]},{"id":2,"module":"e:f"}]}';
    const r = parse(text);
    const dups = r.findings.filter((f) => f.code === 'duplicate-module-id');
    assert.deepEqual(
      dups.map((f) => [f.moduleId, f.span.start]),
      [
        [1, text.indexOf('"id":1,"module":"builtin:Ignore"') + 5],
        [2, text.lastIndexOf('"id":2') + 5],
      ],
    );
    assert.match(dups[0].message, /already used on line 1/);
  });

  test('onerror without a directive module is one ignore route of handler modules; an unknown builtin at the end is a handler', () => {
    const text = JSON.stringify({
      name: 'x',
      flow: [
        { id: 1, module: 'a:b' },
        {
          id: 2,
          module: 'http:ActionSendData',
          onerror: [
            { id: 3, module: 'slack:CreateMessage' },
            { id: 4, module: 'builtin:Stop' },
          ],
        },
      ],
    });
    const s = parse(text).scenario;
    assert.ok(s);
    const r = mod(s, 2).onError;
    assert.equal(r.length, 1);
    assert.deepEqual(routeSummary(r[0]), {
      directive: 'ignore',
      explicit: false,
      autoComplete: false,
      attempts: 3,
      intervalMinutes: 15,
      handlerModules: [3, 4],
      errors: null,
    });
    assert.equal(r[0].directiveSpan, undefined);
    assert.equal(mod(s, 3).handlerOf, 2);
    assert.equal(mod(s, 4).handlerOf, 2);
    assert.deepEqual(lintPairs('x.blueprint.json', text), []);
  });

  test('Break mapper: numbers, booleans and their strings; defaults; bad values are invalid-retry-settings', () => {
    const bp = (mapper: unknown): string =>
      JSON.stringify({
        name: 'x',
        flow: [
          { id: 1, module: 'a:b' },
          { id: 2, module: 'c:d', onerror: [{ id: 3, module: 'builtin:Break', mapper }] },
        ],
      });
    const route = (mapper: unknown): ErrorHandlerRoute => {
      const s = parse(bp(mapper)).scenario;
      assert.ok(s);
      return mod(s, 2).onError[0];
    };
    assert.deepEqual([route({ retry: 'false', count: 5, interval: 60 })].map(routeSummary)[0], {
      directive: 'break',
      explicit: true,
      autoComplete: false,
      attempts: 5,
      intervalMinutes: 60,
      handlerModules: [],
      errors: null,
    });
    assert.equal(route({ retry: 'true', count: '7', interval: '2' }).autoComplete, true);
    assert.equal(route({ retry: 'true', count: '7', interval: '2' }).attempts, 7);
    assert.equal(route({ retry: 'true', count: '7', interval: '2' }).intervalMinutes, 2);
    const defaults = route(undefined);
    assert.deepEqual([defaults.autoComplete, defaults.attempts, defaults.intervalMinutes], [false, 3, 15]);

    const bad = bp({ retry: 'maybe', count: '{{1.tries}}', interval: 15 });
    const r = parse(bad);
    assert.deepEqual(
      r.findings.map((f) => [f.code, slice(bad, f.span), f.moduleId]),
      [
        ['invalid-retry-settings', '"maybe"', 2],
        ['invalid-retry-settings', '"{{1.tries}}"', 2],
      ],
    );
    // out of range: lint's rule, on the blueprint key
    const range = bp({ retry: true, count: 0, interval: 50000 });
    const lint = lintScenario('x.blueprint.json', range).findings.filter((f) => f.code === 'invalid-retry-settings');
    assert.deepEqual(
      lint.map((f) => slice(range, f.span)),
      ['"count":0', '"interval":50000'],
    );
  });

  test('Break with dlq false is break-requires-incomplete-storage at the directive module', () => {
    const text = JSON.stringify({
      name: 'x',
      flow: [
        { id: 1, module: 'a:b' },
        { id: 2, module: 'c:d', onerror: [{ id: 3, module: 'builtin:Break', mapper: { retry: true, count: 3, interval: 15 } }] },
      ],
      metadata: { scenario: { dlq: false } },
    });
    const f = lintScenario('x.blueprint.json', text).findings;
    assert.deepEqual(
      f.map((x) => [x.code, x.moduleId, slice(text, x.span)]),
      [['break-requires-incomplete-storage', 2, '"builtin:Break"']],
    );
  });

  test('Resume mapper is the output; Commit and Rollback are directives; settings types are checked', () => {
    const text = JSON.stringify({
      name: 'x',
      flow: [
        { id: 1, module: 'a:b' },
        { id: 2, module: 'c:d', onerror: [{ id: 3, module: 'builtin:Resume', mapper: { total: 0, items: [] } }] },
        { id: 4, module: 'c:d', onerror: [{ id: 5, module: 'builtin:Commit' }] },
        { id: 6, module: 'c:d', onerror: [{ id: 7, module: 'builtin:Rollback', mapper: { retry: true } }] },
      ],
      metadata: { instant: 'yes', scenario: { dlq: 'false', sequential: true, maxErrors: '5', dataloss: true } },
    });
    const r = parse(text);
    assert.ok(r.scenario);
    assert.deepEqual(mod(r.scenario, 2).onError[0].output, { total: 0, items: [] });
    assert.equal(mod(r.scenario, 2).onError[0].directive, 'resume');
    assert.equal(mod(r.scenario, 4).onError[0].directive, 'commit');
    assert.equal(mod(r.scenario, 6).onError[0].directive, 'rollback');
    assert.equal(mod(r.scenario, 6).onError[0].autoComplete, false, 'retry only means something on a Break');
    assert.deepEqual(r.scenario.settings, {
      storeIncompleteExecutions: false,
      sequentialProcessing: true,
      maxConsecutiveErrors: 5,
      dataLoss: true,
      instant: false,
    });
    assert.deepEqual(
      r.findings.map((f) => [f.code, slice(text, f.span)]),
      [['invalid-scenario', '"yes"']],
    );
  });

  test('a directive module before the end of onerror, and routes on a non-router, are invalid-scenario', () => {
    const text = JSON.stringify({
      name: 'x',
      flow: [
        { id: 1, module: 'a:b', routes: [] },
        {
          id: 2,
          module: 'c:d',
          onerror: [
            { id: 3, module: 'builtin:Ignore' },
            { id: 4, module: 'slack:CreateMessage' },
          ],
        },
      ],
    });
    const r = parse(text);
    assert.deepEqual(
      r.findings.map((f) => [f.code, slice(text, f.span)]),
      [
        ['invalid-scenario', '"routes"'],
        ['invalid-scenario', '"builtin:Ignore"'],
      ],
    );
  });

  test('never throws: every prefix of an export gives findings with spans inside the text', () => {
    const full = load('calendar-agent.blueprint.json');
    for (let end = 0; end <= full.length; end += 37) {
      const text = full.slice(0, end);
      const r = parse(text);
      for (const f of r.findings) {
        assert.ok(f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= text.length);
      }
      if (end < full.length - 2) assert.equal(r.scenario, null, `prefix ${end} is not valid JSON`);
    }
  });
});
