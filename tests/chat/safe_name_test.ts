import { assert, assertFalse } from "@std/assert";
import { isSafeName } from "../../lib/chat/safe_name.ts";

Deno.test("isSafeName counts terminal columns: a wide letter takes two", () => {
  assert(isSafeName("가나", 20, 4));
  assertFalse(isSafeName("가나다", 20, 5));
  assert(isSafeName("abcde", 20, 5));
  assertFalse(isSafeName("abcdef", 20, 5));
});

Deno.test("isSafeName checks the compatibility form too", () => {
  // Fullwidth and mathematical letters are Latin once folded: one script.
  assert(isSafeName("ａｌｉｃｅ", 20, 40));
  assert(isSafeName("𝐚𝐥𝐢𝐜𝐞", 20, 40));
  // U+FB01 (the ligature ﬁ) is "fi": still a name. U+FDFB is an Arabic phrase with a space.
  assert(isSafeName("\ufb01sh", 20, 40));
  assertFalse(isSafeName("\ufdfb", 20, 40));
});

Deno.test("isSafeName allows one script, or Latin with one that does not pass for it", () => {
  for (const name of ["ελένη", "שלום", "नमन", "สมชาย", "Juan_Ελένη"]) {
    const expected = name !== "Juan_Ελένη";
    assert(isSafeName(name, 20, 40) === expected, name);
  }
  assertFalse(isSafeName("שלוםмир", 20, 40), "two non-Latin scripts");
});
