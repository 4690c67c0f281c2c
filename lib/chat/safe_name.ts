/**
 * What makes a nickname or room name safe to show and to tell apart, beyond its own
 * length rule: visible letters of the scripts people write names in, no mix of
 * scripts made to deceive, a bounded width on a terminal.
 *
 * @module
 */

import { displayWidth } from "../util/display_width.ts";

const NAME = /^[\p{L}\p{N}_-]+$/u;
// NFKC may turn one letter into several characters (U+FDFA is a whole Arabic phrase
// with spaces): the compatibility form must be a name too.
const COMPATIBILITY_NAME = /^[\p{L}\p{N}\p{M}_-]+$/u;
// Letters that show as nothing or as blanks (U+3164 HANGUL FILLER, U+FFA0, U+115F,
// U+1160 are letters) and every other default-ignorable character.
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/u;

/**
 * The scripts of UAX #31 table 5 (Recommended Scripts), those in common use today.
 * Historic scripts are left out: cuneiform signs, for one, draw far wider than the two
 * columns a terminal gives them.
 */
const RECOMMENDED_SCRIPTS = [
  "Latin",
  "Hangul",
  "Han",
  "Hiragana",
  "Katakana",
  "Bopomofo",
  "Cyrillic",
  "Greek",
  "Arabic",
  "Armenian",
  "Bengali",
  "Devanagari",
  "Ethiopic",
  "Georgian",
  "Gujarati",
  "Gurmukhi",
  "Hebrew",
  "Kannada",
  "Khmer",
  "Lao",
  "Malayalam",
  "Myanmar",
  "Oriya",
  "Sinhala",
  "Tamil",
  "Telugu",
  "Thaana",
  "Thai",
  "Tibetan",
] as const;

type Script = typeof RECOMMENDED_SCRIPTS[number];

const SCRIPT_TESTS: readonly (readonly [Script, RegExp])[] = RECOMMENDED_SCRIPTS.map((
  script,
) => [script, new RegExp(`^\\p{Script=${script}}$`, "u")]);
const NO_SCRIPT = /^[\p{Script=Common}\p{Script=Inherited}]$/u;

/** Script sets written together (UTS #39 "highly restrictive"): Japanese, Chinese, Korean. */
const COMBINED_SCRIPTS: readonly ReadonlySet<Script>[] = [
  new Set<Script>(["Latin", "Han", "Hiragana", "Katakana"]),
  new Set<Script>(["Latin", "Han", "Bopomofo"]),
  new Set<Script>(["Latin", "Han", "Hangul"]),
];

/** Scripts whose letters pass for Latin ones: never mixed with Latin. */
const LATIN_LOOK_ALIKES: ReadonlySet<Script> = new Set<Script>(["Cyrillic", "Greek"]);

/**
 * The scripts of a name's characters, or `undefined` when one is outside the
 * recommended scripts. Digits, `_`, `-` and marks belong to none.
 */
function scriptsOf(name: string): Set<Script> | undefined {
  const scripts = new Set<Script>();
  for (const char of name) {
    if (NO_SCRIPT.test(char)) continue;
    const found = SCRIPT_TESTS.find(([, test]) => test.test(char));
    if (found === undefined) return undefined;
    scripts.add(found[0]);
  }
  return scripts;
}

/**
 * Whether scripts may be mixed in one name: UTS #39's "moderately restrictive" level.
 * One script; or Latin with Han and Japanese kana, with Han and Bopomofo, or with Han
 * and Hangul; or Latin and one other script, unless that is Cyrillic or Greek (whose
 * letters pass for Latin ones: `аlice`).
 */
function isAllowedMix(scripts: ReadonlySet<Script>): boolean {
  if (scripts.size <= 1) return true;
  if (COMBINED_SCRIPTS.some((set) => [...scripts].every((script) => set.has(script)))) {
    return true;
  }
  if (scripts.size !== 2 || !scripts.has("Latin")) return false;
  return ![...scripts].some((script) => LATIN_LOOK_ALIKES.has(script));
}

/**
 * Checks a name (nickname or room name) against the rules every name shares:
 * 1 to `maxChars` characters, each a letter, digit, `_` or `-`; none invisible or
 * default-ignorable; letters of the recommended scripts only, mixed only as people
 * write (see {@linkcode isAllowedMix}); at most `maxColumns` terminal columns.
 *
 * @param name The name, NFC.
 * @param maxChars The most code points.
 * @param maxColumns The most terminal columns.
 * @returns `true` when it is valid.
 */
export function isSafeName(name: string, maxChars: number, maxColumns: number): boolean {
  let chars = 0;
  for (const _ of name) chars++;
  if (chars < 1 || chars > maxChars || !NAME.test(name) || INVISIBLE.test(name)) return false;
  const compatible = name.normalize("NFKC");
  if (!COMPATIBILITY_NAME.test(compatible) || INVISIBLE.test(compatible)) return false;
  const scripts = scriptsOf(compatible);
  if (scripts === undefined || !isAllowedMix(scripts)) return false;
  return displayWidth(name) <= maxColumns;
}
