/*
 * The parser, the quick fix and the converter on REAL exports: seven scenarios exported from Make
 * and published in public repositories (third-party data). They are read at run time from
 * ../shared/fixtures/blueprints beside the clone and never copied into the repository; where that
 * folder is absent these tests are skipped, with the reason printed. Every expected value below
 * was written down by reading those files (module ids, routers, onerror arrays, metadata.scenario,
 * the line and column of the broken file's error), not produced by the code under test. The same
 * shapes are covered on hand-written fixtures by blueprint.test.ts, blueprintEdit.test.ts and
 * convert.test.ts, which always run.
 */
import { describe, test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { blueprintErrorHandlerEdit } from '../../src/core/fixes/blueprintEdit';
import { blueprintToYaml, yamlToBlueprint } from '../../src/core/scenario/convert';
import { isBlueprint, lintScenario, parseScenario } from '../../src/core/lint/lint';
import { findModule, walkModules } from '../../src/core/model';
import { routeFieldSpans } from '../../src/core/scenario/yaml';
import {
  REAL_EXPORTS,
  REAL_EXPORTS_SKIP,
  allIds,
  at,
  fix,
  lintPairs,
  loadReal,
  missing,
  mod,
  model,
  parse,
  parsedText,
  routeSummary,
  slice,
  strip,
} from './helpers/blueprintFixtures';

/** Every test here is skipped, with the reason, where the real exports are absent. */
const test = (name: string, fn: () => void): void => {
  nodeTest(name, { skip: REAL_EXPORTS_SKIP }, fn);
};

const FIXTURES = REAL_EXPORTS;
const load = loadReal;
const parsed = (name: string): ReturnType<typeof parsedText> => parsedText(name, load(name));

describe('real exports: blueprint parser', () => {
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

describe('real exports: byte-order mark', () => {
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
});

describe('real exports: parser robustness', () => {
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

describe('real exports: blueprintErrorHandlerEdit', () => {
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
});

describe('real exports: blueprintToYaml', () => {
  const GOOD = [
    'calendar-agent.blueprint.json',
    'high-ticket-sales.blueprint.json',
    'marketing-ai-post.blueprint.json',
    'notion-language-dashboard-updater.blueprint.json',
    'notion-task-dashboard-updater.blueprint.json',
    'slack-free-looper.blueprint.json',
  ];

  for (const name of GOOD) {
    test(`${name}: the YAML parses to the blueprint's model`, () => {
      const text = load(name);
      const yaml = blueprintToYaml(text, `/some/dir/${name}`);
      assert.ok(yaml.startsWith(`# Converted from ${name}:`));
      const fromBlueprint = model(name, text);
      const fromYaml = model('out.scenario.yaml', yaml);
      assert.equal(fromYaml.format, 'yaml');
      assert.deepEqual(strip(fromYaml), strip(fromBlueprint));
      // and the same lint findings (code, module) as the blueprint
      const pairs = (f: string, t: string): string[] =>
        lintScenario(f, t)
          .findings.map((x) => `${x.code}@${x.moduleId}`)
          .sort();
      assert.deepEqual(pairs('out.scenario.yaml', yaml), pairs(name, text));
    });
  }

  test('marketing-ai-post: the Break handlers become onError with directive and retry settings (strings → numbers)', () => {
    const yaml = blueprintToYaml(load('marketing-ai-post.blueprint.json'), 'marketing-ai-post.blueprint.json');
    assert.match(
      yaml,
      /\n {2}- id: 6\n {4}app: openai-gpt-3:CreateCompletion\n {4}name: Generate Outline\n {4}onError:\n {6}directive: break\n {6}autoComplete: true\n {6}attempts: 3\n {6}intervalMinutes: 15\n/,
    );
    assert.match(yaml, /\n {2}- id: 17\n {4}app: builtin:router\n {4}routes:\n {6}- name: 25%\n {8}modules:\n {10}- id: 18\n/);
    assert.match(
      yaml,
      /\nsettings:\n {2}storeIncompleteExecutions: true\n {2}sequentialProcessing: false\n {2}maxConsecutiveErrors: 3\n {2}dataLoss: false\n {2}instant: true\n/,
    );
  });

  test('blueprint → yaml → blueprint → yaml is stable', () => {
    for (const name of GOOD) {
      const y1 = blueprintToYaml(load(name), name);
      const b = yamlToBlueprint(y1, 'x.scenario.yaml');
      assert.ok(isBlueprint('x.json', b), 'the output has flow and metadata');
      const y2 = blueprintToYaml(b, name);
      assert.equal(y2, y1, name);
    }
  });

  test('bad input: one line naming the file, line and column', () => {
    assert.throws(
      () => blueprintToYaml(load('instagram-dm.broken.blueprint.json'), '/x/instagram-dm.broken.blueprint.json'),
      (e: unknown) =>
        e instanceof Error &&
        /^instagram-dm\.broken\.blueprint\.json:53:62: JSON syntax error \(InvalidSymbol\)/.test(e.message) &&
        !e.message.includes('\n'),
    );
  });
});
