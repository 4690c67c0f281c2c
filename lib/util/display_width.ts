/**
 * How many terminal columns a text takes, from the Unicode East Asian Width data
 * (generated into `_unicode_tables.ts` by `scripts/gen_unicode_tables.ts`).
 *
 * @module
 */

import { WIDE_RANGES_DATA } from "./_unicode_tables.ts";
import { CodePointRanges } from "./code_point_ranges.ts";

// Drawn on the previous character's cell or not at all: combining and enclosing marks,
// format and control characters, and the Hangul vowel and final jamo that join the
// syllable before them.
const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}\p{Cc}\u1160-\u11ff\ud7b0-\ud7ff]/u;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const WIDE = new CodePointRanges(WIDE_RANGES_DATA);

/**
 * Tells whether a code point is East Asian Wide or Fullwidth: two columns.
 *
 * @param code The code point.
 * @returns `true` for W and F.
 */
export function isWide(code: number): boolean {
  return WIDE.has(code);
}

/**
 * The columns one character takes: 0 for marks, format and control characters, 2 for
 * East Asian Wide and Fullwidth ones (Hangul, CJK, fullwidth forms, most emoji), else 1.
 *
 * @param char One code point.
 * @returns 0, 1 or 2.
 */
export function charWidth(char: string): number {
  const code = char.codePointAt(0)!;
  if (code >= 0x20 && code < 0x7f) return 1;
  if (ZERO_WIDTH.test(char)) return 0;
  return isWide(code) ? 2 : 1;
}

/**
 * The terminal columns a text takes (see {@linkcode charWidth}).
 *
 * @param text The text.
 * @returns Its width in columns.
 */
export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let columns = 0;
  for (const char of text) columns += charWidth(char);
  return columns;
}
