// Reported by the blueprint parser for module objects nested under a key the model does not read
// (an AI agent's `tools[].flow`, ...): they are counted and named, never silently skipped.
import { defineRule } from '../rule';

export const rule = defineRule({
  code: 'unchecked-modules',
  defaultSeverity: 'warning',
  structural: false,
  summary: "Modules nested under a key the tool does not know (an AI agent's `tools`, …) are not checked.",
  check: null,
  fromParser: true,
});
