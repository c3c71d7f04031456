// Reported by the blueprint parser when the JSON wraps the blueprint (Make's API response
// `{"code": "OK", "response": {"blueprint": …}}`, a template `{"blueprint": …, "controller": …}`):
// the inner blueprint is checked, with positions in the file as it is.
import { defineRule } from '../rule';

export const rule = defineRule({
  code: 'wrapped-export',
  defaultSeverity: 'information',
  structural: false,
  summary: 'The JSON wraps the blueprint (API response, template); the inner blueprint is checked.',
  check: null,
  fromParser: true,
});
