// Reported by both scenario parsers when the first module is Make's placeholder for a trigger not
// chosen yet (blueprint `{"id": null, "module": "placeholder:Placeholder"}`, YAML
// `app: placeholder:Placeholder` without an id). The model keeps it as the trigger (kind
// `unset-trigger`, id 0), so the next module is not taken for the trigger.
import { defineRule } from '../rule';

export const rule = defineRule({
  code: 'unset-trigger',
  defaultSeverity: 'information',
  structural: false,
  summary: "The first module is Make's placeholder for a trigger not chosen yet.",
  check: null,
  fromParser: true,
});
