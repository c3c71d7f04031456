/**
 * What the CLI prints goes through `escapeForTerminal` (main.ts wraps the output of every
 * command): text from files — execution ids, scenario names, error messages, paths — may contain
 * control characters, and an ESC sequence printed as is would drive the terminal (move the cursor,
 * rewrite earlier lines, change the title). Such characters are shown as `\u001b`-style escapes,
 * which is also valid inside JSON strings, so `--json` output stays valid JSON.
 */

/**
 * C0 controls except tab and newline, DEL, C1 controls (U+0080–U+009F: some terminals read U+009B
 * as CSI), the line / paragraph separators and the bidi controls (which reorder what is shown).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is what this pattern is for
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every unsafe character replaced by `\uXXXX`. Tabs and newlines are kept. */
export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
