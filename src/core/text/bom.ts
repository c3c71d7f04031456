/*
 * The UTF-8 byte-order mark. Editors on Windows (and Make's export download) may write one at the
 * start of a JSON or YAML file; once the file is decoded to a string it is the single UTF-16 code
 * unit U+FEFF at offset 0. Every reader of scenario or executions files accepts it, in one of two
 * ways:
 *   - `stripBom` drops it: the text is shorter by `offset` (0 or 1) code units, so an offset into
 *     the stripped text plus `offset` is an offset into the text as given;
 *   - `blankBom` replaces it with a space: the length is kept, so every offset a parser reports
 *     into the result is also an offset into the text as given (what the positions-keeping
 *     parsers need).
 * A U+FEFF anywhere else is an ordinary character (a "zero width no-break space") and is kept.
 */

/** The byte-order mark as it appears in a decoded string. */
export const BOM = '\uFEFF';

/** True when the text starts with a byte-order mark. */
export function hasBom(text: string): boolean {
  return text.charCodeAt(0) === 0xfeff;
}

/** The text without a leading byte-order mark, and how many code units were removed (0 or 1). */
export function stripBom(text: string): { readonly text: string; readonly offset: number } {
  return hasBom(text) ? { text: text.slice(BOM.length), offset: BOM.length } : { text, offset: 0 };
}

/** The text with a leading byte-order mark replaced by a space: same length, same offsets. */
export function blankBom(text: string): string {
  return hasBom(text) ? ` ${text.slice(BOM.length)}` : text;
}
