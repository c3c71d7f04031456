import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DOCS, ERROR_TYPES, describeUnhandled, isKnownErrorType, lookupErrorType } from '../../src/core/catalogue/catalogue';

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
  test('has every error type of the spec and the seed, once', () => {
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
  test('seed lists (fusion unhandled outcomes)', () => {
    assert.equal(lookupErrorType('OutOfSpaceError')?.unhandled.fusion, 'incomplete-with-retry');
    assert.equal(lookupErrorType('OutOfSpaceError')?.unhandled.make, 'incomplete-without-retry');
    assert.equal(lookupErrorType('MaxResultsExceededError')?.unhandled.fusion, 'incomplete-without-retry');
    assert.equal(lookupErrorType('DuplicateDataError')?.unhandled.fusion, 'failed');
    assert.equal(ERROR_TYPES.filter((e) => e.unhandled.fusion === 'incomplete-with-retry').length, 4);
    assert.equal(ERROR_TYPES.filter((e) => e.unhandled.fusion === 'incomplete-without-retry').length, 6);
  });
  test('docs constants and outcome wording', () => {
    assert.match(DOCS.makeAutomaticRetry, /^https:\/\/help\.make\.com\//);
    assert.equal(describeUnhandled('failed'), 'fails the run (nothing stored)');
    assert.match(describeUnhandled('incomplete-with-retry'), /retried automatically/);
  });
});
