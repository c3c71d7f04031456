import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { classify, effectiveProfile } from '../../src/core/classify/classifier';
import { ERROR_TYPE_NAMES } from '../../src/core/catalogue/catalogue';
import { DIRECTIVES, PROFILES, walkModules } from '../../src/core/model';
import type { Directive, Profile, Scenario } from '../../src/core/model';
import { simulate } from '../../src/core/simulate/simulator';
import type { ModSpec, RouteSpec } from './helpers/scenarioBuilder';
import { buildScenario } from './helpers/scenarioBuilder';

const TYPES = [...ERROR_TYPE_NAMES, 'AcmeCustomError', 'Timeout'];

interface RouteShape {
  errors: string[] | null;
  directive: Directive;
  autoComplete: boolean;
  attempts: number;
  intervalMinutes: number;
  modules: ModShape[];
}
interface ModShape {
  onError: RouteShape[];
  routes: ModShape[][] | undefined;
}

function routeArb(depth: number): fc.Arbitrary<RouteShape> {
  return fc.record({
    errors: fc.option(fc.subarray(TYPES, { minLength: 1, maxLength: 3 }), { nil: null }),
    directive: fc.constantFrom(...DIRECTIVES),
    autoComplete: fc.boolean(),
    attempts: fc.integer({ min: 1, max: 10 }),
    intervalMinutes: fc.integer({ min: 1, max: 60 }),
    modules: depth > 0 ? fc.array(modArb(depth - 1), { maxLength: 2 }) : fc.constant([]),
  });
}
function modArb(depth: number): fc.Arbitrary<ModShape> {
  return fc.record({
    onError: fc.array(routeArb(depth), { maxLength: 2 }),
    routes:
      depth > 0
        ? fc.option(fc.array(fc.array(modArb(depth - 1), { maxLength: 3 }), { minLength: 1, maxLength: 3 }), { nil: undefined })
        : fc.constant(undefined),
  });
}

function toSpecs(shapes: readonly ModShape[], next: { id: number }): ModSpec[] {
  return shapes.map((s) => {
    const id = next.id++;
    const onError: RouteSpec[] = s.onError.map((r) => ({ ...r, modules: toSpecs(r.modules, next) }));
    return { id, onError, ...(s.routes ? { routes: s.routes.map((r) => toSpecs(r, next)) } : {}) };
  });
}

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    modules: fc.array(modArb(2), { minLength: 1, maxLength: 5 }),
    store: fc.boolean(),
    profile: fc.option(fc.constantFrom<Profile>(...PROFILES), { nil: undefined }),
  })
  .map(({ modules, store, profile }) =>
    buildScenario({
      modules: toSpecs(modules, { id: 1 }),
      settings: { storeIncompleteExecutions: store, ...(profile ? { profile } : {}) },
    }),
  );

const STORES = new Set(['incomplete-with-retry', 'incomplete-without-retry']);

test('property: classify never throws for existing ids and its flags agree with its outcome', () => {
  fc.assert(
    fc.property(
      scenarioArb,
      fc.nat(),
      fc.constantFrom(...TYPES),
      fc.constantFrom<Profile>(...PROFILES),
      (scenario, pick, errorType, fallback) => {
        const all = [...walkModules(scenario.modules)];
        const module = all[pick % all.length];
        const c = classify(scenario, module.id, errorType, fallback);
        const profile = effectiveProfile(scenario, fallback);
        assert.equal(c.profile, profile);
        assert.equal(c.moduleId, module.id);
        assert.equal(c.errorType, errorType);
        assert.equal(c.storesIncompleteExecution, STORES.has(c.outcome));
        assert.equal(c.autoRetry, c.outcome === 'incomplete-with-retry');
        if (!scenario.settings.storeIncompleteExecutions) assert.equal(c.storesIncompleteExecution, false);
        if (c.outcome === 'stopped') assert.equal(module.id, scenario.modules[0].id);
        if (profile === 'fusion' && module.id === scenario.modules[0].id) assert.equal(c.outcome, 'stopped');
        if (c.handler !== null) {
          assert.ok(c.route);
          assert.equal(c.route.directive, c.handler);
          assert.ok(c.route.errors === null || c.route.errors.includes(errorType));
          if (c.handler === 'break' && scenario.settings.storeIncompleteExecutions) assert.equal(c.autoRetry, c.route.autoComplete);
          if (c.handler === 'rollback') assert.equal(c.outcome, 'failed');
          if (c.handler === 'resume' || c.handler === 'ignore' || c.handler === 'commit') assert.equal(c.outcome, 'succeeded');
        } else {
          assert.notEqual(c.outcome, 'succeeded');
        }
        assert.match(c.reason, new RegExp(`^Profile ${profile}, rule [1-6]: .*\\.$`));
      },
    ),
    { seed: 20261120, numRuns: 2500 },
  );
});

test('property: simulate never throws and its records agree with its bundle reports', () => {
  fc.assert(
    fc.property(
      scenarioArb,
      fc.array(
        fc.record({
          pick: fc.nat(),
          error: fc.constantFrom(...TYPES),
          bundles: fc.option(fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 2 }), { nil: null }),
        }),
        { maxLength: 4 },
      ),
      fc.integer({ min: 1, max: 4 }),
      (base, faultPicks, bundles) => {
        const all = [...walkModules(base.modules)];
        const faults = faultPicks.map((f) => ({
          module: all[f.pick % all.length].id,
          error: f.error,
          bundles: f.bundles,
          recoverAfter: null,
          span: { start: 0, end: 0 },
        }));
        const scenario: Scenario = { ...base, simulation: { bundles, faults } };
        let n = 0;
        const r = simulate(scenario, { clock: () => new Date(0), newId: () => `ie-${(++n).toString(16).padStart(6, '0')}` });
        assert.equal(r.bundles.length, bundles);
        assert.deepEqual(
          r.bundles.flatMap((b) => b.stored),
          r.executions.map((e) => e.id),
        );
        for (const b of r.bundles) {
          if (b.result === 'stored') assert.ok(b.stored.length > 0);
          if (b.stored.length > 0) assert.ok(['stored', 'failed', 'stopped'].includes(b.result), b.result);
        }
        for (const e of r.executions) assert.equal(e.status === 'pending', e.autoRetry);
        if (!scenario.settings.storeIncompleteExecutions) assert.equal(r.executions.length, 0);
        const firstEnd = r.bundles.findIndex((b) => b.result === 'failed' || b.result === 'stopped');
        if (firstEnd >= 0) assert.ok(r.bundles.slice(firstEnd + 1).every((b) => b.result === 'not-processed'));
      },
    ),
    { seed: 42, numRuns: 400 },
  );
});
