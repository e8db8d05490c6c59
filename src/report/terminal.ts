// How the console is written: to the terminal's width (100 columns when it is not a terminal), text wrapped
// between words and never cut, and colour only on a terminal that wants it (https://no-color.org).

/** The width of lines printed to a stream that is not a terminal (a CI log, a file). */
export const PLAIN_WIDTH = 100;

export interface ConsoleTraits {
  /** a terminal: one progress line updated in place, and colour unless refused */
  tty: boolean;
  /** the width lines are wrapped to */
  width: number;
  colour: boolean;
}

/**
 * What a stream is: a terminal gets colour unless NO_COLOR is set (to anything but ""), TERM is dumb, or
 * --no-color was given; CI logs, pipes and files get none, and the plain width.
 */
export function consoleTraits(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv = process.env, options: { noColor?: boolean } = {}): ConsoleTraits {
  // A CI runner may give the job a pseudo-terminal: its log still wants plain lines.
  const tty = !!stream.isTTY && env.TERM !== 'dumb' && !env.CI;
  const colour = tty && !options.noColor && !env.NO_COLOR;
  const width = tty && stream.columns && stream.columns >= 40 ? stream.columns : PLAIN_WIDTH;
  return { tty, width, colour };
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, grey: 90, bold: 1 } as const;
export type Colour = keyof typeof CODES;

/** Paints text with an SGR colour when colour is on; the text itself must already be terminalSafe. */
export function painter(colour: boolean): (name: Colour | undefined, text: string) => string {
  return (name, text) => (colour && name ? `\x1b[${CODES[name]}m${text}\x1b[0m` : text);
}

/**
 * The text in lines of at most `width` characters, broken at spaces only: a word longer than a line (a URL)
 * gets a line of its own, whole. `indent` starts every line after the first (the first has `first`).
 */
export function wrapText(text: string, width: number, indent = '', first = ''): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = lines.length === 0 ? first : indent;
    let empty = true;
    for (const word of paragraph.split(/ +/).filter(Boolean)) {
      if (!empty && line.length + 1 + word.length > width) {
        lines.push(line);
        line = indent;
        empty = true;
      }
      line += empty ? word : ` ${word}`;
      empty = false;
    }
    lines.push(line);
  }
  return lines;
}

/** "1 min 05 s", "42 s": a duration for an estimate. */
export function durationWords(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 60 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
}
