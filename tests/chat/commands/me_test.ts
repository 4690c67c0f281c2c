import { assertEquals } from "@std/assert";
import { LaterBus, laterChat } from "../_later_bus.ts";
import { microtasks, say, setup } from "./_setup.ts";

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

Deno.test("/me that the bus loses later tells the user to try again", async () => {
  const bus = new LaterBus();
  const { peers: [alice, bob] } = await setup(["alice", "bob"], {}, laterChat(bus));
  bus.failing = true;
  await say(alice, "/me waves");
  assertEquals(bus.pending, 1);
  assertEquals(alice.take(), [], "nothing yet: the bus has not answered");
  bus.failPending();
  await microtasks();
  assertEquals(alice.take(), ["The chat is temporarily unavailable, try again shortly."]);
  assertEquals(bob.take(), []);
});
