import { assert, assertEquals, assertThrows } from "@std/assert";
import { splitMessage } from "../../lib/client/split_message.ts";

const bytes = (text: string) => new TextEncoder().encode(text).length;

Deno.test("splitMessage keeps a text that fits, and cuts one that does not within the cap", () => {
  assertEquals(splitMessage("short", 100), ["short"]);
  const text = "가".repeat(10) + "😀".repeat(10) + "a".repeat(10);
  for (const max of [4, 5, 7, 10, 31]) {
    const pieces = splitMessage(text, max);
    for (const piece of pieces) assert(bytes(piece) <= max, `${max}: ${piece}`);
    // Never inside a character: joined back, the text is whole and valid.
    assertEquals(pieces.join(""), text);
    assert(!pieces.join("").includes("\uFFFD"));
  }
  assertThrows(() => splitMessage(text, 3), RangeError);
});

Deno.test("splitMessage cuts at a space in the second half of a piece, dropping it", () => {
  assertEquals(splitMessage("hello world again", 12), ["hello world", "again"]);
  // A space in the first half would make tiny pieces: cut inside the word instead.
  assertEquals(splitMessage("a bcdefghijklmnop", 8), ["a bcdefg", "hijklmno", "p"]);
});

Deno.test("splitMessage never starts a piece with a character the caller forbids", () => {
  const badStart = (char: string) => char === "/" || char === "@";
  const pieces = splitMessage("abcdefgh /join x", 10, { badStart });
  for (const piece of pieces) assert(!badStart(piece.trimStart()[0] ?? ""), piece);
  assertEquals(pieces, ["abcdefg", "h /join x"]);
  for (const piece of splitMessage("xxxx@yyyy@zzzz@", 5, { badStart })) {
    assert(!piece.startsWith("@"), piece);
  }
});
