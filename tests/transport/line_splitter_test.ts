import { assertEquals, assertThrows } from "@std/assert";
import { LineTooLongError } from "../../lib/util/errors.ts";
import {
  LineSplitter,
  MAX_REFUSED_LINE_BYTES,
  REFUSED_LINE,
  type SplitLine,
} from "../../lib/transport/line_splitter.ts";

const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(text);

Deno.test("line splitter decodes a Korean line fed one byte at a time", () => {
  const splitter = new LineSplitter();
  const data = bytes("안녕하세요 세계\n");
  const lines: SplitLine[] = [];
  for (let i = 0; i < data.length; i++) {
    const out = splitter.push(data.subarray(i, i + 1));
    if (i < data.length - 1) assertEquals(out, [], `no line before the \\n (byte ${i})`);
    lines.push(...out);
  }
  assertEquals(lines, ["안녕하세요 세계"]);
  assertEquals(splitter.bufferedBytes, 0);
});

Deno.test("line splitter joins a character split across two chunks", () => {
  const splitter = new LineSplitter();
  const data = bytes("가나\n"); // 가 = EA B0 80
  assertEquals(splitter.push(data.subarray(0, 2)), []);
  assertEquals(splitter.bufferedBytes, 2);
  assertEquals(splitter.push(data.subarray(2)), ["가나"]);
});

Deno.test("line splitter returns several lines of one chunk in order and keeps the tail", () => {
  const splitter = new LineSplitter();
  assertEquals(splitter.push(bytes("one\ntwo\n\nthree\nfour")), ["one", "two", "", "three"]);
  assertEquals(splitter.bufferedBytes, 4);
  assertEquals(splitter.push(bytes(" and more\n")), ["four and more"]);
});

Deno.test("line splitter strips \\r\\n and keeps a lone \\r inside a line", () => {
  const splitter = new LineSplitter();
  assertEquals(splitter.push(bytes("a\r\nb\r\nc\rd\n")), ["a", "b", "c\rd"]);
  // The \r and the \n arrive in separate chunks.
  assertEquals(splitter.push(bytes("e\r")), []);
  assertEquals(splitter.push(bytes("\n")), ["e"]);
});

Deno.test("line splitter does not reuse the caller's buffer for a partial line", () => {
  const splitter = new LineSplitter();
  const buffer = bytes("abc");
  assertEquals(splitter.push(buffer), []);
  buffer.fill(0x78); // the caller reuses its read buffer
  assertEquals(splitter.push(bytes("d\n")), ["abcd"]);
});

Deno.test("line splitter turns invalid UTF-8 into U+FFFD instead of failing", () => {
  const splitter = new LineSplitter();
  const data = new Uint8Array([0x61, 0xff, 0x62, 0xc3, 0x0a, 0xed, 0xa0, 0x80, 0x0a]);
  const lines = splitter.push(data);
  assertEquals(lines.length, 2);
  assertEquals(lines[0], "a\uFFFDb\uFFFD");
  // A lone surrogate encoded in UTF-8 is invalid too.
  assertEquals([...String(lines[1])].every((c) => c === "\uFFFD"), true);
  // The decoder is not left in a broken state.
  assertEquals(splitter.push(bytes("ok\n")), ["ok"]);
});

Deno.test("line splitter accepts a line of exactly the cap", () => {
  const splitter = new LineSplitter({ maxLineBytes: 8 });
  assertEquals(splitter.push(bytes("12345678\n")), ["12345678"]);
  // The same, split across chunks.
  assertEquals(splitter.push(bytes("1234")), []);
  assertEquals(splitter.push(bytes("5678")), []);
  assertEquals(splitter.push(bytes("\n")), ["12345678"]);
});

Deno.test("line splitter does not count a trailing \\r against the cap", () => {
  const splitter = new LineSplitter({ maxLineBytes: 8 });
  assertEquals(splitter.push(bytes("12345678\r\n")), ["12345678"]);
  assertEquals(splitter.push(bytes("12345678\r")), []);
  assertEquals(splitter.push(bytes("\n")), ["12345678"]);
});

Deno.test("line splitter counts the cap in bytes, not characters", () => {
  const splitter = new LineSplitter({ maxLineBytes: 6 });
  assertEquals(splitter.push(bytes("가나\n")), ["가나"]); // 6 bytes
  assertEquals(splitter.push(bytes("가나다\n")), [REFUSED_LINE]); // 9 bytes
});

Deno.test("line splitter refuses a complete line over the cap in its place and goes on", () => {
  const splitter = new LineSplitter({ maxLineBytes: 8 });
  assertEquals(splitter.push(bytes("ok\n123456789\nnext\n")), ["ok", REFUSED_LINE, "next"]);
  assertEquals(new LineSplitter({ maxLineBytes: 8 }).push(bytes("123456789\r\n")), [REFUSED_LINE]);
});

Deno.test("line splitter refuses an unfinished line over the cap once, and drops it to its \\n", () => {
  const splitter = new LineSplitter({ maxLineBytes: 8 });
  assertEquals(splitter.push(bytes("12345678")), []);
  assertEquals(splitter.push(bytes("9")), [], "one more byte may still be a \\r");
  assertEquals(splitter.push(bytes("0")), [REFUSED_LINE]);
  assertEquals(splitter.bufferedBytes, 0, "nothing of it is kept");
  assertEquals(splitter.push(bytes("more of the same")), [], "refused once, not per chunk");
  assertEquals(splitter.push(bytes("tail\nfine\npart")), ["fine"]);
  assertEquals(splitter.push(bytes("ial\n")), ["partial"]);

  // That one spare byte is not a \r: the \n that follows ends a line over the cap.
  const spare = new LineSplitter({ maxLineBytes: 8 });
  assertEquals(spare.push(bytes("123456789")), []);
  assertEquals(spare.push(bytes("\n")), [REFUSED_LINE]);
});

Deno.test("line splitter refuses a tail after the last \\n that passes the cap", () => {
  const splitter = new LineSplitter({ maxLineBytes: 8 });
  assertEquals(splitter.push(bytes("ok\n" + "x".repeat(20))), ["ok", REFUSED_LINE]);
  assertEquals(splitter.push(bytes("xx\nafter\n")), ["after"]);
});

Deno.test("line splitter cuts off a refused line that goes on past MAX_REFUSED_LINE_BYTES", () => {
  const splitter = new LineSplitter({ maxLineBytes: 16 });
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  let dropped = 0;
  const error = assertThrows(() => {
    for (;;) {
      splitter.push(chunk);
      dropped += chunk.length;
    }
  }, LineTooLongError);
  assertEquals(error.maxBytes, 16);
  assertEquals(
    dropped,
    MAX_REFUSED_LINE_BYTES,
    "a megabyte is dropped, then the stream is cut off",
  );
});

Deno.test("line splitter holds at most cap + 1 bytes of an unfinished line", () => {
  const splitter = new LineSplitter({ maxLineBytes: 16 });
  for (let i = 0; i < 17; i++) splitter.push(bytes("a"));
  assertEquals(splitter.bufferedBytes, 17);
  assertEquals(splitter.push(bytes("a")), [REFUSED_LINE]);
  assertEquals(splitter.bufferedBytes, 0);
});

Deno.test("line splitter uses 8192 bytes as the default cap", () => {
  assertEquals(new LineSplitter().push(bytes("a".repeat(8192) + "\n")), ["a".repeat(8192)]);
  assertEquals(new LineSplitter().push(bytes("a".repeat(8193) + "\n")), [REFUSED_LINE]);
});

Deno.test("line splitter knows whether the peer frames its lines, and hands over a pending one", () => {
  const splitter = new LineSplitter();
  assertEquals(splitter.push(bytes("bob")), []);
  assertEquals(splitter.framed, false);
  assertEquals(splitter.takePartial(), "bob");
  assertEquals(splitter.takePartial(), undefined);
  assertEquals(splitter.push(bytes("안녕\r")), []);
  assertEquals(splitter.takePartial(), "안녕");
  assertEquals(splitter.push(bytes("hi\n")), ["hi"]);
  assertEquals(splitter.framed, true);
});
