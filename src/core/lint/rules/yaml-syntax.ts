// Reported by the YAML scenario parser (core/scenario/yaml.ts) at the parser's error position.
import { defineRule } from '../rule';

export const rule = defineRule({
  code: 'yaml-syntax',
  defaultSeverity: 'error',
  structural: true,
  // When the file does not parse, nothing else is reliable: a comment cannot silence it.
  suppressible: false,
  summary: 'The YAML does not parse.',
  check: null,
  fromParser: true,
});
