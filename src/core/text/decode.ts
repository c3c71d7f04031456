/**
 * File bytes as text, the way an editor opens them: UTF-8, a leading byte-order mark dropped. Text
 * that is not UTF-8 (a UTF-16 export, Latin-1, a binary file) is refused with the reason rather than
 * decoded leniently into U+FFFD characters. Used for scenario files (the CLI's lint) and project
 * configuration files (the CLI and the extension alike). The executions file has a stricter reader
 * that also gives the position of the first bad byte (`decodeJsonBytes` in ./json).
 */

export type TextRead =
  | { readonly ok: true; readonly text: string }
  /** `problem` completes "<file>: …", e.g. "binary file (it contains NUL bytes)". */
  | { readonly ok: false; readonly problem: string; readonly missing?: boolean };

/** Decodes file bytes as an editor would (UTF-8, byte-order mark dropped), or says why it cannot. */
export function decodeText(buf: Uint8Array): TextRead {
  if (buf.includes(0)) {
    const utf16 = buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff));
    return {
      ok: false,
      problem: utf16 ? 'UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8' : 'binary file (it contains NUL bytes)',
    };
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(buf) };
  } catch {
    return { ok: false, problem: 'not UTF-8 text' };
  }
}
