import { assertEquals, assertNotEquals } from "@std/assert";
import { skeleton } from "../../lib/chat/skeleton.ts";

Deno.test("skeleton makes the look-alikes of alice from issue 19 one name", () => {
  for (
    const name of [
      "alice",
      "Alice",
      "ALICE",
      "\u0430lice", // Cyrillic а
      "ａｌｉｃｅ", // full width
      "𝐚𝐥𝐢𝐜𝐞", // mathematical bold
      "\u0251lice", // Latin alpha
      "\u03b1lice", // Greek alpha
    ]
  ) {
    assertEquals(skeleton(name), skeleton("alice"), JSON.stringify(name));
  }
});

Deno.test("skeleton follows UTS #39 for characters that pass for others", () => {
  assertEquals(skeleton("mallory"), skeleton("rnallory"), "m looks like rn");
  assertEquals(skeleton("a1ice"), skeleton("alice"), "1 looks like l");
  assertEquals(skeleton("раураl"), skeleton("paypal"), "a whole name in Cyrillic");
  assertEquals(skeleton("ⅰ"), skeleton("i"), "roman numeral one, folded by NFKC");
});

Deno.test("skeleton folds case fully: ß and ss, final and medial sigma", () => {
  assertEquals(skeleton("straße"), skeleton("STRASSE"));
  assertEquals(skeleton("οδυσσευσ"), skeleton("ΟΔΥΣΣΕΥΣ"));
});

Deno.test("skeleton keeps names apart that look different", () => {
  for (
    const [a, b] of [
      ["alice", "alise"],
      ["bob", "b0b"], // UTS #39 maps 0 to capital O, which a folded name never holds
      ["민수", "민서"],
      ["ab", "abc"],
      ["é", "e"],
    ]
  ) {
    assertNotEquals(skeleton(a), skeleton(b), `${a} / ${b}`);
  }
});

Deno.test("skeleton treats a Hangul syllable as one character, not as its jamo", () => {
  // The confusable data maps final ㄱ to initial ㄱ and ㄲ to ㄱㄱ: applied inside the
  // syllables, 각가 and 가까 would be one name.
  assertNotEquals(skeleton("각가"), skeleton("가까"));
  assertNotEquals(skeleton("갓시"), skeleton("가씨"));
  assertEquals(skeleton("한"), skeleton("한".normalize("NFD")), "NFD input is composed first");
  assertEquals(skeleton("ㄱㅏ"), skeleton("가"), "compatibility jamo compose under NFKC");
});

Deno.test("skeleton leaves plain lower-case names readable", () => {
  assertEquals(skeleton("lobby"), "lobby");
  assertEquals(skeleton("bob_2"), "bob_2");
  assertEquals(skeleton("민수"), "민수");
});
