// CONTRACT STUB — owned by the "core-domain" helper; replace the bodies, keep the signatures.
import type { Classification, Clock, IncompleteExecution, Profile, Scenario } from './model';

export interface ModuleStep {
  readonly moduleId: number;
  /** 'ok' = the module ran; otherwise the failure and its classification. */
  readonly status: 'ok' | 'failed';
  readonly classification?: Classification;
}

export interface BundleReport {
  /** 1-based bundle number. */
  readonly bundle: number;
  /** 'completed' | 'stored' (one or more incomplete executions) | 'dropped' | 'failed' | 'stopped' | 'not-processed' */
  readonly result: 'completed' | 'stored' | 'dropped' | 'failed' | 'stopped' | 'not-processed';
  readonly steps: readonly ModuleStep[];
  /** Ids of the executions stored for this bundle. */
  readonly stored: readonly string[];
}

export interface SimulationReport {
  readonly scenario: string;
  readonly profile: Profile;
  /** 'success' | 'warning' (something stored or dropped) | 'failed' | 'stopped' */
  readonly runResult: 'success' | 'warning' | 'failed' | 'stopped';
  readonly bundles: readonly BundleReport[];
  /** New records to append to the executions file. */
  readonly executions: readonly IncompleteExecution[];
  /** Human-readable lines (the CLI prints them, the extension shows them). */
  readonly summary: readonly string[];
}

export interface SimulateOptions {
  readonly clock?: Clock;
  /** Workspace-relative path recorded in each stored execution's `scenarioFile`. */
  readonly scenarioFile?: string;
  readonly profile?: Profile;
  /** Id generator for stored executions (tests inject a deterministic one). */
  readonly newId?: () => string;
}

export function simulate(scenario: Scenario, options?: SimulateOptions): SimulationReport {
  void scenario; void options;
  throw new Error('not implemented');
}
