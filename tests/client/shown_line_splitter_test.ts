import { assertEquals } from "@std/assert";
import { ShownLineSplitter } from "../../lib/client/shown_line_splitter.ts";

const encode = (text: string) => new TextEncoder().encode(text);

Deno.test("ShownLineSplitter splits lines before decoding and keeps the unfinished one", () => {
  const splitter = new ShownLineSplitter(1024);
  const bytes = encode("가나\r\n다");
  assertEquals(splitter.push(bytes.subarray(0, 4)), []);
  assertEquals(splitter.push(bytes.subarray(4)), ["가나"]);
  assertEquals(splitter.hasPartial, true);
  assertEquals(splitter.flush(), "다");
  assertEquals(splitter.hasPartial, false);
});

Deno.test("ShownLineSplitter.takePartial takes whole characters and keeps a cut one", () => {
  const splitter = new ShownLineSplitter(1024);
  const bytes = encode("닉네임: 한");
  // The last character (3 bytes) arrives one byte short.
  splitter.push(bytes.subarray(0, bytes.length - 1));
  assertEquals(splitter.takePartial(), "닉네임: ");
  assertEquals(splitter.takePartial(), undefined, "only part of a character is held");
  splitter.push(bytes.subarray(bytes.length - 1));
  assertEquals(splitter.takePartial(), "한");
  assertEquals(splitter.hasPartial, false);
});

Deno.test("ShownLineSplitter shows a line over the cap in pieces cut between characters", () => {
  const splitter = new ShownLineSplitter(8);
  // No newline yet: 12 bytes held is over the cap of 8.
  assertEquals(splitter.push(encode("가나다라")), ["가나"]);
  assertEquals(splitter.flush(), "다라");
});
