import { assert, assertFalse } from "@std/assert";
import { mentions } from "../../lib/client/mentions.ts";

Deno.test("mentions finds a nickname as a word of its own, ignoring case", () => {
  for (const text of ["bob", "hi Bob!", "@BOB look", "bob: hi", "(bob)", "bob's", "ok,bob"]) {
    assert(mentions(text, "bob"), text);
  }
  for (const text of ["bobby", "kabob", "bob_2 hi", "bob-ish", "b o b", ""]) {
    assertFalse(mentions(text, "bob"), text);
  }
  assert(mentions("where is ALICE_1?", "alice_1"));
});

Deno.test("mentions uses Unicode word boundaries, not ASCII ones", () => {
  assert(mentions("민수 안녕", "민수"));
  assert(mentions("안녕, 민수.", "민수"));
  assertFalse(mentions("김민수 안녕", "민수"), "inside another Korean word");
  assertFalse(mentions("éric", "ric"), "inside a word with an accented letter");
  assert(mentions("Ελένη, γεια", "ελένη"));
  // Decomposed Hangul (jamo) is the same name.
  assert(mentions("민수".normalize("NFD") + " 안녕", "민수"));
});

Deno.test("mentions accepts Korean particles right after the name", () => {
  for (
    const text of [
      "민수님 안녕하세요",
      "민수씨",
      "민수야!",
      "민수에게 물어봐",
      "민수한테도",
      "민수님이 오셨다",
      "민수의 책",
      "alice에게 전해줘",
    ]
  ) {
    assert(mentions(text, text.startsWith("alice") ? "alice" : "민수"), text);
  }
  assertFalse(mentions("민수가방을 샀다", "민수"), "a particle followed by more word");
  assertFalse(mentions("민수네 집", "민수"), "not a listed particle");
});
