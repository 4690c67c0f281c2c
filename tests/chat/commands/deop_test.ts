import { assertEquals } from "@std/assert";
import { Chat } from "../../../lib/chat/chat.ts";
import { addAccount, logIn, waitForLine } from "../_accounts.ts";
import { testChat, testConfig } from "../_fake_peer.ts";
import { say, setup } from "./_setup.ts";

Deno.test("/op while logged in makes the account an operator at its next login, after a restart too, until /deop", async () => {
  const chat = testChat({ opPassword: "op-pw" });
  await addAccount(chat.store, "alice", "alices password");
  const alice = await logIn(chat, "alice", "alices password");
  await say(alice, "/op op-pw");
  await waitForLine(alice, "You are now an operator.");
  assertEquals((await chat.store.account("alice"))?.operator, true);
  await say(alice, "/quit");
  // A restart: a new chat on the same store.
  const restarted = new Chat(testConfig({ opPassword: "op-pw" }), { store: chat.store });
  const back = await logIn(restarted, "alice", "alices password");
  back.take();
  await say(back, "/bans");
  assertEquals(back.take(), ["No addresses are banned."], "an operator at login");
  await say(back, "/deop");
  await waitForLine(back, "You are no longer an operator.");
  assertEquals((await restarted.store.account("alice"))?.operator, false);
  await say(back, "/bans", "/deop");
  assertEquals(back.take(), [
    "You are no longer an operator.",
    "Only operators can do that.",
    "You are not an operator.",
  ]);
});

Deno.test("/deop NICK: an operator removes another's status, online and in its account; they are told", async () => {
  const chat = testChat({ opPassword: "op-pw" });
  await addAccount(chat.store, "alice", "alices password", { operator: true });
  const { peers: [op] } = await setup(["op"], {}, chat);
  const alice = await logIn(chat, "alice", "alices password");
  alice.take();
  await say(op, "/op op-pw", "/deop alice");
  await waitForLine(op, "alice is no longer an operator.");
  assertEquals(alice.take(), ["op removed your operator status."]);
  assertEquals((await chat.store.account("alice"))?.operator, false);
  await say(op, "/deop alice", "/deop nobody");
  assertEquals(op.take().slice(-2), ["alice is not an operator.", "nobody is not an operator."]);
});

Deno.test("/deop NICK of an offline account's operator flag is removed too", async () => {
  const chat = testChat({ opPassword: "op-pw" });
  await addAccount(chat.store, "alice", "alices password", { operator: true });
  const { peers: [op] } = await setup(["op"], {}, chat);
  await say(op, "/op op-pw", "/deop alice");
  await waitForLine(op, "alice is no longer an operator.");
  assertEquals((await chat.store.account("alice"))?.operator, false);
});

Deno.test("/deop NICK is for operators; /deop alone of a non-operator says so", async () => {
  const { peers: [alice, bob] } = await setup(["alice", "bob"], { opPassword: "op-pw" });
  await say(alice, "/deop bob", "/deop", "/deop alice");
  assertEquals(alice.take(), [
    "Only operators can do that.",
    "You are not an operator.",
    "You are not an operator.",
  ]);
  await say(bob, "/op op-pw", "/deop");
  assertEquals(bob.take(), ["You are now an operator.", "You are no longer an operator."]);
});
