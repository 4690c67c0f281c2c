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

Deno.test("room names: look-alikes are one room (issue 19: ａｂ is ab)", () => {
  assertEquals(roomKey("ａｂ"), roomKey("ab"));
  assertEquals(roomKey("𝐦𝐚𝐭𝐡"), roomKey("math"));
  assertEquals(roomKey("\u0441\u043e\u0441\u043e"), roomKey("coco"), "Cyrillic сосо");
});

Deno.test("room names: invisible characters, historic scripts and deceptive mixes are refused", () => {
  for (
    const name of [
      "\u3164",
      "ab\u3164",
      "\uffa0",
      "a\u200bb",
      "\u{12000}".repeat(20),
      "m\u0430th", // Cyrillic а among Latin letters
    ]
  ) {
    assertFalse(isValidRoomName(name), JSON.stringify(name));
  }
});
