import { assertEquals } from "@std/assert";
import { ShownIds, splitTagged, UNKNOWN_ID } from "../../lib/client/shown_ids.ts";

Deno.test("splitTagged reads the room line and the id in front of a line", () => {
  assertEquals(splitTagged("@room math"), { room: "math" });
  assertEquals(splitTagged("@3f2a.42 bob> hi @you"), { id: "3f2a.42", rest: "bob> hi @you" });
  assertEquals(splitTagged("@3f2a.7 [12:00] * bob waves"), {
    id: "3f2a.7",
    rest: "[12:00] * bob waves",
  });
  assertEquals(splitTagged("bob> @3f2a.1 x"), undefined);
  assertEquals(splitTagged("@alone"), undefined);
});

Deno.test("ShownIds: a block's last id belongs to the room named after it; live lines to our room", () => {
  const ids = new ShownIds();
  assertEquals(ids.resumeLine("lobby"), `/resume lobby ${UNKNOWN_ID}`);
  ids.blockLine("e.1");
  ids.blockLine("e.2");
  ids.entered("math");
  assertEquals(ids.lastIn("math"), "e.2");
  ids.liveLine("Math", "e.3");
  assertEquals(ids.resumeLine("math"), "/resume math e.3");
  // Another room with an empty history: nothing of it was shown.
  ids.entered("art");
  assertEquals(ids.lastIn("art"), undefined);
  assertEquals(ids.resumeLine("art"), `/resume art ${UNKNOWN_ID}`);
  // Back in math with no block: an id from before would resume too early.
  ids.entered("math");
  assertEquals(ids.lastIn("math"), undefined);
});
