import { assertEquals } from "@std/assert";
import { say, setup } from "./_setup.ts";

Deno.test("/rooms lists rooms with people, busiest first, on one line", async () => {
  const { peers } = await setup(["a", "b", "c", "d", "e"]);
  await say(peers[0], "/join math");
  await say(peers[1], "/join math");
  await say(peers[2], "/join art");
  for (const p of peers) p.take();
  await say(peers[4], "/rooms");
  assertEquals(peers[4].take(), ["Rooms: lobby (2), math (2), art (1)"]);
  await say(peers[4], "/방목록");
  assertEquals(peers[4].take(), ["Rooms: lobby (2), math (2), art (1)"]);
});
