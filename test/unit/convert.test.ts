/*
 * Blueprint ⇄ scenario YAML conversion, checked through the parsers: the converted file parses to
 * the same model (spans aside), and the round trips are stable. Blueprints: the hand-written
 * exports of test/fixtures/blueprints; the same checks on real exports are in realExports.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { blueprintToYaml, yamlToBlueprint } from '../../src/core/scenario/convert';
import { isBlueprint, lintScenario } from '../../src/core/lint/lint';
import { findModule } from '../../src/core/model';
import { load, model, strip } from './helpers/blueprintFixtures';

const GOOD = [
  'calendar-agent.blueprint.json',
  'channel-digest.blueprint.json',
  'invoice-intake.blueprint.json',
  'lead-scoring.blueprint.json',
  'stock-report.blueprint.json',
  'ticket-triage.blueprint.json',
];

const SCENARIO_YAML = `# hand-written scenario using every convertible feature
name: Invoice export
settings:
  storeIncompleteExecutions: true
  sequentialProcessing: true
  maxConsecutiveErrors: 5
  dataLoss: true
  instant: true
modules:
  - id: 1
    app: workfront:watchEvents
    name: Watch approved invoices
  - id: 2
    app: http:makeRequest
    name: Fetch invoice PDF
    onError:
      modules:
        - id: 21
          app: slack:createMessage
          name: Tell finance
      directive: break
      autoComplete: true
      attempts: 5
      intervalMinutes: 30
  - id: 3
    app: json:parse
    onError:
      directive: resume
      output: { total: 0, lines: [] }
  - id: 4
    app: builtin:router
    onError: { directive: ignore }
    routes:
      - name: Paid
        modules:
          - id: 5
            app: xero:createInvoice
            onError: { directive: rollback }
          - id: 6
            app: gmail:sendEmail
            onError:
              modules:
                - id: 61
                  app: util:setVariable
      - modules:
          - id: 7
            app: google-sheets:addRow
            onError: { directive: commit }
  - id: 8
    app: slack:createMessage
    onError: { directive: break }
`;

describe('blueprintToYaml', () => {
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

  test('invoice-intake: the Break handlers become onError with directive and retry settings (strings → numbers)', () => {
    const yaml = blueprintToYaml(load('invoice-intake.blueprint.json'), 'invoice-intake.blueprint.json');
    assert.match(
      yaml,
      /\n {2}- id: 3\n {4}app: http:ActionGetFile\n {4}name: Download attachment\n {4}onError:\n {6}directive: break\n {6}autoComplete: true\n {6}attempts: 3\n {6}intervalMinutes: 15\n/,
    );
    // "retry": "true", "count": "5", "interval": "60"
    assert.match(
      yaml,
      /\n {2}- id: 5\n {4}app: openai-gpt-3:CreateCompletion\n {4}name: Read invoice fields\n {4}onError:\n {6}directive: break\n {6}autoComplete: true\n {6}attempts: 5\n {6}intervalMinutes: 60\n/,
    );
    assert.match(yaml, /\n {2}- id: 9\n {4}app: builtin:router\n {4}routes:\n {6}- name: Over 1000 EUR\n {8}modules:\n {10}- id: 10\n/);
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
      () => blueprintToYaml(load('newsletter.broken.blueprint.json'), '/x/newsletter.broken.blueprint.json'),
      (e: unknown) =>
        e instanceof Error &&
        /^newsletter\.broken\.blueprint\.json:28:27: JSON syntax error \(InvalidSymbol\)/.test(e.message) &&
        !e.message.includes('\n'),
    );
    assert.throws(() => blueprintToYaml('{\n  "name": "x",\n  "flow": [{"id": 1}]\n}', 'a.blueprint.json'), {
      message: /^a\.blueprint\.json:3:13: Module 1 has no `module`/,
    });
  });

  test('a blueprint without a name is named after the file', () => {
    const yaml = blueprintToYaml('{"flow":[{"id":1,"module":"a:b"}],"metadata":{}}', 'dir/weekly-report.blueprint.json');
    assert.equal(model('a.scenario.yaml', yaml).name, 'weekly-report');
  });
});

describe('yamlToBlueprint', () => {
  test('yaml → blueprint → yaml gives the same model', () => {
    const blueprint = yamlToBlueprint(SCENARIO_YAML, 'invoice.scenario.yaml');
    const bpModel = model('invoice.blueprint.json', blueprint);
    const original = model('invoice.scenario.yaml', SCENARIO_YAML);
    assert.deepEqual(strip(bpModel), strip(original));
    const back = blueprintToYaml(blueprint, 'invoice.blueprint.json');
    assert.deepEqual(strip(model('back.scenario.yaml', back)), strip(original));
  });

  test('the blueprint has the export shape: directive modules with fresh ids, Break mapper, router routes, route label as filter', () => {
    const bp = JSON.parse(yamlToBlueprint(SCENARIO_YAML, 'invoice.scenario.yaml')) as {
      name: string;
      flow: Record<string, unknown>[];
      metadata: { instant: boolean; scenario: Record<string, unknown> };
    };
    assert.equal(bp.name, 'Invoice export');
    assert.deepEqual(
      bp.flow.map((m) => m.id),
      [1, 2, 3, 4, 8],
    );
    assert.equal(bp.metadata.instant, true);
    assert.equal(bp.metadata.scenario.dlq, true);
    assert.equal(bp.metadata.scenario.sequential, true);
    assert.equal(bp.metadata.scenario.maxErrors, 5);
    assert.equal(bp.metadata.scenario.dataloss, true);
    const m2 = bp.flow[1] as { onerror: Record<string, unknown>[] };
    assert.deepEqual(
      m2.onerror.map((m) => [m.id, m.module]),
      [
        [21, 'slack:createMessage'],
        [62, 'builtin:Break'],
      ],
    );
    assert.deepEqual(m2.onerror[1].mapper, { retry: true, count: 5, interval: 30 });
    const router = bp.flow[3] as { module: string; routes: { flow: Record<string, unknown>[] }[]; onerror: Record<string, unknown>[] };
    assert.equal(router.module, 'builtin:BasicRouter');
    assert.deepEqual(
      router.routes.map((r) => r.flow.map((m) => m.id)),
      [[5, 6], [7]],
    );
    assert.deepEqual(router.routes[0].flow[0].filter, { name: 'Paid', conditions: [] });
    assert.equal('filter' in router.routes[1].flow[0], false);
    // module 6's route has a handler module and no directive: no directive module is added
    assert.deepEqual(
      (router.routes[0].flow[1].onerror as Record<string, unknown>[]).map((m) => m.module),
      ['util:setVariable'],
    );
    // every id unique
    const ids = [...yamlToBlueprint(SCENARIO_YAML, 'i.scenario.yaml').matchAll(/"id": (\d+)/g)].map((m) => Number(m[1]));
    assert.equal(new Set(ids).size, ids.length);
  });

  test('an empty error-handler route becomes an explicit builtin:Ignore module', () => {
    const yaml = 'name: e\nmodules:\n  - id: 1\n    app: a:b\n  - id: 2\n    app: c:d\n    onError: {}\n';
    const bp = yamlToBlueprint(yaml, 'e.scenario.yaml');
    const s = model('e.blueprint.json', bp);
    const route = findModule(s, 2)?.onError[0];
    assert.ok(route);
    assert.equal(route.directive, 'ignore');
    assert.deepEqual(route.modules, []);
  });

  test('refuses what a blueprint cannot express, naming the file and line', () => {
    const filtered =
      'name: f\nmodules:\n  - id: 1\n    app: a:b\n  - id: 2\n    app: c:d\n    onError:\n      errors: [ConnectionError]\n      directive: break\n';
    assert.throws(() => yamlToBlueprint(filtered, '/p/f.scenario.yaml'), {
      message: /^f\.scenario\.yaml:8:16: the error-handler route of module 2 catches only ConnectionError;/,
    });
    const two =
      'name: f\nmodules:\n  - id: 1\n    app: a:b\n  - id: 2\n    app: c:d\n    onError:\n      - directive: ignore\n      - directive: break\n';
    assert.throws(() => yamlToBlueprint(two, 'f.scenario.yaml'), {
      message: /^f\.scenario\.yaml:9:9: module 2 has 2 error-handler routes;/,
    });
  });

  test('refuses a scenario with structural errors, with the first one and its line', () => {
    assert.throws(() => yamlToBlueprint('name: x\nmodules: [\n', 'x.scenario.yaml'), {
      message: /^x\.scenario\.yaml:3:1: YAML syntax error/,
    });
    assert.throws(() => yamlToBlueprint('name: x\nmodules:\n  - id: 1\n    app: a:b\n  - id: 1\n    app: c:d\n', 'x.scenario.yaml'), {
      message: /^x\.scenario\.yaml:5:9: Module id 1 is already used on line 3/,
    });
  });
});
