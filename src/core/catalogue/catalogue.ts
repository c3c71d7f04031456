// The error catalogue: every error type Fusion / Make name in their documentation, with what it
// means, what usually causes it, what to do, and what happens when a non-first module raises it
// with no error-handler route attached (storage of incomplete executions on), per profile.
//
// An error type is ONE entry of ERROR_TYPES. The classifier decides from the entry (`unhandled`
// for each profile, `uncatchableInMake`); hovers, lint messages, the classify command and the
// tree's tooltips read it; the error-type enums of schemas/scenario.schema.json and the error-type
// table of README.md are generated from it (`npm run generate`). Pure data, no I/O.
import type { Outcome, Profile } from '../model';

/** Outcome with no handler attached on a non-first module, per profile. */
export type UnhandledOutcome = Extract<Outcome, 'incomplete-with-retry' | 'incomplete-without-retry' | 'failed'>;

export interface ErrorTypeInfo {
  readonly name: string;
  /** e.g. 'connection' | 'data' | 'configuration' | 'access' | 'limit' | 'platform' | 'runtime' */
  readonly family: string;
  readonly meaning: string;
  readonly causes: readonly string[];
  readonly action: string;
  /** What happens when it is raised by a non-first module with no handler, per profile (storage on). */
  readonly unhandled: Readonly<Record<Profile, UnhandledOutcome>>;
  /** Documentation link for hovers. */
  readonly docsUrl: string;
  /**
   * Make profile only: the error is raised outside the operation phase (e.g. while the scenario
   * initialises its connections), so an error-handler route cannot catch it (Make's "Types of
   * errors" page says so for AccountValidationError). Absent = catchable.
   */
  readonly uncatchableInMake?: boolean;
}

/** Stable documentation pages (confirmed with the docs search; English versions). */
export const DOCS = {
  /** Adobe Experience League: "Error types" (error processing) in Workfront Fusion. */
  fusionErrorTypes: 'https://experienceleague.adobe.com/en/docs/workfront-fusion/using/references/errors/error-processing',
  /** Adobe Experience League: "Directives for error handling" in Workfront Fusion. */
  fusionDirectives: 'https://experienceleague.adobe.com/en/docs/workfront-fusion/using/references/errors/directives-for-error-handling',
  /** Adobe Experience League: "Add filtering and nesting to error handling routes". */
  fusionAdvancedErrorHandling:
    'https://experienceleague.adobe.com/en/docs/workfront/using/adobe-workfront-fusion/errors-in-fusion/advanced-error-handling',
  /** Make Help Center: "Types of errors". */
  makeErrorTypes: 'https://help.make.com/types-of-errors',
  /** Make Help Center: "Automatic retry of incomplete executions" (the 1/10/10/30/30/30/180/180 min schedule). */
  makeAutomaticRetry: 'https://help.make.com/automatic-retry-of-incomplete-executions',
  /** Make Help Center: "Errors that don't create incomplete executions". */
  makeNoIncompleteExecution: 'https://help.make.com/errors-that-dont-create-incomplete-executions',
  /** Make Help Center: "Incomplete executions". */
  makeIncompleteExecutions: 'https://help.make.com/incomplete-executions',
} as const;

const FUSION = DOCS.fusionErrorTypes;
const MAKE = DOCS.makeErrorTypes;

export const ERROR_TYPES: readonly ErrorTypeInfo[] = [
  // --- Fusion stores these WITH automatic retry (Adobe's tutorial lists these four) ------------
  {
    name: 'ConnectionError',
    family: 'connection',
    meaning: 'The module could not connect to the third-party service.',
    causes: [
      'The service is down for maintenance or overloaded',
      'A network failure or a reset connection',
      'A DNS or TLS problem on the remote side',
    ],
    action: 'Usually temporary: let the automatic retries run; if they keep failing, check the service status page.',
    unhandled: { fusion: 'incomplete-with-retry', make: 'incomplete-with-retry' },
    docsUrl: FUSION,
  },
  {
    name: 'RateLimitError',
    family: 'connection',
    meaning: 'The third-party service refused the call because too many requests were made (HTTP 429).',
    causes: ['Too many bundles processed in a short time', 'Other integrations sharing the same API quota'],
    action: 'Usually temporary: let the automatic retries run; reduce the run frequency or the bundles per run, or add a Sleep.',
    unhandled: { fusion: 'incomplete-with-retry', make: 'incomplete-with-retry' },
    docsUrl: FUSION,
  },
  {
    name: 'OutOfSpaceError',
    family: 'limit',
    meaning: 'The destination has no room left for the data the module tries to write.',
    causes: ['The target storage (drive, mailbox, data store) is full', 'A quota on the destination account was reached'],
    action: 'Free space or raise the quota on the destination, then retry the incomplete execution.',
    unhandled: { fusion: 'incomplete-with-retry', make: 'incomplete-without-retry' },
    docsUrl: FUSION,
  },
  {
    name: 'ModuleTimeoutError',
    family: 'connection',
    meaning: 'The third-party service did not answer in time (the request or the module timed out).',
    causes: ['A slow or overloaded service', 'A request that asks for too much data at once'],
    action: 'Usually temporary: let the automatic retries run; if it persists, ask for less data per call.',
    unhandled: { fusion: 'incomplete-with-retry', make: 'incomplete-with-retry' },
    docsUrl: FUSION,
  },
  // --- Fusion stores these WITHOUT automatic retry (Adobe's tutorial lists these six) ----------
  {
    name: 'DataError',
    family: 'data',
    meaning: 'The data sent to or received from the service does not fit what the module expects.',
    causes: [
      'A mapped value has the wrong type or format',
      'The service rejected the data (validation failed on its side)',
      'A missing item the module needs to process the bundle',
    ],
    action: 'Fix the mapping or the source data, then retry the incomplete execution (retrying unchanged data fails again).',
    unhandled: { fusion: 'incomplete-without-retry', make: 'incomplete-without-retry' },
    docsUrl: FUSION,
  },
  {
    name: 'InvalidConfigurationError',
    family: 'configuration',
    meaning: 'The module or its connection is configured in a way the service cannot accept.',
    causes: ['A required field or option is missing or invalid', 'The configured resource (folder, project, list) no longer exists'],
    action: 'Correct the module settings, then retry the incomplete execution.',
    unhandled: { fusion: 'incomplete-without-retry', make: 'incomplete-without-retry' },
    docsUrl: FUSION,
  },
  {
    name: 'InvalidAccessTokenError',
    family: 'access',
    meaning: 'The access token of the connection is invalid, expired or revoked.',
    causes: ['The token expired and could not be refreshed', 'The user revoked access or changed the password'],
    action: 'Reauthorize the connection, then retry the incomplete execution.',
    unhandled: { fusion: 'incomplete-without-retry', make: 'incomplete-without-retry' },
    docsUrl: FUSION,
  },
  {
    name: 'UnexpectedError',
    family: 'runtime',
    meaning: 'The service or the module failed in a way it does not describe more precisely.',
    causes: ['An unexpected answer from the service (HTTP 5xx with no detail)', 'A bug in the app or in the service'],
    action: 'Read the error message, check the service, then retry the incomplete execution by hand.',
    unhandled: { fusion: 'incomplete-without-retry', make: 'incomplete-without-retry' },
    docsUrl: FUSION,
  },
  {
    name: 'MaxFileSizeExceededError',
    family: 'limit',
    meaning: 'A file handled by the module is larger than the maximum file size allowed.',
    causes: ["The file exceeds the plan's or the service's maximum file size"],
    action: 'Process smaller files (split or compress them) or raise the limit, then retry or resolve.',
    unhandled: { fusion: 'incomplete-without-retry', make: 'incomplete-without-retry' },
    docsUrl: FUSION,
  },
  {
    name: 'MaxResultsExceededError',
    family: 'limit',
    meaning: 'The module would return more results than it is allowed to.',
    causes: ['A search or list without enough filtering', 'A limit set too high for the service'],
    action: 'Narrow the search or lower the limit, then retry the incomplete execution.',
    unhandled: { fusion: 'incomplete-without-retry', make: 'incomplete-without-retry' },
    docsUrl: FUSION,
  },
  // --- Other well-known types: the run fails in Fusion when unhandled -------------------------
  {
    name: 'RuntimeError',
    family: 'runtime',
    meaning: 'A generic error raised while the module ran (the service answered with an error).',
    causes: ['The service reported an error the app maps to no specific type', 'A response too large for Fusion to process'],
    action: 'Read the error message; fix the cause in the service or the mapping.',
    unhandled: { fusion: 'failed', make: 'incomplete-without-retry' },
    docsUrl: MAKE,
  },
  {
    name: 'DuplicateDataError',
    family: 'data',
    meaning: 'The service refused the data because the same item already exists.',
    causes: ['The same record was sent twice (a retried run, a re-sent webhook)', 'A unique field already used by another record'],
    action: 'Look the item up before creating it, or make the operation idempotent; resolve the execution if the item exists.',
    unhandled: { fusion: 'failed', make: 'incomplete-without-retry' },
    docsUrl: MAKE,
  },
  {
    name: 'IncompleteDataError',
    family: 'data',
    meaning: 'The module received only part of the data it needs (e.g. a file that is still being uploaded).',
    causes: ['The source item is not ready yet', 'The service returned a truncated answer'],
    action: 'Retry later, when the source data is complete.',
    unhandled: { fusion: 'failed', make: 'incomplete-without-retry' },
    docsUrl: MAKE,
  },
  {
    name: 'BundleValidationError',
    family: 'data',
    meaning: 'The bundle entering the module did not pass validation (HTTP 400/404 equivalents).',
    causes: ['Text mapped to a date or number field', 'An empty value mapped to a required field'],
    action: 'Fix the mapping (types and required fields), then retry.',
    unhandled: { fusion: 'failed', make: 'incomplete-without-retry' },
    docsUrl: MAKE,
  },
  {
    name: 'AccountValidationError',
    family: 'access',
    meaning: 'The platform could not authenticate you in the third-party app (HTTP 401/403 equivalents).',
    causes: ['Changed or expired credentials not updated in the connection', 'Missing permissions for the connected account'],
    action: 'Review the credentials and the connection; create a new connection if needed.',
    unhandled: { fusion: 'failed', make: 'failed' },
    docsUrl: MAKE,
    uncatchableInMake: true,
  },
  {
    name: 'InconsistencyError',
    family: 'platform',
    meaning: 'The platform found inconsistent data while it rolled back or committed the run.',
    causes: ['A module could not revert or confirm its changes', 'The data changed in the service during the run'],
    action: 'Check the data in the service for partial changes, then retry or resolve.',
    unhandled: { fusion: 'failed', make: 'incomplete-without-retry' },
    docsUrl: MAKE,
  },
  {
    name: 'OperationsLimitExceededError',
    family: 'limit',
    meaning: 'The organisation used up its operations for the period, so the run cannot continue.',
    causes: ['The monthly operations of the plan are used up'],
    action: 'Buy more operations or wait for the next period; the scenario is paused until then.',
    unhandled: { fusion: 'failed', make: 'failed' },
    docsUrl: MAKE,
  },
  {
    name: 'DataSizeLimitExceededError',
    family: 'limit',
    meaning: 'The organisation used up its data transfer allowance, so the run cannot continue.',
    causes: ['The monthly data transfer of the plan is used up'],
    action: 'Raise the data allowance or wait for the next period.',
    unhandled: { fusion: 'failed', make: 'failed' },
    docsUrl: MAKE,
  },
  {
    name: 'ScenarioTimeoutError',
    family: 'platform',
    meaning: 'The run took longer than the maximum run duration and was stopped.',
    causes: ['Too many bundles in one run', 'Slow modules or long Sleep modules'],
    action: 'Process fewer bundles per run or split the scenario.',
    unhandled: { fusion: 'failed', make: 'failed' },
    docsUrl: DOCS.makeNoIncompleteExecution,
  },
  {
    name: 'ExecutionInterruptedError',
    family: 'platform',
    meaning: 'The platform interrupted the run (it exceeded the run duration limit or was stopped).',
    causes: ['The run exceeded the maximum run duration of the plan', 'The run was stopped by the platform or by a person'],
    action: 'Make the run shorter (fewer bundles, fewer operations) and run it again.',
    unhandled: { fusion: 'failed', make: 'failed' },
    docsUrl: DOCS.makeNoIncompleteExecution,
  },
];

const BY_NAME: ReadonlyMap<string, ErrorTypeInfo> = new Map(ERROR_TYPES.map((e) => [e.name, e]));

export function lookupErrorType(name: string): ErrorTypeInfo | undefined {
  return BY_NAME.get(name);
}

export function isKnownErrorType(name: string): boolean {
  return BY_NAME.has(name);
}

/** Names of all catalogue types, catalogue order. */
export const ERROR_TYPE_NAMES: readonly string[] = ERROR_TYPES.map((e) => e.name);

/**
 * What a type the catalogue does not know (a custom app's) does when a non-first module raises it
 * with no handler, per profile: Fusion stores only the types its documentation lists, so the run
 * fails; Make stores every error that is not a platform limit.
 */
export const UNKNOWN_TYPE_UNHANDLED: Readonly<Record<Profile, UnhandledOutcome>> = { fusion: 'failed', make: 'incomplete-without-retry' };

/** What a non-first module raising `name` with no handler does (storage on): the entry's `unhandled`, else the unknown-type outcome. */
export function unhandledOutcome(name: string, profile: Profile): UnhandledOutcome {
  return BY_NAME.get(name)?.unhandled[profile] ?? UNKNOWN_TYPE_UNHANDLED[profile];
}

/** The catalogue's types whose `unhandled` outcome under `profile` is `outcome`, catalogue order. */
export function typesUnhandledAs(profile: Profile, outcome: UnhandledOutcome): string[] {
  return ERROR_TYPES.filter((e) => e.unhandled[profile] === outcome).map((e) => e.name);
}
