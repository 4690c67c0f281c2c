import { assertEquals } from "@std/assert";
import { say, setup } from "./_setup.ts";

Deno.test("/kick: the target is told and disconnected; its room sees who kicked it", async () => {
  const { chat, peers: [op, bob, carol] } = await setup(["op", "bob", "carol"], {
    opPassword: "pw",
  });
  await say(op, "/op pw");
  op.take();
  await say(op, "/kick bob spamming links");
  assertEquals(bob.take(), ["You were kicked by op. Reason: spamming links"]);
  assertEquals(bob.closed, { how: "end", reason: "kicked" });
  assertEquals(carol.take(), ["bob was kicked by op."], "instead of the leave notice");
  assertEquals(op.take(), ["bob was kicked by op."]);
  assertEquals(chat.directory.find("bob"), undefined);
});

Deno.test("/kick without a reason, of an unknown user, of oneself, and by a non-operator", async () => {
  const { peers: [op, bob, carol] } = await setup(["op", "bob", "carol"], { opPassword: "pw" });
  await say(carol, "/kick bob", "/강퇴 bob");
  assertEquals(carol.take(), ["Only operators can do that.", "Only operators can do that."]);
  await say(op, "/op pw");
  op.take();
  await say(op, "/kick nobody", "/kick op", "/kick");
  assertEquals(op.take(), [
    "No user with that nickname.",
    "You cannot kick yourself.",
    "Usage: /kick NICK [REASON]",
  ]);
  await say(op, "/kick BOB");
  assertEquals(bob.take(), ["You were kicked by op."]);
});
