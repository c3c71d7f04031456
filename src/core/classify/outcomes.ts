/*
 * The words for each outcome of a failure, in one table. Every text that names an outcome reads it:
 * hovers and the classify command (`describeOutcome`), lint messages (`outcomeVerb`, `OUTCOME_WORDS
 * .they`) and the CodeLens summary (`every`, `counted`). The forms differ only in grammar, so an
 * outcome means the same everywhere: `failed` is "the run fails and is rolled back, nothing is
 * stored", whichever sentence it sits in. Domain text in English, like the rest of the core.
 */
import type { ClassifiedOutcome, DependsOn, Outcome } from '../model';

/**
 * The words for `unknown`: the route that catches the error ends with a directive Fusion does not
 * know (`directive: brake`), so no outcome is claimed. `form`: `label` after "On failure:" or in a
 * hover ("unknown: the directive 'brake' is not one Fusion knows"), `counted` after a number of
 * error types ("3 unknown (…)").
 */
export function unknownWords(directive: string | undefined, form: 'label' | 'counted' = 'label'): string {
  const why = directive !== undefined ? `the directive '${directive}' is not one Fusion knows` : 'the directive is not one Fusion knows';
  return form === 'label' ? `unknown: ${why}` : `unknown (${why})`;
}

export interface OutcomeWords {
  /** What happens to the run, as a clause (hovers, the classify command). */
  readonly label: string;
  /** After one error type, as a verb phrase: "RuntimeError fails the run". */
  readonly verb: string;
  /** After several error types: "RuntimeError, DataError fail the run". */
  readonly verbPlural: string;
  /** After "they" (error types in general): "they fail the run". */
  readonly they: string;
  /** When every error type leads to it: "every error fails the run". */
  readonly every: string;
  /** When `n` of the catalogue's types lead to it: "4 types retry automatically". */
  counted(n: number): string;
  /** After "a failure", the gist (retry or not left out): "a failure stores an incomplete execution". */
  readonly gist: string;
}

function types(n: number): string {
  return n === 1 ? '1 type' : `${n} types`;
}

export const OUTCOME_WORDS: Readonly<Record<Outcome, OutcomeWords>> = {
  stopped: {
    label: 'the run stops, nothing is stored',
    verb: 'stops the run without storing anything',
    verbPlural: 'stop the run without storing anything',
    they: 'they stop the run without storing anything',
    every: 'the run stops at once, nothing is stored',
    counted: (n) => `${types(n)} stop the run`,
    gist: 'stops the run',
  },
  'incomplete-with-retry': {
    label: 'stored as an incomplete execution and retried automatically',
    verb: 'stores an incomplete execution with automatic retry',
    verbPlural: 'store an incomplete execution with automatic retry',
    they: 'they are stored as incomplete executions with automatic retry',
    every: 'every error is stored and retried automatically',
    counted: (n) => `${types(n)} ${n === 1 ? 'retries' : 'retry'} automatically`,
    gist: 'stores an incomplete execution',
  },
  'incomplete-without-retry': {
    label: 'stored as an incomplete execution, waiting for you',
    verb: 'stores an incomplete execution without automatic retry',
    verbPlural: 'store an incomplete execution without automatic retry',
    they: 'they are stored as incomplete executions without automatic retry',
    every: 'every error is stored without retry',
    counted: (n) => `${n} stored without retry`,
    gist: 'stores an incomplete execution',
  },
  failed: {
    label: 'the run fails and is rolled back, nothing is stored',
    verb: 'fails the run',
    verbPlural: 'fail the run',
    they: 'they fail the run',
    every: 'every error fails the run',
    counted: (n) => `${n} fail the run`,
    gist: 'fails the run',
  },
  succeeded: {
    label: 'handled, the run succeeds',
    verb: 'is handled and the run goes on',
    verbPlural: 'are handled and the run goes on',
    they: 'they are handled and the run goes on',
    every: 'every error is handled and the run goes on',
    counted: (n) => `${n} handled`,
    gist: 'is handled',
  },
};

/** "the error message" / "the run's data": what a `depends` outcome turns on, in words. */
export function dependsWords(on: DependsOn | undefined): string {
  return on === 'message' ? 'the error message' : "the run's data";
}

/**
 * What happens to the run, in plain words (hovers, the classify command, the tree). For `depends`,
 * `dependsOn` says what it turns on when known (`classify(...).dependsOn`); for `unknown`,
 * `unknownDirective` is the directive as written (`classify(...).unknownDirective`).
 */
export function describeOutcome(outcome: ClassifiedOutcome, dependsOn?: DependsOn, unknownDirective?: string): string {
  if (outcome === 'unknown') return unknownWords(unknownDirective);
  if (outcome !== 'depends') return OUTCOME_WORDS[outcome].label;
  switch (dependsOn) {
    case 'message':
      return 'depends on the error message';
    case 'data':
      return "depends on the run's data (decided when the scenario runs)";
    default:
      return "depends on the error message or the run's data";
  }
}

/**
 * The outcome as a verb phrase after one error type (`plural`: after a list of them). `depends`
 * (a filtered route, a router or if-else in the handler route) has no table row: what it turns on
 * is only known per case.
 */
export function outcomeVerb(outcome: ClassifiedOutcome, plural: boolean): string {
  if (outcome === 'depends') return `${plural ? 'depend' : 'depends'} on the error message or the run's data`;
  if (outcome === 'unknown')
    return `${plural ? 'have' : 'has'} an unknown outcome (the directive that catches ${plural ? 'them' : 'it'} is not one Fusion knows)`;
  return plural ? OUTCOME_WORDS[outcome].verbPlural : OUTCOME_WORDS[outcome].verb;
}
