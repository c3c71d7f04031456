// CONTRACT STUB — owned by the "blueprint" helper.
import type { Directive } from './model';
import type { ParsedScenario } from './lint';
import type { TextEdit } from './edits';

/** Inserts a well-formed `onerror` array ending in the directive module (id unique in the file). */
export function blueprintErrorHandlerEdit(parsed: ParsedScenario, moduleId: number, directive: Directive): TextEdit | null {
  void parsed; void moduleId; void directive;
  return null;
}
