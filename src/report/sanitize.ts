// Tenant text made safe to print and to publish. A tenant controls error messages, header values and bodies,
// and they reach the terminal (the progress lines) and conformance-report.md, which CI appends to
// $GITHUB_STEP_SUMMARY. Control characters are made visible, never interpreted: an ANSI escape cannot recolour,
// clear or retitle a terminal, a carriage return cannot overwrite a line, a bidi override cannot reorder one.

/**
 * C0 controls, DEL, C1 controls (0x9b is a one-byte CSI), Unicode line and paragraph separators, and the bidi
 * marks, embeddings, overrides and isolates; the second leaves newline out.
 */
const CONTROL = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_BUT_NEWLINE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every control character shown as \xHH (\u2066 …): ESC becomes the four characters `\x1b`. Newlines stay only if allowed. */
export function terminalSafe(text: string, options: { newlines?: boolean } = {}): string {
  return options.newlines ? text.replace(/\r\n/g, '\n').replace(CONTROL_BUT_NEWLINE, visible) : text.replace(CONTROL, visible);
}

/**
 * One line of text safe in a Markdown table cell or list item, and as HTML: whitespace runs become one space,
 * control characters are made visible, HTML cannot start (<, >, & are entities), and a tenant string cannot
 * end a cell (|), open a code span (`), or make a link, image, heading or emphasis. Cut to `max` characters first.
 */
export function markdownSafe(text: string, max = Infinity): string {
  const one = text.replace(/[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+/g, ' ').trim();
  const cut = one.length > max ? `${one.slice(0, max - 1)}…` : one;
  // Markdown specials first, then HTML entities (whose own '#' and '&' must stay as they are).
  return terminalSafe(cut)
    .replace(/([\\*_[\]#!~])/g, '\\$1')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '&#124;')
    .replace(/`/g, '&#96;');
}
