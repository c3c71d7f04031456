import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseScenario } from '../../src/core/lint/lint';
import { buildMap, nodeAtOffset, type MapBuild, type MapNode, type ScenarioMap } from '../../src/core/map/layout';
import { categoryOf, colourMap, parseSelection, pickerGroups, selectionValue } from '../../src/core/map/colours';
import { classify } from '../../src/core/classify/classifier';
import { ERROR_TYPE_NAMES } from '../../src/core/catalogue/catalogue';
import { simulationOverlay, whatIfScenario } from '../../src/core/map/overlay';
import type { Scenario, ScenarioModule } from '../../src/core/model';
import { simulate } from '../../src/core/simulate/simulator';
import { buildScenario, mod, type ModSpec } from './helpers/scenarioBuilder';

const SAMPLES = path.join(__dirname, '../../../samples/scenarios');

function sample(name: string): { text: string; scenario: Scenario } {
  const text = fs.readFileSync(path.join(SAMPLES, name), 'utf8');
  const parsed = parseScenario(name, text);
  assert.ok(parsed.scenario, `${name} parses`);
  return { text, scenario: parsed.scenario };
}

function node(map: ScenarioMap, moduleId: number): MapNode {
  const n = map.nodes.find((x) => x.moduleId === moduleId);
  assert.ok(n, `module ${moduleId} has a node`);
  return n;
}

function directiveBelow(build: MapBuild, moduleId: number): MapNode {
  const owner = node(build.map, moduleId);
  const e = build.map.edges.find((x) => x.from === owner.key && x.kind === 'handler');
  assert.ok(e, `module ${moduleId} has a handler edge`);
  let target = build.map.nodes.find((x) => x.key === e.to);
  // follow the handler route to its directive
  while (target && target.kind !== 'directive') {
    const next = build.map.edges.find((x) => x.from === target?.key && x.kind === 'handler');
    target = next ? build.map.nodes.find((x) => x.key === next.to) : undefined;
  }
  assert.ok(target, `module ${moduleId}'s handler route ends in a directive node`);
  return target;
}

function overlaps(a: MapNode, b: MapNode): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Every structural promise of the layout, for any map. */
function assertWellFormed(map: ScenarioMap): void {
  const keys = new Set(map.nodes.map((n) => n.key));
  assert.equal(keys.size, map.nodes.length, 'node keys are unique');
  for (let i = 0; i < map.nodes.length; i++) {
    const a = map.nodes[i];
    assert.ok(a.x >= 0 && a.y >= 0 && a.x + a.width <= map.width && a.y + a.height <= map.height, `${a.key} lies inside the map`);
    for (let j = i + 1; j < map.nodes.length; j++) {
      assert.ok(!overlaps(a, map.nodes[j]), `${a.key} (${a.title}) and ${map.nodes[j].key} (${map.nodes[j].title}) do not overlap`);
    }
  }
  const cells = new Set(map.nodes.map((n) => `${n.column},${n.row}`));
  assert.equal(cells.size, map.nodes.length, 'one node per grid cell');
  for (const e of map.edges) {
    assert.ok(keys.has(e.from) && keys.has(e.to), `${e.key} joins existing nodes`);
    assert.ok(e.points.length >= 2, `${e.key} has a polyline`);
    for (let k = 1; k < e.points.length; k++) {
      const [p, q] = [e.points[k - 1], e.points[k]];
      assert.ok(p.x === q.x || p.y === q.y, `${e.key} is orthogonal`);
    }
  }
  for (const n of map.nodes) {
    for (const dir of ['left', 'right', 'up', 'down'] as const) {
      const to = n[dir];
      if (to !== undefined) assert.ok(keys.has(to), `${n.key}.${dir} is a node`);
    }
  }
}

describe('failure map layout', () => {
  test('the invoice-export sample: trigger, flow left to right, router routes in order, handler below', () => {
    const { scenario } = sample('invoice-export.scenario.yaml');
    const build = buildMap(scenario);
    const { map } = build;
    assertWellFormed(map);
    assert.equal(node(map, 1).kind, 'trigger');
    assert.equal(node(map, 3).kind, 'router');
    assert.equal(node(map, 2).kind, 'module');
    // flow: 1 → 2 → 3 on one row, left to right
    assert.ok(node(map, 1).row === node(map, 2).row && node(map, 2).row === node(map, 3).row);
    assert.ok(node(map, 1).x < node(map, 2).x && node(map, 2).x < node(map, 3).x);
    // routes: Paid (module 4) above Unpaid (module 5), both right of the router
    assert.ok(node(map, 4).y < node(map, 5).y, 'routes keep their source order top to bottom');
    assert.ok(node(map, 4).x > node(map, 3).x && node(map, 5).x > node(map, 3).x);
    const labels = map.edges.filter((e) => e.kind === 'route').map((e) => e.label);
    assert.deepEqual(labels, ['Paid', 'Unpaid']);
    // module 4's break sits right below it
    const d = directiveBelow(build, 4);
    assert.equal(d.directive, 'break');
    assert.equal(d.title, 'Break');
    assert.match(d.subtitle, /retry 3× \/ 15 min/);
    assert.equal(d.column, node(map, 4).column);
    assert.equal(d.row, node(map, 4).row + 1);
    // Unpaid comes below the whole Paid route, its handler route included
    assert.equal(node(map, 5).row, node(map, 4).row + 2);
    assert.ok(!overlaps(d, node(map, 5)));
  });

  test('a handler route with modules runs right, ending in its directive; later modules move past it', () => {
    const s = buildScenario({
      modules: [mod(1), mod(2, { onError: { directive: 'rollback', modules: [mod(21, { name: 'Alert' }), mod(22)] } }), mod(3)],
    });
    const build = buildMap(s);
    assertWellFormed(build.map);
    const two = node(build.map, 2);
    const alert = node(build.map, 21);
    assert.equal(alert.lane, 'handler');
    assert.equal(alert.row, two.row + 1);
    assert.equal(alert.column, two.column);
    assert.equal(node(build.map, 22).column, two.column + 1);
    const d = directiveBelow(build, 2);
    assert.equal(d.directive, 'rollback');
    assert.equal(d.column, two.column + 2);
    assert.equal(d.row, two.row + 1);
    // module 3 comes after the whole block of module 2 (three columns wide)
    assert.equal(node(build.map, 3).column, two.column + 3);
    assert.equal(build.map.edges.find((e) => e.from === two.key && e.kind === 'handler')?.label, 'all errors');
  });

  test('several handler routes stack below their module in source order, with their filters as labels', () => {
    const s = buildScenario({
      modules: [
        mod(1),
        mod(2, {
          onError: [
            { errors: ['ConnectionError'], directive: 'break' },
            { errors: ['DataError', 'RateLimitError'], directive: 'resume' },
          ],
        }),
      ],
    });
    const build = buildMap(s);
    assertWellFormed(build.map);
    const dirs = build.map.nodes.filter((n) => n.kind === 'directive');
    assert.deepEqual(
      dirs.map((d) => [d.directive, d.row]),
      [
        ['break', 1],
        ['resume', 2],
      ],
    );
    const labels = build.map.edges.filter((e) => e.kind === 'handler').map((e) => e.label);
    assert.deepEqual(labels, ['ConnectionError', 'DataError, RateLimitError']);
  });

  test('a wide route under a router with a wide handler route goes below the handler route', () => {
    const s = buildScenario({
      modules: [
        mod(1),
        mod(2, {
          onError: { directive: 'ignore', modules: [mod(20), mod(21)] },
          routes: [[mod(3), mod(4)], [mod(5), mod(6, { onError: { directive: 'break' } })], []],
        }),
      ],
    });
    const build = buildMap(s);
    assertWellFormed(build.map);
    const router = node(build.map, 2);
    assert.equal(node(build.map, 3).row, router.row, 'the first route stays on the router row');
    assert.ok(node(build.map, 5).row >= router.row + 2, 'the second route is below the handler route');
    const empty = build.map.nodes.find((n) => n.kind === 'empty');
    assert.ok(empty, 'an empty route is drawn as a placeholder');
    assert.ok(empty.row > node(build.map, 6).row, 'the empty route comes last, below the second route and its handler');
  });

  test('modules after a router in the same list continue on its row; its routes start one row lower', () => {
    const s = buildScenario({ modules: [mod(1), mod(2, { routes: [[mod(3)], [mod(4)]] }), mod(5)] });
    const build = buildMap(s);
    assertWellFormed(build.map);
    const router = node(build.map, 2);
    assert.equal(node(build.map, 5).row, router.row);
    assert.equal(node(build.map, 3).row, router.row + 1);
    assert.ok(build.map.edges.some((e) => e.from === router.key && e.to === node(build.map, 5).key && e.kind === 'flow'));
  });

  test('if-else branches slot in as forks, labelled by name or "else"', () => {
    const base = buildScenario({ modules: [mod(1), mod(2, { app: 'builtin:BasicIfElse' }), mod(5)] });
    const [m1, m2, m5] = base.modules;
    const branchModule = (id: number): ScenarioModule => ({ ...m5, id, routerPath: [2] });
    const ifElse = {
      ...m2,
      kind: 'if-else',
      branches: [
        { name: 'VIP', isElse: false, merge: true, disabled: false, modules: [branchModule(3)], span: m2.span },
        { isElse: true, merge: true, disabled: false, modules: [branchModule(4)], span: m2.span },
      ],
    } as ScenarioModule;
    const merge = { ...m5, kind: 'merge' } as ScenarioModule;
    const build = buildMap({ ...base, modules: [m1, ifElse, merge] });
    assertWellFormed(build.map);
    assert.equal(node(build.map, 2).kind, 'if-else');
    assert.equal(node(build.map, 5).kind, 'merge');
    assert.deepEqual(
      build.map.edges.filter((e) => e.kind === 'route').map((e) => e.label),
      ['VIP', 'else'],
    );
    // both branches flow into the merge
    const into = build.map.edges
      .filter((e) => e.to === node(build.map, 5).key)
      .map((e) => e.from)
      .sort();
    assert.deepEqual(into, [node(build.map, 3).key, node(build.map, 4).key].sort());
  });

  test('arrow keys: right follows the flow, down reaches the handler route, left and up come back', () => {
    const { scenario } = sample('invoice-export.scenario.yaml');
    const { map } = buildMap(scenario);
    const byKey = new Map(map.nodes.map((n) => [n.key, n]));
    const trigger = node(map, 1);
    assert.equal(trigger.right, node(map, 2).key);
    assert.equal(node(map, 2).left, trigger.key);
    assert.equal(node(map, 3).right, node(map, 4).key);
    const four = node(map, 4);
    assert.ok(four.down);
    assert.equal(byKey.get(four.down)?.kind, 'directive');
    assert.equal(byKey.get(four.down)?.up, four.key);
    assert.equal(trigger.left, undefined);
    assert.equal(trigger.up, undefined);
  });

  test('the cursor finds the innermost node: a handler directive inside a module, a routed module inside a router', () => {
    const { text, scenario } = sample('invoice-export.scenario.yaml');
    const { map } = buildMap(scenario);
    assert.equal(nodeAtOffset(map, text.indexOf('directive: break') + 12)?.kind, 'directive');
    assert.equal(nodeAtOffset(map, text.indexOf('Ask finance to chase'))?.moduleId, 5);
    assert.equal(nodeAtOffset(map, text.indexOf('Paid or unpaid?'))?.moduleId, 3);
    assert.equal(nodeAtOffset(map, text.indexOf('name: Invoice export')), undefined);
  });

  test('names are shortened to fit a node, the label keeps the whole text', () => {
    const s = buildScenario({ modules: [mod(1, { name: 'A very long module name that cannot fit on a node' })] });
    const n = buildMap(s).map.nodes[0];
    assert.ok(n.title.length <= 24 && n.title.endsWith('…'), n.title);
    assert.ok(n.label.includes('A very long module name that cannot fit on a node'));
  });

  test('property: any scenario tree gives a well-formed, deterministic map', () => {
    let next = 1;
    const modArb: fc.Memo<ModSpec> = fc.memo((depth) =>
      fc
        .record({
          handlers: fc.array(fc.record({ modules: depth > 1 ? fc.array(modArb(depth - 1), { maxLength: 2 }) : fc.constant([]) }), {
            maxLength: 2,
          }),
          routes: depth > 1 ? fc.array(fc.array(modArb(depth - 1), { maxLength: 3 }), { maxLength: 3 }) : fc.constant([]),
        })
        .map(({ handlers, routes }) => ({
          id: next++,
          ...(handlers.length ? { onError: handlers.map((h) => ({ directive: 'break' as const, modules: h.modules })) } : {}),
          ...(routes.length ? { routes } : {}),
        })),
    );
    fc.assert(
      fc.property(fc.array(modArb(3), { minLength: 1, maxLength: 5 }), (modules) => {
        const s = buildScenario({ modules });
        const a = buildMap(s).map;
        assertWellFormed(a);
        assert.deepEqual(buildMap(s).map, a, 'deterministic');
        // handlers below their module, routes right of their router
        for (const e of a.edges) {
          const from = a.nodes.find((n) => n.key === e.from) as MapNode;
          const to = a.nodes.find((n) => n.key === e.to) as MapNode;
          if (e.kind === 'route') assert.ok(to.column > from.column, 'a route goes right');
          if (e.kind === 'handler' && from.lane === 'flow') assert.ok(to.row > from.row, 'a handler route hangs below');
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('failure map colours', () => {
  const { scenario } = sample('invoice-export.scenario.yaml');
  const build = buildMap(scenario);

  test("ConnectionError: the trigger stops, unhandled modules retry, module 4's Break stores with retry", () => {
    const c = colourMap(scenario, build.map, { kind: 'type', name: 'ConnectionError' });
    const cat = (id: number): string | undefined => c.nodes[node(build.map, id).key]?.category;
    assert.equal(cat(1), 'stopped');
    assert.equal(cat(2), 'stored-retry');
    assert.equal(cat(4), 'stored-retry');
    assert.match(c.nodes[node(build.map, 4).key].reason, /Break directive/);
    assert.equal(c.nodes[directiveBelow(build, 4).key], undefined, 'directive nodes are not coloured');
    assert.equal(c.counts.stopped, 1);
  });

  test('DataError stores without retry where unhandled; the make profile retries nothing of it either', () => {
    const c = colourMap(scenario, build.map, { kind: 'type', name: 'DataError' });
    assert.equal(c.nodes[node(build.map, 2).key].category, 'stored');
    assert.equal(c.nodes[node(build.map, 4).key].category, 'stored-retry', 'the Break route catches every type');
    const unknown = colourMap(scenario, build.map, { kind: 'unknown' });
    assert.equal(unknown.nodes[node(build.map, 2).key].category, 'fails');
    const make = colourMap(scenario, build.map, { kind: 'unknown' }, 'make');
    assert.equal(make.nodes[node(build.map, 2).key].category, 'stored');
  });

  test('handled and fails: Resume / Rollback routes', () => {
    const s = buildScenario({
      modules: [mod(1), mod(2, { onError: { directive: 'resume' } }), mod(3, { onError: { directive: 'rollback' } })],
    });
    const b = buildMap(s);
    const c = colourMap(s, b.map, { kind: 'type', name: 'DataError' });
    assert.equal(c.nodes[node(b.map, 2).key].category, 'handled');
    assert.equal(c.nodes[node(b.map, 3).key].category, 'fails');
  });

  test('a family: one colour when all its types agree, "depends" with the split when they do not', () => {
    const s = buildScenario({ modules: [mod(1), mod(2), mod(3, { onError: { errors: ['ConnectionError'], directive: 'ignore' } })] });
    const b = buildMap(s);
    const c = colourMap(s, b.map, { kind: 'family', family: 'connection' });
    assert.equal(c.nodes[node(b.map, 2).key].category, 'stored-retry');
    assert.match(c.nodes[node(b.map, 2).key].reason, /Every connection error/);
    assert.equal(c.nodes[node(b.map, 3).key].category, 'depends');
    assert.match(c.nodes[node(b.map, 3).key].reason, /ConnectionError: handled; RateLimitError: stored, retried automatically/);
  });

  test('storage off turns stored into fails', () => {
    const s = buildScenario({ settings: { storeIncompleteExecutions: false }, modules: [mod(1), mod(2)] });
    const b = buildMap(s);
    assert.equal(colourMap(s, b.map, { kind: 'type', name: 'ConnectionError' }).nodes[node(b.map, 2).key].category, 'fails');
  });

  test("property: every module's colour is what classify() says for it", () => {
    let next = 1;
    const modArb: fc.Memo<ModSpec> = fc.memo((depth) =>
      fc
        .record({
          handler: fc.option(
            fc.record({
              errors: fc.option(fc.subarray([...ERROR_TYPE_NAMES], { minLength: 1, maxLength: 3 }), { nil: undefined }),
              directive: fc.constantFrom('break', 'resume', 'ignore', 'commit', 'rollback' as const),
              autoComplete: fc.boolean(),
            }),
            { nil: undefined },
          ),
          routes: depth > 1 ? fc.array(fc.array(modArb(depth - 1), { maxLength: 2 }), { maxLength: 2 }) : fc.constant([]),
        })
        .map(({ handler, routes }) => ({
          id: next++,
          ...(handler ? { onError: { ...handler, errors: handler.errors ?? null } } : {}),
          ...(routes.length ? { routes } : {}),
        })),
    );
    fc.assert(
      fc.property(
        fc.array(modArb(3), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...ERROR_TYPE_NAMES),
        fc.boolean(),
        fc.constantFrom('fusion' as const, 'make' as const),
        (modules, type, store, profile) => {
          const s = buildScenario({ modules, settings: { storeIncompleteExecutions: store } });
          const b = buildMap(s);
          const c = colourMap(s, b.map, { kind: 'type', name: type }, profile);
          for (const n of b.map.nodes) {
            if (n.moduleId === undefined) continue;
            assert.equal(c.nodes[n.key]?.category, categoryOf(classify(s, n.moduleId, type, profile).outcome), `module ${n.moduleId}`);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test('picker values round-trip; unknown names are refused', () => {
    const groups = pickerGroups();
    assert.ok(groups.some((g) => g.family === 'connection' && g.types.includes('ConnectionError')));
    for (const s of [{ kind: 'type', name: 'DataError' }, { kind: 'family', family: 'data' }, { kind: 'unknown' }] as const) {
      assert.deepEqual(parseSelection(selectionValue(s)), s);
    }
    assert.equal(parseSelection('type:NoSuchError'), undefined);
    assert.equal(parseSelection('family:nope'), undefined);
    assert.equal(parseSelection(42), undefined);
  });
});

describe('failure map simulation overlay', () => {
  const { scenario } = sample('invoice-export.scenario.yaml');
  const build = buildMap(scenario);
  const report = simulate(scenario, {
    clock: () => new Date('2026-01-01T00:00:00Z'),
    newId: (() => {
      let i = 0;
      return () => `ie-${i++}`;
    })(),
  });
  const overlay = simulationOverlay(build, report);

  test("each bundle's path and where it ended", () => {
    assert.equal(overlay.bundles.length, 3);
    const [b1, b2, b3] = overlay.bundles;
    // bundle 1: through the router into both routes; module 5 hits a RateLimitError, stored with retry
    assert.deepEqual(
      b1.nodes.slice(0, 5),
      [1, 2, 3, 4, 5].map((id) => node(build.map, id).key),
    );
    assert.deepEqual(
      b1.events.map((e) => [e.node, e.kind]),
      [[node(build.map, 5).key, 'stored-retry']],
    );
    // bundle 2: module 2 fails (ConnectionError) and the bundle goes no further
    assert.deepEqual(
      b2.nodes,
      [1, 2].map((id) => node(build.map, id).key),
    );
    assert.equal(b2.events[0].kind, 'stored-retry');
    assert.match(b2.events[0].text, /^Bundle 2: ConnectionError \(Connection reset by peer\) → stored/);
    // bundle 3: module 4 fails, its Break applies: the directive node is on the path
    assert.ok(b3.nodes.includes(directiveBelow(build, 4).key));
    assert.equal(b3.events[0].node, node(build.map, 4).key);
    // edges only between reached nodes
    const e12 = build.map.edges.find((e) => e.from === node(build.map, 1).key && e.to === node(build.map, 2).key);
    assert.ok(e12 && b2.edges.includes(e12.key));
    assert.equal(b2.edges.length, 1);
    assert.equal(overlay.runResult, 'warning');
  });

  test('what if: one bundle in which the chosen module fails with the chosen type', () => {
    const s = whatIfScenario(scenario, 2, 'DataError');
    const r = simulate(s, { clock: () => new Date('2026-01-01T00:00:00Z') });
    const o = simulationOverlay(build, r);
    assert.equal(o.bundles.length, 1);
    assert.deepEqual(
      o.bundles[0].events.map((e) => e.kind),
      ['stored'],
    );
    assert.equal(scenario.simulation?.bundles, 3, 'the scenario itself is not changed');
  });
});
