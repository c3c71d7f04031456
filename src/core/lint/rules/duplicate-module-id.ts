// Reported by both scenario parsers (the shared id registry in core/scenario/modelBuilder.ts), on
// every occurrence after the first.
import { defineRule } from '../rule';

export const rule = defineRule({
  code: 'duplicate-module-id',
  defaultSeverity: 'error',
  structural: true,
  summary: 'Two modules share an `id` (anywhere in the file, including handler routes and router branches).',
  check: null,
  fromParser: true,
});
