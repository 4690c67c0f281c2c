import { assert, assertEquals, assertFalse, assertStrictEquals } from "@std/assert";
import { hasControlCharacters, sanitizeText } from "../../lib/util/sanitize.ts";

Deno.test("sanitizeText returns safe text unchanged", () => {
  const text = "hello 안녕 — émoji 😀 [x] {y} ~";
  assertStrictEquals(sanitizeText(text), text);
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
  // Neighbours of the ranges are left alone.
  assertEquals(sanitizeText("a\u2029b\u206ac"), "a\u2029b\u206ac");
});

Deno.test("hasControlCharacters tells which text sanitizeText would change", () => {
  for (const text of ["a\tb", "\x1b[0m", "x\x7f", "\u202e", "\x9b"]) {
    assert(hasControlCharacters(text), JSON.stringify(text));
    assert(sanitizeText(text) !== text);
  }
  for (const text of ["", "plain", "한국어", "😀"]) {
    assertFalse(hasControlCharacters(text), JSON.stringify(text));
  }
});
