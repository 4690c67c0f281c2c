import { assertEquals } from "@std/assert";
import { say, setup } from "./_setup.ts";

Deno.test("/me sends an action to the room; without text, the usage line", async () => {
  const { peers: [alice, bob] } = await setup(["alice", "bob"]);
  await say(alice, "/me waves at everyone", "/나 인사합니다", "/me");
  assertEquals(bob.take(), ["* alice waves at everyone", "* alice 인사합니다"]);
  assertEquals(alice.take(), [
    "* alice waves at everyone",
    "* alice 인사합니다",
    "Usage: /me TEXT",
  ]);
});
