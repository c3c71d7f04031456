/**
 * Text from files (error messages, names, notes, bundles) placed into Markdown that a preview
 * renders: escaped so it reads as written and cannot become markup, links or HTML.
 */

/** `text` as literal Markdown inline text on one line (line breaks become spaces). */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r\n?|\n/g, ' ').replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (c) => `\\${c}`);
}

/** A fenced code block holding `text` exactly: the fence is longer than any run of backticks in it. */
export function codeBlock(text: string, language = ''): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text}${text.endsWith('\n') ? '' : '\n'}${fence}`;
}
