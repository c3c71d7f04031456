// Reported on a project configuration file (.fusionlintrc.json) by core/config/parse.ts: a
// syntax error, an unknown key or rule code, a severity that does not exist. Shown at its place in
// the configuration file, never as a stack trace.
import { defineRule } from '../rule';

export const rule = defineRule({
  code: 'invalid-config',
  defaultSeverity: 'error',
  structural: false,
  suppressible: false,
  summary: 'A mistake in a project configuration file (`.fusionlintrc.json`): bad JSON, an unknown key, rule code or severity.',
  check: null,
  reportedBy: 'src/core/config/parse.ts',
});
