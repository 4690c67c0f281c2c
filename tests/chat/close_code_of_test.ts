import { assertEquals } from "@std/assert";
import { closeCodeOf } from "../../lib/chat/close_code_of.ts";
import { closeFrame } from "../../lib/transport/websocket_frame.ts";
import { WebSocketDecoder } from "../../lib/transport/websocket_decoder.ts";
import type { ChatReason } from "../../lib/util/close_reason.ts";

Deno.test("the chat's reasons close with a few transport codes, the reason as their word", () => {
  const codes: [ChatReason, number][] = [
    ["quit", 1000],
    ["shutdown", 1001],
    ["kicked", 1008],
    ["banned", 1008],
    ["flooding", 1008],
    ["nicknameTimeout", 1008],
    ["wrongPassword", 1008],
    ["opPassword", 1008],
    ["unavailable", 1013],
  ];
  for (const [reason, code] of codes) {
    const frame = new WebSocketDecoder().farewell(closeCodeOf(reason), reason);
    assertEquals(frame, closeFrame(code, reason), reason);
  }
});
