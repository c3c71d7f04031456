// CONTRACT STUB — owned by the "core-yaml" helper (the blueprint branch calls blueprintEdit.ts).
import type { Directive, LintCode } from './model';
import type { ParsedScenario } from './lint';
import type { TextEdit } from './edits';

/** The edit that attaches an error-handler route with `directive` to module `moduleId` (YAML or blueprint). Keeps indentation and comments. */
export function errorHandlerEdit(parsed: ParsedScenario, moduleId: number, directive: Directive): TextEdit | null {
  void parsed; void moduleId; void directive;
  return null;
}

/** The edit that inserts `# fusion-lint-disable-next-line <code>` above `line` (0-based), same indentation. YAML only; null for JSON. */
export function disableLineEdit(parsed: ParsedScenario, line: number, code: LintCode): TextEdit | null {
  void parsed; void line; void code;
  return null;
}
