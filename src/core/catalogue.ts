// CONTRACT STUB — owned by the "core-domain" helper: fill in every entry; keep the exported names.
import type { Outcome, Profile } from './model';

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
}

export const ERROR_TYPES: readonly ErrorTypeInfo[] = [];

export function lookupErrorType(name: string): ErrorTypeInfo | undefined {
  return ERROR_TYPES.find((e) => e.name === name);
}

export function isKnownErrorType(name: string): boolean {
  return lookupErrorType(name) !== undefined;
}
