// Reported by both scenario parsers while they build the model (and by the lint engine when a
// check fails internally, so the file is never reported as clean by mistake).
import { defineRule } from '../rule';

export const rule = defineRule({
  code: 'invalid-scenario',
  defaultSeverity: 'error',
  structural: true,
  summary:
    'The file parses but is not a scenario: not a mapping, no (or an empty) `modules` list, a field of the wrong type, a module without `id` or `app`, an unknown key in `settings`, a handler route or a fault.',
  check: null,
  fromParser: true,
});
