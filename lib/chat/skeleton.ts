/**
 * The look-alike key of a name: two names with the same skeleton look the same, so
 * only one of them may be in use.
 *
 * This is the UTS #39 confusable skeleton (https://www.unicode.org/reports/tr39/),
 * taken after NFKC and case folding: `аlice` (Cyrillic а), `ａｌｉｃｅ` (full width),
 * `𝐚𝐥𝐢𝐜𝐞` (mathematical bold) and `ALICE` all have the skeleton of `alice`. One
 * departure from UTS #39: a precomposed Hangul syllable is its own prototype. The
 * confusable data maps the jamo inside syllables (final ㄱ to initial ㄱ, ㅆ to ㅅㅅ),
 * which would make `각가` and `가까` one name, though they look nothing alike.
 *
 * @module
 */

import { CONFUSABLES_DATA } from "./_confusables.ts";

/** Source code point → the prototype it looks like. */
const PROTOTYPES: ReadonlyMap<number, string> = decodeConfusables(CONFUSABLES_DATA);
/** The same for ASCII, as an array: most names are ASCII. */
const ASCII_PROTOTYPES: readonly string[] = Array.from(
  { length: 0x80 },
  (_, code) => PROTOTYPES.get(code) ?? String.fromCharCode(code),
);

// deno-lint-ignore no-control-regex
const ASCII = /^[\x00-\x7f]*$/;
const FIRST_HANGUL_SYLLABLE = 0xac00;
const LAST_HANGUL_SYLLABLE = 0xd7a3;

function decodeConfusables(data: string): Map<number, string> {
  const map = new Map<number, string>();
  let source = 0;
  for (const entry of data.split(",")) {
    const [delta, target] = entry.split(":");
    source += parseInt(delta, 36);
    map.set(source, String.fromCodePoint(...target.split(".").map((c) => parseInt(c, 36))));
  }
  return map;
}

/**
 * Folds case the way Unicode full case folding does for names: `ß` and `ss`, `ς`
 * and `σ`, `ſ` and `s` become one (lower case of upper case).
 *
 * @param text The text.
 * @returns Its folded form.
 */
function foldCase(text: string): string {
  return text.toUpperCase().toLowerCase();
}

/**
 * The skeleton of a name: NFKC, case folding, then each character replaced by the
 * UTS #39 prototype it is confusable with (on the NFD form), recomposed to NFC. Two
 * names compare equal by skeleton when they look alike.
 *
 * @param name The name.
 * @returns Its skeleton (not meant to be shown).
 */
export function skeleton(name: string): string {
  if (ASCII.test(name)) {
    let out = "";
    for (const char of name.toLowerCase()) out += ASCII_PROTOTYPES[char.charCodeAt(0)];
    return out;
  }
  const folded = foldCase(name.normalize("NFKC"));
  let out = "";
  for (const char of folded) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) {
      out += ASCII_PROTOTYPES[code];
    } else if (code >= FIRST_HANGUL_SYLLABLE && code <= LAST_HANGUL_SYLLABLE) {
      out += char;
    } else {
      for (const part of char.normalize("NFD")) {
        out += PROTOTYPES.get(part.codePointAt(0)!) ?? part;
      }
    }
  }
  return out.normalize("NFC");
}
