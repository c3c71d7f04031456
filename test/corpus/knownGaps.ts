/**
 * Checks of the corpus suite that today's code is known to fail, file by file. A gap listed here
 * is still checked: it must FAIL (printed as "known gap"); when a fix makes it pass, the suite
 * fails until the entry is removed, so this list only shrinks.
 */

/** The gated checks (see corpus.test.ts). */
export type GatedCheck =
  /** A valid export (strict JSON, a blueprint or a known wrapper) gets no `invalid-scenario` finding. */
  | 'no-invalid-scenario'
  /** Every module object of the JSON (flow, routes[].flow, branches[].flow, onerror) is in the model. */
  | 'all-modules-known'
  /** blueprint → YAML → blueprint → YAML gives the same YAML, or the converter refuses with a position. */
  | 'round-trip';

export interface KnownGap {
  /** `corpus/<owner+repo>/<path>`, `fixtures/<name>` or `shapes/<name>`. */
  readonly file: string;
  readonly check: GatedCheck;
  readonly why: string;
}

// The wrappers (Make's API response, the template) and builtin:BasicIfElse branches are read by the
// parsers now: every check of the corpus passes, and a new gap must be listed here with its reason.
export const KNOWN_GAPS: readonly KnownGap[] = [];
