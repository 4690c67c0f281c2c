import { assert, assertEquals, assertFalse } from "@std/assert";
import { addAccount, logIn, waitForLine } from "../_accounts.ts";
import { FakePeer, join, testChat } from "../_fake_peer.ts";
import { EN_FORMAT, say, setup } from "./_setup.ts";

Deno.test("/ban tells the user it is banned, for how long and why; the room sees the ban; the operator gets one line", async () => {
  const { chat, peers: [op, bob, carol] } = await setup(["op", "bob", "carol"], {
    opPassword: "pw",
  });
  await say(op, "/op pw");
  op.take();
  await say(op, "/ban bob 5 spamming links");
  assertEquals(bob.take(), ["You were banned by op for 5 minutes. Reason: spamming links"]);
  assertEquals(bob.closed, { how: "end", reason: "banned" });
  assertEquals(carol.take(), ["bob was banned by op for 5 minutes."]);
  assertEquals(op.take(), [
    "bob was banned by op for 5 minutes.",
    "Banned bob (192.0.2.1) for 5 minutes.",
  ]);
  assert(chat.bans.has("192.0.2.1"));
  const again = new FakePeer(chat, { format: EN_FORMAT, address: "192.0.2.1" });
  again.session.start();
  assertEquals(again.take(), ["You are banned from this server."]);
  assertEquals(again.closed, { how: "end", reason: "banned" });
  const other = new FakePeer(chat, { format: EN_FORMAT, address: "192.0.2.7" });
  other.session.start();
  assertEquals(other.take(), ["Enter your nickname:"]);
});

Deno.test("/ban defaults to 60 minutes; 0 lasts until lifted; bad minutes, or a reason without minutes, get the usage", async () => {
  const { chat, peers: [op, a, b] } = await setup(["op", "a", "b"], { opPassword: "pw" });
  await say(op, "/op pw", "/ban a soon", "/ban a rude words");
  assertEquals(op.take().slice(1), [
    "Usage: /ban NICK [MINUTES [REASON]]",
    "Usage: /ban NICK [MINUTES [REASON]]",
  ]);
  await say(op, "/ban a");
  assertEquals(a.take(), ["You were banned by op for 60 minutes."]);
  assertEquals(op.take(), [
    "a was banned by op for 60 minutes.",
    "Banned a (192.0.2.1) for 60 minutes.",
  ]);
  const until = chat.bans.list()[0].until!;
  assert(Math.abs(until - Date.now() - 60 * 60_000) < 5_000);
  assertEquals(b.take(), ["a was banned by op for 60 minutes."]);
  await say(op, "/ban b 0 for good");
  assertEquals(b.take(), ["You were banned by op until the ban is lifted. Reason: for good"]);
  assertEquals(op.take(), [
    "b was banned by op until the ban is lifted.",
    "Banned b (192.0.2.1) until lifted.",
  ]);
  chat.bans.remove("192.0.2.1");
  assertFalse(chat.bans.has("192.0.2.1"));
});

Deno.test("/ban of a registered user bans its nickname too: a login to it is refused from any address", async () => {
  const chat = testChat({ opPassword: "pw" });
  await addAccount(chat.store, "bob", "bobs password");
  const { peers: [op] } = await setup(["op"], {}, chat);
  const bob = await logIn(chat, "bob", "bobs password");
  await say(op, "/op pw", "/ban bob 5");
  await waitForLine(op, /^Banned bob/);
  assertEquals(op.take().at(-1), "Banned bob (192.0.2.1) and the nickname for 5 minutes.");
  assertEquals(bob.closed, { how: "end", reason: "banned" });
  // Kept in the store by the directory, as it was written, by whom: a restart keeps it.
  const [, nickname] = await chat.store.bans();
  assertEquals([nickname.kind, nickname.target, nickname.name, nickname.by], [
    "nickname",
    "bob",
    "bob",
    "op",
  ]);
  const elsewhere = new FakePeer(chat, { format: EN_FORMAT, address: "198.51.100.4" });
  elsewhere.session.start();
  elsewhere.type("bob");
  await waitForLine(elsewhere, "The nickname bob is banned.");
  assertEquals(elsewhere.take(), [
    "Enter your nickname:",
    "The nickname bob is banned.",
    "Enter your nickname:",
  ]);
  // Not even through a rename.
  const carol = await join(chat, "carol", { format: EN_FORMAT, address: "198.51.100.5" });
  carol.take();
  await say(carol, "/nick BOB");
  assertEquals(carol.take(), ["The nickname BOB is banned."]);
});

Deno.test("/ban of a guest bans only the address", async () => {
  const { chat, peers: [op] } = await setup(["op", "guest"], { opPassword: "pw" });
  await say(op, "/op pw", "/ban guest 5");
  assertEquals(op.take().at(-1), "Banned guest (192.0.2.1) for 5 minutes.");
  assertEquals(chat.directory.nicknameBans.list(), []);
  // The address ban is kept (it outlives a restart); no nickname is.
  assertEquals((await chat.store.bans()).map((ban) => ban.kind), ["address"]);
});
