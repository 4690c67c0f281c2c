import { assert, assertEquals, assertFalse, assertStrictEquals } from "@std/assert";
import {
  hasControlCharacters,
  MAX_BLANK_RUN_COLUMNS,
  MAX_MARKS_PER_CHAR,
  sanitizeText,
} from "../../lib/util/sanitize.ts";
import { IGNORABLE_RANGES_DATA, MARK_RANGES_DATA } from "../../lib/util/_unicode_tables.ts";
import { CodePointRanges } from "../../lib/util/code_point_ranges.ts";

Deno.test("sanitizeText returns safe text unchanged", () => {
  for (
    const text of [
      "hello 안녕 — émoji 😀 [x] {y} ~",
      "",
      "plain ascii",
      "a" + " ".repeat(MAX_BLANK_RUN_COLUMNS) + "b",
      "Tiếng Việt có dấu",
      "नमस्ते दुनिया",
      "Ελληνικά, русский, עברית, العربية",
    ]
  ) {
    assertStrictEquals(sanitizeText(text), text);
  }
});

Deno.test("sanitizeText turns tabs into spaces", () => {
  assertEquals(sanitizeText("a\tb\t\tc"), "a b  c");
});

Deno.test("sanitizeText replaces terminal escape sequences with inert text", () => {
  assertEquals(sanitizeText("\x1b[31mred\x1b[0m"), "\uFFFD[31mred\uFFFD[0m");
  assertEquals(sanitizeText("\x1b]0;title\x07"), "\uFFFD]0;title\uFFFD");
  assertEquals(sanitizeText("bell\x07"), "bell\uFFFD");
});

Deno.test("sanitizeText replaces C0, DEL and C1 controls, and \\r", () => {
  assertEquals(sanitizeText("a\x00b\x08c\x7fd"), "a\uFFFDb\uFFFDc\uFFFDd");
  assertEquals(sanitizeText("a\x9bb\x85c"), "a\uFFFDb\uFFFDc");
  assertEquals(sanitizeText("over\rwrite"), "over\uFFFDwrite");
  assertEquals(sanitizeText("a\nb"), "a\uFFFDb");
});

Deno.test("sanitizeText replaces bidirectional overrides and isolates", () => {
  assertEquals(sanitizeText("a\u202eb\u2066c\u2069"), "a\uFFFDb\uFFFDc\uFFFD");
  assertEquals(sanitizeText("a\u202ab\u202dc"), "a\uFFFDb\uFFFDc");
});

Deno.test("sanitizeText replaces line and paragraph separators like control characters", () => {
  // A terminal or a web page may break the line there, starting a row of its own.
  assertEquals(sanitizeText("hi\u2028alice2> fake"), "hi\uFFFDalice2> fake");
  assertEquals(sanitizeText("a\u2029b"), "a\uFFFDb");
});

Deno.test("sanitizeText removes bidi marks, zero-width characters and the BOM", () => {
  assertEquals(sanitizeText("a\u200eb\u200fc\u061cd"), "abcd", "LRM, RLM, ALM");
  assertEquals(sanitizeText("al\u200bice"), "alice", "ZWSP");
  assertEquals(sanitizeText("\ufeffhello"), "hello", "BOM");
  assertEquals(sanitizeText("a\u2060b\u00adc\u034fd\u180ee"), "abcde", "WJ, SHY, CGJ, MVS");
  assertEquals(sanitizeText("a\u{e0001}b\u{1d173}c"), "abc", "astral format characters");
  assertEquals(sanitizeText("a\ufff9b\ufffac\ufffbd"), "abcd", "interlinear annotation");
});

Deno.test("sanitizeText removes joiners except in emoji and the scripts that need them", () => {
  assertEquals(sanitizeText("al\u200dice a\u200cb"), "alice ab", "Latin needs none");
  assertEquals(sanitizeText("\u200d\u200c"), "");
  for (
    const text of [
      "👨\u200d👩\u200d👧", // family
      "🏳\ufe0f\u200d🌈", // rainbow flag, after a variation selector
      "👍🏽\u200d👍", // after a skin tone
      "می\u200cخواهم", // Persian ZWNJ
      "क्\u200dष", // Devanagari ZWJ after virama
      "ශ්\u200dර", // Sinhala
    ]
  ) {
    assertStrictEquals(sanitizeText(text), text, JSON.stringify(text));
  }
});

Deno.test("sanitizeText keeps variation selectors and flag tags where they do their job", () => {
  for (
    const text of [
      "❤\ufe0f",
      "葛\u{e0100}",
      "🏴\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}",
    ]
  ) {
    assertStrictEquals(sanitizeText(text), text, JSON.stringify(text));
  }
  assertEquals(sanitizeText("a \ufe0f\ufe0f b"), "a  b", "on a blank they only hide");
  assertEquals(sanitizeText("\ufe0fx"), "x");
  assertEquals(sanitizeText("a\u{e0067}b"), "ab", "a tag outside a flag");
});

Deno.test("sanitizeText keeps at most 5 combining marks on one character", () => {
  assertEquals(MAX_MARKS_PER_CHAR, 5);
  const five = "\u0301\u0302\u0303\u0304\u0305";
  assertStrictEquals(sanitizeText("e" + five), "e" + five);
  assertEquals(sanitizeText("e" + "\u0301".repeat(300) + "x"), "e" + "\u0301".repeat(5) + "x");
  assertEquals(
    sanitizeText(("a" + "\u0300".repeat(9)).repeat(3)),
    ("a" + "\u0300".repeat(5)).repeat(3),
  );
  // Marks outside the BMP, and marks split by removed characters, count as well.
  assertEquals(sanitizeText("a" + "\u{1d167}".repeat(8)), "a" + "\u{1d167}".repeat(5));
  assertEquals(sanitizeText("a" + "\u0301\u200b".repeat(8)), "a" + "\u0301".repeat(5));
});

Deno.test("sanitizeText shortens a run of blanks that could push text onto a row of its own", () => {
  const cut = " ".repeat(MAX_BLANK_RUN_COLUMNS);
  // Issue 19: 71 spaces, or 36 U+3000, wrapped a fake line onto a row of its own.
  assertEquals(sanitizeText(" ".repeat(71) + "alice2> fake"), cut + "alice2> fake");
  assertEquals(sanitizeText("\u3000".repeat(36) + "alice2> fake"), cut + "alice2> fake");
  assertEquals(sanitizeText("hi" + " ".repeat(200)), "hi" + cut);
  // Every blank counts: NBSP, en and em spaces, U+202F, U+205F, the braille blank,
  // the Hangul fillers; zero-width characters between them do not end the run.
  const mixed = "\u00a0\u2002\u2003\u202f\u205f\u2800\u3164\uffa0\u200b".repeat(8);
  assertEquals(sanitizeText("a" + mixed + "b"), "a" + cut + "b");
  // U+3000 takes two columns: 16 of them fit, 17 do not.
  assertStrictEquals(sanitizeText("a" + "\u3000".repeat(16)), "a" + "\u3000".repeat(16));
  assertEquals(sanitizeText("a" + "\u3000".repeat(17)), "a" + cut);
  assertStrictEquals(sanitizeText("a" + " ".repeat(32) + "b"), "a" + " ".repeat(32) + "b");
  assertEquals(sanitizeText("a" + " ".repeat(33) + "b"), "a" + cut + "b");
});

Deno.test("hasControlCharacters tells which text sanitizeText would replace", () => {
  for (const text of ["a\tb", "\x1b[0m", "x\x7f", "\u202e", "\x9b"]) {
    assert(hasControlCharacters(text), JSON.stringify(text));
    assert(sanitizeText(text) !== text);
  }
  for (const text of ["", "plain", "한국어", "😀"]) {
    assertFalse(hasControlCharacters(text), JSON.stringify(text));
  }
});

Deno.test("the generated mark and ignorable tables hold every character the runtime has", () => {
  // The tables are Unicode 17; the runtime's own data must not know more (regenerate
  // the tables with scripts/gen_unicode_tables.ts when it does).
  const marks = new CodePointRanges(MARK_RANGES_DATA);
  const ignorables = new CodePointRanges(IGNORABLE_RANGES_DATA);
  const mark = /\p{M}/u;
  const ignorable = /\p{Default_Ignorable_Code_Point}/u;
  for (let code = 0; code <= 0x10ffff; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const char = String.fromCodePoint(code);
    if (mark.test(char)) assert(marks.has(code), code.toString(16));
    assertEquals(ignorables.has(code), ignorable.test(char), code.toString(16));
  }
});

Deno.test("the characters sanitizeText passes without a look-up need none", () => {
  // Printable ASCII, compatibility jamo but the filler, Hangul syllables, the emoji planes.
  const marks = new CodePointRanges(MARK_RANGES_DATA);
  const ignorables = new CodePointRanges(IGNORABLE_RANGES_DATA);
  const ranges = [[0x21, 0x7e], [0x3131, 0x3163], [0x3165, 0x318e], [0xac00, 0xd7a3], [
    0x1f000,
    0x1fbff,
  ]];
  for (const [first, last] of ranges) {
    for (let code = first; code <= last; code++) {
      const char = String.fromCodePoint(code);
      assert(!marks.has(code) && !ignorables.has(code), code.toString(16));
      assert(!/[\p{Zs}\p{Cc}\p{Cf}]/u.test(char), code.toString(16));
    }
  }
});

Deno.test("sanitizeText output keeps every rule, whatever mix it is given", () => {
  // A small alphabet of everything the rules are about, in random lines (fixed seed).
  const alphabet = [
    "a",
    "b",
    " ",
    " ",
    "\t",
    "\x1b",
    "\u3000",
    "\u3164",
    "\u00a0",
    "\u2800",
    "\u200b",
    "\u200d",
    "\u200c",
    "\u200e",
    "\u2028",
    "\ufeff",
    "\ufe0f",
    "\u0301",
    "\u{1d167}",
    "가",
    "ㅋ",
    "😀",
    "👩",
    "🏽",
    "क",
    "्",
    "ی",
    "\u202e",
    "\u{e0067}",
    "🏴",
  ];
  let seed = 19;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const blankRun = /[\p{Zs}\u2800\u115f\u1160\u3164\uffa0]+/gu;
  for (let n = 0; n < 3000; n++) {
    const length = Math.floor(random() * 80);
    let line = "";
    for (let i = 0; i < length; i++) line += alphabet[Math.floor(random() * alphabet.length)];
    const out = sanitizeText(line);
    const context = JSON.stringify(line);
    assertEquals(sanitizeText(out), out, `idempotent: ${context}`);
    // deno-lint-ignore no-control-regex
    assertFalse(/[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(out), context);
    assertFalse(/[\u200b\u200e\u200f\ufeff]/.test(out), context);
    assertFalse(new RegExp(`\\p{M}{${MAX_MARKS_PER_CHAR + 1}}`, "u").test(out), context);
    for (const run of out.match(blankRun) ?? []) {
      const columns = [...run].reduce((sum, c) => sum + (/[\u3000\u3164]/.test(c) ? 2 : 1), 0);
      assert(columns <= MAX_BLANK_RUN_COLUMNS, context);
    }
  }
});
