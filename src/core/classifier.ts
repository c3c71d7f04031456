// CONTRACT STUB — owned by the "core-domain" helper; replace the body, keep the signatures.
import type { Classification, Profile, Scenario } from './model';

/** Spec 1. Throws only for an unknown module id (callers check first). */
export function classify(scenario: Scenario, moduleId: number, errorType: string, profile?: Profile): Classification {
  void scenario; void moduleId; void errorType; void profile;
  throw new Error('not implemented');
}

/** The effective profile: scenario setting, else the given default, else 'fusion'. */
export function effectiveProfile(scenario: Scenario, fallback?: Profile): Profile {
  return scenario.settings.profile ?? fallback ?? 'fusion';
}

export interface OutcomeGroup {
  readonly outcome: import('./model').Outcome;
  /** Catalogue error types that lead to this outcome when the module fails. */
  readonly errorTypes: readonly string[];
}

/**
 * For a module, what each catalogue error type would do if it failed there, grouped by outcome
 * (in the order stopped, incomplete-with-retry, incomplete-without-retry, succeeded, failed).
 * Used by lint messages, hovers and CodeLens.
 */
export function outcomesByErrorType(scenario: Scenario, moduleId: number, profile?: Profile): OutcomeGroup[] {
  void scenario; void moduleId; void profile;
  throw new Error('not implemented');
}
