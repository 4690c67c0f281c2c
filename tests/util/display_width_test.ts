import { assertEquals } from "@std/assert";
import { charWidth, displayWidth, isWide } from "../../lib/util/display_width.ts";

Deno.test("displayWidth counts wide characters as two columns", () => {
  assertEquals(displayWidth("abc"), 3);
  assertEquals(displayWidth("민수"), 4);
  assertEquals(displayWidth("ａｂ"), 4, "full width forms");
  assertEquals(displayWidth("漢字"), 4);
  assertEquals(displayWidth("😀"), 2);
  assertEquals(displayWidth("\u3000"), 2, "ideographic space");
  assertEquals(displayWidth("\u{20000}"), 2, "CJK extension B");
});

Deno.test("displayWidth counts marks and invisible characters as none", () => {
  assertEquals(displayWidth("e\u0301"), 1);
  assertEquals(displayWidth("a\u200bb\ufeff"), 2);
  assertEquals(displayWidth("\u1100\u1161"), 2, "conjoining jamo: one syllable");
});

Deno.test("isWide follows EastAsianWidth.txt, not a guess", () => {
  // Cuneiform is Neutral: one column, though its glyphs draw much wider.
  assertEquals(isWide(0x12000), false);
  assertEquals(isWide(0x3164), true, "HANGUL FILLER is Wide");
  assertEquals(isWide(0xffa0), false, "HALFWIDTH HANGUL FILLER is Halfwidth");
  assertEquals(isWide(0x115f), true);
  assertEquals(isWide(0x1f600), true);
  assertEquals(isWide(0x3fffd), true);
  assertEquals(isWide(0x40000), false);
  assertEquals(charWidth("a"), 1);
});
