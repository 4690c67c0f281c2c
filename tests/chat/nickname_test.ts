import { assert, assertEquals, assertFalse } from "@std/assert";
import {
  isValidNickname,
  MAX_NICKNAME_CHARS,
  nicknameKey,
  normalizeNickname,
} from "../../lib/chat/nickname.ts";

Deno.test("isValidNickname accepts letters, digits, _ and - in any script", () => {
  for (const nick of ["alice", "Bob_2", "a-b", "민수", "김철수_99", "Ελένη", "x", "42"]) {
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

Deno.test("nicknameKey ignores case and Unicode normalization form", () => {
  assertEquals(nicknameKey("Alice"), nicknameKey("aLICE"));
  // "한" precomposed (NFC) and as Jamo (NFD) are the same nickname.
  assertEquals(nicknameKey("한"), nicknameKey("한".normalize("NFD")));
});

Deno.test("normalizeNickname trims and composes", () => {
  assertEquals(normalizeNickname("  bob \t"), "bob");
  assertEquals(normalizeNickname("한".normalize("NFD")), "한");
});
