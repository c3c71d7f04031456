/** A text replacement in offsets of the original text (end exclusive). */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
