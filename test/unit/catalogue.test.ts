import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DOCS,
  ERROR_TYPES,
  UNKNOWN_TYPE_UNHANDLED,
  isKnownErrorType,
  lookupErrorType,
  typesUnhandledAs,
  unhandledOutcome,
} from '../../src/core/catalogue/catalogue';
import { describeOutcome } from '../../src/core/classify/outcomes';

const REQUIRED = [
  'ConnectionError',
  'RateLimitError',
  'OutOfSpaceError',
  'ModuleTimeoutError',
  'DataError',
  'InvalidConfigurationError',
  'InvalidAccessTokenError',
  'UnexpectedError',
  'MaxFileSizeExceededError',
  'MaxResultsExceededError',
  'RuntimeError',
  'DuplicateDataError',
  'IncompleteDataError',
  'BundleValidationError',
  'AccountValidationError',
  'InconsistencyError',
  'OperationsLimitExceededError',
  'DataSizeLimitExceededError',
  'ScenarioTimeoutError',
  'ExecutionInterruptedError',
];

describe('catalogue', () => {
  test('has every error type Adobe and Make document, once', () => {
    for (const n of REQUIRED) assert.ok(isKnownErrorType(n), n);
    assert.equal(new Set(ERROR_TYPES.map((e) => e.name)).size, ERROR_TYPES.length);
    assert.equal(isKnownErrorType('AcmeCustomError'), false);
    assert.equal(isKnownErrorType('connectionerror'), false, 'names are case-sensitive, as in Fusion');
  });
  test('every entry is complete, with an https docs link on Adobe or Make', () => {
    for (const e of ERROR_TYPES) {
      assert.ok(e.family.length > 0 && e.meaning.length > 10 && e.action.length > 10, e.name);
      assert.ok(e.causes.length > 0, e.name);
      assert.match(e.docsUrl, /^https:\/\/(experienceleague\.adobe\.com|help\.make\.com)\//, e.name);
      assert.ok(!e.meaning.includes('\n'), 'one-line meaning');
    }
  });
  test("Adobe's lists (fusion unhandled outcomes)", () => {
    assert.equal(lookupErrorType('OutOfSpaceError')?.unhandled.fusion, 'incomplete-with-retry');
    assert.equal(lookupErrorType('OutOfSpaceError')?.unhandled.make, 'incomplete-without-retry');
    assert.equal(lookupErrorType('MaxResultsExceededError')?.unhandled.fusion, 'incomplete-without-retry');
    assert.equal(lookupErrorType('DuplicateDataError')?.unhandled.fusion, 'failed');
    // Adobe's tutorial "Understand incomplete executions": stored with automatic retry / without.
    for (const t of ['ConnectionError', 'RateLimitError', 'OutOfSpaceError', 'ModuleTimeoutError']) {
      assert.equal(lookupErrorType(t)?.unhandled.fusion, 'incomplete-with-retry', t);
    }
    for (const t of [
      'DataError',
      'InvalidConfigurationError',
      'InvalidAccessTokenError',
      'UnexpectedError',
      'MaxFileSizeExceededError',
      'MaxResultsExceededError',
    ]) {
      assert.equal(lookupErrorType(t)?.unhandled.fusion, 'incomplete-without-retry', t);
    }
    assert.deepEqual(
      typesUnhandledAs('fusion', 'incomplete-with-retry'),
      ERROR_TYPES.filter((e) => e.unhandled.fusion === 'incomplete-with-retry').map((e) => e.name),
    );
  });
  test('an unknown name does what UNKNOWN_TYPE_UNHANDLED says; a known one what its entry says', () => {
    assert.equal(unhandledOutcome('AcmeCustomError', 'fusion'), 'failed');
    assert.equal(unhandledOutcome('AcmeCustomError', 'make'), 'incomplete-without-retry');
    for (const p of ['fusion', 'make'] as const) {
      assert.equal(unhandledOutcome('AcmeCustomError', p), UNKNOWN_TYPE_UNHANDLED[p]);
      for (const e of ERROR_TYPES) assert.equal(unhandledOutcome(e.name, p), e.unhandled[p], `${p} ${e.name}`);
    }
  });
  test('an uncatchable type is one that fails unhandled (nothing to store it with)', () => {
    for (const e of ERROR_TYPES) if (e.uncatchableInMake) assert.equal(e.unhandled.make, 'failed', e.name);
  });
  test('docs constants and outcome wording', () => {
    assert.match(DOCS.makeAutomaticRetry, /^https:\/\/help\.make\.com\//);
    // One wording per outcome (core/classify/outcomes.ts): a failed run stores nothing.
    assert.match(describeOutcome('failed'), /nothing is stored/);
    assert.match(describeOutcome('incomplete-with-retry'), /retried automatically/);
  });
});
