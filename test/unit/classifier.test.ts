import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classify,
  effectiveProfile,
  findHandler,
  outcomesByErrorType,
  summarizeOutcomes,
  unknownTypeOutcome,
} from '../../src/core/classify/classifier';
import { ERROR_TYPES, typesUnhandledAs } from '../../src/core/catalogue/catalogue';
import type { Profile } from '../../src/core/model';
import { findModule } from '../../src/core/model';
import { buildScenario, linear, mod } from './helpers/scenarioBuilder';

const PROFILES: readonly Profile[] = ['fusion', 'make'];
/** The catalogue's types fusion stores with / without automatic retry when unhandled (rules 3 and 4). */
const FUSION_AUTO_RETRY_TYPES = typesUnhandledAs('fusion', 'incomplete-with-retry');
const FUSION_STORED_TYPES = typesUnhandledAs('fusion', 'incomplete-without-retry');

describe('classify — first module', () => {
  test('fusion rule 1: the trigger stops the run, nothing stored, for every type', () => {
    const s = linear(3);
    for (const t of [...ERROR_TYPES.map((e) => e.name), 'AcmeCustomError']) {
      const c = classify(s, 1, t, 'fusion');
      assert.equal(c.outcome, 'stopped', t);
      assert.equal(c.storesIncompleteExecution, false);
      assert.equal(c.autoRetry, false);
      assert.equal(c.handler, null);
      assert.match(c.reason, /^Profile fusion, rule 1: /);
      assert.match(c.reason, /first module/);
    }
  });

  test('fusion rule 1 wins over a Break handler on the trigger', () => {
    const s = buildScenario({ modules: [mod(1, { onError: { directive: 'break', autoComplete: true } }), mod(2)] });
    const c = classify(s, 1, 'ConnectionError', 'fusion');
    assert.equal(c.outcome, 'stopped');
    assert.equal(c.handler, null);
    assert.match(c.reason, /does not apply to the trigger/);
  });

  test('make: a Break handler on the first module does store', () => {
    const s = buildScenario({ modules: [mod(1, { onError: { directive: 'break', autoComplete: true } }), mod(2)] });
    const c = classify(s, 1, 'DataError', 'make');
    assert.equal(c.outcome, 'incomplete-with-retry');
    assert.equal(c.handler, 'break');
    assert.ok(c.storesIncompleteExecution);
    assert.match(c.reason, /^Profile make, rule 2: /);
    const noRetry = buildScenario({ modules: [mod(1, { onError: { directive: 'break' } }), mod(2)] });
    assert.equal(classify(noRetry, 1, 'DataError', 'make').outcome, 'incomplete-without-retry');
  });

  test('make: first module with no handler stops (rule 3)', () => {
    const c = classify(linear(2), 1, 'ConnectionError', 'make');
    assert.equal(c.outcome, 'stopped');
    assert.match(c.reason, /^Profile make, rule 3: /);
  });
});

describe('classify — handler directives (rule 2)', () => {
  const cases: {
    directive: 'break' | 'resume' | 'ignore' | 'commit' | 'rollback';
    autoComplete?: boolean;
    outcome: string;
    stores: boolean;
    retry: boolean;
    word: RegExp;
  }[] = [
    {
      directive: 'break',
      autoComplete: true,
      outcome: 'incomplete-with-retry',
      stores: true,
      retry: true,
      word: /Break directive .* completed automatically \(3 attempts every 15 min\)/,
    },
    {
      directive: 'break',
      autoComplete: false,
      outcome: 'incomplete-without-retry',
      stores: true,
      retry: false,
      word: /Break directive .* without automatic completion/,
    },
    { directive: 'resume', outcome: 'succeeded', stores: false, retry: false, word: /Resume/ },
    { directive: 'ignore', outcome: 'succeeded', stores: false, retry: false, word: /Ignore/ },
    { directive: 'commit', outcome: 'succeeded', stores: false, retry: false, word: /Commit/ },
    { directive: 'rollback', outcome: 'failed', stores: false, retry: false, word: /Rollback/ },
  ];
  for (const p of PROFILES) {
    for (const k of cases) {
      test(`${p}: ${k.directive}${k.autoComplete !== undefined ? ` autoComplete=${k.autoComplete}` : ''} → ${k.outcome}`, () => {
        const s = buildScenario({
          modules: [mod(1), mod(2, { onError: { directive: k.directive, autoComplete: k.autoComplete ?? false } }), mod(3)],
        });
        for (const t of ['ConnectionError', 'DataError', 'RuntimeError', 'AcmeCustomError']) {
          const c = classify(s, 2, t, p);
          assert.equal(c.outcome, k.outcome, t);
          assert.equal(c.storesIncompleteExecution, k.stores);
          assert.equal(c.autoRetry, k.retry);
          assert.equal(c.handler, k.directive);
          assert.ok(c.route, 'the applied route is returned');
          assert.match(c.reason, new RegExp(`^Profile ${p}, rule 2: `));
          assert.match(c.reason, k.word);
        }
      });
    }
  }

  test('an errors filter that matches applies; one that does not falls through to the default rules', () => {
    const s = buildScenario({ modules: [mod(1), mod(2, { onError: { errors: ['DataError'], directive: 'ignore' } })] });
    const hit = classify(s, 2, 'DataError', 'fusion');
    assert.equal(hit.outcome, 'succeeded');
    assert.equal(hit.handler, 'ignore');
    assert.match(hit.reason, /filter DataError/);
    const miss = classify(s, 2, 'ConnectionError', 'fusion');
    assert.equal(miss.outcome, 'incomplete-with-retry');
    assert.equal(miss.handler, null);
    assert.match(miss.reason, /rule 3/);
  });

  test('several routes: the first whose filter matches wins', () => {
    const s = buildScenario({
      modules: [
        mod(1),
        mod(2, {
          onError: [
            { errors: ['RateLimitError'], directive: 'break', autoComplete: true, attempts: 5, intervalMinutes: 2 },
            { errors: null, directive: 'rollback' },
            { errors: ['DataError'], directive: 'ignore' },
          ],
        }),
      ],
    });
    const rl = classify(s, 2, 'RateLimitError', 'fusion');
    assert.equal(rl.handler, 'break');
    assert.equal(rl.route?.attempts, 5);
    assert.equal(classify(s, 2, 'DataError', 'fusion').handler, 'rollback');
  });

  test('router-level handler covers modules below it; the module own route comes first; innermost router first', () => {
    const s = buildScenario({
      modules: [
        mod(1),
        mod(10, {
          onError: { directive: 'rollback' },
          routes: [
            [mod(11), mod(12, { onError: { errors: ['DataError'], directive: 'resume' } })],
            [mod(20, { onError: { errors: ['ConnectionError'], directive: 'commit' }, routes: [[mod(21)]] })],
          ],
        }),
        mod(30),
      ],
    });
    const c11 = classify(s, 11, 'DataError', 'fusion');
    assert.equal(c11.handler, 'rollback');
    assert.equal(c11.outcome, 'failed');
    assert.match(c11.reason, /enclosing router 10/);
    assert.equal(classify(s, 12, 'DataError', 'fusion').handler, 'resume');
    assert.equal(classify(s, 12, 'ConnectionError', 'fusion').handler, 'rollback');
    // module 21: inner router 20 catches ConnectionError, outer router 10 catches the rest
    assert.equal(classify(s, 21, 'ConnectionError', 'fusion').handler, 'commit');
    assert.match(classify(s, 21, 'ConnectionError', 'fusion').reason, /enclosing router 20/);
    assert.equal(classify(s, 21, 'DataError', 'fusion').handler, 'rollback');
    // module after the router is not below it
    assert.equal(classify(s, 30, 'DataError', 'fusion').handler, null);
    const m21 = findModule(s, 21);
    assert.ok(m21);
    assert.equal(findHandler(s, m21, 'ConnectionError')?.owner.id, 20);
  });
});

describe('classify — no handler (fusion rules 3-5, make rules 4-6)', () => {
  const s = linear(3);
  test('fusion: each auto-retry type → incomplete-with-retry (rule 3)', () => {
    for (const t of FUSION_AUTO_RETRY_TYPES) {
      const c = classify(s, 2, t, 'fusion');
      assert.equal(c.outcome, 'incomplete-with-retry', t);
      assert.ok(c.storesIncompleteExecution && c.autoRetry);
      assert.equal(c.handler, null);
      assert.equal(
        c.reason,
        `Profile fusion, rule 3: ${t} raised in module 2 with no error-handler route stores an incomplete execution with automatic retry.`,
      );
    }
  });
  test('fusion: each stored type → incomplete-without-retry (rule 4)', () => {
    for (const t of FUSION_STORED_TYPES) {
      const c = classify(s, 3, t, 'fusion');
      assert.equal(c.outcome, 'incomplete-without-retry', t);
      assert.ok(c.storesIncompleteExecution);
      assert.equal(c.autoRetry, false);
      assert.match(c.reason, /^Profile fusion, rule 4: /);
    }
  });
  test('fusion: other catalogue types and unknown names fail the run (rule 5)', () => {
    for (const t of ['RuntimeError', 'DuplicateDataError', 'BundleValidationError', 'AccountValidationError', 'AcmeCustomError']) {
      const c = classify(s, 2, t, 'fusion');
      assert.equal(c.outcome, 'failed', t);
      assert.equal(c.storesIncompleteExecution, false);
      assert.match(c.reason, /^Profile fusion, rule 5: /);
    }
    assert.match(classify(s, 2, 'AcmeCustomError', 'fusion').reason, /does not know/);
  });
  test('make: only ConnectionError, RateLimitError, ModuleTimeoutError retry automatically', () => {
    for (const t of ['ConnectionError', 'RateLimitError', 'ModuleTimeoutError']) {
      const c = classify(s, 2, t, 'make');
      assert.equal(c.outcome, 'incomplete-with-retry', t);
      assert.match(c.reason, /^Profile make, rule 4: /);
    }
    const oos = classify(s, 2, 'OutOfSpaceError', 'make');
    assert.equal(oos.outcome, 'incomplete-without-retry');
    assert.match(oos.reason, /^Profile make, rule 6: /);
  });
  test('make: other errors, unknown names included, are stored without retry', () => {
    for (const t of [
      ...FUSION_STORED_TYPES,
      'RuntimeError',
      'DuplicateDataError',
      'IncompleteDataError',
      'BundleValidationError',
      'InconsistencyError',
      'AcmeCustomError',
    ]) {
      assert.equal(classify(s, 2, t, 'make').outcome, 'incomplete-without-retry', t);
    }
  });
  test('make: platform limits fail (rule 5); AccountValidationError cannot be caught (rule 1)', () => {
    for (const t of ['OperationsLimitExceededError', 'DataSizeLimitExceededError', 'ScenarioTimeoutError', 'ExecutionInterruptedError']) {
      const c = classify(s, 2, t, 'make');
      assert.equal(c.outcome, 'failed', t);
      assert.match(c.reason, /^Profile make, rule 5: /);
    }
    const handled = buildScenario({ modules: [mod(1), mod(2, { onError: { directive: 'ignore' } })] });
    const c = classify(handled, 2, 'AccountValidationError', 'make');
    assert.equal(c.outcome, 'failed');
    assert.equal(c.handler, null);
    assert.match(c.reason, /^Profile make, rule 1: /);
    // fusion follows the seed: the Ignore route catches it
    assert.equal(classify(handled, 2, 'AccountValidationError', 'fusion').outcome, 'succeeded');
  });
  test('catalogue "unhandled" agrees with the classifier for a non-first module', () => {
    for (const p of PROFILES)
      for (const e of ERROR_TYPES) assert.equal(classify(s, 2, e.name, p).outcome, e.unhandled[p], `${p} ${e.name}`);
  });
});

describe('classify — storage of incomplete executions off', () => {
  for (const p of PROFILES) {
    test(`${p}: stored outcomes become failed, with the reason saying so`, () => {
      const s = buildScenario({
        settings: { storeIncompleteExecutions: false },
        modules: [
          mod(1),
          mod(2),
          mod(3, { onError: { directive: 'break', autoComplete: true } }),
          mod(4, { onError: { directive: 'ignore' } }),
        ],
      });
      const c = classify(s, 2, 'ConnectionError', p);
      assert.equal(c.outcome, 'failed');
      assert.equal(c.storesIncompleteExecution, false);
      assert.equal(c.autoRetry, false);
      assert.match(c.reason, /storing of incomplete executions is off/);
      assert.equal(classify(s, 2, 'DataError', p).outcome, 'failed');
      const b = classify(s, 3, 'DataError', p);
      assert.equal(b.outcome, 'failed');
      assert.equal(b.handler, 'break');
      assert.match(b.reason, /off/);
      // outcomes that store nothing are unchanged
      assert.equal(classify(s, 4, 'DataError', p).outcome, 'succeeded');
      assert.equal(classify(s, 1, 'DataError', p).outcome, 'stopped');
    });
  }
});

describe('classify — misc', () => {
  test('unknown module id throws a clear error', () => {
    assert.throws(() => classify(linear(2), 99, 'DataError'), /Module 99 does not exist in scenario "Test scenario"/);
  });
  test('profile: scenario setting wins over the argument; default fusion', () => {
    const s = buildScenario({ settings: { profile: 'make' }, modules: [mod(1), mod(2)] });
    assert.equal(classify(s, 2, 'OutOfSpaceError', 'fusion').profile, 'make');
    assert.equal(classify(linear(2), 2, 'OutOfSpaceError').profile, 'fusion');
    assert.equal(effectiveProfile(linear(1), 'make'), 'make');
  });
  test('module name appears in the reason', () => {
    const s = buildScenario({ modules: [mod(1), mod(2, { name: 'Fetch invoice PDF' })] });
    assert.match(classify(s, 2, 'DataError').reason, /module 2 \(Fetch invoice PDF\)/);
  });
});

describe('outcomesByErrorType and summarizeOutcomes', () => {
  test('fusion, no handler: groups in order with the seed lists', () => {
    const groups = outcomesByErrorType(linear(3), 2, 'fusion');
    assert.deepEqual(
      groups.map((g) => g.outcome),
      ['incomplete-with-retry', 'incomplete-without-retry', 'failed'],
    );
    assert.deepEqual(groups[0].errorTypes, FUSION_AUTO_RETRY_TYPES);
    assert.deepEqual(groups[1].errorTypes, FUSION_STORED_TYPES);
    assert.equal(groups[2].errorTypes.length, ERROR_TYPES.length - FUSION_AUTO_RETRY_TYPES.length - FUSION_STORED_TYPES.length);
    assert.equal(
      summarizeOutcomes(groups),
      `On failure: ${FUSION_AUTO_RETRY_TYPES.length} types retry automatically · ${FUSION_STORED_TYPES.length} stored without retry · others fail the run`,
    );
  });
  test('first module: every type stops', () => {
    const groups = outcomesByErrorType(linear(3), 1, 'fusion');
    assert.deepEqual(
      groups.map((g) => g.outcome),
      ['stopped'],
    );
    assert.equal(summarizeOutcomes(groups), 'On failure: the run stops at once, nothing is stored');
  });
  test('partial handler: a succeeded group appears between stored and failed', () => {
    const s = buildScenario({ modules: [mod(1), mod(2, { onError: { errors: ['DataError', 'RuntimeError'], directive: 'ignore' } })] });
    const groups = outcomesByErrorType(s, 2, 'fusion');
    assert.deepEqual(
      groups.map((g) => g.outcome),
      ['incomplete-with-retry', 'incomplete-without-retry', 'succeeded', 'failed'],
    );
    assert.deepEqual(groups[2].errorTypes, ['DataError', 'RuntimeError']);
    assert.equal(
      summarizeOutcomes(groups),
      `On failure: ${FUSION_AUTO_RETRY_TYPES.length} types retry automatically · ${FUSION_STORED_TYPES.length - 1} stored without retry · 2 handled · others fail the run`,
      'DataError (stored) and RuntimeError (failed) are handled',
    );
  });
  test('catch-all Ignore: one group', () => {
    const s = buildScenario({ modules: [mod(1), mod(2, { onError: { directive: 'ignore' } })] });
    assert.equal(summarizeOutcomes(outcomesByErrorType(s, 2, 'fusion')), 'On failure: every error is handled and the run goes on');
    assert.equal(unknownTypeOutcome(s, 2, 'fusion'), 'succeeded');
    assert.equal(unknownTypeOutcome(linear(2), 2, 'fusion'), 'failed');
    assert.equal(unknownTypeOutcome(linear(2), 2, 'make'), 'incomplete-without-retry');
  });
  test('make profile summary and singular wording', () => {
    const retried = typesUnhandledAs('make', 'incomplete-with-retry').length;
    const stored = typesUnhandledAs('make', 'incomplete-without-retry').length;
    assert.equal(
      summarizeOutcomes(outcomesByErrorType(linear(2), 2, 'make')),
      `On failure: ${retried} types retry automatically · ${stored} stored without retry · others fail the run`,
    );
    assert.equal(
      summarizeOutcomes([
        { outcome: 'incomplete-with-retry', errorTypes: ['ConnectionError'] },
        { outcome: 'failed', errorTypes: ['X'] },
      ]),
      'On failure: 1 type retries automatically · others fail the run',
    );
    assert.equal(summarizeOutcomes([]), 'On failure: nothing known');
  });
  test('unknown module id throws', () => {
    assert.throws(() => outcomesByErrorType(linear(1), 5), /Module 5 does not exist/);
  });
});
