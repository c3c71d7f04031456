/*
 * Quick fix for blueprints: attach an error-handler route (an `onerror` array ending in a directive
 * module) to a module. The insertion is made by jsonc-parser's `modify`, formatted like the
 * surrounding file (indent unit, tabs or spaces, line break) when the module spans several lines,
 * and kept on one line when the module is written on one line (minified exports stay compact).
 */
import { modify } from 'jsonc-parser';
import type { FormattingOptions, Node } from 'jsonc-parser';
import {
  blueprintModuleNodes,
  directiveModuleName,
  findBlueprintModule,
  parseBlueprintTree,
  prop,
  propertyNode,
} from '../scenario/blueprint';
import { blankBom } from '../text/bom';
import type { TextEdit } from '../text/edits';
import type { ParsedScenario } from '../lint/lint';
import type { Directive } from '../model';

/** The directive module the quick fix inserts (Break: auto-complete, 3 attempts every 15 minutes). */
export function directiveModule(
  directive: Directive,
  id: number,
  designer: { x: number; y: number } = { x: 0, y: 0 },
): Record<string, unknown> {
  const mapper: Record<string, unknown> | undefined =
    directive === 'break' ? { retry: true, count: 3, interval: 15 } : directive === 'resume' ? {} : undefined;
  return {
    id,
    module: directiveModuleName(directive),
    version: 1,
    parameters: {},
    ...(mapper !== undefined ? { mapper } : {}),
    metadata: { designer: { x: designer.x, y: designer.y } },
  };
}

/** Indentation of the object's first property relative to the object's own line: the file's unit. */
export function detectJsonFormatting(text: string, node: Node): FormattingOptions {
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const indentOf = (offset: number): string => {
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    return /^[ \t]*/.exec(text.slice(lineStart, offset))?.[0] ?? '';
  };
  const first = node.children?.[0];
  if (first) {
    const outer = indentOf(node.offset);
    const inner = indentOf(first.offset);
    if (inner.startsWith('\t')) return { insertSpaces: false, tabSize: 4, eol };
    const unit = inner.length - outer.length;
    if (unit > 0 && unit <= 8) return { insertSpaces: true, tabSize: unit, eol };
  }
  return { insertSpaces: true, tabSize: 2, eol };
}

function isMultiline(text: string, node: Node): boolean {
  return /[\r\n]/.test(text.slice(node.offset, node.offset + node.length));
}

function designerOf(node: Node): { x: number; y: number } {
  const designer = prop(prop(node, 'metadata'), 'designer');
  const x = prop(designer, 'x');
  const y = prop(designer, 'y');
  if (x && y && typeof x.value === 'number' && typeof y.value === 'number') return { x: x.value, y: y.value + 150 };
  return { x: 0, y: 0 };
}

/** Inserts a well-formed `onerror` array ending in the directive module (id unique in the file). */
export function blueprintErrorHandlerEdit(parsed: ParsedScenario, moduleId: number, directive: Directive): TextEdit | null {
  if (parsed.format !== 'blueprint') return null;
  const text = parsed.lineIndex.text;
  const { root, errors } = parseBlueprintTree(text);
  if (!root || errors.length > 0) return null;
  const target = findBlueprintModule(root, moduleId);
  if (!target || propertyNode(target.node, 'onerror')) return null;

  let maxId = 0;
  for (const m of blueprintModuleNodes(root)) if (m.id !== undefined && Number.isFinite(m.id)) maxId = Math.max(maxId, m.id);
  const handler = directiveModule(directive, Math.floor(maxId) + 1, designerOf(target.node));

  const edits = modify(blankBom(text), [...target.path, 'onerror'], [handler], {
    ...(isMultiline(text, target.node) ? { formattingOptions: detectJsonFormatting(text, target.node) } : {}),
  });
  if (edits.length === 0) return null;
  // One TextEdit covering every piece jsonc-parser produced (the insertion plus, maybe, a comma).
  const start = Math.min(...edits.map((e) => e.offset));
  const end = Math.max(...edits.map((e) => e.offset + e.length));
  let newText = '';
  let at = start;
  for (const e of [...edits].sort((a, b) => a.offset - b.offset)) {
    newText += text.slice(at, e.offset) + e.content;
    at = e.offset + e.length;
  }
  newText += text.slice(at, end);
  return { start, end, newText };
}
