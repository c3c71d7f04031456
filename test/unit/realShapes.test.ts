/*
 * Shapes found in real Make / Fusion exports that the model used to miss: if-else branches, error
 * routes with filters, routers inside error routes, unset triggers, IML in Break's settings, wrapped
 * exports, a Resume without mapper, a missing `dlq`, modules nested where the model does not look.
 * The fixtures in test/fixtures/real-shapes/ are hand-written reproductions of those shapes; every
 * expected value below was read off the fixture files.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classify, outcomesByErrorType, summarizeOutcomes } from '../../src/core/classify/classifier';
import { lintScenario, parseScenario } from '../../src/core/lint/lint';
import { findModule, walkModules } from '../../src/core/model';
import type { Finding, Scenario } from '../../src/core/model';
import { blueprintToYaml, yamlToBlueprint } from '../../src/core/scenario/convert';
import { simulate } from '../../src/core/simulate/simulator';
import { errorHandlerEdit } from '../../src/core/fixes/quickfix';
import { applyEdits } from '../../src/core/text/edits';

const DIR = path.join(__dirname, '../../../test/fixtures/real-shapes');
const CLI = path.join(__dirname, '../../../dist/cli.js');
const load = (name: string): string => fs.readFileSync(path.join(DIR, name), 'utf8');

function scenarioOf(name: string): Scenario {
  const r = parseScenario(name, load(name));
  assert.deepEqual(
    r.findings.filter((f) => f.severity === 'error'),
    [],
    `${name} parses without errors`,
  );
  assert.ok(r.scenario);
  return r.scenario;
}

/** code@moduleId of every lint finding, sorted. */
function pairs(name: string, text = load(name)): string[] {
  return lintScenario(name, text)
    .findings.map((f) => `${f.code}@${f.moduleId ?? '-'}`)
    .sort();
}

function findings(name: string, code: string): Finding[] {
  return lintScenario(name, load(name)).findings.filter((f) => f.code === code);
}

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: DIR, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every object with a `module` text inside flow / routes / branches / onerror arrays of the raw JSON, with its id. */
function rawModuleIds(text: string): (number | null)[] {
  const out: (number | null)[] = [];
  const visit = (v: unknown, inFlow: boolean): void => {
    if (Array.isArray(v)) {
      for (const x of v) visit(x, inFlow);
      return;
    }
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (inFlow && typeof o.module === 'string') out.push(typeof o.id === 'number' ? o.id : null);
    for (const [k, x] of Object.entries(o))
      visit(x, k === 'flow' || k === 'routes' || k === 'branches' || k === 'onerror' || (inFlow && Array.isArray(o[k]) && k !== 'mapper'));
  };
  visit(JSON.parse(text.replace(/^\uFEFF/, '')), false);
  return out;
}

/** Ids of the model's modules plus the directive modules ending its routes (they are modules in the JSON). */
function modelIds(s: Scenario): number[] {
  return [...walkModules(s.modules)].map((m) => m.id);
}

describe('real shapes: if-else branches', () => {
  test('the modules inside branches are checked: missing handlers on 11, 12, 13 and after the Merge on 15; not on the if-else, the Merge or 16 (Break)', () => {
    assert.deepEqual(pairs('if-else.blueprint.json'), [
      'missing-error-handler@11',
      'missing-error-handler@12',
      'missing-error-handler@13',
      'missing-error-handler@15',
    ]);
    const s = scenarioOf('if-else.blueprint.json');
    const ifElse = findModule(s, 10);
    assert.equal(ifElse?.kind, 'if-else');
    assert.deepEqual(
      ifElse?.branches?.map((b) => [b.name ?? null, b.isElse, b.merge, b.modules.map((m) => m.id)]),
      [
        ['Paid', false, true, [11, 12]],
        ['Refunded', false, false, [16]],
        [null, true, true, [13]],
      ],
    );
    assert.equal(findModule(s, 14)?.kind, 'merge');
    assert.deepEqual(findModule(s, 12)?.routerPath, [10]);
    // every module object of the file is known to the model (directive modules end routes: 4 and 17)
    const known = new Set([...modelIds(s), 4, 17]);
    assert.deepEqual(
      rawModuleIds(load('if-else.blueprint.json')).filter((id) => id === null || !known.has(id)),
      [],
    );
  });

  test('classify finds a module inside a branch (it used to say "no module with id 11")', () => {
    const r = cli('classify', 'if-else.blueprint.json', '--module', '16', '--error', 'DataError', '--json');
    assert.equal(r.code, 0, r.stderr);
    const c = JSON.parse(r.stdout) as { outcome: string; handler: string };
    assert.deepEqual([c.outcome, c.handler], ['incomplete-with-retry', 'break']);
  });

  test('convert keeps the branches: blueprint → yaml → blueprint → yaml is stable and nothing is dropped', () => {
    const text = load('if-else.blueprint.json');
    const y1 = blueprintToYaml(text, 'if-else.blueprint.json');
    assert.match(y1, /\n {2}- id: 10\n {4}app: builtin:if-else\n {4}branches:\n {6}- name: Paid\n {8}condition:\n/);
    assert.match(y1, /\n {6}- else: true\n {8}merge: true\n {8}modules:\n {10}- id: 13\n/);
    const b = yamlToBlueprint(y1, 'x.scenario.yaml');
    const json = JSON.parse(b) as {
      flow: { id: number; module: string; branches?: { type: string; merge: boolean; flow: { id: number }[] }[] }[];
    };
    assert.deepEqual(
      json.flow.map((m) => m.module),
      ['gateway:CustomWebHook', 'http:ActionSendData', 'builtin:BasicIfElse', 'builtin:BasicMerge', 'http:ActionSendData'],
    );
    assert.deepEqual(
      json.flow[2].branches?.map((x) => [x.type, x.merge, x.flow.map((m) => m.id)]),
      [
        ['condition', true, [11, 12]],
        ['condition', false, [16]],
        ['else', true, [13]],
      ],
    );
    assert.equal(blueprintToYaml(b, 'if-else.blueprint.json'), y1);
    assert.deepEqual(pairs('x.blueprint.json', b), pairs('if-else.blueprint.json'));
  });

  test('the YAML form parses, lints and round-trips; the simulation takes the chosen branch per bundle', () => {
    const s = scenarioOf('if-else.scenario.yaml');
    assert.deepEqual(
      findModule(s, 10)?.branches?.map((b) => [b.name, b.isElse, b.modules.map((m) => m.id)]),
      [
        ['Paid', false, [11]],
        ['Otherwise', true, [13]],
      ],
    );
    assert.ok(pairs('if-else.scenario.yaml').includes('missing-error-handler@11'));
    assert.ok(!pairs('if-else.scenario.yaml').includes('missing-error-handler@13'));
    const b = yamlToBlueprint(load('if-else.scenario.yaml'), 'if-else.scenario.yaml');
    const y = blueprintToYaml(b, 'x.blueprint.json');
    assert.equal(blueprintToYaml(yamlToBlueprint(y, 'y.scenario.yaml'), 'x.blueprint.json'), y);
    const report = simulate(s, {
      clock: () => new Date('2026-01-01T00:00:00Z'),
      newId: (() => {
        let n = 0;
        return () => `ie-${++n}`;
      })(),
    });
    // bundle 1 takes "Paid" (the first branch): 11 fails with ConnectionError → stored; bundle 2 takes else: 13's DataError is ignored
    assert.deepEqual(
      report.bundles.map((x) => [x.result, x.steps.map((st) => `${st.moduleId}${st.status === 'ok' ? '' : '!'}`)]),
      [
        ['stored', ['1', '10', '11!']],
        ['dropped', ['1', '10', '13!']],
      ],
    );
  });

  test('a quick fix adds a handler to a module inside a branch (YAML and blueprint)', () => {
    const yaml = parseScenario('if-else.scenario.yaml', load('if-else.scenario.yaml'));
    const edit = errorHandlerEdit(yaml, 11, 'ignore');
    assert.ok(edit);
    assert.ok(!pairs('if-else.scenario.yaml', applyEdits(load('if-else.scenario.yaml'), [edit])).includes('missing-error-handler@11'));
    const bp = parseScenario('if-else.blueprint.json', load('if-else.blueprint.json'));
    const bedit = errorHandlerEdit(bp, 12, 'resume');
    assert.ok(bedit);
    assert.ok(!pairs('if-else.blueprint.json', applyEdits(load('if-else.blueprint.json'), [bedit])).includes('missing-error-handler@12'));
  });
});

describe('real shapes: filtered error-handler routes', () => {
  test('a route filtered on the error type catches only that type (ConnectionError is no longer "succeeded / ignore")', () => {
    const s = scenarioOf('filtered-handlers.blueprint.json');
    assert.deepEqual(findModule(s, 18)?.onError[0].errors, ['RuntimeError']);
    const c = classify(s, 18, 'ConnectionError');
    assert.deepEqual([c.outcome, c.handler], ['incomplete-with-retry', null]);
    const r = classify(s, 18, 'RuntimeError');
    assert.deepEqual([r.outcome, r.handler], ['succeeded', 'ignore']);
    assert.deepEqual(pairs('filtered-handlers.blueprint.json'), ['decided-at-run-time@20', 'partial-error-handler@18']);
  });

  test('a route filtered on the message: depends, with cases; --message decides', () => {
    const s = scenarioOf('filtered-handlers.blueprint.json');
    const c = classify(s, 20, 'DataError');
    assert.equal(c.outcome, 'depends');
    assert.equal(c.dependsOn, 'message');
    assert.deepEqual(
      c.cases?.map((k) => [k.outcome, k.handler]),
      [
        ['incomplete-with-retry', 'break'],
        ['incomplete-without-retry', null],
      ],
    );
    // worst case at the top: stored without retry is worse than stored with retry
    assert.deepEqual([c.worst, c.storesIncompleteExecution, c.autoRetry, c.handler], ['incomplete-without-retry', true, false, null]);
    assert.deepEqual(
      [
        classify(s, 20, 'DataError', undefined, 'Gateway TIMEOUT').outcome,
        classify(s, 20, 'DataError', undefined, 'Gateway TIMEOUT').handler,
      ],
      ['incomplete-with-retry', 'break'],
    );
    assert.equal(classify(s, 20, 'DataError', undefined, 'Bad request').outcome, 'incomplete-without-retry');
    const j = cli('classify', 'filtered-handlers.blueprint.json', '--module', '20', '--error', 'DataError', '--json');
    assert.equal(j.code, 0, j.stderr);
    const out = JSON.parse(j.stdout) as {
      outcome: string;
      cases: { when: string; outcome: string; storesIncompleteExecution: boolean; autoRetry: boolean; handler: string | null }[];
    };
    assert.equal(out.outcome, 'depends');
    assert.deepEqual(Object.keys(out.cases[0]), ['when', 'outcome', 'storesIncompleteExecution', 'autoRetry', 'handler']);
    assert.match(out.cases[0].when, /the error message contains "timeout" \(ignoring case\)/);
    const m = JSON.parse(
      cli('classify', 'filtered-handlers.blueprint.json', '--module', '20', '--error', 'DataError', '--message', 'timeout', '--json')
        .stdout,
    ) as { outcome: string };
    assert.equal(m.outcome, 'incomplete-with-retry');
    // CodeLens / hover phrase: the depends group says what it depends on
    assert.match(summarizeOutcomes(outcomesByErrorType(s, 20)), /depend on the error message/);
  });

  test('convert: a type filter is the YAML `errors:` list, a message filter the route `condition`; both ways, stable', () => {
    const y1 = blueprintToYaml(load('filtered-handlers.blueprint.json'), 'filtered-handlers.blueprint.json');
    assert.match(
      y1,
      /\n {2}- id: 18\n {4}app: http:ActionSendData\n {4}name: Call API\n {4}onError:\n {6}errors:\n {8}- RuntimeError\n {6}directive: ignore\n/,
    );
    assert.match(y1, /\n {6}condition:\n {8}- - a: "\{\{20\.error\.message\}\}"\n {12}o: text:contain:ci\n {12}b: timeout\n/);
    const b = JSON.parse(yamlToBlueprint(y1, 'f.scenario.yaml')) as { flow: { onerror?: { filter?: { conditions: unknown } }[] }[] };
    assert.deepEqual(b.flow[1].onerror?.[0].filter?.conditions, [[{ a: '{{18.error.type}}', o: 'text:equal', b: 'RuntimeError' }]]);
    assert.equal(blueprintToYaml(JSON.stringify(b), 'filtered-handlers.blueprint.json'), y1);
  });
});

describe('real shapes: a router inside an error-handler route', () => {
  test('routes filtered on the message ending in Resume and Rollback: depends on the message, not "ignore"', () => {
    const s = scenarioOf('router-in-handler.blueprint.json');
    const c = classify(s, 7, 'DataError');
    assert.equal(c.outcome, 'depends');
    assert.deepEqual(
      c.cases?.map((k) => k.handler),
      ['resume', 'rollback', 'ignore'],
    );
    assert.deepEqual([c.worst, c.handler], ['failed', 'rollback']);
    assert.deepEqual(
      [
        classify(s, 7, 'DataError', undefined, 'Invoice already exists').handler,
        classify(s, 7, 'DataError', undefined, 'Server busy').handler,
      ],
      ['resume', 'rollback'],
    );
    assert.deepEqual(pairs('router-in-handler.blueprint.json'), ['decided-at-run-time@7', 'missing-error-handler@8']);
    // the directive modules ending the routes are not modules of the flow (no missing handler on 31 / 32)
    assert.equal(findModule(s, 31), undefined);
    const y = blueprintToYaml(load('router-in-handler.blueprint.json'), 'r.blueprint.json');
    assert.equal(blueprintToYaml(yamlToBlueprint(y, 'r.scenario.yaml'), 'r.blueprint.json'), y);
  });
});

describe('real shapes: unset trigger, IML, wrapped exports, Resume, dlq, unknown nesting', () => {
  test('an unset trigger is information, not invalid-scenario; classify, simulate and convert work', () => {
    assert.deepEqual(pairs('unset-trigger.blueprint.json'), ['missing-error-handler@2', 'missing-error-handler@3', 'unset-trigger@-']);
    const l = cli('lint', 'unset-trigger.blueprint.json');
    assert.equal(l.code, 0, l.stdout);
    const c = cli('classify', 'unset-trigger.blueprint.json', '--module', '2', '--error', 'DataError', '--json');
    assert.equal(c.code, 0, c.stderr);
    assert.equal((JSON.parse(c.stdout) as { outcome: string }).outcome, 'incomplete-without-retry');
    const y = blueprintToYaml(load('unset-trigger.blueprint.json'), 'u.blueprint.json');
    assert.match(y, /\nmodules:\n {2}- app: placeholder:Placeholder\n {2}- id: 2\n/);
    const b = JSON.parse(yamlToBlueprint(y, 'u.scenario.yaml')) as { flow: { id: number | null; module: string }[] };
    assert.deepEqual([b.flow[0].id, b.flow[0].module], [null, 'placeholder:Placeholder']);
    assert.ok(simulate(scenarioOf('unset-trigger.blueprint.json')).bundles.length === 1);
  });

  test('IML in Break settings: decided at run time (information); a constant expression is its value', () => {
    assert.deepEqual(pairs('iml-break.blueprint.json'), ['decided-at-run-time@2', 'decided-at-run-time@3']);
    const s = scenarioOf('iml-break.blueprint.json');
    assert.deepEqual(
      [findModule(s, 2)?.onError[0].autoComplete, findModule(s, 2)?.onError[0].runTime],
      [true, { attempts: '{{1.maxAttempts}}' }],
    );
    assert.equal(classify(s, 2, 'DataError').outcome, 'incomplete-with-retry');
    const c = classify(s, 3, 'DataError');
    assert.deepEqual(
      [c.outcome, c.dependsOn, c.cases?.map((k) => k.outcome)],
      ['depends', 'data', ['incomplete-with-retry', 'incomplete-without-retry']],
    );
    const y = blueprintToYaml(load('iml-break.blueprint.json'), 'i.blueprint.json');
    assert.match(y, /autoComplete: "\{\{1\.autoRetry\}\}"/);
    assert.equal(blueprintToYaml(yamlToBlueprint(y, 'i.scenario.yaml'), 'i.blueprint.json'), y);
  });

  test('wrapped exports are unwrapped with a note; positions are in the original text', () => {
    for (const name of ['api-response.json', 'template.json']) {
      const text = load(name);
      const r = lintScenario(name, text);
      assert.deepEqual(r.findings.map((f) => f.code).sort(), ['missing-error-handler', 'wrapped-export'], name);
      const missing = r.findings.find((f) => f.code === 'missing-error-handler');
      assert.equal(text.slice(missing?.span.start, missing?.span.end), '"http:ActionSendData"', name);
      assert.equal(cli('classify', name, '--module', '2', '--error', 'ConnectionError').code, 0, name);
    }
    const edit = errorHandlerEdit(parseScenario('api-response.json', load('api-response.json')), 2, 'ignore');
    assert.ok(edit, 'the quick fix finds the module inside the wrapper');
  });

  test('a Resume without mapper round-trips without gaining `output: {}`', () => {
    const y1 = blueprintToYaml(load('resume-no-mapper.blueprint.json'), 'r.blueprint.json');
    assert.doesNotMatch(y1, /output/);
    const y2 = blueprintToYaml(yamlToBlueprint(y1, 'r.scenario.yaml'), 'r.blueprint.json');
    assert.equal(y2, y1);
  });

  test("no `dlq` in the export: Make's default (off) is assumed and said", () => {
    const s = scenarioOf('no-dlq.blueprint.json');
    assert.equal(s.settings.storeIncompleteExecutions, false);
    assert.equal(classify(s, 2, 'ConnectionError').outcome, 'failed');
    const [f] = findings('no-dlq.blueprint.json', 'missing-error-handler');
    assert.match(
      f.message,
      /no `metadata\.scenario\.dlq`, so Make's default for "Allow storing of incomplete executions", off, is assumed/,
    );
  });

  test('modules nested where the model does not look are reported and convert refuses them with a position', () => {
    const [f] = findings('agent-tools.blueprint.json', 'unchecked-modules');
    assert.ok(f);
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /^2 modules inside `tools` of module 2 \(ai-local-agent:RunLocalAIAgent\) are not checked/);
    assert.throws(() => blueprintToYaml(load('agent-tools.blueprint.json'), 'agent-tools.blueprint.json'), {
      message: /^agent-tools\.blueprint\.json:29:13: 2 modules inside `tools` of module 2/,
    });
    const r = cli('convert', 'agent-tools.blueprint.json');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^agent-tools\.blueprint\.json:29:13: cannot convert: /);
  });
});
