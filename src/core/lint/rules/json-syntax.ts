// Reported by the blueprint parser (core/scenario/blueprint.ts) at jsonc-parser's error position.
import { defineRule } from '../rule';

export const rule = defineRule({
  code: 'json-syntax',
  defaultSeverity: 'error',
  structural: true,
  // When the file does not parse, nothing else is reliable: a comment cannot silence it.
  suppressible: false,
  summary: 'A blueprint (`*.blueprint.json`, or JSON with top-level `flow` and `metadata`) is not valid JSON.',
  check: null,
  fromParser: true,
});
