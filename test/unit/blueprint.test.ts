/*
 * Blueprint parser (spec 7) on real exported blueprints. Every expected value below was written
 * down by reading the fixture files (module ids, routers, onerror arrays, metadata.scenario, the
 * line and column of the broken file's error), not produced by the code under test.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBlueprintScenario } from '../../src/core/scenario/blueprint';
import { lintScenario, parseScenario } from '../../src/core/lint/lint';
import { findModule, walkModules } from '../../src/core/model';
import type { ErrorHandlerRoute, Finding, Scenario, ScenarioModule, Span } from '../../src/core/model';
import { LineIndex } from '../../src/core/text/lineIndex';
import { routeFieldSpans } from '../../src/core/scenario/yaml';

const FIXTURES = path.join(__dirname, '../../../test/fixtures/blueprints');

function load(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

function parse(text: string): { scenario: Scenario | null; findings: Finding[]; lineIndex: LineIndex } {
  const lineIndex = new LineIndex(text);
  return { ...parseBlueprintScenario(text, lineIndex), lineIndex };
}

function parsed(name: string): { text: string; scenario: Scenario; findings: Finding[]; lineIndex: LineIndex } {
  const text = load(name);
  const r = parse(text);
  assert.ok(r.scenario, `${name} should parse`);
  return { text, ...r, scenario: r.scenario };
}

function mod(s: Scenario, id: number): ScenarioModule {
  const m = findModule(s, id);
  assert.ok(m, `module ${id} should exist`);
  return m;
}

const slice = (text: string, span: Span | undefined): string => {
  assert.ok(span, 'span expected');
  return text.slice(span.start, span.end);
};

/** 1-based line/column of a span's start, as an editor shows it. */
function at(lineIndex: LineIndex, span: Span | undefined): string {
  assert.ok(span);
  const p = lineIndex.positionAt(span.start);
  return `${p.line + 1}:${p.character + 1}`;
}

/** Directive and retry settings of a route, for compact assertions. */
function routeSummary(r: ErrorHandlerRoute): unknown {
  return {
    directive: r.directive,
    explicit: r.directiveExplicit,
    autoComplete: r.autoComplete,
    attempts: r.attempts,
    intervalMinutes: r.intervalMinutes,
    handlerModules: r.modules.map((m) => m.id),
    errors: r.errors,
  };
}

/** (code, moduleId) pairs of lint, sorted, as "code@id". */
function lintPairs(name: string, text: string): string[] {
  return lintScenario(name, text)
    .findings.map((f) => `${f.code}@${f.moduleId ?? '-'}`)
    .sort();
}

const missing = (ids: number[]): string[] => ids.map((id) => `missing-error-handler@${id}`).sort();

describe('blueprint fixtures', () => {
  test('fixtures are the shared copies (every file present, BOM kept)', () => {
    const files = fs.readdirSync(FIXTURES).sort();
    assert.deepEqual(files, [
      'README.md',
      'calendar-agent.blueprint.json',
      'high-ticket-sales.blueprint.json',
      'instagram-dm.broken.blueprint.json',
      'marketing-ai-post.blueprint.json',
      'notion-language-dashboard-updater.blueprint.json',
      'notion-task-dashboard-updater.blueprint.json',
      'slack-free-looper.blueprint.json',
    ]);
    assert.equal(load('marketing-ai-post.blueprint.json').charCodeAt(0), 0xfeff);
    assert.notEqual(load('calendar-agent.blueprint.json').charCodeAt(0), 0xfeff);
  });

  test('marketing-ai-post: 36 modules, 5 Break handlers with string mapper values, a router, dlq true, instant', () => {
    const { text, scenario: s, findings, lineIndex } = parsed('marketing-ai-post.blueprint.json');
    assert.deepEqual(findings, []);
    assert.equal(s.format, 'blueprint');
    assert.equal(s.name, 'Marketing: New AI Post Generated -> Upload to Contentful -> Notify Content Manager');
    assert.equal(slice(text, s.nameSpan), '"Marketing: New AI Post Generated -> Upload to Contentful -> Notify Content Manager"');
    assert.deepEqual(
      s.modules.map((m) => m.id),
      [57, 58, 59, 61, 29, 30, 6, 8, 31, 9, 11, 12, 13, 14, 16, 17],
    );
    // 36 module objects in the file; the 5 builtin:Break directive modules are routes' directives, not modules.
    assert.equal([...walkModules(s.modules)].length, 31);

    const router = mod(s, 17);
    assert.equal(router.isRouter, true);
    assert.equal(router.app, 'builtin:BasicRouter');
    assert.deepEqual(
      router.routes.map((r) => r.modules.map((m) => m.id)),
      [
        [18, 20],
        [21, 22, 23, 24, 37, 50, 38, 40, 42, 48, 36, 33, 54],
      ],
    );
    // A route's name is the label of the filter on its first module (module 18's filter "25%").
    assert.deepEqual(
      router.routes.map((r) => r.name),
      ['25%', undefined],
    );
    assert.deepEqual(mod(s, 48).routerPath, [17]);
    assert.deepEqual(mod(s, 6).routerPath, []);
    assert.equal(mod(s, 12).isRouter, false, 'a feeder is not a router');

    const withHandlers = [...walkModules(s.modules)].filter((m) => m.onError.length > 0).map((m) => m.id);
    assert.deepEqual(withHandlers, [6, 14, 18, 40, 48]);
    for (const id of withHandlers) {
      const m = mod(s, id);
      assert.equal(m.onError.length, 1);
      assert.deepEqual(routeSummary(m.onError[0]), {
        directive: 'break',
        explicit: true,
        autoComplete: true,
        attempts: 3,
        intervalMinutes: 15,
        handlerModules: [],
        errors: null,
      });
      assert.equal(slice(text, m.onError[0].directiveSpan), '"builtin:Break"');
      assert.deepEqual(m.onError[0].errorSpans, []);
      const route = slice(text, m.onError[0].span);
      assert.ok(route.startsWith('[') && route.endsWith(']'));
      // lint points retry problems at the blueprint keys
      assert.equal(slice(text, routeFieldSpans(m.onError[0]).attempts), '"count": "3"');
      assert.equal(slice(text, routeFieldSpans(m.onError[0]).intervalMinutes), '"interval": "15"');
      assert.equal(slice(text, routeFieldSpans(m.onError[0]).autoComplete), '"retry": true');
    }
    // The first Break module sits on line 2602, its value at column 31 ("module": at 21).
    assert.equal(at(lineIndex, mod(s, 6).onError[0].directiveSpan), '2602:31');
    assert.equal(at(lineIndex, mod(s, 48).onError[0].directiveSpan), '5063:47');

    // module 6 spans: id on line 2329, name in metadata.designer on line 2365
    const m6 = mod(s, 6);
    assert.equal(m6.name, 'Generate Outline');
    assert.equal(slice(text, m6.nameSpan), '"Generate Outline"');
    assert.equal(slice(text, m6.idSpan), '6');
    assert.equal(at(lineIndex, m6.idSpan), '2329:19');
    assert.equal(slice(text, m6.appSpan), '"openai-gpt-3:CreateCompletion"');
    assert.equal(slice(text, m6.anchor), '"openai-gpt-3:CreateCompletion"');
    assert.ok(slice(text, m6.span).startsWith('{\n            "id": 6,'));
    assert.ok(slice(text, m6.span).endsWith('}'));
    assert.equal(mod(s, 8).name, undefined);

    assert.deepEqual(s.settings, {
      storeIncompleteExecutions: true,
      sequentialProcessing: false,
      maxConsecutiveErrors: 3,
      dataLoss: false,
      instant: true,
    });
    assert.equal(slice(text, s.settingSpans.storeIncompleteExecutions), '"dlq"');
    assert.equal(at(lineIndex, s.settingSpans.storeIncompleteExecutions), '6118:13');
    assert.equal(slice(text, s.settingSpans.instant), '"instant"');
    assert.equal(at(lineIndex, s.settingSpans.instant), '6107:9');
    assert.equal(slice(text, s.settingSpans.maxConsecutiveErrors), '"maxErrors"');
    assert.equal(slice(text, s.settingSpans.sequentialProcessing), '"sequential"');
    assert.equal(slice(text, s.settingSpans.dataLoss), '"dataloss"');
    assert.equal(s.simulation, null);
  });

  test('notion-task-dashboard-updater: two builtin:Ignore handlers, dlq false', () => {
    const { text, scenario: s, findings, lineIndex } = parsed('notion-task-dashboard-updater.blueprint.json');
    assert.deepEqual(findings, []);
    assert.equal(s.name, 'Notion: Task Dashboard Updates');
    assert.deepEqual(
      s.modules.map((m) => [m.id, m.app]),
      [
        [3, 'notion:getADatabase'],
        [4, 'notion:searchObjects1'],
        [6, 'lokalise:getATask'],
        [7, 'notion:updateADatabaseItem'],
      ],
    );
    assert.ok(s.modules.every((m) => !m.isRouter && m.routes.length === 0));
    assert.deepEqual(
      s.modules.map((m) => m.onError.length),
      [0, 0, 1, 1],
    );
    for (const id of [6, 7]) {
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
    assert.equal(at(lineIndex, mod(s, 6).onError[0].directiveSpan), '2490:31');
    assert.equal(at(lineIndex, mod(s, 7).onError[0].directiveSpan), '3961:31');
    assert.equal(s.settings.storeIncompleteExecutions, false);
    assert.equal(s.settings.instant, false);
    assert.equal(at(lineIndex, s.settingSpans.storeIncompleteExecutions), '3985:13');
    assert.equal(slice(text, mod(s, 3).idSpan), '3');
    assert.equal(slice(text, mod(s, 3).anchor), '"notion:getADatabase"');
  });

  test('notion-language-dashboard-updater: router, feeder, 3 builtin:Ignore handlers', () => {
    const { text, scenario: s, findings, lineIndex } = parsed('notion-language-dashboard-updater.blueprint.json');
    assert.deepEqual(findings, []);
    assert.deepEqual(
      s.modules.map((m) => m.id),
      [3, 4, 6, 14, 13],
    );
    assert.equal(mod(s, 14).app, 'builtin:BasicFeeder');
    assert.equal(mod(s, 14).isRouter, false);
    const router = mod(s, 13);
    assert.equal(router.isRouter, true);
    assert.equal(at(lineIndex, router.appSpan), '2883:23');
    assert.deepEqual(
      router.routes.map((r) => r.modules.map((m) => m.id)),
      [[7], [15]],
    );
    assert.deepEqual(
      router.routes.map((r) => r.name),
      ['Filter by language status = In Progress', 'Language status =  completed '],
    );
    assert.deepEqual(mod(s, 7).routerPath, [13]);
    assert.deepEqual(mod(s, 15).routerPath, [13]);
    const handled = [...walkModules(s.modules)].filter((m) => m.onError.length > 0);
    assert.deepEqual(
      handled.map((m) => [m.id, m.onError[0].directive, at(lineIndex, m.onError[0].directiveSpan)]),
      [
        [6, 'ignore', '2839:31'],
        [7, 'ignore', '4724:47'],
        [15, 'ignore', '6556:47'],
      ],
    );
    assert.equal(s.settings.storeIncompleteExecutions, false);
    assert.equal(slice(text, s.settingSpans.storeIncompleteExecutions), '"dlq"');
  });

  test('high-ticket-sales: 18 modules, a router with two routes, no handlers', () => {
    const { scenario: s, findings, lineIndex } = parsed('high-ticket-sales.blueprint.json');
    assert.deepEqual(findings, []);
    assert.equal(s.name, 'High Ticket Sales System Companies Hiring For SDRS');
    assert.deepEqual(
      s.modules.map((m) => m.id),
      [1, 4, 5, 7, 10, 13],
    );
    assert.equal([...walkModules(s.modules)].length, 18);
    const router = mod(s, 13);
    assert.equal(at(lineIndex, router.appSpan), '858:23');
    assert.deepEqual(
      router.routes.map((r) => r.modules.map((m) => m.id)),
      [
        [11, 18, 20, 21, 14, 23],
        [12, 17, 19, 22, 15, 24],
      ],
    );
    assert.ok([...walkModules(s.modules)].every((m) => m.onError.length === 0));
    assert.equal(s.settings.storeIncompleteExecutions, false);
    assert.equal(at(lineIndex, s.settingSpans.storeIncompleteExecutions), '3767:13');
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
        ['Create', [3, 4]],
        ['Get', [5, 6]],
        ['Delete', [7, 8]],
        ['Update', [9, 10]],
      ],
    );
    // Line 5: `    {"id":2,"module":"builtin:BasicRouter",...`
    assert.equal(at(lineIndex, router.idSpan), '5:11');
    assert.equal(at(lineIndex, router.anchor), '5:22');
    assert.equal(slice(text, router.anchor), '"builtin:BasicRouter"');
    assert.deepEqual(s.settings, {
      storeIncompleteExecutions: false,
      sequentialProcessing: false,
      maxConsecutiveErrors: 3,
      dataLoss: false,
      instant: true,
    });
    assert.equal(at(lineIndex, s.settingSpans.instant), '12:16');
  });

  test('slack-free-looper: a straight flow with aggregator and feeder, dlq false', () => {
    const { scenario: s, findings } = parsed('slack-free-looper.blueprint.json');
    assert.deepEqual(findings, []);
    assert.deepEqual(
      s.modules.map((m) => [m.id, m.app]),
      [
        [12, 'util:SetVariables'],
        [1, 'slack:SearchMessages'],
        [9, 'builtin:BasicAggregator'],
        [6, 'slack:CreateMessage'],
        [7, 'builtin:BasicFeeder'],
        [4, 'slack:GetUser'],
        [3, 'slack:CreateMessage'],
      ],
    );
    assert.ok(s.modules.every((m) => !m.isRouter && m.onError.length === 0));
    assert.equal(s.settings.storeIncompleteExecutions, false);
  });

  test('instagram-dm.broken: json-syntax at line 53, column 62 (text after the closing quote of "url")', () => {
    const text = load('instagram-dm.broken.blueprint.json');
    const r = parse(text);
    assert.equal(r.scenario, null);
    assert.ok(r.findings.length >= 1);
    assert.ok(r.findings.every((f) => f.code === 'json-syntax' && f.severity === 'error'));
    const first = r.findings[0];
    assert.equal(at(r.lineIndex, first.span), '53:62');
    assert.ok(slice(text, first.span).startsWith('username'));
    assert.match(first.message, /^JSON syntax error \(InvalidSymbol\)/);
    assert.deepEqual(first.range.start, { line: 52, character: 61 });
  });

  test('lint: exactly the expected (code, module) pairs on every fixture', () => {
    const expected: Record<string, string[]> = {
      // no handlers; trigger 1 and router 2 are not flagged
      'calendar-agent.blueprint.json': missing([3, 4, 5, 6, 7, 8, 9, 10]),
      'high-ticket-sales.blueprint.json': missing([4, 5, 7, 10, 11, 18, 20, 21, 14, 23, 12, 17, 19, 22, 15, 24]),
      'instagram-dm.broken.blueprint.json': Array(lintScenario('x.json', load('instagram-dm.broken.blueprint.json')).findings.length).fill(
        'json-syntax@-',
      ),
      // 6, 14, 18, 40, 48 have Break handlers (dlq true, 3 attempts / 15 min: valid)
      'marketing-ai-post.blueprint.json': missing([
        58, 59, 61, 29, 30, 8, 31, 9, 11, 12, 13, 16, 20, 21, 22, 23, 24, 37, 50, 38, 42, 36, 33, 54,
      ]),
      // 6, 7, 15 have Ignore handlers; 13 is the router
      'notion-language-dashboard-updater.blueprint.json': missing([4, 14]),
      'notion-task-dashboard-updater.blueprint.json': missing([4]),
      'slack-free-looper.blueprint.json': missing([1, 9, 6, 7, 4, 3]),
    };
    for (const [name, pairs] of Object.entries(expected)) {
      assert.deepEqual(lintPairs(name, load(name)), pairs, name);
    }
    assert.ok(expected['instagram-dm.broken.blueprint.json'].length >= 1);
  });

  test('lint anchors missing-error-handler on the module value, one line per module in a minified file', () => {
    const text = load('calendar-agent.blueprint.json');
    const f = lintScenario('calendar-agent.blueprint.json', text).findings.find((x) => x.moduleId === 5);
    assert.ok(f);
    assert.equal(slice(text, f.span), '"http:ActionSendData"');
    assert.equal(f.range.start.line, 6); // line 7 holds modules 5 and 6
    assert.match(f.message, /^Module 5 \(http:ActionSendData\) has no error-handler route \(storing of incomplete executions is off\)/);
  });

  test('a .json file goes to the blueprint parser through lint.parseScenario', () => {
    const r = parseScenario('exports/marketing-ai-post.blueprint.json', load('marketing-ai-post.blueprint.json'));
    assert.equal(r.format, 'blueprint');
    assert.equal(r.scenario?.modules.length, 16);
  });
});

describe('byte-order mark', () => {
  test('spans are right for the text given, with and without the BOM', () => {
    const withBom = load('marketing-ai-post.blueprint.json');
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

  test('never throws: every prefix of a real blueprint gives findings with spans inside the text', () => {
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
