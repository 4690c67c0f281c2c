import { assert, assertEquals, assertFalse } from "@std/assert";
import {
  isValidNickname,
  MAX_NICKNAME_CHARS,
  MAX_NICKNAME_COLUMNS,
  nicknameKey,
  normalizeNickname,
} from "../../lib/chat/nickname.ts";

Deno.test("isValidNickname accepts letters, digits, _ and - in any script", () => {
  for (
    const nick of ["alice", "Bob_2", "a-b", "민수", "김철수_99", "Ελένη", "x", "42", "Иван"]
  ) {
    assert(isValidNickname(nick), nick);
  }
});

Deno.test("isValidNickname accepts 20 characters and refuses 21, counting code points", () => {
  assertEquals(MAX_NICKNAME_CHARS, 20);
  assert(isValidNickname("a".repeat(20)));
  assertFalse(isValidNickname("a".repeat(21)));
  assert(isValidNickname("가".repeat(20)), "20 Korean characters (60 bytes) are fine");
  assertFalse(isValidNickname("가".repeat(21)));
});

Deno.test("isValidNickname refuses empty, spaces, punctuation and control characters", () => {
  for (
    const nick of ["", "a b", "bob!", "@bob", "/who", "a.b", "a\tb", "a\x1bb", "a\u202eb", "😀"]
  ) {
    assertFalse(isValidNickname(nick), JSON.stringify(nick));
  }
});

Deno.test("isValidNickname refuses invisible and blank-looking characters (issue 19)", () => {
  for (
    const nick of [
      "alice\u3164", // HANGUL FILLER, a letter that looks like a trailing space
      "\u3164",
      "\u3164\u3164\u3164",
      "\uffa0", // HALFWIDTH HANGUL FILLER
      "\uffa0\uffa0",
      "\u115f", // HANGUL CHOSEONG FILLER
      "a\u1160b", // HANGUL JUNGSEONG FILLER
      "al\u200bice", // ZERO WIDTH SPACE
      "al\u200dice", // ZERO WIDTH JOINER
      "\ufeffalice", // BOM
      "alice\u200e", // LEFT-TO-RIGHT MARK
      "alice\u200f", // RIGHT-TO-LEFT MARK
      "alice\u061c", // ARABIC LETTER MARK
      "a\u00adb", // SOFT HYPHEN
    ]
  ) {
    assertFalse(isValidNickname(nick), JSON.stringify(nick));
  }
});

Deno.test("isValidNickname refuses letters of historic scripts, drawn wider than their cells", () => {
  // Twenty cuneiform signs made a nickname wider than a terminal (issue 19).
  assertFalse(isValidNickname("\u{12000}".repeat(20)));
  assertFalse(isValidNickname("\u{12000}"));
  assertFalse(isValidNickname("\u{13000}"), "Egyptian hieroglyph");
  // A letter whose compatibility form is a phrase with spaces.
  assertFalse(isValidNickname("\ufdfa"));
});

Deno.test("isValidNickname refuses a mix of Latin with Cyrillic or Greek letters", () => {
  assertFalse(isValidNickname("\u0430lice"), "Cyrillic а among Latin letters");
  assertFalse(isValidNickname("p\u0430ypal"));
  assertFalse(isValidNickname("\u03b1lice"), "Greek alpha among Latin letters");
  assertFalse(isValidNickname("Иван_ivan"));
  // Scripts that are written together stay allowed.
  for (const nick of ["kim민수", "田中さん", "タロウ太郎", "Ahmed_أحمد", "민수2"]) {
    assert(isValidNickname(nick), nick);
  }
});

Deno.test("isValidNickname caps the width at 40 columns: twenty wide letters", () => {
  assertEquals(MAX_NICKNAME_COLUMNS, 40);
  assert(isValidNickname("가".repeat(20)));
  assert(isValidNickname("ａ".repeat(20)), "full width letters are two columns each");
});

Deno.test("nicknameKey ignores case and Unicode normalization form", () => {
  assertEquals(nicknameKey("Alice"), nicknameKey("aLICE"));
  // "한" precomposed (NFC) and as Jamo (NFD) are the same nickname.
  assertEquals(nicknameKey("한"), nicknameKey("한".normalize("NFD")));
});

Deno.test("nicknameKey makes every look-alike of alice from issue 19 the same nickname", () => {
  for (const nick of ["\u0430lice", "ａｌｉｃｅ", "𝐚𝐥𝐢𝐜𝐞", "ALICE", "a1ice"]) {
    assertEquals(nicknameKey(nick), nicknameKey("alice"), nick);
  }
});

Deno.test("normalizeNickname trims and composes", () => {
  assertEquals(normalizeNickname("  bob \t"), "bob");
  assertEquals(normalizeNickname("한".normalize("NFD")), "한");
});
