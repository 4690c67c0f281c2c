import { assert, assertEquals, assertFalse } from "@std/assert";
import {
  isValidRoomName,
  LOBBY,
  MAX_ROOM_NAME_CHARS,
  normalizeRoomName,
  roomKey,
} from "../../lib/chat/room_name.ts";

Deno.test("room names: letters, digits, _ and -, 1 to 20, any script", () => {
  assertEquals(MAX_ROOM_NAME_CHARS, 20);
  for (const name of ["lobby", "math", "수학", "room_2", "a-b", "x".repeat(20)]) {
    assert(isValidRoomName(name), name);
  }
  for (const name of ["", "a b", "x".repeat(21), "a.b", "#", "a#b", "😀"]) {
    assertFalse(isValidRoomName(name), name);
  }
});

Deno.test("room names: one leading # is ignored, case is not significant", () => {
  assertEquals(normalizeRoomName("#math"), "math");
  assertEquals(normalizeRoomName("  #Math "), "Math");
  assertEquals(normalizeRoomName("##math"), "#math", "only one # is dropped");
  assertEquals(roomKey("MATH"), roomKey("math"));
  assertEquals(roomKey(LOBBY), "lobby");
});
