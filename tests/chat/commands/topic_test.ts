import { assertEquals } from "@std/assert";
import { LaterBus, laterChat } from "../_later_bus.ts";
import { microtasks, say, setup } from "./_setup.ts";

Deno.test("/topic shows the topic; with text, the room gets the new one", async () => {
  const { peers: [alice, bob] } = await setup(["alice", "bob"]);
  await say(alice, "/topic");
  assertEquals(alice.take(), ["No topic is set."]);
  await say(alice, "/topic Exam on Friday");
  assertEquals(bob.take(), ["alice set the topic: Exam on Friday"]);
  await say(bob, "/주제");
  assertEquals(bob.take(), ["Topic: Exam on Friday"]);
});

Deno.test("/topic with text is for operators when the server has an operator password", async () => {
  const { peers: [alice, bob] } = await setup(["alice", "bob"], { opPassword: "pw" });
  await say(alice, "/topic mine");
  assertEquals(alice.take(), ["Only operators can do that."]);
  assertEquals(bob.take(), []);
  await say(alice, "/op pw", "/topic mine");
  assertEquals(alice.take(), ["You are now an operator.", "alice set the topic: mine"]);
  await say(bob, "/topic");
  assertEquals(bob.take(), ["alice set the topic: mine", "Topic: mine"]);
});

Deno.test("/topic that the bus loses later tells the user to try again", async () => {
  const bus = new LaterBus();
  const { peers: [alice, bob] } = await setup(["alice", "bob"], {}, laterChat(bus));
  bus.failing = true;
  await say(alice, "/topic Exam on Friday");
  assertEquals(bus.pending, 1);
  assertEquals(alice.take(), [], "nothing yet: the bus has not answered");
  bus.failPending();
  await microtasks();
  assertEquals(alice.take(), ["The chat is temporarily unavailable, try again shortly."]);
  assertEquals(bob.take(), []);
  await say(bob, "/topic");
  assertEquals(bob.take(), ["No topic is set."]);
});
