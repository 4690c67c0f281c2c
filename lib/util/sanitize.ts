/**
 * Makes received text safe to show on another person's terminal: nothing it would
 * obey (C0 and C1 control characters, ESC sequences, DEL, bidirectional overrides,
 * line and paragraph separators), nothing invisible (zero-width characters, bidi
 * marks, the byte order mark), no letter drowned in combining marks, and no run of
 * blanks long enough to push a fake `nick> ` to the start of a screen row.
 *
 * Every received line passes here. A line of ASCII, Hangul and emoji with nothing to
 * change costs one regular expression scan, as before this grew; other lines one pass
 * of table look-ups; only a line with something to change is rebuilt.
 *
 * @module
 */

import { IGNORABLE_RANGES_DATA, MARK_RANGES_DATA } from "./_unicode_tables.ts";
import { CodePointRanges } from "./code_point_ranges.ts";

/**
 * The most combining marks kept on one character: real text needs up to four (a
 * Vietnamese or Tibetan stack); hundreds draw over the rows above and below.
 */
export const MAX_MARKS_PER_CHAR = 5;

/**
 * The widest run of blanks kept, in columns; a wider one is cut to this width. With
 * the shortest line prefix (`x> `) it ends before the edge of a 40-column terminal, so
 * blanks alone never wrap what follows onto a row of its own, where it could pass for
 * another person's line.
 */
export const MAX_BLANK_RUN_COLUMNS = 32;

// What each character is, as bits.
/** Replaced by U+FFFD or removed: the line needs the slow path. */
const UNSAFE = 1;
/** A combining mark. */
const MARK = 2;
/** A blank one column wide. */
const BLANK = 4;
/** A blank two columns wide. */
const WIDE_BLANK = 8;
/** Invisible, kept only where it does its job (see `keepsIgnorable`). */
const CONDITIONAL = 16;

const ZWNJ = 0x200c;
const ZWJ = 0x200d;
const BLACK_FLAG = 0x1f3f4;

const MARKS = new CodePointRanges(MARK_RANGES_DATA);
const IGNORABLES = new CodePointRanges(IGNORABLE_RANGES_DATA);
/** The kind of every BMP code unit; the other planes are looked up in the ranges. */
const BMP_KINDS: Uint8Array = bmpKinds();

const REPLACEMENT = "\uFFFD";
// Outside printable ASCII, Hangul syllables and compatibility jamo (but the filler
// U+3164), and the planes of emoji (U+1F000 to U+1FBFF, as UTF-16): a line without any
// such character needs no table look-up. Only the space there is a blank, and nothing
// is a mark or invisible.
const NOT_PLAIN = /[^\x20-\x7e\u3131-\u3163\u3165-\u318e\uac00-\ud7a3\ud83c-\ud83e\udc00-\udfff]/;
const TOO_MANY_SPACES = new RegExp(` {${MAX_BLANK_RUN_COLUMNS + 1}}`);
// Any run of MAX_BLANK_RUN_COLUMNS + 1 spaces covers three consecutive multiples of this.
const SPACE_SAMPLE_STRIDE = Math.floor((MAX_BLANK_RUN_COLUMNS + 1) / 3);
const SHORTENED_BLANKS = " ".repeat(MAX_BLANK_RUN_COLUMNS);
// Joiners shape letters only in these scripts (Arabic and its kin, the Brahmic
// scripts) and in emoji sequences; elsewhere they are invisible and only hide text.
const JOINING_SCRIPTS = ["Arab", "Syrc", "Nkoo", "Mong", "Rohg", "Deva", "Beng", "Guru"]
  .concat(["Gujr", "Orya", "Taml", "Telu", "Knda", "Mlym", "Sinh", "Mymr", "Khmr", "Tibt"])
  .map((script) => `\\p{Script_Extensions=${script}}`).join("");
/** What a joiner may follow: a letter or mark of a joining script. */
const JOINS_AFTER = new RegExp(`^[[\\p{L}\\p{M}]&&[${JOINING_SCRIPTS}]]$`, "v");
/** What a joiner may precede: a letter of a joining script. */
const JOINS_BEFORE = new RegExp(`^[\\p{L}&&[${JOINING_SCRIPTS}]]$`, "v");
/** What ends an emoji a joiner may follow, and what starts the emoji it may precede. */
const EMOJI_END = /^[\p{Extended_Pictographic}\p{Emoji_Modifier}\ufe0f]$/u;
const EMOJI_START = /^\p{Extended_Pictographic}$/u;
// deno-lint-ignore no-control-regex
const UNSAFE_TEST = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

function bmpKinds(): Uint8Array {
  const kinds = new Uint8Array(0x10000);
  MARKS.forEach((first, last) => {
    if (first < 0x10000) kinds.fill(MARK, first, Math.min(last, 0xffff) + 1);
  });
  IGNORABLES.forEach((first, last) => {
    for (let code = first; code <= last && code < 0x10000; code++) kinds[code] |= UNSAFE;
  });
  kinds.fill(UNSAFE, 0x00, 0x20);
  kinds.fill(UNSAFE, 0x7f, 0xa0);
  kinds.fill(UNSAFE, 0x2028, 0x202a);
  // Interlinear annotation characters: they hide text between them.
  kinds.fill(UNSAFE, 0xfff9, 0xfffc);
  // Blanks: what shows as empty space. The Zs spaces, U+2800 BRAILLE PATTERN BLANK and
  // the Hangul fillers (letters, and default-ignorable, but shown as blanks).
  for (const code of [0x20, 0xa0, 0x1680, 0x202f, 0x205f, 0x2800, 0x1160, 0xffa0]) {
    kinds[code] = BLANK;
  }
  kinds.fill(BLANK, 0x2000, 0x200b);
  for (const code of [0x3000, 0x115f, 0x3164]) kinds[code] = WIDE_BLANK;
  // Joiners and variation selectors (the latter are marks too).
  kinds[ZWNJ] = CONDITIONAL;
  kinds[ZWJ] = CONDITIONAL;
  for (let code = 0xfe00; code <= 0xfe0f; code++) kinds[code] = CONDITIONAL | MARK;
  for (const code of [0x180b, 0x180c, 0x180d, 0x180f]) kinds[code] = CONDITIONAL | MARK;
  return kinds;
}

/** The kind of a code point outside the BMP. */
function astralKind(code: number): number {
  if (IGNORABLES.has(code)) {
    if (code >= 0xe0100 && code <= 0xe01ef) return CONDITIONAL | MARK; // Variation selectors.
    if (code >= 0xe0020 && code <= 0xe007f) return CONDITIONAL; // Tags, for flags.
    return UNSAFE;
  }
  return MARKS.has(code) ? MARK : 0;
}

/**
 * Whether a character is shown as U+FFFD: what a terminal obeys, and line breaks that
 * would start a line of their own. C0 controls but tab, DEL, C1 controls, U+2028,
 * U+2029, and the bidi embeddings, overrides and isolates (they reorder the rest of the
 * row).
 */
function isReplaced(code: number): boolean {
  return code < 0x20 ? code !== 0x09 : (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x2028 && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

function kindOf(code: number): number {
  return code < 0x10000 ? BMP_KINDS[code] : astralKind(code);
}

/**
 * Whether an invisible character does its job where it is: a joiner after a letter or
 * mark and before a letter of a joining script, or between two emoji; a variation selector on a visible
 * character, a tag in a flag sequence.
 *
 * @param code The character.
 * @param previous The character before it, as written out (`undefined` at the start).
 * @param next The character after it, as received.
 */
function keepsIgnorable(
  code: number,
  previous: number | undefined,
  next: number | undefined,
): boolean {
  if (previous === undefined) return false;
  if (code === ZWJ || code === ZWNJ) {
    if (next === undefined) return false;
    const before = String.fromCodePoint(previous);
    const after = String.fromCodePoint(next);
    if (JOINS_AFTER.test(before) && JOINS_BEFORE.test(after)) return true;
    return code === ZWJ && EMOJI_END.test(before) && EMOJI_START.test(after);
  }
  if (code >= 0xe0020 && code <= 0xe007f) {
    return previous === BLACK_FLAG || (previous >= 0xe0020 && previous <= 0xe007e);
  }
  // A variation selector: on a character that shows.
  const kind = kindOf(previous);
  return (kind & (UNSAFE | BLANK | WIDE_BLANK | CONDITIONAL)) === 0;
}

/** The code point at `index`, or `undefined` past the end. */
function codeAt(text: string, index: number): number | undefined {
  return index < text.length ? text.codePointAt(index) : undefined;
}

/** The code point that ends just before `index`. */
function codeBefore(text: string, index: number): number | undefined {
  if (index === 0) return undefined;
  const low = text.charCodeAt(index - 1);
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) return text.codePointAt(index - 2);
  return low;
}

/**
 * Whether a text may hold a run of more than {@linkcode MAX_BLANK_RUN_COLUMNS} spaces:
 * such a run covers three consecutive multiples of `SPACE_SAMPLE_STRIDE` (11), so only
 * those positions are looked at before a full search.
 */
function mayHaveLongSpaceRun(text: string): boolean {
  for (let i = 2 * SPACE_SAMPLE_STRIDE; i < text.length; i += SPACE_SAMPLE_STRIDE) {
    if (
      text.charCodeAt(i) === 0x20 && text.charCodeAt(i - SPACE_SAMPLE_STRIDE) === 0x20 &&
      text.charCodeAt(i - 2 * SPACE_SAMPLE_STRIDE) === 0x20
    ) {
      return TOO_MANY_SPACES.test(text);
    }
  }
  return false;
}

/** Whether {@linkcode sanitizeText} would change the text: one pass, no allocation. */
function needsCleaning(text: string): boolean {
  let marks = 0;
  let blankColumns = 0;
  for (let i = 0; i < text.length; i++) {
    const start = i;
    let code = text.charCodeAt(i);
    let kind: number;
    if (code >= 0xd800 && code <= 0xdbff) {
      code = text.codePointAt(i)!;
      if (code > 0xffff) i++;
      kind = kindOf(code);
    } else {
      kind = BMP_KINDS[code];
    }
    if (kind === 0) {
      marks = 0;
      blankColumns = 0;
      continue;
    }
    if (kind & UNSAFE) return true;
    if (
      kind & CONDITIONAL &&
      !keepsIgnorable(code, codeBefore(text, start), codeAt(text, i + 1))
    ) {
      return true;
    }
    if (kind & MARK) {
      if (++marks > MAX_MARKS_PER_CHAR) return true;
    } else {
      marks = 0;
    }
    if (kind & (BLANK | WIDE_BLANK)) {
      blankColumns += kind & WIDE_BLANK ? 2 : 1;
      if (blankColumns > MAX_BLANK_RUN_COLUMNS) return true;
    } else {
      blankColumns = 0;
    }
  }
  return false;
}

/**
 * Makes a line of text safe to show on a terminal: tabs become spaces; control
 * characters, U+2028/U+2029 and bidi overrides become U+FFFD, so an escape sequence
 * arrives as inert text; other default-ignorable characters (zero-width ones, bidi
 * marks, the BOM) are removed, but joiners stay inside emoji sequences and the scripts
 * that need them, variation selectors on a visible character; marks beyond
 * {@linkcode MAX_MARKS_PER_CHAR} on one character are removed; a run of blanks wider
 * than {@linkcode MAX_BLANK_RUN_COLUMNS} columns is cut to that many spaces.
 *
 * @param text One line, without its line ending.
 * @returns The text, the same string when it held nothing to change.
 */
export function sanitizeText(text: string): string {
  // The most common lines (ASCII, Korean) take one regular expression scan, as before
  // this check grew, and a look at every eleventh character for a long run of spaces.
  if (!NOT_PLAIN.test(text)) return mayHaveLongSpaceRun(text) ? clean(text) : text;
  return needsCleaning(text) ? clean(text) : text;
}

function clean(text: string): string {
  let out = "";
  let previous: number | undefined; // The last character shown, pending blanks included.
  let marks = 0; // Marks kept on the current character.
  let blanks = ""; // A run of blanks not written yet.
  let blankColumns = 0;
  for (let i = 0; i < text.length; i++) {
    let code = text.codePointAt(i)!;
    let char = code > 0xffff ? text.slice(i, i + 2) : text[i];
    if (code > 0xffff) i++;
    if (code === 0x09) {
      code = 0x20;
      char = " ";
    } else if (isReplaced(code)) {
      code = 0xfffd;
      char = REPLACEMENT;
    }
    const kind = kindOf(code);
    if (kind & (BLANK | WIDE_BLANK)) {
      blanks += char;
      blankColumns += kind & WIDE_BLANK ? 2 : 1;
      previous = code;
      continue;
    }
    if (kind & UNSAFE) continue;
    if (kind & CONDITIONAL && !keepsIgnorable(code, previous, codeAt(text, i + 1))) continue;
    if (blanks !== "") {
      out += blankColumns > MAX_BLANK_RUN_COLUMNS ? SHORTENED_BLANKS : blanks;
      blanks = "";
      blankColumns = 0;
      marks = 0;
    }
    if (kind & MARK) {
      if (++marks > MAX_MARKS_PER_CHAR) continue;
    } else {
      marks = 0;
    }
    out += char;
    previous = code;
  }
  if (blanks !== "") out += blankColumns > MAX_BLANK_RUN_COLUMNS ? SHORTENED_BLANKS : blanks;
  return out;
}

/**
 * Tells whether a text holds a control character or bidi override (tabs included),
 * which {@linkcode sanitizeText} would replace.
 *
 * @param text The text to test.
 * @returns `true` when it holds one.
 */
export function hasControlCharacters(text: string): boolean {
  return UNSAFE_TEST.test(text);
}
