/**
 * Keeping many generated texts small in memory. A retry of every record of a large file makes one
 * message per record (and an `assumed` text per record): 50,000 of them with 100,000 records.
 *
 * V8 keeps a string built with `+` or a template literal as a tree of its pieces (a node of about
 * 32 bytes per piece, each piece kept), so a 400-character message built from 20 pieces takes
 * about twice its length; `flatText` copies it into one string. Texts that repeat — the same
 * `assumed` sentence for every record of a module — are kept once by a `TextPool`.
 */

/** `text` as one flat string (the same characters; `Array.prototype.join` copies them into one string). */
export function flatText(text: string): string {
  return text.length < 2 ? text : [text.slice(0, 1), text.slice(1)].join('');
}

/** One copy of each distinct text (for texts many records share). */
export class TextPool {
  private readonly texts = new Map<string, string>();

  /** The pool's copy of `text` (a flat one, kept from the first time it was seen). */
  intern(text: string): string {
    const known = this.texts.get(text);
    if (known !== undefined) return known;
    const flat = flatText(text);
    this.texts.set(flat, flat);
    return flat;
  }
}
