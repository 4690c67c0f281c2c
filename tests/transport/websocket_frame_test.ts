import { assertEquals } from "@std/assert";
import {
  closeFrame,
  encodeClientFrame,
  encodeFrame,
  MAX_HEADER_BYTES,
  OPCODE_TEXT,
  textFrame,
  writeFrameHeader,
} from "../../lib/transport/websocket_frame.ts";

Deno.test("websocket frame: a server frame is final, unmasked, with the shortest length field", () => {
  assertEquals([...textFrame("hi")], [0x81, 2, 0x68, 0x69]);
  const target = new Uint8Array(MAX_HEADER_BYTES);
  assertEquals(writeFrameHeader(target, 0, OPCODE_TEXT, 125), 2);
  assertEquals([...target.subarray(0, 2)], [0x81, 125]);
  assertEquals(writeFrameHeader(target, 0, OPCODE_TEXT, 126), 4);
  assertEquals([...target.subarray(0, 4)], [0x81, 126, 0, 126]);
  assertEquals(writeFrameHeader(target, 0, OPCODE_TEXT, 65_535), 4);
  assertEquals([...target.subarray(0, 4)], [0x81, 126, 0xff, 0xff]);
  assertEquals(writeFrameHeader(target, 0, OPCODE_TEXT, 65_536), 10);
  assertEquals([...target], [0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0]);
  assertEquals(encodeFrame(OPCODE_TEXT, new Uint8Array(70_000)).length, 70_010);
});

Deno.test("websocket frame: a close frame carries its code and a reason cut to fit", () => {
  assertEquals([...closeFrame(1001, "bye")], [0x88, 5, 0x03, 0xe9, 0x62, 0x79, 0x65]);
  assertEquals(closeFrame(1000, "x".repeat(500)).length, 2 + 125);
});

Deno.test("websocket frame: a client frame is masked with its key", () => {
  const frame = encodeClientFrame(OPCODE_TEXT, "abcde", { mask: new Uint8Array([1, 2, 3, 4]) });
  assertEquals([...frame.subarray(0, 6)], [0x81, 0x85, 1, 2, 3, 4]);
  assertEquals([...frame.subarray(6)], [0x61 ^ 1, 0x62 ^ 2, 0x63 ^ 3, 0x64 ^ 4, 0x65 ^ 1]);
  assertEquals(encodeClientFrame(OPCODE_TEXT, "a", { fin: false })[0], 0x01);
});
