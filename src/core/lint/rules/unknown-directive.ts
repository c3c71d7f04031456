// Reported by the YAML scenario parser when it reads a route's `directive`. (The blueprint parser takes
// an `onerror` item that is not one of the five directive modules for a handler module.)
import { defineRule } from '../rule';

export const rule = defineRule({
  code: 'unknown-directive',
  defaultSeverity: 'error',
  structural: true,
  summary:
    "A route's `directive` is not one of `break`, `resume`, `ignore`, `commit`, `rollback` (scenario YAML; in a blueprint, an `onerror` module other than `builtin:Break|Resume|Ignore|Commit|Rollback` is a handler module).",
  check: null,
  fromParser: true,
});
