import { assertEquals } from "@std/assert";
import { RemoteDirectory } from "../_remote_directory.ts";
import { microtasks, say, setup } from "./_setup.ts";
import { Chat } from "../../../lib/chat/chat.ts";
import { testConfig } from "../_fake_peer.ts";

Deno.test("/kick: the target is told and disconnected; its room sees who kicked it; the operator is answered", async () => {
  const { chat, peers: [op, bob, carol] } = await setup(["op", "bob", "carol"], {
    opPassword: "pw",
  });
  await say(op, "/op pw");
  op.take();
  await say(op, "/kick bob spamming links");
  assertEquals(bob.take(), ["You were kicked by op. Reason: spamming links"]);
  assertEquals(bob.closed, { how: "end", reason: "kicked" });
  assertEquals(carol.take(), ["bob was kicked by op."], "instead of the leave notice");
  assertEquals(op.take(), ["bob was kicked by op.", "Kicked bob."]);
  assertEquals(chat.directory.find("bob"), undefined);
});

Deno.test("/kick of a user in another room answers the operator with one line; that room sees it", async () => {
  const { peers: [op, bob, carol] } = await setup(["op", "bob", "carol"], { opPassword: "pw" });
  await say(op, "/op pw", "/join math");
  op.take();
  bob.take();
  carol.take();
  await say(op, "/kick bob");
  assertEquals(op.take(), ["Kicked bob."]);
  assertEquals(bob.take(), ["You were kicked by op."]);
  assertEquals(carol.take(), ["bob was kicked by op."]);
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

Deno.test("/kick of a user on another server answers once the cluster took it, or tells the operator to try again", async () => {
  const directory = new RemoteDirectory(["remote"]);
  const chat = new Chat(testConfig({ opPassword: "pw" }), { cluster: directory.cluster });
  const { peers: [op] } = await setup(["op"], {}, chat);
  await say(op, "/op pw");
  op.take();
  await say(op, "/kick remote noisy");
  assertEquals(directory.kicks, [{ nick: "remote", removal: { by: "op", reason: "noisy" } }]);
  assertEquals(op.take(), [], "not before the cluster answers");
  directory.answerKicks(true);
  await microtasks();
  assertEquals(op.take(), ["Kicked remote."]);
  await say(op, "/ban remote 5");
  directory.answerKicks(false);
  await microtasks();
  assertEquals(op.take(), ["The chat is temporarily unavailable, try again shortly."]);
  assertEquals(directory.kicks[1].removal, { by: "op", reason: undefined, banMinutes: 5 });
});
