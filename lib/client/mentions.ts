/**
 * Whether a line mentions a nickname: the way irssi and weechat decide what to
 * highlight, made to work for Korean.
 *
 * @module
 */

/**
 * What a word is made of: the characters of a nickname (letters, digits, `_`, `-`
 * in any script) and combining marks. JavaScript's `\b` knows only ASCII letters,
 * so `민수` inside `김민수` would count as a word; this does not.
 */
const WORD_CHAR = /[\p{L}\p{N}\p{M}_-]/u;

/**
 * Korean particles and honorifics that attach to a name with no space: `민수님`,
 * `민수야`, `민수에게` still mention 민수. Longest first, so `에게` is tried
 * before a one-syllable particle could match its first half.
 */
const PARTICLES: readonly string[] = [
  "에게",
  "한테",
  "님",
  "씨",
  "야",
  "아",
  "이",
  "가",
  "은",
  "는",
  "을",
  "를",
  "의",
  "도",
  "랑",
  "과",
  "와",
];

/** How many particles may follow a name in a row (`민수님이`, `민수한테도`). */
const MAX_PARTICLES = 3;

/**
 * Tells whether `text` mentions `nick`: the nickname, ignoring case, as a word of
 * its own (not inside another word), in any script. A nickname directly followed
 * by common Korean particles (`민수님`, `민수야`, `alice에게`) still counts.
 *
 * @param text What was said.
 * @param nick The nickname.
 * @returns `true` when the text mentions the nickname.
 */
export function mentions(text: string, nick: string): boolean {
  const needle = fold(nick);
  if (needle === "") return false;
  const haystack = fold(text);
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    if (at > 0 && isWordChar(charBefore(haystack, at))) continue;
    const end = at + needle.length;
    if (end === haystack.length || !isWordChar(charAt(haystack, end))) return true;
    if (particlesThenBoundary(haystack, end)) return true;
  }
  return false;
}

/** The form compared: NFC (a syllable typed as jamo is the same syllable) and lower case. */
function fold(text: string): string {
  return text.normalize("NFC").toLowerCase();
}

function isWordChar(char: string): boolean {
  return WORD_CHAR.test(char);
}

/** The code point that starts at `index`. */
function charAt(text: string, index: number): string {
  return String.fromCodePoint(text.codePointAt(index)!);
}

/** The code point that ends just before `index` (a surrogate pair whole). */
function charBefore(text: string, index: number): string {
  const low = text.charCodeAt(index - 1);
  const start = index >= 2 && low >= 0xdc00 && low <= 0xdfff ? index - 2 : index - 1;
  return charAt(text, start);
}

/** Whether one to {@linkcode MAX_PARTICLES} particles follow `at`, then a word ends. */
function particlesThenBoundary(text: string, at: number): boolean {
  let position = at;
  for (let count = 0; count < MAX_PARTICLES; count++) {
    const particle = PARTICLES.find((p) => text.startsWith(p, position));
    if (particle === undefined) return false;
    position += particle.length;
    if (position === text.length || !isWordChar(charAt(text, position))) return true;
  }
  return false;
}
