import { assertEquals, assertThrows } from "@std/assert";
import {
  MAX_REFUSED_LINE_BYTES,
  REFUSED_LINE,
  type SplitLine,
} from "../../lib/transport/line_splitter.ts";
import { WebSocketDecoder } from "../../lib/transport/websocket_decoder.ts";
import {
  closeFrame,
  encodeClientFrame,
  encodeFrame,
  OPCODE_BINARY,
  OPCODE_CLOSE,
  OPCODE_CONTINUATION,
  OPCODE_PING,
  OPCODE_PONG,
  OPCODE_TEXT,
} from "../../lib/transport/websocket_frame.ts";
import { LineTooLongError } from "../../lib/util/errors.ts";
import { concat } from "../fixtures/concat.ts";

const encoder = new TextEncoder();

/** Feeds bytes in chunks of `size` and collects every line. */
function feed(decoder: WebSocketDecoder, bytes: Uint8Array, size = bytes.length): SplitLine[] {
  const out: SplitLine[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(...decoder.push(bytes.slice(i, i + size)));
  return out;
}

const text = (message: string, options?: { fin?: boolean }) =>
  encodeClientFrame(OPCODE_TEXT, message, options);

Deno.test("websocket decoder turns masked text frames into lines, however the bytes are split", () => {
  const bytes = concat(text("hello"), text("안녕하세요"), text(""), text("x".repeat(300)));
  for (const size of [1, 2, 3, 7, 64, bytes.length]) {
    const decoder = new WebSocketDecoder();
    assertEquals(
      feed(decoder, bytes, size),
      ["hello", "안녕하세요", "", "x".repeat(300)],
      `${size}`,
    );
    assertEquals(decoder.bufferedBytes, 0);
    assertEquals(decoder.endedBy, undefined);
  }
});

Deno.test("websocket decoder reads 16- and 64-bit lengths", () => {
  const decoder = new WebSocketDecoder({ maxLineBytes: 100_000 });
  const big = "y".repeat(70_000);
  assertEquals(feed(decoder, concat(text("z".repeat(65_535)), text(big)), 4096), [
    "z".repeat(65_535),
    big,
  ]);
});

Deno.test("websocket decoder splits a message on \\n: a pasted paragraph is several lines", () => {
  const decoder = new WebSocketDecoder();
  assertEquals(decoder.push(text("one\ntwo\r\nthree\n")), ["one", "two", "three"]);
  assertEquals(decoder.push(text("a\n\nb")), ["a", "", "b"]);
  assertEquals(decoder.push(text("trailing cr\r")), ["trailing cr"]);
  assertEquals(decoder.push(text("\n")), [""]);
});

Deno.test("websocket decoder joins fragments, answers pings between them, and reads binary as text", () => {
  const decoder = new WebSocketDecoder();
  const word = encoder.encode("조각");
  const lines = feed(
    decoder,
    concat(
      encodeClientFrame(OPCODE_TEXT, word.subarray(0, 2), { fin: false }),
      encodeClientFrame(OPCODE_PING, "p1"),
      encodeClientFrame(OPCODE_CONTINUATION, word.subarray(2, 5), { fin: false }),
      encodeClientFrame(OPCODE_PONG, "ignored"),
      encodeClientFrame(OPCODE_CONTINUATION, word.subarray(5)),
      encodeClientFrame(OPCODE_BINARY, "bin"),
    ),
    5,
  );
  assertEquals(lines, ["조각", "bin"]);
  assertEquals(decoder.takeReplies(), [encodeFrame(OPCODE_PONG, encoder.encode("p1"))]);
  assertEquals(decoder.takeReplies(), undefined);
});

Deno.test("websocket decoder makes invalid UTF-8 U+FFFD, as the line splitter does", () => {
  const decoder = new WebSocketDecoder();
  assertEquals(decoder.push(encodeClientFrame(OPCODE_TEXT, new Uint8Array([0x61, 0xff, 0x62]))), [
    "a\uFFFDb",
  ]);
});

Deno.test("websocket decoder refuses a message over the cap once, drops its bytes as they come, and goes on", () => {
  const decoder = new WebSocketDecoder({ maxLineBytes: 10 });
  const bytes = concat(text("ok"), text("x".repeat(5000)), text("next"));
  assertEquals(feed(decoder, bytes, 100), ["ok", REFUSED_LINE, "next"]);
  // Nothing of the refused message is held.
  const held = new WebSocketDecoder({ maxLineBytes: 10 });
  held.push(text("x".repeat(5000)).subarray(0, 2000));
  assertEquals(held.bufferedBytes, 0);
  // Fragments count together: 6 + 6 bytes is over 10.
  const fragments = new WebSocketDecoder({ maxLineBytes: 10 });
  assertEquals(
    feed(
      fragments,
      concat(
        text("abcdef", { fin: false }),
        encodeClientFrame(OPCODE_CONTINUATION, "ghijkl", { fin: false }),
        encodeClientFrame(OPCODE_CONTINUATION, "mnop"),
        text("after"),
      ),
      3,
    ),
    [REFUSED_LINE, "after"],
  );
  assertEquals(decoder.push(text("x".repeat(10))), ["x".repeat(10)]);
});

Deno.test("websocket decoder cuts off a frame or a message past MAX_REFUSED_LINE_BYTES from its header", () => {
  const decoder = new WebSocketDecoder({ maxLineBytes: 100 });
  const header = new Uint8Array([0x81, 0xff, 0, 0, 0, 0, 0, 0x20, 0, 0, 1, 2, 3, 4]);
  const error = assertThrows(() => decoder.push(header), LineTooLongError);
  assertEquals(error.maxBytes, 100);
  // Fragments that add up past the bound.
  const fragments = new WebSocketDecoder({ maxLineBytes: 100 });
  const chunk = "f".repeat(60_000);
  let thrown = false;
  let sent = 0;
  try {
    fragments.push(text(chunk, { fin: false }));
    for (; sent < 100; sent++) {
      fragments.push(encodeClientFrame(OPCODE_CONTINUATION, chunk, { fin: false }));
    }
  } catch (e) {
    thrown = e instanceof LineTooLongError;
  }
  assertEquals(thrown, true);
  assertEquals(sent, Math.floor(MAX_REFUSED_LINE_BYTES / 60_000) - 1);
});

Deno.test("websocket decoder ends at a close frame: lines before it count, bytes after it do not, its code is echoed", () => {
  const decoder = new WebSocketDecoder();
  const lines = decoder.push(
    concat(text("last"), encodeClientFrame(OPCODE_CLOSE, new Uint8Array([0x0f, 0xa0])), text("x")),
  );
  assertEquals(lines, ["last"]);
  assertEquals(decoder.endedBy, "eof");
  assertEquals(decoder.push(text("more")), []);
  assertEquals(decoder.farewell("normal", "eof"), closeFrame(4000));
  assertEquals(decoder.farewell("normal", "eof"), undefined, "once");
  const empty = new WebSocketDecoder();
  empty.push(encodeClientFrame(OPCODE_CLOSE, new Uint8Array(0)));
  assertEquals([empty.endedBy, empty.farewell("normal", "eof")], ["eof", closeFrame(1000)]);
});

Deno.test("websocket decoder ends with 1002 on a frame that breaks the protocol", () => {
  const unmasked = new Uint8Array([0x81, 0x02, 0x68, 0x69]);
  const cases: [string, Uint8Array][] = [
    ["unmasked", unmasked],
    [
      "reserved bit",
      (() => {
        const f = text("hi");
        f[0] |= 0x40;
        return f;
      })(),
    ],
    ["unknown data opcode", encodeClientFrame(0x3, "x")],
    ["unknown control opcode", encodeClientFrame(0xb, "x")],
    ["fragmented ping", encodeClientFrame(OPCODE_PING, "x", { fin: false })],
    ["long ping", encodeClientFrame(OPCODE_PING, "x".repeat(126))],
    ["stray continuation", encodeClientFrame(OPCODE_CONTINUATION, "x")],
    ["new message inside another", concat(text("a", { fin: false }), text("b"))],
    ["one-byte close", encodeClientFrame(OPCODE_CLOSE, new Uint8Array([3]))],
    ["reserved close code", encodeClientFrame(OPCODE_CLOSE, new Uint8Array([0x03, 0xed]))],
  ];
  for (const [name, bytes] of cases) {
    const decoder = new WebSocketDecoder();
    assertEquals(decoder.push(concat(bytes, text("after"))), [], name);
    assertEquals(decoder.endedBy, "protocolError", name);
    assertEquals(
      decoder.farewell("protocolError", "protocolError"),
      closeFrame(1002, "protocolError"),
      name,
    );
  }
});

Deno.test("websocket decoder says goodbye with the close code it is given, and its word as the reason", () => {
  const codes: [Parameters<WebSocketDecoder["farewell"]>[0], number][] = [
    ["normal", 1000],
    ["goingAway", 1001],
    ["protocolError", 1002],
    ["policyViolation", 1008],
    ["messageTooBig", 1009],
    ["internalError", 1011],
    ["tryAgainLater", 1013],
  ];
  for (const [name, code] of codes) {
    assertEquals(new WebSocketDecoder().farewell(name, "kicked"), closeFrame(code, "kicked"), name);
  }
});

Deno.test("websocket decoder is always framed: a pause never cuts a message", () => {
  const decoder = new WebSocketDecoder();
  decoder.push(text("partial").subarray(0, 5));
  assertEquals([decoder.framed, decoder.takePartial(), decoder.bufferedBytes], [
    true,
    undefined,
    5,
  ]);
});
