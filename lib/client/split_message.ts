/**
 * Cutting a text that is over a server's line cap into pieces that each fit.
 *
 * @module
 */

/** Options for {@linkcode splitMessage}. */
export interface SplitMessageOptions {
  /**
   * Tells whether a piece may not start with this character (after spaces, which a
   * server trims): a piece of a plain message must not start with `/` or `@`, or
   * the server would read it as a command or a whisper.
   * @default {() => false}
   */
  badStart?: (char: string) => boolean;
}

const encoder = new TextEncoder();

function utf8Bytes(char: string): number {
  const code = char.codePointAt(0)!;
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}

/**
 * Splits a text into pieces of at most `maxBytes` UTF-8 bytes each, cut between
 * characters (never inside one). A piece ends at its last space when that space is
 * in the piece's second half (the space itself is dropped: the cut stands for it),
 * so words stay whole where they can.
 *
 * @param text The text.
 * @param maxBytes The most bytes of one piece (at least 4: one character).
 * @param options What a piece may not start with.
 * @returns The pieces, in order; the text itself when it fits.
 * @throws {RangeError} When `maxBytes` is below 4.
 */
export function splitMessage(
  text: string,
  maxBytes: number,
  options: SplitMessageOptions = {},
): string[] {
  if (maxBytes < 4) throw new RangeError(`Cannot split a message: ${maxBytes} bytes is too few`);
  if (encoder.encode(text).length <= maxBytes) return [text];
  const badStart = options.badStart ?? (() => false);
  const chars = Array.from(text);
  const pieces: string[] = [];
  let start = 0;
  while (start < chars.length) {
    let end = start;
    let bytes = 0;
    while (end < chars.length && bytes + utf8Bytes(chars[end]) <= maxBytes) {
      bytes += utf8Bytes(chars[end]);
      end++;
    }
    if (end === chars.length) {
      pieces.push(chars.slice(start).join(""));
      break;
    }
    let cut = end;
    let next = end;
    for (let i = end; i > start + (end - start) / 2; i--) {
      if (/\s/u.test(chars[i])) {
        cut = i;
        next = i + 1;
        break;
      }
    }
    while (cut > start + 1 && startsBadly(chars, next, badStart)) {
      cut--;
      next = cut;
    }
    pieces.push(chars.slice(start, cut).join(""));
    start = next;
  }
  return pieces;
}

function startsBadly(chars: string[], at: number, badStart: (char: string) => boolean): boolean {
  let i = at;
  while (i < chars.length && /\s/u.test(chars[i])) i++;
  return i < chars.length && badStart(chars[i]);
}
